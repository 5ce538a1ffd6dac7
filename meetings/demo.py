"""Demo bodies and meetings for the demo networks.

For each network: the main body (Lenkungskreis; in Weiterstadt, after the seed, the Steuerungsgruppe and a
Projektbeirat) with its member institutions and two people of their own (chair, minute-taker), the year plan of the
current year from the network's defaults, past meetings with replies, attendance and a protocol (approved; the most
recent one out for comments), the next meeting invited with some replies, and one working group (AG).
No e-mail is sent. Safe to run again: a body that exists is left as it is.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import zlib

from django.db import transaction

from meetings import clock, services
from meetings.models import ActionItem, AgendaItem, Body, BodyMember, Meeting, Participant, Recommendation
from partners.models import Membership, Network, Partner
from praevnet.calendar import holiday_name
from praevnet.models import NetworkRole

MAX_INSTITUTIONS = 24

TOPICS = [
    (
        "Bericht aus der Untergruppe „Übergang Klinik – Zuhause“",
        "Die Untergruppe hat einen Ablauf für die Meldung nach der Geburt abgestimmt.",
    ),
    (
        "Fortbildung „Kinderschutz in den Frühen Hilfen“",
        "Termine und Anmeldung für das kommende Halbjahr wurden vorgestellt.",
    ),
    (
        "Auswertung der Angebotsübersicht nach Sozialräumen",
        "In zwei Sozialräumen fehlen offene Sprechstunden für Eltern mit Kindern unter 3 Jahren.",
    ),
    (
        "Qualitätsdialog: Überprüfung der Kooperationsvereinbarung",
        "Die Vereinbarung bleibt unverändert; die Anlage mit den Ansprechpersonen wird aktualisiert.",
    ),
]
SPEAKERS = [
    ("Dr. Miriam Albrecht", "Landeskoordinierungsstelle Frühe Hilfen"),
    ("Tobias Rensing", "Gesundheitsamt"),
    ("Sevgi Arslan", "Integrationsagentur"),
    ("Prof. Helga Brenner", "Hochschule für Soziale Arbeit"),
]
RECOMMENDATIONS = [
    "Der Lenkungskreis empfiehlt, die offenen Elternsprechstunden in den unterversorgten Sozialräumen auszubauen.",
    "Der Lenkungskreis empfiehlt, den Flyer der Frühen Hilfen in Türkisch, Arabisch und Ukrainisch aufzulegen.",
    "Der Lenkungskreis empfiehlt dem Jugendhilfeausschuss, die Babylotsen dauerhaft zu finanzieren.",
    "Der Lenkungskreis empfiehlt eine gemeinsame Fortbildung zum Thema Kinderschutz für alle Mitglieder.",
]
ACTIONS = [
    "Angebotsübersicht an alle Mitglieder verschicken",
    "Flyer-Übersetzungen beauftragen",
    "Raum für die Fortbildung reservieren",
    "Stellungnahme für den Jugendhilfeausschuss entwerfen",
    "Ansprechpersonen-Liste aktualisieren",
]
BODIES = {
    "fruehe-hilfen-duisburg": (
        (
            "lenkungskreis",
            "Lenkungskreis Frühe Hilfen in Duisburg",
            "Gremium mit Empfehlungscharakter; trifft sich 4x im Jahr, in der Regel im Rathaus, für ca. 2 Stunden. Das Protokoll fertigt das Jugendamt.",
        ),
        (
            "ag",
            "Untergruppe Übergang Klinik – Zuhause",
            "Bereitet für den Lenkungskreis einen abgestimmten Ablauf nach der Geburt vor.",
        ),
    ),
    "interprochance-weiterstadt": (
        (
            "steuerungsgruppe",
            "Steuerungsgruppe InterProChance",
            "Operative Steuerungsgruppe mit Vertreterinnen und Vertretern des Landkreises und der Stadt Weiterstadt.",
        ),
        (
            "projektbeirat",
            "Projektbeirat InterProChance",
            "Sozialdezernat, Bürgermeisterin, Sozialausschüsse, Wohlfahrtsverbände, Hochschulen.",
        ),
    ),
}
DEFAULT_BODIES = (
    ("lenkungskreis", "Lenkungskreis", "Das zentrale Gremium des Netzwerks; es berät und empfiehlt."),
    ("ag", "AG Sprache und Zugang", "Arbeitsgruppe zu mehrsprachigen Informationen und niedrigschwelligen Zugängen."),
)


def _pick(seq, key: str):
    return seq[zlib.crc32(key.encode()) % len(seq)]


def load_meeting_demo() -> None:
    """Bodies, a year plan and past meetings with protocols for every demo network."""
    for network in Network.objects.filter(slug__in=list(_demo_slugs())).order_by("name"):
        _load_network(network)


def _demo_slugs():
    from praevnet.demo import NETWORKS

    return (spec.slug for spec in NETWORKS)


@transaction.atomic
def _load_network(network: Network) -> None:
    specs = BODIES.get(network.slug, DEFAULT_BODIES)
    if Body.objects.filter(network=network, name=specs[0][1]).exists():
        return
    roles = {r.role: r for r in NetworkRole.objects.filter(network=network).select_related("user", "partner")}
    contacts = {
        r.partner_id: r.user for r in NetworkRole.objects.filter(network=network, role="partner").select_related("user")
    }
    partners = list(
        Partner.objects.filter(memberships__network=network, memberships__state=Membership.State.ACTIVE)
        .prefetch_related("contacts")
        .order_by("name")
    )
    chosen = [p for p in partners if p.pk in contacts] + [p for p in partners if p.pk not in contacts]
    chosen = sorted(chosen[:MAX_INSTITUTIONS], key=lambda p: p.name)

    kind, name, description = specs[0]
    main = services.body_create(
        network=network, actor=None, data={"kind": kind, "name": name, "description": description}
    )
    coordinator, jugendamt = roles.get("koordination"), roles.get("jugendamt")
    people = []
    if coordinator:
        people.append((coordinator.user, "Netzwerkkoordination", BodyMember.Role.CHAIR))
    if jugendamt:
        people.append((jugendamt.user, jugendamt.function or "Jugendamt", BodyMember.Role.MINUTES))
    for user, function, role in people:
        services.member_add(
            body=main,
            actor=None,
            data={
                "name": user.get_full_name(),
                "function": function,
                "email": user.email,
                "role": role,
                "since": datetime.date(2024, 1, 1),
            },
        )
    for index, partner in enumerate(chosen):
        people = list(partner.contacts.all())
        delegate_name = people[0].name if people else f"Leitung {partner.name}"[:150]
        delegate_email = (
            contacts[partner.pk].email if partner.pk in contacts else (people[0].email if people else partner.email)
        )
        if partner.pk in contacts:
            delegate_name = contacts[partner.pk].get_full_name()
        services.member_add(
            body=main,
            actor=None,
            data={
                "partner": partner,
                "name": delegate_name,
                "email": delegate_email,
                "since": datetime.date(2024, 1, 1),
            },
        )
        if len(people) > 1 and index % 3 == 0:
            services.member_add(
                body=main,
                actor=None,
                data={
                    "partner": partner,
                    "name": people[1].name,
                    "email": people[1].email,
                    "representation": BodyMember.Representation.DEPUTY,
                    "since": datetime.date(2024, 1, 1),
                },
            )

    _year_of_meetings(main, chosen, chair=coordinator.user.get_full_name() if coordinator else "", writer=jugendamt)

    kind, name, description = specs[1]
    group = services.body_create(
        network=network, actor=None, data={"kind": kind, "name": name, "description": description}
    )
    for partner in chosen[:5]:
        people = list(partner.contacts.all())
        services.member_add(
            body=group,
            actor=None,
            data={
                "partner": partner,
                "name": people[0].name if people else "",
                "email": people[0].email if people else partner.email,
                "since": datetime.date(2025, 1, 1),
            },
        )
    day = clock.today() + datetime.timedelta(days=15)
    while holiday_name(day, network.federal_state) or day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    starts = services._moment(day, datetime.time(9, 30))
    services.meeting_create(
        body=group,
        actor=None,
        data={
            "title": f"{group.name}: Arbeitstreffen",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(minutes=90),
            "place": chosen[0].name if chosen else network.meeting_place,
        },
    )


def _year_of_meetings(body: Body, partners: list[Partner], *, chair: str, writer) -> None:
    today = clock.today()
    proposal = services.year_plan_proposal(body=body, year=today.year)
    days = [p.day for p in proposal]
    if all(day < today for day in days):  # late in December: the first meeting of next year is the upcoming one
        days.append(services.year_plan_proposal(body=body, year=today.year + 1)[0].day)
    meetings = services.year_plan_create(body=body, actor=None, days=days)
    past = [m for m in meetings if m.ends_at < clock.now()]
    upcoming = [m for m in meetings if m.ends_at >= clock.now()]
    presenters = iter(partners)
    for number, meeting in enumerate(meetings):
        _agenda(meeting, number, next(presenters, None))
    for index, meeting in enumerate(past):
        _invite(meeting, replied=1.0)
        _attendance(meeting)
        approved = index < len(past) - 1
        _protocol(
            meeting, index, partners, chair=chair, writer=writer, approved_in=past[index + 1] if approved else None
        )
    if upcoming:
        _invite(upcoming[0], replied=0.4)


def _agenda(meeting: Meeting, number: int, presenter: Partner | None) -> None:
    topic, _notes = TOPICS[number % len(TOPICS)]
    speaker, organisation = SPEAKERS[number % len(SPEAKERS)]
    items = [
        AgendaItem(
            meeting=meeting, number=3, title=topic, speaker_name=speaker, speaker_organisation=organisation, minutes=30
        ),
    ]
    if presenter is not None:
        items.append(
            AgendaItem(
                meeting=meeting,
                number=4,
                title=f"Partner stellt sich vor: {presenter.name}",
                presenter_partner=presenter,
                is_partner_presentation=True,
                minutes=20,
            )
        )
    last = meeting.items.get(number=3)  # "Verschiedenes" moves to the end
    last.number = 3 + len(items)
    last.save(update_fields=["number"])
    for item in items:
        item.full_clean()
        item.save()


def _invite(meeting: Meeting, *, replied: float) -> None:
    services.ensure_participants(meeting)
    moment = meeting.starts_at - datetime.timedelta(days=21)
    seats = list(meeting.participants.all())
    for index, seat in enumerate(seats):
        seat.invited_at = moment
        seat.token_hash = hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()  # the demo sends no mail
        if index < len(seats) * replied:
            choice = _pick(["zugesagt", "zugesagt", "zugesagt", "abgesagt", "vertreten"], f"{meeting.pk}-{seat.pk}")
            seat.reply = choice
            seat.substitute = "Kollegin aus dem Team" if choice == "vertreten" else ""
            seat.replied_at = moment + datetime.timedelta(days=3 + index % 10)
        seat.save()
    meeting.state = Meeting.State.INVITED
    meeting.invited_at = moment
    meeting.save(update_fields=["state", "invited_at"])


def _attendance(meeting: Meeting) -> None:
    for seat in meeting.participants.all():
        if seat.reply == "abgesagt":
            seat.attendance = Participant.Attendance.EXCUSED
        else:
            seat.attendance = _pick(["anwesend"] * 9 + ["abwesend"], f"a{meeting.pk}-{seat.pk}")
        seat.save(update_fields=["attendance"])
    speaker = meeting.items.exclude(speaker_name="").first()
    if speaker:
        Participant.objects.create(
            meeting=meeting,
            name=speaker.speaker_name,
            organisation=speaker.speaker_organisation,
            is_guest=True,
            attendance=Participant.Attendance.PRESENT,
        )


def _protocol(meeting: Meeting, index: int, partners: list[Partner], *, chair: str, writer, approved_in) -> None:
    notes = {
        1: "Die Sitzungsleitung begrüßt die Anwesenden. Das Protokoll der letzten Sitzung wird ohne Änderungen genehmigt.",
        2: "Die offenen Aufgaben wurden durchgesprochen; erledigte Punkte sind abgehakt.",
    }
    for item in meeting.items.all():
        if item.number in notes:
            item.notes = notes[item.number]
        elif item.is_partner_presentation:
            item.notes = f"{item.presenter_partner.name} stellt Angebote, Zugangswege und Ansprechpersonen vor. Rückfragen betrafen Wartezeiten und Sprachen."
        elif item.speaker_name:
            item.notes = dict(TOPICS).get(item.title, "Vortrag mit anschließender Aussprache.")
        else:
            item.notes = "Keine weiteren Punkte."
        item.save(update_fields=["notes"])
    topic = meeting.items.exclude(speaker_name="").first()
    Recommendation.objects.create(
        meeting=meeting, agenda_item=topic, text=RECOMMENDATIONS[index % len(RECOMMENDATIONS)]
    )
    for offset in range(2):
        partner = partners[(index * 2 + offset) % len(partners)] if partners else None
        ActionItem.objects.create(
            meeting=meeting,
            agenda_item=topic,
            text=ACTIONS[(index * 2 + offset) % len(ACTIONS)],
            responsible_partner=partner,
            responsible_name="" if partner else "Netzwerkkoordination",
            due_date=services.local_day(meeting.starts_at) + datetime.timedelta(days=60 + 30 * offset),
            done_at=meeting.starts_at + datetime.timedelta(days=40) if (index + offset) % 3 == 0 else None,
        )
    meeting.chair = chair
    meeting.minute_taker = writer.user.get_full_name() if writer else "Jugendamt"
    meeting.protocol_state = Meeting.ProtocolState.REVIEW
    meeting.protocol_sent_at = meeting.ends_at + datetime.timedelta(days=5)
    if approved_in is None:
        meeting.comments_until = max(
            clock.today() + datetime.timedelta(days=10),
            services.local_day(meeting.starts_at) + datetime.timedelta(days=21),
        )
        meeting.save()
        return
    meeting.comments_until = services.local_day(meeting.starts_at) + datetime.timedelta(days=21)
    meeting.protocol_state = Meeting.ProtocolState.APPROVED
    meeting.approved_at = approved_in.starts_at + datetime.timedelta(minutes=20)
    meeting.approved_by = writer.user if writer else None
    meeting.approved_in = approved_in
    services.store_protocol_pdfs(meeting)
    meeting.save()
