import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from meetings import clock, services
from meetings.models import Body, BodyMember
from tests.meetings.factories import at


@pytest.fixture
def body(world):
    """The Lenkungskreis of Musterstadt: partner A (delegate and deputy), partner B (delegate) and a chair."""
    world.network.contact_email = "netzwerk@musterstadt.example"
    world.network.save()
    lk = services.body_create(
        network=world.network,
        actor=world.coordinator,
        data={"kind": Body.Kind.LENKUNGSKREIS, "name": "Lenkungskreis Frühe Hilfen"},
    )
    for data in (
        {"partner": world.partner_a, "name": "Petra Sommer", "email": "sommer@hebamme.example"},
        {
            "partner": world.partner_a,
            "name": "Lena Winter",
            "email": "winter@hebamme.example",
            "representation": BodyMember.Representation.DEPUTY,
        },
        {"partner": world.partner_b, "name": "Omar Haddad", "email": "haddad@beratung.example"},
        {"name": "Dr. Karla Vogt", "function": "Jugendamt", "email": "vogt@musterstadt.example", "role": "vorsitz"},
    ):
        services.member_add(body=lk, actor=world.coordinator, data={"since": datetime.date(2024, 1, 1), **data})
    return lk


@pytest.fixture
def future_day():
    return timezone.localdate() + datetime.timedelta(days=21)


@pytest.fixture
def meeting(world, body, future_day):
    """A planned meeting three weeks from today with the standard agenda."""
    return services.meeting_create(
        body=body,
        actor=world.coordinator,
        data={
            "title": "3. Lenkungskreis",
            "starts_at": at(future_day, 10),
            "ends_at": at(future_day, 12),
            "place": "Rathaus, Raum 100",
        },
    )


@pytest.fixture
def invited(world, meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, actor=world.coordinator)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def travel(monkeypatch):
    """Move the meetings clock: travel(datetime) sets `now` for services and views."""

    def _travel(moment: datetime.datetime):
        monkeypatch.setattr(clock, "now", lambda: moment)

    return _travel


@pytest.fixture
def held(world, invited, travel):
    """The invited meeting, with the clock set to the afternoon of its day (after it ended)."""
    travel(invited.ends_at + datetime.timedelta(hours=3))
    return invited


def reply_token(message) -> str:
    return re.search(r"/sitzung/antwort/([\w-]+)/", message.body).group(1)


def mails_to(address: str):
    return [m for m in mail.outbox if address in m.to]
