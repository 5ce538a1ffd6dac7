"""The public offer finder for families: no login, no cookies, nothing from other hosts, GET only.

Every active network has one (the Network model has no switch for it yet): /angebote/<network>/. It shows only
published offers of active members and, of the contact persons, only those who agreed to be listed publicly.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from partners.filters_directory import FinderFilter, offer_search, public_offers
from partners.models import ContactPerson, District, Network, Offer, Partner

PER_PAGE = 20
# Up to this many search matches are sorted by title from their ids; more are dense enough to walk the title index.
SPARSE_SEARCH = 2500
# What each access route means, in plain words (Einfache Sprache).
ROUTE_HINTS = {
    "sprechstunde": "Sie können ohne Termin hingehen.",
    "telefonisch": "Sie können anrufen.",
    "aufsuchend": "Jemand kommt zu Ihnen nach Hause.",
    "vermittlung": "Jemand vermittelt Sie, zum Beispiel das Jugendamt, eine Ärztin oder eine Beratungsstelle.",
    "online": "Sie können das Angebot im Internet nutzen.",
}
COST_WORDS = {
    Offer.Cost.FREE: "Das Angebot ist kostenlos.",
    Offer.Cost.REDUCED: "Das Angebot kostet etwas. Sie können eine Ermäßigung bekommen.",
    Offer.Cost.PAID: "Das Angebot kostet Geld.",
}
ACCESSIBILITY_WORDS = {
    "barrierefrei": "Die Einrichtung ist barrierefrei.",
    "teilweise": "Die Einrichtung ist teilweise barrierefrei.",
    "nein": "Die Einrichtung ist nicht barrierefrei.",
    "unbekannt": "Zur Barrierefreiheit gibt es keine Angabe. Fragen Sie bitte nach.",
}


class CappedPaginator(Paginator):
    """Counts no further than `CAP`: at 100,000 offers an exact count alone would use up the time budget, and no
    parent pages through more than a thousand offers – the page asks them to choose more precisely instead.
    `known` is a count the search already made (None: more than CAP)."""

    CAP = 1000

    def __init__(self, *args, known: int | bool | None = False, **kwargs):
        self.known = known
        super().__init__(*args, **kwargs)

    @cached_property
    def total(self) -> int:
        if self.known is None:
            return self.CAP + 1
        if self.known is not False:
            return self.known
        # unordered: the count needs no walk along the title index (a topic filter counted in 20 ms, now 2.5)
        return self.object_list.order_by()[: self.CAP + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.total, self.CAP)

    @property
    def capped(self) -> bool:
        return self.total > self.CAP


def public_network(slug: str) -> Network:
    try:
        return Network.objects.get(slug=slug, is_active=True)
    except Network.DoesNotExist:
        raise Http404("Dieses Netzwerk gibt es nicht.") from None


@login_not_required
@require_GET
def finder_index(request):
    """Which network's finder: one link per active network."""
    networks = Network.objects.filter(is_active=True).order_by("name").only("name", "slug", "region")
    return render(request, "finder/index.html", {"networks": networks})


def no_parallel_workers() -> None:
    """For the rest of this request's transaction: the finder's queries stop after one page, and starting two
    parallel workers (each hashing all members of a big network) took 35 ms where one process needs 9."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


@login_not_required
@require_GET
def finder_list(request, network: str):
    network = public_network(network)
    no_parallel_workers()
    filterset = FinderFilter(request.GET or None, queryset=public_offers(network), network=network)
    offers, known = filterset.qs, False
    text = filterset.active.get("q")
    # The search comes last, on what the other filters left: up to SPARSE_SEARCH matches come back as ids (counted
    # exactly, sorted from there); more are dense enough for the page to walk the title index (and not counted).
    found = text and offer_search(offers, text, networks=network, name_parts=False, sparse=SPARSE_SEARCH)
    if found and found.ids is not None:
        # the ids passed every filter already: the page needs no second look at memberships and the rest
        offers, known = Offer.objects.filter(found.in_ids()), len(found.ids)
    elif found:
        offers, known = offers.filter(found.condition), None
    offers = offers.only("pk", "title", "description", "cost", "partner_id").prefetch_related(
        # fetched for the page's 20 offers only: a join would hash every institution before sorting
        Prefetch("partner", queryset=Partner.objects.only("name", "city", "postcode")),
        "life_stages",
        "languages",
    )
    # A few thousand matches are sorted from their ids; walking the title index would pass every title before
    # theirs (a search for "Sprachförderung" finds titles starting with S). Many matches walk the index.
    sparse = found and found.ids is not None
    offers = offers.order_by(Lower("title"), "pk") if sparse else offers.order_by("title", "pk")
    page = CappedPaginator(offers, PER_PAGE, known=known).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "finder/offer_list.html",
        {
            "network": network,
            "filter": filterset,
            "page": page,
            "offers": page.object_list,
            "filtered": bool(filterset.active),
            "query": query.urlencode(),
        },
    )


@login_not_required
@require_GET
def finder_detail(request, network: str, pk: int):
    network = public_network(network)
    offer = (
        public_offers(network)
        .filter(pk=pk)
        .select_related("partner")
        .prefetch_related(
            "life_stages",
            "access_routes",
            "languages",
            Prefetch("districts", queryset=District.objects.order_by("name")),
            Prefetch(
                "partner__contacts",
                queryset=ContactPerson.objects.filter(consent_public=True, anonymised_at__isnull=True),
                to_attr="public_contacts",
            ),
        )
        .first()
    )
    if offer is None:
        raise Http404("Dieses Angebot gibt es hier nicht (mehr).")
    others = public_offers(network).filter(partner_id=offer.partner_id).exclude(pk=offer.pk).only("pk", "title")
    return render(
        request,
        "finder/offer_detail.html",
        {
            "network": network,
            "offer": offer,
            "partner": offer.partner,
            "contacts": offer.partner.public_contacts,
            "others": others.order_by("title"),
            "back": request.GET.urlencode(),
            "routes": [(route.name, ROUTE_HINTS.get(route.slug, "")) for route in offer.access_routes.all()],
            "cost_words": COST_WORDS.get(offer.cost, offer.get_cost_display()),
            "accessibility_words": ACCESSIBILITY_WORDS.get(offer.partner.accessibility, ""),
        },
    )
