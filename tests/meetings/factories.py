"""Factories for bodies and meetings (tests/factories.py holds the shared ones)."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from meetings.models import ActionItem, AgendaItem, Body, BodyMember, Meeting, Participant
from tests.factories import NetworkFactory


def at(day: datetime.date, hour: int = 14, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    network = factory.SubFactory(NetworkFactory)
    kind = Body.Kind.LENKUNGSKREIS
    name = factory.Sequence(lambda n: f"Lenkungskreis {n}")


class BodyMemberFactory(DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@gremium.example")
    since = datetime.date(2024, 1, 1)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    starts_at = factory.LazyFunction(lambda: at(timezone.localdate() + datetime.timedelta(days=14)))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "Rathaus, Raum 100"


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Thema {n}")


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"Teilnehmende {n}")
    organisation = factory.Sequence(lambda n: f"Einrichtung {n}")


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    text = factory.Sequence(lambda n: f"Aufgabe {n}")
    responsible_name = "Koordination"
