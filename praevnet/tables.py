import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from praevnet.audit import action_label
from praevnet.models import AuditEntry


class AuditTable(tables.Table):
    created = tables.DateTimeColumn(format="d.m.Y H:i", verbose_name="Zeitpunkt")
    actor_label = tables.Column(verbose_name="Person")
    action = tables.Column(verbose_name="Aktion")
    object_label = tables.Column(verbose_name="Objekt")
    data = tables.Column(verbose_name="Änderungen", orderable=False)

    class Meta:
        model = AuditEntry
        fields = ("created", "actor_label", "action", "object_label", "data")
        attrs = {"class": "table table-sm align-middle"}
        per_page = 50
        empty_text = "Keine Einträge für diese Auswahl."

    def render_action(self, value):
        return action_label(value)

    def render_data(self, value):
        if not value:
            return "—"
        rows = []
        for key, change in value.items():
            if key.startswith("_"):  # internal bookkeeping such as the profile version
                continue
            if isinstance(change, list) and len(change) == 2:
                rows.append((key, f"{change[0] or '(leer)'} → {change[1] or '(leer)'}"))
            else:
                rows.append((key, str(change)))
        if not rows:
            return "—"
        return format_html(
            '<dl class="audit-changes mb-0">{}</dl>', format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows)
        )
