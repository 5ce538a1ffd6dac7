"""Open data as Open Referral HSDS 3.0: every object carries the fields the standard requires, nothing personal
leaves without public consent, pagination follows the HSDS 3.0 OpenAPI "Page"."""

from __future__ import annotations

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.hsds import entity_id, entity_pk
from partners.models import Network
from tests.factories import MembershipFactory, PartnerFactory
from tests.partners.test_directory import build_offers, make_offer

# The "required" lists of the HSDS 3.0 JSON schemas (openreferral/specification, schema/*.json).
REQUIRED = {
    "service": {"id", "name", "status"},
    "organization": {"id", "name", "description"},
    "location": {"id", "location_type"},
    "contact": {"id"},
    "service_area": {"id"},
    "language": {"id"},
    "phone": {"id", "number"},
    "address": {"id", "address_1", "city", "state_province", "postal_code", "country", "address_type"},
    "accessibility": {"id"},
    "service_at_location": {"id"},
}
ENUMS = {
    ("service", "status"): {"active", "inactive", "defunct", "temporarily closed"},
    ("location", "location_type"): {"physical", "postal", "virtual"},
    ("address", "address_type"): {"physical", "postal", "virtual"},
}
# Which nested field holds which kind of object (HSDS 3.0 names, including the schema's "addresss"/"accessibilitys").
NESTED = {
    "organization": "organization",
    "languages": "language",
    "service_areas": "service_area",
    "contacts": "contact",
    "phones": "phone",
    "service_at_locations": "service_at_location",
    "location": "location",
    "locations": "location",
    "addresss": "address",
    "accessibilitys": "accessibility",
}
PAGE_FIELDS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


def validate(kind: str, obj: dict, seen: dict[str, set[str]] | None = None) -> None:
    """Every required field present and not empty, enumerations kept, ids UUIDs, nested objects checked too."""
    assert isinstance(obj, dict), (kind, obj)
    missing = REQUIRED[kind] - {key for key, value in obj.items() if value not in (None, "")}
    assert not missing, f"{kind} without {missing}: {obj}"
    for (owner, field), allowed in ENUMS.items():
        if owner == kind:
            assert obj[field] in allowed, (kind, field, obj[field])
    uuid.UUID(obj["id"])  # HSDS 3.0 ids are UUIDs
    for key, value in obj.items():
        assert value is not None, f"{kind}.{key} is null (HSDS types it, so leave it out)"
        if key in NESTED:
            for child in value if isinstance(value, list) else [value]:
                validate(NESTED[key], child, seen)
    if seen is not None and kind in ("service", "organization"):
        assert obj["id"] not in seen.setdefault(kind, set()), f"duplicate {kind} id"
        seen[kind].add(obj["id"])


def validate_page(data: dict, kind: str) -> None:
    assert set(data) == PAGE_FIELDS
    assert data["size"] == len(data["contents"])
    seen: dict[str, set[str]] = {}
    for item in data["contents"]:
        validate(kind, item, seen)


@pytest.fixture
def offers(world):
    return build_offers(world)


def api(name: str, network, **kwargs) -> str:
    return reverse(f"public:hsds_{name}", kwargs={"network": network.slug, **kwargs})


def get_json(client, url, params=None, status=200) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.cookies == {}
    return json.loads(response.content)


def test_the_services_are_the_published_offers_of_active_members_as_valid_hsds(client, world, offers):
    data = get_json(client, api("services", world.network))
    validate_page(data, "service")
    names = {service["name"] for service in data["contents"]}
    assert names == {"Hebammensprechstunde", "Erziehungsberatung für Eltern"}
    assert data["total_items"] == 2 and data["first_page"] and data["last_page"] and not data["empty"]


def test_a_service_carries_organization_location_contact_service_area_and_language(client, world, offers):
    service = get_json(client, api("service", world.network, pk=entity_id("service", offers.midwife.pk)))
    validate("service", service)
    assert service["organization"]["name"] == "Hebammenpraxis Am Bach"
    assert {language["code"] for language in service["languages"]} == {"de", "tr"}
    assert [area["name"] for area in service["service_areas"]] == ["Nord"]
    location = service["service_at_locations"][0]["location"]
    address = location["addresss"][0]
    assert (address["address_1"], address["postal_code"], address["city"], address["country"]) == (
        "Hauptstraße 1",
        "47051",
        "Musterstadt",
        "DE",
    )
    assert address["state_province"] == "Nordrhein-Westfalen"
    assert location["accessibilitys"][0]["description"] == "barrierefrei"
    assert service["fees_description"] == "kostenlos"
    assert "minimum_age" not in service  # "Schwangerschaft und Geburt" has no lower bound
    assert service["maximum_age"] == 3


def test_only_contacts_with_public_consent_leave_the_house(client, world, offers):
    body = client.get(api("services", world.network)).content.decode()
    body += client.get(api("organizations", world.network)).content.decode()
    assert "Erika Offen" in body and "erika@am-bach.example" in body
    for private in ("Ina Intern", "ina@am-bach.example", "Nora Nichtgenannt", "nora@am-bach.example", "Anonymisierte"):
        assert private not in body


def test_pagination_with_page_and_per_page(client, world, offers):
    first = get_json(client, api("services", world.network), {"per_page": "1"})
    second = get_json(client, api("services", world.network), {"per_page": "1", "page": "2"})
    beyond = get_json(client, api("services", world.network), {"per_page": "1", "page": "5"})
    assert (first["total_items"], first["total_pages"], first["size"]) == (2, 2, 1)
    assert first["first_page"] and not first["last_page"]
    assert second["last_page"] and not second["first_page"] and second["page_number"] == 2
    assert first["contents"][0]["id"] != second["contents"][0]["id"]
    assert beyond["empty"] and beyond["contents"] == [] and beyond["size"] == 0


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "x"}, {"per_page": "101"}, {"per_page": "-1"}])
def test_bad_paging_is_a_json_400_in_german(client, world, offers, params):
    data = get_json(client, api("services", world.network), params, status=400)
    assert "muss" in data["error"] or "höchstens" in data["error"]


def test_search_and_organization_filter(client, world, offers):
    found = get_json(client, api("services", world.network), {"search": "Hebamme"})
    assert [s["name"] for s in found["contents"]] == ["Hebammensprechstunde"]
    org = entity_id("organization", world.partner_b.pk)
    by_org = get_json(client, api("services", world.network), {"organization_id": org})
    assert [s["name"] for s in by_org["contents"]] == ["Erziehungsberatung für Eltern"]
    get_json(client, api("services", world.network), {"organization_id": "kaputt"}, status=400)


@pytest.mark.parametrize("which", ["course", "ended", "archived", "foreign"])
def test_offers_that_are_not_public_here_are_404(client, world, offers, which):
    data = get_json(
        client, api("service", world.network, pk=entity_id("service", getattr(offers, which).pk)), status=404
    )
    assert data["error"]


def test_ids_are_stable_uuids_and_a_wrong_kind_or_garbage_is_404(client, world, offers):
    service_id = entity_id("service", offers.midwife.pk)
    assert uuid.UUID(service_id).version == 8
    assert entity_pk("service", service_id) == offers.midwife.pk
    assert entity_pk("organization", service_id) is None
    assert entity_pk("service", "not-a-uuid") is None
    get_json(client, api("service", world.network, pk=entity_id("organization", world.partner_a.pk)), status=404)
    get_json(client, api("service", world.network, pk="12345"), status=404)
    again = get_json(client, api("services", world.network))
    assert service_id in {s["id"] for s in again["contents"]}


def test_organizations_are_members_with_published_offers(client, world, offers):
    MembershipFactory(network=world.network, partner=PartnerFactory(name="Ohne öffentliches Angebot"))
    data = get_json(client, api("organizations", world.network))
    validate_page(data, "organization")
    by_name = {o["name"]: o for o in data["contents"]}
    assert set(by_name) == {"Hebammenpraxis Am Bach", "Erziehungsberatung Mitte"}
    assert [s["name"] for s in by_name["Hebammenpraxis Am Bach"]["services"]] == ["Hebammensprechstunde"]
    one = get_json(client, api("organization", world.network, pk=by_name["Erziehungsberatung Mitte"]["id"]))
    validate("organization", one)
    get_json(
        client, api("organization", world.network, pk=entity_id("organization", world.foreign_partner.pk)), status=404
    )


def test_an_organization_without_description_still_has_one(client, world, offers):
    data = get_json(client, api("organization", world.network, pk=entity_id("organization", world.partner_b.pk)))
    assert data["description"]


def test_the_root_says_which_hsds_version(client, world, offers):
    data = get_json(client, api("root", world.network))
    assert data["version"] == "3.0"
    assert data["services_url"].endswith(api("services", world.network))


def test_unknown_or_inactive_networks_are_json_404_and_post_is_refused(client, world, offers):
    get_json(client, "/api/hsds/gibt-es-nicht/services/", status=404)
    assert client.post(api("services", world.network)).status_code == 405
    Network.objects.filter(pk=world.network.pk).update(is_active=False)
    get_json(client, api("services", world.network), status=404)


def test_the_query_count_does_not_grow_with_the_page(client, world, offers):
    def count(name) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(api(name, world.network), {"per_page": "50"}).status_code == 200
        return len(queries)

    before = {name: count(name) for name in ("services", "organizations")}
    for n in range(8):
        partner = MembershipFactory(network=world.network, partner=PartnerFactory(name=f"Kita {n}")).partner
        make_offer(partner, f"Eltern-Kind-Gruppe {n}", stages=("0-3",), districts=(offers.sued,), languages=("de",))
    assert {name: count(name) for name in ("services", "organizations")} == before
