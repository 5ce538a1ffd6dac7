"""Which offers the internal directory, the public offer finder, the coverage matrix and the HSDS export show.

One rule for all four: an offer belongs to a network when its institution is an *active* member there and is not
archived; the public side (finder, HSDS, coverage counts) sees only offers marked `published`.
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from partners.filters import choice_lists
from partners.models import (
    NAME_VECTOR,
    LifeStage,
    Membership,
    Network,
    Offer,
    Partner,
    prefix_query,
)
from praevnet.widgets import FastCheckboxInput, FastSelect, FastTextInput

# The ages a parent can pick in the finder; -1 is "expecting a baby".
AGE_CHOICES = [
    ("-1", "Ich bin schwanger"),
    ("0", "unter 1 Jahr"),
    ("1", "1 Jahr"),
    *[(str(age), f"{age} Jahre") for age in range(2, 27)],
]

COST_CHOICES = [
    ("kostenlos", "nur kostenlose Angebote"),
    ("guenstig", "kostenlos oder ermäßigt"),
]


def active_member_ids(networks) -> QuerySet:
    """Subquery: the institutions that are active, not archived members of the network(s)."""
    networks = [networks] if isinstance(networks, Network) else list(networks)
    return (
        Membership.objects.filter(
            network__in=networks, state=Membership.State.ACTIVE, partner__archived_at__isnull=True
        )
        .order_by()
        .values("partner_id")
    )


def active_memberships(networks, partner) -> QuerySet[Membership]:
    """Correlated subquery for Exists(): `partner` (an OuterRef to an institution's id) is an active member."""
    networks = [networks] if isinstance(networks, Network) else list(networks)
    return Membership.objects.filter(partner_id=partner, network__in=networks, state=Membership.State.ACTIVE)


def member_of(networks, partner) -> Q:
    """Condition: `partner` (an OuterRef to an institution's id) is an active member and not archived.

    Two correlated checks instead of one over membership joined to institution: the few archived institutions are
    an anti-join on a small index, and the membership check needs no second table. For a network holding all
    10,000 institutions that halves the work of each finder search and its planning time (3 → 0.7 ms)."""
    archived = Partner.objects.filter(pk=partner, archived_at__isnull=False)
    return Exists(active_memberships(networks, partner)) & ~Exists(archived)


def network_offers(networks, *, published_only: bool) -> QuerySet[Offer]:
    """The offers of the active members of one network (or of several, for a Kreis)."""
    # Correlated: with LIMIT the planner probes the membership index per offer instead of hashing every member
    # of a 10,000-member network first (the finder's search went from 28 to 4 ms at 100,000 offers).
    offers = Offer.objects.filter(member_of(networks, OuterRef("partner_id")))
    return offers.filter(published=True) if published_only else offers


def public_offers(network: Network) -> QuerySet[Offer]:
    """What the public finder and the open data show: published offers of active members of an active network."""
    if not network.is_active:
        return Offer.objects.none()
    return network_offers(network, published_only=True)


def life_stages_for_age(age: int, stages=None) -> list[int]:
    """The Lebensphasen that fit a child of `age` years (-1: not yet born); bounds are inclusive, an open bound
    fits every age (so "Eltern und Familie" fits every child)."""
    stages = LifeStage.objects.values_list("pk", "age_from", "age_to") if stages is None else stages
    return [
        pk
        for pk, age_from, age_to in stages
        if (age_from is None or age_from <= age) and (age_to is None or age <= age_to)
    ]


# Up to this many matches the search hands over the matching ids (an exact, cheap count and a small sort); above it
# the page walks the title index and stops after one page (the matches are dense then, so that is quick).
SPARSE_MATCHES = 3000


@dataclass
class Search:
    """What a search found: the condition, and – when there are at most `sparse` matches – their ids."""

    condition: Q
    ids: list[int] | None

    def in_ids(self) -> RawSQL:
        """`id = ANY(ids)` as one array parameter, past the ORM's per-element handling of a list of thousands.
        Names the offer table itself: only for a top-level query on Offer, never inside a subquery."""
        table = Offer._meta.db_table
        return RawSQL(f'"{table}"."id" = ANY(%s)', (self.ids,), output_field=BooleanField())

    def apply(self, queryset: QuerySet[Offer]) -> QuerySet[Offer]:
        return queryset.filter(pk__any=self.ids) if self.ids is not None else queryset.filter(self.condition)


def offer_search(
    queryset: QuerySet[Offer],
    text: str,
    *,
    networks=None,
    name_parts: bool = True,
    sparse: int = SPARSE_MATCHES,
) -> Search | None:
    """German full text over the offer (title, description) and its institution (name, Träger, place, description);
    prefixes match (Hebamme → Hebammenpraxis). With `name_parts`, the institution's whole search vector counts,
    including the parts of its name's long words (beratung → Erziehungsberatungsstelle); without, only its name.
    None when the text holds no word to search for."""
    query = prefix_query(text)
    if query is None:
        return None
    # only the network's members (a short list keeps the offers' partner index usable in a small network); checked
    # per institution found, not by hashing all members of a big network first
    candidates = Partner.objects.order_by()
    if networks is not None:
        candidates = candidates.filter(Exists(active_memberships(networks, OuterRef("pk"))), archived_at__isnull=True)
    if name_parts:
        partners = candidates.filter(search_vector=query).values_list("pk", flat=True)
    else:
        # only the institution's name: "Eltern" in a hundred descriptions would otherwise bring every offer of those
        # institutions, and a slow page with it. Through the name's own index (partner_name_gin): the name part of
        # the full search vector needed a recheck of every institution with the word anywhere (5 → 1.3 ms).
        partners = candidates.annotate(name_vector=NAME_VECTOR).filter(name_vector=query).values_list("pk", flat=True)
    partner_ids = list(partners)
    condition = Q(search_vector=query)
    if partner_ids:  # `partner_id = ANY(array)`: one parameter, and both sides of the OR can use an index
        condition |= Q(partner__pk__any=partner_ids)
    ids = list(queryset.filter(condition).order_by().values_list("pk", flat=True)[: sparse + 1])
    return Search(condition=condition, ids=ids if len(ids) <= sparse else None)


def search_offers(queryset: QuerySet[Offer], text: str, *, networks=None, name_parts: bool = True) -> QuerySet[Offer]:
    """The offers of `queryset` that match `text` (see offer_search)."""
    found = offer_search(queryset, text, networks=networks, name_parts=name_parts)
    return found.apply(queryset) if found is not None else queryset


def linked(field: str, column: str, value) -> Exists:
    """The offer is linked to `value` (or to one of the values) through the m2m field `field`; correlated, so a
    search that stops after a page probes the (offer, value) index instead of collecting every link first."""
    through = Offer._meta.get_field(field).remote_field.through
    lookup = f"{column}__in" if isinstance(value, (list, tuple)) else column
    return Exists(through.objects.filter(offer_id=OuterRef("pk"), **{lookup: value}))


class OfferFilterBase(django_filters.FilterSet):
    """Filters shared by the directory and the finder; `network` limits the Sozialräume to its municipalities."""

    q = django_filters.CharFilter(label="Suche", method="filter_search", widget=FastTextInput)
    life_stage = django_filters.ChoiceFilter(
        label="Lebensphase", method="filter_life_stage", empty_label="alle", widget=FastSelect
    )
    district = django_filters.ChoiceFilter(
        label="Sozialraum", method="filter_district", empty_label="alle", widget=FastSelect
    )
    language = django_filters.ChoiceFilter(
        label="Sprache", method="filter_language", empty_label="alle", widget=FastSelect
    )

    class Meta:
        model = Offer
        fields: list[str] = []

    #: the selects whose choices come from the database (see partners.filters.choice_lists)
    choice_filters: tuple[str, ...] = ("life_stage", "district", "language")

    def __init__(self, data=None, queryset=None, *, network, request=None, prefix=None):
        self.network = network
        super().__init__(data, queryset, request=request, prefix=prefix)
        for name, choices in choice_lists(network, *self.choice_filters).items():
            self.filters[name].extra["choices"] = choices

    @property
    def active(self) -> dict:
        """The filters that are set and valid (what the page says it is showing)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()  # an invalid choice drops out of cleaned_data; the valid ones still apply
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value not in (None, "", False)}

    name_parts = True

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return search_offers(queryset, value, networks=self.network, name_parts=self.name_parts)

    def filter_life_stage(self, queryset, name, value):
        return queryset.filter(linked("life_stages", "lifestage_id", value))

    def filter_district(self, queryset, name, value):
        return queryset.filter(linked("districts", "district_id", value))

    def filter_language(self, queryset, name, value):
        return queryset.filter(linked("languages", "language_id", value))

    def filter_sector(self, queryset, name, value):
        sectors = Partner.sectors.through.objects.filter(sector_id=value).order_by().values("partner_id")
        return queryset.filter(partner_id__in=sectors)


class DirectoryFilter(OfferFilterBase):
    """The internal directory: search, life stage, Sozialraum, access route, language, sector, published only."""

    access_route = django_filters.ChoiceFilter(
        label="Zugangsweg", method="filter_access_route", empty_label="alle", widget=FastSelect
    )
    sector = django_filters.ChoiceFilter(
        label="Handlungsfeld", method="filter_sector", empty_label="alle", widget=FastSelect
    )
    published = django_filters.BooleanFilter(
        label="nur veröffentlichte Angebote", method="filter_published", widget=FastCheckboxInput
    )

    class Meta(OfferFilterBase.Meta):
        fields = ["q", "life_stage", "district", "access_route", "language", "sector", "published"]

    choice_filters = ("life_stage", "district", "language", "access_route", "sector")

    def filter_access_route(self, queryset, name, value):
        return queryset.filter(linked("access_routes", "accessroute_id", value))

    def filter_published(self, queryset, name, value):
        return queryset.filter(published=True) if value else queryset


class FinderFilter(OfferFilterBase):
    """The public finder, in the words parents use: age of the child, life stage, where, topic, language, cost."""

    age = django_filters.ChoiceFilter(
        label="Wie alt ist Ihr Kind?",
        choices=AGE_CHOICES,
        method="filter_age",
        empty_label="egal",
        widget=FastSelect,
    )
    # The topic is the institution's Handlungsfeld (Gesundheit, Kita, Beratung …): every partner already keeps it.
    topic = django_filters.ChoiceFilter(
        label="Thema", method="filter_sector", empty_label="alle Themen", widget=FastSelect
    )
    cost = django_filters.ChoiceFilter(
        label="Kosten", choices=COST_CHOICES, method="filter_cost", empty_label="egal", widget=FastSelect
    )

    name_parts = False  # the scan of all institution names costs more than the finder's whole time budget

    def filter_search(self, queryset, name, value):
        return queryset  # the view searches last, on what the other filters left (see views_finder.finder_list)

    class Meta(OfferFilterBase.Meta):
        fields = ["q", "age", "life_stage", "district", "topic", "language", "cost"]

    choice_filters = ("life_stage", "district", "language", "topic")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["q"].label = "Suchwort"
        self.filters["life_stage"].label = "Lebensphase"
        self.filters["life_stage"].extra["empty_label"] = "alle"
        self.filters["district"].label = "Wo wohnen Sie?"
        self.filters["district"].extra["empty_label"] = "überall"
        self.filters["language"].label = "Sprache"
        # written by hand in finder/offer_list.html (crispy's template per field cost more than the search)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"

    def filter_age(self, queryset, name, value):
        return queryset.filter(linked("life_stages", "lifestage_id", life_stages_for_age(int(value))))

    def filter_cost(self, queryset, name, value):
        if value == "kostenlos":
            return queryset.filter(cost=Offer.Cost.FREE)
        return queryset.filter(cost__in=[Offer.Cost.FREE, Offer.Cost.REDUCED])
