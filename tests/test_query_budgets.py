"""Query budgets: each main page makes exactly as many queries with 50 rows as with 5 (issue "Scale and speed").

Rows are added between the two measurements; a query per row (an N+1) makes the second count larger.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import District, LifeStage, Membership, Municipality, Offer, Partner, Sector
from tests.factories import MembershipFactory, PartnerFactory


def queries(client, url: str, params: dict | None = None) -> int:
    client.get(url, params or {})  # warm caches (sessions, roles) so both counts see the same state
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.fixture
def grow(world):
    """add(n): n more active members, each with a sector, a district and a published offer for 0–3 year olds."""
    municipality = Municipality.objects.create(name="Musterstadt")
    world.network.municipalities.add(municipality)
    district = District.objects.create(municipality=municipality, name="Nord")
    stage = LifeStage.objects.get(slug="0-3")
    sector = Sector.objects.get(slug="kita")
    counter = {"n": 0}

    def add(n: int) -> None:
        for _ in range(n):
            counter["n"] += 1
            partner = MembershipFactory(
                network=world.network,
                state=Membership.State.ACTIVE,
                partner=PartnerFactory(name=f"Familienzentrum Hebammenhaus {counter['n']:03d}"),
            ).partner
            partner.sectors.add(sector)
            partner.districts.add(district)
            offer = Offer.objects.create(partner=partner, title=f"Hebammensprechstunde {counter['n']}", published=True)
            offer.life_stages.add(stage)
            offer.districts.add(district)

    return add


PAGES = [
    ("dashboard", {}, {}),
    ("partners:partner_list", {}, {"per_page": "100"}),
    ("partners:partner_list", {}, {"q": "Hebamme", "per_page": "100"}),
    ("partners:directory", {}, {}),
    ("partners:coverage", {}, {}),
]


@pytest.mark.parametrize(("name", "kwargs", "params"), PAGES, ids=lambda v: str(v) if isinstance(v, str) else None)
def test_a_main_page_needs_the_same_queries_for_5_and_for_50_rows(login, world, grow, name, kwargs, params):
    client = login(world.coordinator)
    url = reverse(name, kwargs={"network": world.network.slug, **kwargs})
    grow(5)
    with_5 = queries(client, url, params)
    grow(45)
    assert queries(client, url, params) == with_5


def test_the_public_finder_search_needs_the_same_queries_for_5_and_for_50_offers(client, world, grow):
    url = reverse("public:finder", kwargs={"network": world.network.slug})
    grow(5)
    with_5 = queries(client, url, {"q": "Hebamme", "age": "1"})
    grow(45)
    assert queries(client, url, {"q": "Hebamme", "age": "1"}) == with_5


def test_the_partner_detail_needs_the_same_queries_for_5_and_for_50_offers(login, world):
    client = login(world.coordinator)
    url = reverse("partners:partner_detail", kwargs={"network": world.network.slug, "pk": world.partner_a.pk})
    stage = LifeStage.objects.get(slug="0-3")

    def offers(n: int) -> None:
        for number in range(n):
            offer = Offer.objects.create(partner=world.partner_a, title=f"Angebot {number}")
            offer.life_stages.add(stage)

    offers(5)
    with_5 = queries(client, url)
    offers(45)
    assert queries(client, url) == with_5
    assert Partner.objects.get(pk=world.partner_a.pk).offers.count() == 50
