import django_filters
from django.db import connection
from django.db.models import Exists, OuterRef

from partners.models import (
    AccessRoute,
    District,
    Language,
    LifeStage,
    Membership,
    Municipality,
    Network,
    Offer,
    Partner,
    Sector,
    matching_ids,
)
from praevnet.queries import prepared
from praevnet.widgets import FastCheckboxInput, FastSelect, FastTextInput


def _grouped_districts(rows) -> list:
    """Sozialräume as (pk, name, municipality) rows → choices, grouped by municipality where there are several (a
    Kreis), each in name order."""
    rows = sorted(rows, key=lambda row: (row[2].casefold(), row[1].casefold()))
    municipalities = list(dict.fromkeys(municipality for _, _, municipality in rows))
    if len(municipalities) <= 1:
        return [(pk, name) for pk, name, _ in rows]
    return [(m, [(pk, name) for pk, name, municipality in rows if municipality == m]) for m in municipalities]


#: The editable lists a filter select can offer, by the filter's name.
TAXONOMIES = {
    "sector": Sector,
    "topic": Sector,
    "life_stage": LifeStage,
    "access_route": AccessRoute,
    "language": Language,
}


def choice_lists(network, *names: str) -> dict[str, list]:
    """The choices of several filter selects in one query instead of one query each.

    ``names`` are keys of TAXONOMIES (in their display order, as ``Model.objects.values_list("pk", "name")`` gives
    them) and ``"district"`` (the network's Sozialräume, grouped by municipality where the network spans several).
    Written as SQL: the ORM took longer to build this union (0.5 ms) than the database to answer it (0.3 ms).
    """
    quote = connection.ops.quote_name
    parts, params = [], []
    for index, name in enumerate(names):
        if name == "district":
            through = Network.municipalities.through._meta
            parts.append(
                f"SELECT {index}, 0, d.id, d.name, m.name FROM {quote(District._meta.db_table)} d "
                f"JOIN {quote(Municipality._meta.db_table)} m ON m.id = d.municipality_id "
                f"JOIN {quote(through.db_table)} nm ON nm.municipality_id = m.id WHERE nm.network_id = %s"
            )
            params.append(network.pk)
        else:  # numbered in the list's own order (Taxonomy.Meta.ordering), which the union does not keep
            parts.append(
                f"SELECT {index}, ROW_NUMBER() OVER (ORDER BY \"order\", name), id, name, '' "
                f"FROM {quote(TAXONOMIES[name]._meta.db_table)}"
            )
    with prepared(), connection.cursor() as cursor:  # one plan serves every network: its few Sozialräume
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = sorted(cursor.fetchall())
    found = {name: [] for name in names}
    for part, _rank, pk, label, group in rows:
        found[names[part]].append((pk, label, group))
    return {
        name: _grouped_districts(rows) if name == "district" else [(pk, label) for pk, label, _ in rows]
        for name, rows in found.items()
    }


class PartnerFilter(django_filters.FilterSet):
    """The filters of the partner register; `network` limits the districts to the network's municipalities."""

    q = django_filters.CharFilter(label="Suche", method="filter_search", widget=FastTextInput)
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
    archived = django_filters.BooleanFilter(label="nur archivierte", method="filter_archived", widget=FastCheckboxInput)

    class Meta:
        model = Partner
        fields = ["q", "sector", "life_stage", "district", "membership_state", "profile_state", "archived"]

    def __init__(self, data=None, queryset=None, *, network, request=None, prefix=None):
        self.network = network
        super().__init__(data, queryset, request=request, prefix=prefix)
        for name, choices in choice_lists(network, "sector", "life_stage", "district").items():
            self.filters[name].extra["choices"] = choices

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
