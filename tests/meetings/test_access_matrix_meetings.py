"""Access matrix of the meetings pages; test_access_matrix.test_every_url_pattern_has_an_entry reads MATRIX.

The world's body has partner A as member institution, partner B is not in it: contact B gets 404 for the body,
its meetings and documents (bodies are visible to their members and to the network staff only). Forms answer an
empty POST by showing the form again (200); actions answer POST with a redirect (302). Coordination plans and
invites (MANAGE_MEETINGS), the Jugendamt records attendance and writes the protocol (WRITE_PROTOCOL).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, Body
from tests.conftest import PERSONAS
from tests.meetings.factories import at
from tests.test_access_matrix import ANON, MEMBERS, Route, public, route, statuses


def spec(get: dict[str, int], post: dict[str, int] | None = None) -> dict:
    """A network page: the given personas get their status, every other member 404, anonymous the login."""
    get_map, post_map = statuses(404, anonymous=302), statuses(404, anonymous=302)
    get_map.update(get)
    post_map.update(post if post is not None else dict.fromkeys(get, 405))
    return {"get": get_map, "post": post_map, "network": True}


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(["contact_a", "contact_b", "coordinator", "jugendamt", "admin"], status), **overrides}


def body_viewers(status: int, **overrides: int) -> dict[str, int]:
    """Members of the body (contact A) and the staff; contact B stays 404."""
    return {**dict.fromkeys(["contact_a", "coordinator", "jugendamt", "admin"], status), **overrides}


MANAGE = {"contact_a": 403, "contact_b": 403, "jugendamt": 403, "coordinator": 200, "admin": 200}
STAFF_ONLY = {"contact_a": 403, "contact_b": 403, "coordinator": 200, "jugendamt": 200, "admin": 200}
WRITER_POST = body_viewers(403, jugendamt=302, admin=302)

MATRIX: list[Route] = [
    route("meetings:body_list", spec(everyone(200))),
    route("meetings:body_create", spec(MANAGE, MANAGE)),
    route("meetings:body_detail", spec(body_viewers(200)), pk="body"),
    route("meetings:body_edit", spec(MANAGE, MANAGE), pk="body"),
    route("meetings:member_create", spec(MANAGE, MANAGE), pk="body"),
    route("meetings:member_edit", spec(MANAGE, MANAGE), pk="body", member_pk="member"),
    route("meetings:year_plan", spec(MANAGE, MANAGE), pk="body"),
    route("meetings:meeting_create", spec(MANAGE, MANAGE), pk="body"),
    route("meetings:meeting_list", spec(everyone(200))),
    route("meetings:meeting_detail", spec(body_viewers(200)), pk="meeting"),
    route("meetings:meeting_edit", spec(MANAGE, MANAGE), pk="meeting"),
    route("meetings:meeting_cancel", spec(MANAGE, MANAGE), pk="approved"),
    route(
        "meetings:meeting_invite",
        spec({**MANAGE, "coordinator": 405, "admin": 405}, {**MANAGE, "coordinator": 302, "admin": 302}),
        pk="meeting",
    ),
    route(
        "meetings:meeting_reply",
        spec(body_viewers(403, contact_a=200), body_viewers(403, contact_a=200)),
        pk="meeting",
    ),
    route("meetings:meeting_calendar", spec(body_viewers(200)), pk="meeting"),
    route("meetings:invitation_pdf", spec(body_viewers(200)), pk="meeting"),
    route(
        "meetings:signin_pdf",
        spec(STAFF_ONLY, {**STAFF_ONLY, "coordinator": 405, "jugendamt": 405, "admin": 405}),
        pk="meeting",
    ),
    route("meetings:agenda_create", spec(MANAGE, MANAGE), pk="meeting"),
    route("meetings:agenda_edit", spec(MANAGE, MANAGE), pk="approved", item_pk="approved_item"),
    route(
        "meetings:agenda_delete",
        spec({**MANAGE, "coordinator": 405, "admin": 405}, {**MANAGE, "coordinator": 302, "admin": 302}),
        pk="approved",
        item_pk="approved_item",
    ),
    route("meetings:agenda_attachment", spec(body_viewers(200)), pk="meeting", item_pk="attachment_item"),
    route("meetings:attendance", spec(STAFF_ONLY, STAFF_ONLY), pk="meeting"),
    route(
        "meetings:attendance_seats",
        spec(
            {**STAFF_ONLY, "coordinator": 405, "jugendamt": 405, "admin": 405},
            {**STAFF_ONLY, "coordinator": 302, "jugendamt": 302, "admin": 302},
        ),
        pk="meeting",
    ),
    route(
        "meetings:protocol_edit",
        spec(body_viewers(403, jugendamt=200, admin=200), body_viewers(403, jugendamt=200, admin=200)),
        pk="meeting",
    ),
    route("meetings:recommendation_create", spec(body_viewers(405), WRITER_POST), pk="meeting"),
    route(
        "meetings:recommendation_delete",
        spec(body_viewers(405), WRITER_POST),
        pk="approved",
        item_pk="recommendation",
    ),
    route("meetings:action_create", spec(body_viewers(405), WRITER_POST), pk="meeting"),
    route("meetings:action_delete", spec(body_viewers(405), WRITER_POST), pk="approved", item_pk="action"),
    route("meetings:protocol_send", spec(body_viewers(405), WRITER_POST), pk="meeting"),
    route("meetings:protocol_comment", spec(body_viewers(405), body_viewers(302)), pk="meeting"),
    route(
        "meetings:protocol_approve",
        spec(body_viewers(403, jugendamt=200, admin=200), body_viewers(403, jugendamt=200, admin=200)),
        pk="meeting",
    ),
    route("meetings:protocol_pdf", spec(body_viewers(200)), pk="approved"),
    route("meetings:action_list", spec(everyone(200))),
    route("meetings:action_done", spec(body_viewers(405), body_viewers(302)), pk="action"),
    # The public reply link: an unknown token is a 404 for everyone (a valid one is 200, see test_views.py).
    route("meeting_reply_link", {"get": statuses(404), "post": statuses(404)}, token="ungueltig"),
    # Open data (OParl 1.1, tests/meetings/test_oparl.py): public, GET only, the same for everyone.
    route("oparl:system", public()),
    route("oparl:body_list", public()),
    route("oparl:body", public(), network="musterstadt"),
    route("oparl:organization_list", public(), network="musterstadt"),
    route("oparl:person_list", public(), network="musterstadt"),
    route("oparl:meeting_list", public(), network="musterstadt"),
    route("oparl:agendaitem_list", public(), network="musterstadt"),
    route("oparl:file_list", public(), network="musterstadt"),
    route("oparl:paper_list", public(), network="musterstadt"),
    route("oparl:legislativeterm_list", public(), network="musterstadt"),
    route("oparl:organization", public(), pk="body"),
    route("oparl:organization_meetings", public(), pk="body"),
    route("oparl:meeting", public(), pk="approved"),
    route("oparl:location", public(), pk="approved"),
    route("oparl:agendaitem", public(), pk="approved_item"),
    route("oparl:file", public(), pk="approved"),
    route("oparl:file_download", public(), pk="approved"),
]


@pytest.fixture
def objects(world, django_capture_on_commit_callbacks):
    body = services.body_create(
        network=world.network, actor=world.coordinator, data={"kind": Body.Kind.LENKUNGSKREIS, "name": "Lenkungskreis"}
    )
    member = services.member_add(
        body=body,
        actor=world.coordinator,
        data={"partner": world.partner_a, "name": "P. Sommer", "email": "s@a.example"},
    )
    services.member_add(body=body, actor=world.coordinator, data={"name": "K. Vogt", "email": "v@j.example"})
    day = timezone.localdate() + datetime.timedelta(days=10)
    meeting = services.meeting_create(
        body=body, actor=world.coordinator, data={"starts_at": at(day, 10), "ends_at": at(day, 12), "place": "Rathaus"}
    )
    attachment_item = AgendaItem.objects.create(meeting=meeting, number=9, title="Anlage")
    attachment_item.attachment.save("anlage.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, actor=world.coordinator)

    past = timezone.localdate() - datetime.timedelta(days=30)
    approved = services.meeting_create(
        body=body,
        actor=world.coordinator,
        data={"starts_at": at(past, 10), "ends_at": at(past, 12), "place": "Rathaus"},
    )
    first = approved.items.get(number=1)
    services.protocol_update(
        meeting=approved, actor=world.jugendamt, chair="K. Vogt", minute_taker="J", notes={first.pk: "Notiz"}
    )
    recommendation = services.recommendation_add(meeting=approved, actor=world.jugendamt, text="Empfehlung")
    action = services.action_item_add(
        meeting=approved, actor=world.jugendamt, data={"text": "Flyer", "responsible_partner": world.partner_a}
    )
    services.protocol_send(meeting=approved, actor=world.jugendamt, comments_until=timezone.localdate())
    services.protocol_approve(meeting=approved, actor=world.jugendamt)
    return {
        "body": body.pk,
        "member": member.pk,
        "meeting": meeting.pk,
        "attachment_item": attachment_item.pk,
        "approved": approved.pk,
        "approved_item": first.pk,
        "recommendation": recommendation.pk,
        "action": action.pk,
    }


def url_for(r: Route, world, objects, network=None) -> str:
    kwargs = {key: objects.get(value, value) for key, value in r.kwargs.items()}
    if r.network:
        kwargs["network"] = (network or world.network).slug
    return reverse(r.name, kwargs=kwargs)


@pytest.mark.parametrize("r", MATRIX, ids=lambda r: r.name)
def test_access_matrix(r: Route, world, objects, login):
    failures = []
    url = url_for(r, world, objects)
    for persona in PERSONAS:
        for method, expected in (("get", r.get[persona]), ("post", r.post[persona])):
            client = login(world.persona(persona))
            response = getattr(client, method)(url)
            if response.status_code != expected:
                failures.append(f"{persona} {method.upper()} {url}: {response.status_code}, expected {expected}")
            if expected == 302 and persona == ANON and response.status_code == 302:
                assert response["Location"].startswith(reverse("login"))
    assert failures == []


@pytest.mark.parametrize("r", [r for r in MATRIX if r.network], ids=lambda r: r.name)
def test_swapping_the_network_gives_404(r: Route, world, objects, login):
    url = url_for(r, world, objects, network=world.other_network)
    for persona in MEMBERS:
        client = login(world.persona(persona))
        assert client.get(url).status_code == 404, (persona, url)
        assert client.post(url).status_code == 404, (persona, url)


def test_every_meetings_url_has_an_entry():
    from tests.test_access_matrix import project_patterns

    names = {
        name
        for name, _ in project_patterns()
        if name.startswith(("meetings:", "oparl:")) or name == "meeting_reply_link"
    }
    assert names == {r.name for r in MATRIX}
