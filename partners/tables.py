import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from partners.models import Membership, Partner
from praevnet.tables import DateColumn, Table, escape_html, pk_url

STATE_BADGES = {
    "aktiv": "text-bg-success",
    "eingeladen": "text-bg-warning",
    "beendet": "text-bg-secondary",
    "entwurf": "text-bg-light border",
    "eingereicht": "text-bg-warning",
    "geprueft": "text-bg-success",
}


def badge(value: str, label: str) -> str:
    css = STATE_BADGES.get(value, "text-bg-light")
    # SafeString rather than mark_safe(), whose lazy-string check ran twice for every row of the register
    return SafeString(f'<span class="badge {css}">{escape_html(label)}</span>')


class MembershipTable(Table):
    partner = tables.Column(verbose_name="Einrichtung", order_by=("partner__name",))
    kind = tables.Column(accessor="partner__get_kind_display", verbose_name="Organisationsform", orderable=False)
    city = tables.Column(accessor="partner__city", verbose_name="Ort")
    since = DateColumn(format="d.m.Y", verbose_name="Mitglied seit")
    state = tables.Column(verbose_name="Status")

    class Meta:
        model = Membership
        fields = ("partner", "kind", "city", "since", "state")
        attrs = {"class": "table table-hover align-middle"}
        per_page = 25
        empty_text = "Noch keine Mitgliedseinrichtungen."

    def __init__(self, *args, network, **kwargs):
        self.network = network
        self.partner_url = pk_url("partners:partner_detail", network=network.slug)
        super().__init__(*args, **kwargs)

    def render_partner(self, record):
        url = self.partner_url(record.partner_id)
        return format_html('<a href="{}">{}</a>', url, record.partner.name)

    def render_state(self, record):
        return badge(record.state, record.get_state_display())


class PartnerTable(Table):
    name = tables.Column(verbose_name="Einrichtung")
    # the names come with the page query (partner_queryset); the accessor "sectors" would build a related manager
    # for every row only to leave it unused
    sectors = tables.Column(verbose_name="Handlungsfelder", accessor="sector_names", empty_values=(), orderable=False)
    city = tables.Column(verbose_name="Ort")
    membership_state = tables.Column(verbose_name="Mitgliedschaft")
    # accessor "pk": the cell is drawn from the record; tables2 would otherwise look up the field's display label
    # (choices made hashable, a translation) for every row only to throw it away
    profile_state = tables.Column(verbose_name="Profil", accessor="pk", order_by="profile_state")
    offer_count = tables.Column(
        verbose_name="Angebote", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}}
    )
    updated = DateColumn(format="d.m.Y", verbose_name="geändert")

    class Meta:
        model = Partner
        fields = ("name", "sectors", "city", "membership_state", "profile_state", "offer_count", "updated")
        attrs = {"class": "table table-hover align-middle"}
        empty_text = "Keine Einrichtung passt zu dieser Auswahl."
        order_by = "name"
        per_page_field = "seitengroesse"  # the view reads `per_page` itself and allows only 25, 50, 100

    def __init__(self, *args, network, **kwargs):
        self.network = network
        self.partner_url = pk_url("partners:partner_detail", network=network.slug)
        # the German labels once per table, not a lazy translation per row
        self.membership_labels = {value: str(label) for value, label in Membership.State.choices}
        self.profile_labels = {value: str(label) for value, label in Partner.ProfileState.choices}
        super().__init__(*args, **kwargs)

    def render_name(self, record):
        url = self.partner_url(record.pk)
        extra = ' <span class="badge text-bg-secondary">archiviert</span>' if record.archived_at else ""
        return SafeString(f'<a href="{escape_html(url)}">{escape_html(record.name)}</a>{extra}')

    def render_sectors(self, record):
        # partner_queryset fetches the names in the page query, in the sectors' order
        return ", ".join(record.sector_names) or "—"

    def render_membership_state(self, value):
        return badge(value, self.membership_labels.get(value, value))

    def render_profile_state(self, record):
        label = self.profile_labels.get(record.profile_state, record.profile_state)
        if record.changed_since_review:
            label = f"{label}, danach geändert"
        return badge(record.profile_state, label)
