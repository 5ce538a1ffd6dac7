"""The access-matrix entries for the directory, coverage, offer finder and HSDS URLs.

MATRIX below is what belongs in the project matrix (tests/test_access_matrix.py::test_every_url_pattern_has_an_entry
imports it); OBJECTS says which world object each route argument names.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from partners.hsds import entity_id
from tests.partners.test_directory import build_offers
from tests.test_access_matrix import (
    MEMBERS,
    Route,
    check_foreign_network,
    check_route,
    network_page,
    public,
    route,
)

MATRIX: list[Route] = [
    route("partners:directory", network_page(MEMBERS)),
    route("partners:coverage", network_page(["coordinator", "jugendamt"])),
    route("partners:coverage_pdf", network_page(["coordinator", "jugendamt"])),
    # public: no login, GET only (POST 405 for everyone)
    route("public:finder_index", public()),
    route("public:finder", public(), network="musterstadt"),
    route("public:finder_offer", public(), network="musterstadt", pk="published_offer"),
    route("public:hsds_root", public(), network="musterstadt"),
    route("public:hsds_services", public(), network="musterstadt"),
    route("public:hsds_service", public(), network="musterstadt", pk="service_id"),
    route("public:hsds_organizations", public(), network="musterstadt"),
    route("public:hsds_organization", public(), network="musterstadt", pk="organization_id"),
]


@pytest.fixture
def objects(world):
    offers = build_offers(world)
    return {
        "published_offer": offers.midwife.pk,
        "service_id": entity_id("service", offers.midwife.pk),
        "organization_id": entity_id("organization", world.partner_a.pk),
    }


@pytest.mark.parametrize("r", MATRIX, ids=lambda r: r.name)
def test_access_matrix(r: Route, world, objects, login):
    check_route(r, world, login, objects)


@pytest.mark.parametrize("r", [r for r in MATRIX if r.network], ids=lambda r: r.name)
def test_swapping_the_network_gives_404(r: Route, world, objects, login):
    check_foreign_network(r, world, login, objects)


def test_the_public_offer_and_its_open_data_are_404_under_another_network(client, world, objects):
    for name, pk in (("finder_offer", "published_offer"), ("hsds_service", "service_id")):
        url = reverse(f"public:{name}", kwargs={"network": world.other_network.slug, "pk": objects[pk]})
        assert client.get(url).status_code == 404, url


def test_every_directory_and_public_url_has_an_entry():
    from tests.test_access_matrix import project_patterns

    names = {
        name
        for name, _ in project_patterns()
        if name.startswith(("public:", "partners:directory", "partners:coverage"))
    }
    assert names == {r.name for r in MATRIX}
