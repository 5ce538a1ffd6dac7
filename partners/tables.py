import django_tables2 as tables

from partners.models import Membership


class MembershipTable(tables.Table):
    partner = tables.Column(verbose_name="Einrichtung", order_by=("partner__name",))
    kind = tables.Column(accessor="partner__get_kind_display", verbose_name="Organisationsform", orderable=False)
    city = tables.Column(accessor="partner__city", verbose_name="Ort")
    since = tables.DateColumn(format="d.m.Y", verbose_name="Mitglied seit")
    state = tables.Column(verbose_name="Status")

    class Meta:
        model = Membership
        fields = ("partner", "kind", "city", "since", "state")
        attrs = {"class": "table table-hover align-middle"}
        per_page = 25
        empty_text = "Noch keine Mitgliedseinrichtungen."

    def render_state(self, record):
        from django.utils.html import format_html

        css = {"aktiv": "text-bg-success", "eingeladen": "text-bg-warning", "beendet": "text-bg-secondary"}
        return format_html(
            '<span class="badge {}">{}</span>',
            css.get(record.state, "text-bg-light"),
            record.get_state_display(),
        )
