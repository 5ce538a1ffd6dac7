import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from partners.models import District, LifeStage, Membership, Offer, Partner, Sector, matching_ids
from praevnet.widgets import FastSelect


def district_choices(network) -> list:
    """The network's Sozialräume; grouped by municipality where the network spans several (a Kreis)."""
    rows = District.objects.filter(municipality__networks=network).values_list("pk", "name", "municipality__name")
    rows = sorted(rows, key=lambda row: (row[2].casefold(), row[1].casefold()))
    municipalities = list(dict.fromkeys(municipality for _, _, municipality in rows))
    if len(municipalities) <= 1:
        return [(pk, name) for pk, name, _ in rows]
    return [(m, [(pk, name) for pk, name, municipality in rows if municipality == m]) for m in municipalities]


class PartnerFilter(django_filters.FilterSet):
    """The filters of the partner register; `network` limits the districts to the network's municipalities."""

    q = django_filters.CharFilter(label="Suche", method="filter_search")
    # Plain choices from values_list: the register's filter form is built on every list request, and model
    # instances for a few hundred Sozialräume cost more than the whole search.
    sector = django_filters.ChoiceFilter(
        label="Handlungsfeld", field_name="sectors", empty_label="alle", widget=FastSelect
    )
    life_stage = django_filters.ChoiceFilter(
        label="Lebensphase", method="filter_life_stage", empty_label="alle", widget=FastSelect
    )
    district = django_filters.ChoiceFilter(
        label="Sozialraum", method="filter_district", empty_label="alle", widget=FastSelect
    )
    membership_state = django_filters.ChoiceFilter(
        label="Mitgliedschaft",
        choices=Membership.State.choices,
        method="filter_membership",
        empty_label="alle",
        widget=FastSelect,
    )
    profile_state = django_filters.ChoiceFilter(
        label="Profil", choices=Partner.ProfileState.choices, empty_label="alle", widget=FastSelect
    )
    archived = django_filters.BooleanFilter(
        label="nur archivierte", method="filter_archived", widget=forms.CheckboxInput
    )

    class Meta:
        model = Partner
        fields = ["q", "sector", "life_stage", "district", "membership_state", "profile_state", "archived"]

    def __init__(self, data=None, queryset=None, *, network, request=None, prefix=None):
        self.network = network
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["sector"].extra["choices"] = list(Sector.objects.values_list("pk", "name"))
        self.filters["life_stage"].extra["choices"] = list(LifeStage.objects.values_list("pk", "name"))
        self.filters["district"].extra["choices"] = district_choices(network)

    @property
    def qs(self):
        queryset = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("archived")):
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        # The matching ids once: otherwise the paginator's COUNT and the page query each run the full-text search.
        # Without the register's own joins: its count and page apply them to the few ids (network of 10,000: 9 → 6 ms)
        matching = matching_ids(value, network=self.network)
        if matching is None:
            return queryset
        return queryset.filter(pk__any=list(matching))

    # Uncorrelated IN subqueries: at 100,000 offers the correlated EXISTS took 600 ms, these take a few.
    def filter_life_stage(self, queryset, name, value):
        return queryset.filter(pk__in=Offer.objects.filter(life_stages=value).order_by().values("partner_id"))

    def filter_district(self, queryset, name, value):
        served = Partner.districts.through.objects.filter(district=value).order_by().values("partner_id")
        in_offers = Offer.objects.filter(districts=value).order_by().values("partner_id")
        return queryset.filter(pk__in=served.union(in_offers))

    def filter_membership(self, queryset, name, value):
        return queryset.filter(
            Exists(Membership.objects.filter(partner=OuterRef("pk"), network=self.network, state=value))
        )

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=False) if value else queryset
