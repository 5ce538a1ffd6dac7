"""Open data as OParl 1.1: every object carries what the standard requires, lists page the OParl way, and nothing
personal or unapproved leaves the house (no person names, no e-mails, no draft protocol, no planned meeting)."""

from __future__ import annotations

import datetime
import hashlib
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import documents, services
from meetings.models import AgendaItem, Body, Meeting
from partners.models import Network
from tests.meetings.factories import at

# The REQUIRED ("ZWINGEND") properties of OParl 1.1 (oparl.org/spezifikation, schema/*.json of OParl/spec 1.1).
REQUIRED = {
    "System": {"id", "type", "oparlVersion", "body"},
    "Body": {"id", "type", "name", "organization", "person", "meeting", "paper", "legislativeTerm"},
    "LegislativeTerm": {"id", "type"},
    "Organization": {"id", "type"},
    "Person": {"id", "type"},
    "Meeting": {"id", "type"},
    "AgendaItem": {"id", "type", "order"},
    "File": {"id", "type", "accessUrl"},
    "Location": {"id", "type"},
    "Paper": {"id", "type"},
}
# What we promise on top: every object says when it was created and last modified.
ALWAYS = {"created", "modified"}
# JSON types of the properties we use (OParl 1.1): url/string/date-time are strings.
STRING = str
TYPES = {
    "id": STRING,
    "type": STRING,
    "oparlVersion": STRING,
    "body": STRING,
    "system": STRING,
    "name": STRING,
    "shortName": STRING,
    "website": STRING,
    "contactEmail": STRING,
    "classification": STRING,
    "organization": (STRING, list),  # Body: list URL; Meeting: array of URLs
    "person": STRING,
    "meeting": (STRING, list),  # Body/Organization: list URL; File: back reference
    "meetings": list,  # Location: back reference
    "paper": STRING,
    "legislativeTerm": list,
    "legislativeTermList": STRING,
    "agendaItem": (STRING, list),  # Body: list URL; Meeting: embedded objects
    "file": STRING,
    "organizationType": STRING,
    "keyword": list,
    "meetingState": STRING,
    "cancelled": bool,
    "start": STRING,
    "end": STRING,
    "location": dict,
    "resultsProtocol": dict,
    "number": STRING,
    "order": int,
    "public": bool,
    "result": STRING,
    "resolutionText": STRING,
    "description": STRING,
    "fileName": STRING,
    "mimeType": STRING,
    "date": STRING,
    "size": int,
    "sha512Checksum": STRING,
    "accessUrl": STRING,
    "downloadUrl": STRING,
    "fileRole": STRING,
    "created": STRING,
    "modified": STRING,
}
URL_PROPERTIES = {"id", "body", "system", "person", "paper", "legislativeTermList", "file", "accessUrl", "downloadUrl"}
EMBEDDED = {"location": "Location", "resultsProtocol": "File", "agendaItem": "AgendaItem"}
PAGINATION = {"totalElements", "elementsPerPage", "currentPage", "totalPages"}
OPARL = "https://schema.oparl.org/1.1/"
FAKE_PDF = b"%PDF-1.4\n% genehmigtes Protokoll\n%%EOF\n"
FAKE_PUBLIC_PDF = b"%PDF-1.4\n% genehmigtes Protokoll ohne Namen\n%%EOF\n"
# Names and addresses of the people in the fixtures: none of them may appear anywhere in the open data.
PRIVATE = (
    "Petra Sommer",
    "sommer@hebamme.example",
    "Lena Winter",
    "winter@hebamme.example",
    "Omar Haddad",
    "haddad@beratung.example",
    "Karla Vogt",
    "vogt@musterstadt.example",
    "Rita Redner",
    "Gerd Gast",
    "Paula Protokoll",
    "a@hebamme.example",
    "b@beratung.example",
    "koordination@musterstadt.example",
    "jugendamt@musterstadt.example",
)


def validate(kind: str, obj: dict, *, embedded: bool = False) -> None:
    """Required properties present and not empty, types right, ids absolute URLs, embedded objects checked too."""
    assert isinstance(obj, dict), (kind, obj)
    present = {key for key, value in obj.items() if value not in (None, "")}
    missing = (REQUIRED[kind] | (ALWAYS if kind != "System" else set())) - present
    assert not missing, f"{kind} without {missing}: {obj}"
    assert obj["type"] == f"{OPARL}{kind}"
    for key, value in obj.items():
        assert value is not None, f"{kind}.{key} is null (OParl: leave it out)"
        if key.startswith("praevnet:"):  # vendor extensions
            continue
        assert key in TYPES, f"{kind}.{key} is not an OParl property we know"
        assert isinstance(value, TYPES[key]), (kind, key, value)
        if key in URL_PROPERTIES:
            assert value.startswith(settings.SITE_URL + "/"), (kind, key, value)
        if key in ("created", "modified", "start", "end"):
            assert datetime.datetime.fromisoformat(value).tzinfo is not None, (kind, key, value)
    for key, child_kind in EMBEDDED.items():
        if kind == "Meeting" and key in obj:
            for child in obj[key] if isinstance(obj[key], list) else [obj[key]]:
                validate(child_kind, child, embedded=True)


def path_of(url: str) -> str:
    assert url.startswith(settings.SITE_URL), url
    return url.removeprefix(settings.SITE_URL)


def get_json(client, url: str, params=None, status: int = 200) -> dict:
    response = client.get(path_of(url) if url.startswith("http") else url, params or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.cookies == {}
    return json.loads(response.content)


def validate_list(data: dict, kind: str) -> None:
    assert set(data) == {"data", "pagination", "links"}
    assert set(data["pagination"]) == PAGINATION
    assert {"first", "last", "self"} <= set(data["links"])
    for item in data["data"]:
        validate(kind, item)


def oparl(name: str, **kwargs) -> str:
    return reverse(f"oparl:{name}", kwargs=kwargs)


def write_protocol(meeting: Meeting, jugendamt) -> None:
    first = meeting.items.order_by("number").first()
    services.protocol_update(meeting=meeting, actor=jugendamt, chair="", minute_taker="", notes={first.pk: "Notiz"})


@pytest.fixture
def fake_pdf(monkeypatch):
    """The protocol PDF's content does not matter here (tests/meetings/test_services.py renders real ones)."""
    monkeypatch.setattr(
        documents, "render_protocol", lambda meeting, public=False: FAKE_PUBLIC_PDF if public else FAKE_PDF
    )


@pytest.fixture
def published(world, body, invited, fake_pdf, django_capture_on_commit_callbacks):
    """Musterstadt's Lenkungskreis with an invited future meeting, an approved, a reviewed, a planned and a cancelled
    meeting; the agenda has an external speaker and a member's presentation."""
    coordinator, jugendamt = world.coordinator, world.jugendamt
    sommer = body.members.get(name="Petra Sommer")
    services.agenda_item_save(
        meeting=invited,
        actor=coordinator,
        data={"title": "Kinderschutz im Alltag", "speaker_name": "Dr. Rita Redner", "speaker_organisation": "DKSB"},
    )
    services.agenda_item_save(
        meeting=invited, actor=coordinator, data={"title": "Bericht der Hebammen", "presenter_member": sommer}
    )

    def past(days: int, title: str) -> Meeting:
        day = timezone.localdate() - datetime.timedelta(days=days)
        return services.meeting_create(
            body=body,
            actor=coordinator,
            data={"title": title, "starts_at": at(day, 10), "ends_at": at(day, 12), "place": "Rathaus, Raum 100"},
        )

    approved = past(60, "1. Lenkungskreis")
    first = approved.items.get(number=1)
    services.protocol_update(
        meeting=approved,
        actor=jugendamt,
        chair="Dr. Karla Vogt",
        minute_taker="Paula Protokoll",
        notes={first.pk: "Petra Sommer berichtet."},
    )
    services.guest_add(meeting=approved, actor=jugendamt, name="Gerd Gast", organisation="Gesundheitsamt")
    services.recommendation_add(
        meeting=approved, actor=jugendamt, text="Der Lenkungskreis empfiehlt einen Elternbrief.", agenda_item=first
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.protocol_send(meeting=approved, actor=jugendamt, comments_until=timezone.localdate())
    approved = services.protocol_approve(meeting=approved, actor=jugendamt)

    reviewed = past(30, "2. Lenkungskreis")
    write_protocol(reviewed, jugendamt)
    services.recommendation_add(
        meeting=reviewed, actor=jugendamt, text="Noch nicht genehmigte Empfehlung.", agenda_item=reviewed.items.first()
    )
    # invited weeks ago (the services refuse invitations to past meetings, so set it as it was then)
    Meeting.objects.filter(pk=reviewed.pk).update(state=Meeting.State.INVITED, invited_at=reviewed.created)
    with django_capture_on_commit_callbacks(execute=True):
        services.protocol_send(meeting=reviewed, actor=jugendamt, comments_until=timezone.localdate())

    later = timezone.localdate() + datetime.timedelta(days=90)
    planned = services.meeting_create(
        body=body,
        actor=coordinator,
        data={"title": "Geplanter Entwurf", "starts_at": at(later, 10), "ends_at": at(later, 12), "place": "Rathaus"},
    )
    cancelled_day = timezone.localdate() + datetime.timedelta(days=40)
    cancelled = services.meeting_create(
        body=body,
        actor=coordinator,
        data={
            "title": "Abgesagte Sitzung",
            "starts_at": at(cancelled_day, 10),
            "ends_at": at(cancelled_day, 12),
            "place": "Rathaus",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=cancelled, actor=coordinator)
        services.meeting_cancel(meeting=cancelled, actor=coordinator, reason="Petra Sommer ist krank")
    return {
        "body": body,
        "invited": invited,
        "approved": approved,
        "reviewed": reviewed,
        "planned": planned,
        "cancelled": cancelled,
    }


def crawl(client) -> dict[str, list[dict]]:
    """Follow the API from the entry point like a client would; every object found, by OParl type."""
    found: dict[str, list[dict]] = {}

    def add(kind, obj):
        found.setdefault(kind, []).append(obj)

    system = get_json(client, oparl("system"))
    add("System", system)
    for body in get_json(client, system["body"])["data"]:
        add("Body", body)
        assert get_json(client, body["id"]) == body
        for key, kind in (
            ("organization", "Organization"),
            ("meeting", "Meeting"),
            ("agendaItem", "AgendaItem"),
            ("file", "File"),
            ("person", "Person"),
            ("paper", "Paper"),
            ("legislativeTermList", "LegislativeTerm"),
        ):
            page = get_json(client, body[key], {"limit": "100"})
            validate_list(page, kind)
            for obj in page["data"]:
                add(kind, obj)
                if kind in ("Organization", "Meeting", "AgendaItem", "File"):
                    assert get_json(client, obj["id"]) == obj, obj["id"]
    for organization in found.get("Organization", []):
        validate_list(get_json(client, organization["meeting"]), "Meeting")
    for meeting in found.get("Meeting", []):
        location = get_json(client, meeting["location"]["id"])
        add("Location", location)
        assert location["meetings"] == [meeting["id"]]
        for item in meeting["agendaItem"]:
            add("AgendaItem", item)
        if "resultsProtocol" in meeting:
            add("File", meeting["resultsProtocol"])
    return found


def test_the_system_is_the_entry_point(client, world, settings):
    system = get_json(client, oparl("system"))
    assert "contactEmail" not in system
    settings.OPARL_CONTACT_EMAIL = "offene-daten@kreis.example"
    assert get_json(client, oparl("system"))["contactEmail"] == "offene-daten@kreis.example"
    validate("System", system)
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    assert system["id"] == settings.SITE_URL + "/oparl/v1/"
    assert system["body"] == settings.SITE_URL + oparl("body_list")
    assert system["name"] and system["website"]


def test_every_object_type_carries_the_required_properties(client, world, published):
    found = crawl(client)
    for kind, objects in found.items():
        for obj in objects:
            validate(kind, obj)
    assert {body["shortName"] for body in found["Body"]} == {"musterstadt", "beispielkreis"}
    for kind in ("Body", "Organization", "Meeting", "AgendaItem", "File", "Location"):
        assert found.get(kind), f"no {kind} reached"


def test_bodies_are_active_networks_with_their_lists(client, world, published):
    Network.objects.filter(pk=world.other_network.pk).update(is_active=False)
    data = get_json(client, oparl("body_list"))
    validate_list(data, "Body")
    assert [body["name"] for body in data["data"]] == ["Frühe Hilfen Musterstadt"]
    body = data["data"][0]
    assert body["legislativeTerm"] == []
    assert body["system"] == settings.SITE_URL + oparl("system")
    assert "contactEmail" not in body  # the network does not publish its contact section
    get_json(client, oparl("body", network="beispielkreis"), status=404)


def test_the_network_contact_is_published_only_with_its_public_contact_section(client, world, published):
    network = world.network
    network.public_profile = True
    network.public_sections = [Network.PublicSection.CONTACT]
    network.save()
    body = get_json(client, oparl("body", network="musterstadt"))
    assert body["contactEmail"] == "netzwerk@musterstadt.example"
    assert body["website"].endswith(reverse("network_public", kwargs={"slug": "musterstadt"}))


def test_organizations_are_the_gremien(client, world, published):
    Body.objects.create(network=world.network, kind=Body.Kind.AG, name="AG Übergänge", is_active=False)
    data = get_json(client, oparl("organization_list", network="musterstadt"))
    validate_list(data, "Organization")
    by_name = {o["name"]: o for o in data["data"]}
    assert set(by_name) == {"Lenkungskreis Frühe Hilfen", "AG Übergänge"}
    lk = by_name["Lenkungskreis Frühe Hilfen"]
    assert (lk["organizationType"], lk["classification"]) == ("Gremium", "Lenkungskreis")
    assert by_name["AG Übergänge"]["classification"] == "Untergruppe/AG"
    assert lk["body"] == settings.SITE_URL + oparl("body", network="musterstadt")
    meetings = get_json(client, lk["meeting"])
    assert {m["name"] for m in meetings["data"]} == {
        "1. Lenkungskreis",
        "2. Lenkungskreis",
        "3. Lenkungskreis",
        "Abgesagte Sitzung",
    }


def test_meetings_are_invited_or_approved_ones_and_cancelled_ones_are_flagged(client, world, published):
    data = get_json(client, oparl("meeting_list", network="musterstadt"))
    validate_list(data, "Meeting")
    by_name = {m["name"]: m for m in data["data"]}
    assert "Geplanter Entwurf" not in by_name
    assert [m["name"] for m in data["data"]] == [
        "1. Lenkungskreis",
        "2. Lenkungskreis",
        "3. Lenkungskreis",
        "Abgesagte Sitzung",
    ]
    assert by_name["Abgesagte Sitzung"]["cancelled"] is True
    assert by_name["Abgesagte Sitzung"]["meetingState"] == "abgesagt"
    assert by_name["3. Lenkungskreis"]["cancelled"] is False
    assert by_name["3. Lenkungskreis"]["meetingState"] == "eingeladen"
    assert by_name["1. Lenkungskreis"]["meetingState"] == "durchgeführt"
    meeting = by_name["3. Lenkungskreis"]
    assert meeting["location"]["description"] == "Rathaus, Raum 100"
    assert meeting["organization"] == [settings.SITE_URL + oparl("organization", pk=published["body"].pk)]
    start = datetime.datetime.fromisoformat(meeting["start"])
    assert start == published["invited"].starts_at
    get_json(client, oparl("meeting", pk=published["planned"].pk), status=404)


def test_agenda_items_name_organisations_never_persons(client, world, published):
    meeting = get_json(client, oparl("meeting", pk=published["invited"].pk))
    items = {item["name"]: item for item in meeting["agendaItem"]}
    assert [item["order"] for item in meeting["agendaItem"]] == sorted(item["order"] for item in meeting["agendaItem"])
    talk = items["Kinderschutz im Alltag"]
    assert talk["praevnet:presentedBy"] == "DKSB" and talk["public"] is True
    assert items["Bericht der Hebammen"]["praevnet:presentedBy"] == "Hebammenpraxis Am Bach"
    assert talk["meeting"] == meeting["id"] and talk["number"] == str(talk["order"])
    assert get_json(client, talk["id"]) == talk


def test_only_an_approved_protocol_is_a_file_and_its_recommendations_are_resolutions(client, world, published):
    approved = get_json(client, oparl("meeting", pk=published["approved"].pk))
    reviewed = get_json(client, oparl("meeting", pk=published["reviewed"].pk))
    assert "resultsProtocol" not in reviewed
    protocol = approved["resultsProtocol"]
    validate("File", protocol, embedded=True)
    assert protocol["mimeType"] == "application/pdf"
    assert protocol["size"] == len(FAKE_PUBLIC_PDF)  # the version without people's names, never the full protocol
    assert protocol["sha512Checksum"] == hashlib.sha512(FAKE_PUBLIC_PDF).hexdigest()
    assert protocol["praevnet:sha256Checksum"] == published["approved"].public_protocol_pdf_sha256
    first = approved["agendaItem"][0]
    assert first["resolutionText"] == "Der Lenkungskreis empfiehlt einen Elternbrief."
    assert first["result"] == "Empfehlung ausgesprochen"
    assert all("resolutionText" not in item for item in reviewed["agendaItem"])
    files = get_json(client, oparl("file_list", network="musterstadt"))
    assert [f["id"] for f in files["data"]] == [protocol["id"]]
    standalone = get_json(client, protocol["id"])
    assert standalone["meeting"] == [approved["id"]]
    get_json(client, oparl("file", pk=published["reviewed"].pk), status=404)
    everything = json.dumps(crawl(client), ensure_ascii=False)
    assert "Noch nicht genehmigte Empfehlung" not in everything


def test_the_approved_protocol_pdf_downloads_without_login(client, world, published):
    protocol = get_json(client, oparl("file", pk=published["approved"].pk))
    assert protocol["accessUrl"] == settings.SITE_URL + oparl("file_download", pk=published["approved"].pk)
    response = client.get(path_of(protocol["accessUrl"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.cookies == {}
    content = b"".join(response.streaming_content)
    assert content == FAKE_PUBLIC_PDF
    assert hashlib.sha256(content).hexdigest() == published["approved"].public_protocol_pdf_sha256
    assert client.head(path_of(protocol["accessUrl"])).status_code == 200
    for meeting in ("reviewed", "invited", "planned"):
        data = get_json(client, oparl("file_download", pk=published[meeting].pk), status=404)
        assert data["message"] == "Zu dieser Sitzung gibt es kein genehmigtes Protokoll."


def test_no_names_or_email_addresses_of_people_anywhere(client, world, published):
    everything = json.dumps(crawl(client), ensure_ascii=False)
    assert "Hebammenpraxis Am Bach" in everything  # institutions may be named …
    for private in PRIVATE:  # … people may not
        assert private not in everything, private
    assert re.findall(r"[\w.+-]+@[\w-]+\.\w+", everything) == []  # no e-mail address at all


def test_persons_papers_and_legislative_terms_are_empty_lists(client, world, published):
    for name in ("person_list", "paper_list", "legislativeterm_list"):
        data = get_json(client, oparl(name, network="musterstadt"))
        assert data["data"] == []
        assert data["pagination"] == {"totalElements": 0, "elementsPerPage": 20, "currentPage": 1, "totalPages": 1}
        assert "next" not in data["links"] and "prev" not in data["links"]


def test_pagination_follows_oparl(client, world, published):
    url = oparl("meeting_list", network="musterstadt")
    first = get_json(client, url, {"limit": "2"})
    assert first["pagination"] == {"totalElements": 4, "elementsPerPage": 2, "currentPage": 1, "totalPages": 2}
    links = first["links"]
    assert "prev" not in links
    assert links["next"] == settings.SITE_URL + url + "?limit=2&page=2"
    assert links["last"] == links["next"] and links["first"] == links["self"] == settings.SITE_URL + url + "?limit=2"
    second = get_json(client, links["next"])
    assert second["pagination"]["currentPage"] == 2 and "next" not in second["links"]
    assert second["links"]["prev"] == links["first"]
    assert {m["id"] for m in first["data"]}.isdisjoint(m["id"] for m in second["data"])
    data = get_json(client, url, {"limit": "2", "page": "3"}, status=404)
    assert data["message"] == "Diese Liste hat nur 2 Seiten."


def test_date_filters_of_oparl(client, world, published):
    url = oparl("meeting_list", network="musterstadt")
    tomorrow = (timezone.now() + datetime.timedelta(days=1)).isoformat(timespec="seconds")
    yesterday = (timezone.now() - datetime.timedelta(days=1)).isoformat(timespec="seconds")
    assert get_json(client, url, {"modified_since": tomorrow})["pagination"]["totalElements"] == 0
    assert get_json(client, url, {"created_since": yesterday})["pagination"]["totalElements"] == 4
    assert get_json(client, url, {"created_until": "2000-01-01"})["pagination"]["totalElements"] == 0
    filtered = get_json(client, url, {"modified_since": yesterday, "limit": "1"})
    assert "modified_since=" in filtered["links"]["next"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, "„page“ muss eine ganze Zahl ab 1 sein."),
        ({"page": "x"}, "„page“ muss eine ganze Zahl ab 1 sein."),
        ({"limit": "101"}, "„limit“ darf höchstens 100 sein."),
        ({"limit": "-1"}, "„limit“ muss eine ganze Zahl ab 1 sein."),
        ({"modified_since": "gestern"}, "„modified_since“ muss ein Zeitpunkt nach ISO 8601 sein"),
    ],
)
def test_bad_parameters_are_a_json_400_in_german(client, world, published, params, message):
    for name in ("meeting_list", "person_list"):
        data = get_json(client, oparl(name, network="musterstadt"), params, status=400)
        assert data["message"].startswith(message)
        assert data["type"] == f"{OPARL}Error"


def test_unknown_or_unpublished_objects_are_a_json_404_in_german(client, world, published):
    item = AgendaItem.objects.filter(meeting=published["planned"]).first()
    Network.objects.filter(pk=world.other_network.pk).update(is_active=False)
    other_body = Body.objects.create(network=world.other_network, name="Lenkungskreis Beispielkreis")
    cases = [
        (oparl("body", network="gibt-es-nicht"), "Dieses Netzwerk gibt es hier nicht."),
        (oparl("meeting_list", network="beispielkreis"), "Dieses Netzwerk gibt es hier nicht."),
        (oparl("meeting", pk=published["planned"].pk), "Diese Sitzung gibt es hier nicht."),
        (oparl("meeting", pk=999999), "Diese Sitzung gibt es hier nicht."),
        (oparl("location", pk=published["planned"].pk), "Diese Sitzung gibt es hier nicht."),
        (oparl("agendaitem", pk=item.pk), "Diesen Tagesordnungspunkt gibt es hier nicht."),
        (oparl("organization", pk=other_body.pk), "Dieses Gremium gibt es hier nicht."),
        (oparl("organization_meetings", pk=other_body.pk), "Dieses Gremium gibt es hier nicht."),
        (oparl("file", pk=published["invited"].pk), "Zu dieser Sitzung gibt es kein genehmigtes Protokoll."),
    ]
    for url, message in cases:
        assert get_json(client, url, status=404)["message"] == message, url


def test_a_protocol_missing_from_the_storage_is_a_json_404(client, world, published):
    published["approved"].public_protocol_pdf.delete(save=False)
    data = get_json(client, oparl("file_download", pk=published["approved"].pk), status=404)
    assert data["message"] == "Die Datei des Protokolls fehlt im Speicher."


def test_meetings_of_an_inactive_network_disappear(client, world, published):
    Network.objects.filter(pk=world.network.pk).update(is_active=False)
    for name in ("meeting", "file", "file_download"):
        get_json(client, oparl(name, pk=published["approved"].pk), status=404)


def test_it_is_read_only(client, world, published):
    for url in (
        oparl("system"),
        oparl("meeting_list", network="musterstadt"),
        oparl("meeting", pk=published["approved"].pk),
    ):
        assert client.post(url).status_code == 405


def test_ids_are_stable_absolute_urls(client, world, published):
    first = get_json(client, oparl("meeting_list", network="musterstadt"))
    again = get_json(client, oparl("meeting_list", network="musterstadt"))
    assert [m["id"] for m in first["data"]] == [m["id"] for m in again["data"]]
    assert first["data"][0]["id"] == settings.SITE_URL + f"/oparl/v1/meeting/{published['approved'].pk}/"


def test_the_query_count_of_the_lists_does_not_grow_with_the_meetings(client, world, published):
    lists = [
        oparl("body_list"),
        oparl("organization_list", network="musterstadt"),
        oparl("meeting_list", network="musterstadt"),
        oparl("organization_meetings", pk=published["body"].pk),
        oparl("agendaitem_list", network="musterstadt"),
        oparl("file_list", network="musterstadt"),
    ]

    def count() -> list[int]:
        numbers = []
        for url in lists:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"limit": "100"}).status_code == 200
            numbers.append(len(queries))
        return numbers

    before = count()
    body = published["body"]
    for n in range(5):
        day = timezone.localdate() - datetime.timedelta(days=200 + 7 * n)
        meeting = services.meeting_create(
            body=body,
            actor=world.coordinator,
            data={"title": f"Alt {n}", "starts_at": at(day, 10), "ends_at": at(day, 12), "place": "Rathaus"},
        )
        services.recommendation_add(
            meeting=meeting, actor=world.jugendamt, text=f"Empfehlung {n}", agenda_item=meeting.items.first()
        )
        write_protocol(meeting, world.jugendamt)
        services.protocol_send(meeting=meeting, actor=world.jugendamt, comments_until=timezone.localdate())
        services.protocol_approve(meeting=meeting, actor=world.jugendamt)
        Body.objects.create(network=world.network, name=f"AG {n}")
    assert count() == before
    assert get_json(client, oparl("file_list", network="musterstadt"))["pagination"]["totalElements"] == 6
