"""Agreements and meetings for the scale networks of `seed_scale`, written with COPY like the institutions.

Per scale network (not `scale-gesamt`, which only repeats the same institutions in one register):

- one published agreement template (short synthetic text, unbefristet, 4 Wochen zum Quartalsende) with one network
  signatory; agreements for most members: active members mostly in force (partner signature online plus the
  countersignature of the Jugendamt), some terminated (still valid until the end of the quarter), some invited
  (with a signing invitation), a few without one; invited members are invited; ended memberships have an ended
  agreement. No PDFs are rendered (`pdf` stays empty).
- one Lenkungskreis with the active member institutions as seats (a delegate each) and the coordinator as chair;
  4 meetings a year for the year before the reference date and its year, each with 5 TOPs (one a partner
  presentation, one with an external speaker). Past meetings have replies, attendance (anwesend / entschuldigt /
  abwesend), notes, one recommendation and two action items; their protocols are approved in the following
  meeting, the last one is sent for approval. Protocol PDFs are not rendered (`protocol_pdf` stays empty).
"""

from __future__ import annotations

import datetime
import hashlib
import random
import uuid

from django.db import connection

from agreements.models import (
    Agreement,
    AgreementTemplate,
    Reminder,
    Signature,
    SigningInvitation,
    TemplateSignatory,
)
from meetings.models import (
    ActionItem,
    AgendaItem,
    Body,
    BodyMember,
    Meeting,
    Participant,
    ProtocolComment,
    Recommendation,
)
from partners.demo import FEMALE_NAMES, LAST_NAMES, MALE_NAMES
from partners.models import Membership, Partner

TEMPLATE_TITLE = "Kooperationsvereinbarung {name}"
TEMPLATE_BODY = """## § 1 Ziel

Die Partnerinnen und Partner des Netzwerks arbeiten zusammen, damit Kinder in {region} gesund und glücklich
aufwachsen. Sie stimmen ihre Angebote ab und informieren einander über Änderungen.

## § 2 Aufgaben der Partner

- Teilnahme an den Sitzungen des Lenkungskreises oder Vertretung durch eine benannte Person
- Pflege der eigenen Angaben im Register (Angebote, Ansprechpersonen, Zugangswege)
- Weitervermittlung von Familien an passende Angebote des Netzwerks

## § 3 Aufgaben der Koordination

Die Netzwerkkoordination im Jugendamt lädt ein, führt das Protokoll und legt jährlich einen Bericht vor.

## § 4 Datenschutz

Personenbezogene Daten von Familien werden nur mit deren Einwilligung weitergegeben.

*Synthetischer Text für Last- und Geschwindigkeitsmessungen.*"""
TERMS_TEXT = "unbefristet; Kündigung mit einer Frist von 4 Wochen zum Quartalsende"
TOPICS = (
    ("Bericht aus der Untergruppe „Übergang Klinik – Zuhause“", "Landeskoordinierungsstelle Frühe Hilfen"),
    ("Fortbildung „Kinderschutz in den Frühen Hilfen“", "Gesundheitsamt"),
    ("Auswertung der Angebotsübersicht nach Sozialräumen", "Hochschule für Soziale Arbeit"),
    ("Qualitätsdialog: Überprüfung der Kooperationsvereinbarung", "Integrationsagentur"),
)
RECOMMENDATIONS = (
    "Der Lenkungskreis empfiehlt, die offenen Elternsprechstunden in den unterversorgten Sozialräumen auszubauen.",
    "Der Lenkungskreis empfiehlt, den Flyer der Frühen Hilfen in Türkisch, Arabisch und Ukrainisch aufzulegen.",
    "Der Lenkungskreis empfiehlt eine gemeinsame Fortbildung zum Thema Kinderschutz für alle Mitglieder.",
)
ACTIONS = (
    "Angebotsübersicht an alle Mitglieder verschicken",
    "Flyer-Übersetzungen beauftragen",
    "Raum für die Fortbildung reservieren",
    "Ansprechpersonen-Liste aktualisieren",
)
MEETING_MONTHS = (2, 5, 9, 11)
PARTNER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0"
NETWORK_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/126.0"
CONSENT = "Ich bin berechtigt, für die Einrichtung zu unterzeichnen. Ich stimme der Vereinbarung zu."

#: Tables in the order they are emptied by `delete_governance` (children first).
MODELS = (
    ActionItem,
    Recommendation,
    ProtocolComment,
    Participant,
    AgendaItem,
    Meeting,
    BodyMember,
    Body,
    Reminder,
    SigningInvitation,
    Signature,
    Agreement,
    TemplateSignatory,
    AgreementTemplate,
)


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model) -> str:
    return qn(model._meta.db_table)


def delete_governance(cursor, network_ids: list[int]) -> dict[str, int]:
    """Delete the agreements and meetings of the given networks. Signatures are evidence and protected by the
    trigger `agreements_signature_immutable` (migration agreements 0002), which refuses every DELETE; for synthetic
    data only, the trigger is switched off for this statement and on again in the same transaction (ALTER TABLE is
    transactional in PostgreSQL: if anything fails, the trigger was never off for anyone else)."""
    counts: dict[str, int] = {}
    body, meeting = table(Body), table(Meeting)
    agreement, template = table(Agreement), table(AgreementTemplate)
    meetings = f"SELECT m.id FROM {meeting} m JOIN {body} b ON b.id = m.body_id WHERE b.network_id = ANY(%s)"
    for model in (ActionItem, Recommendation, ProtocolComment, Participant, AgendaItem):
        cursor.execute(f"DELETE FROM {table(model)} WHERE meeting_id IN ({meetings})", [network_ids])
    cursor.execute(
        f"DELETE FROM {meeting} WHERE body_id IN (SELECT id FROM {body} WHERE network_id = ANY(%s))", [network_ids]
    )
    counts["Sitzungen"] = cursor.rowcount
    cursor.execute(
        f"DELETE FROM {table(BodyMember)} WHERE body_id IN (SELECT id FROM {body} WHERE network_id = ANY(%s))",
        [network_ids],
    )
    cursor.execute(f"DELETE FROM {body} WHERE network_id = ANY(%s)", [network_ids])
    agreements = f"SELECT id FROM {agreement} WHERE network_id = ANY(%s)"
    for model in (Reminder, SigningInvitation):
        cursor.execute(f"DELETE FROM {table(model)} WHERE agreement_id IN ({agreements})", [network_ids])
    signature = table(Signature)
    # ALTER TABLE refuses while deferred foreign-key checks of rows inserted earlier in the transaction are pending
    # (tests, or a caller's transaction): check them now; the deletes above and below go children first anyway.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"ALTER TABLE {signature} DISABLE TRIGGER agreements_signature_immutable")
    cursor.execute(f"DELETE FROM {signature} WHERE agreement_id IN ({agreements})", [network_ids])
    counts["Unterschriften"] = cursor.rowcount
    cursor.execute(f"ALTER TABLE {signature} ENABLE TRIGGER agreements_signature_immutable")
    cursor.execute(f"DELETE FROM {agreement} WHERE network_id = ANY(%s)", [network_ids])
    counts["Vereinbarungen"] = cursor.rowcount
    cursor.execute(
        f"DELETE FROM {table(TemplateSignatory)} WHERE template_id IN "
        f"(SELECT id FROM {template} WHERE network_id = ANY(%s))",
        [network_ids],
    )
    cursor.execute(f"DELETE FROM {template} WHERE network_id = ANY(%s)", [network_ids])
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return counts


def reserve(cursor, model, count: int) -> list[int]:
    if count == 0:
        return []
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=datetime.UTC)


def quarter_end(day: datetime.date) -> datetime.date:
    month = ((day.month - 1) // 3 + 1) * 3
    following = datetime.date(day.year + (month == 12), month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def first_weekday(year: int, month: int, weekday: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


class GovernanceSeeder:
    """Generates templates, agreements, signatures, bodies, seats, meetings and protocols from its own random
    generator (seeded from --seed), in network order: the same arguments give the same rows."""

    def __init__(self, *, networks, seed: int, now: datetime.datetime, table_class, add):
        self.networks = networks
        self.rng = random.Random(seed * 7919 + 1)
        self.now = now
        self.today = now.date()
        self.Table = table_class
        self.add = add
        self.tables = {}

    def tbl(self, model):
        if model not in self.tables:
            self.tables[model] = self.Table(model, with_pk=True, now=self.now)
        return self.tables[model]

    def person(self) -> str:
        first = self.rng.choice(FEMALE_NAMES if self.rng.random() < 0.7 else MALE_NAMES)
        return f"{first} {self.rng.choice(LAST_NAMES)}"

    def members(self, cursor) -> dict[int, list[tuple]]:
        """(partner id, name, address line, city, membership state, since) of every member, by network, in id order."""
        ids = [n.pk for n in self.networks]
        cursor.execute(
            f"""SELECT m.network_id, p.id, p.name, p.street, p.postcode, p.city, m.state, m.since, m.until, p.email
                FROM {table(Membership)} m JOIN {table(Partner)} p ON p.id = m.partner_id
                WHERE m.network_id = ANY(%s) ORDER BY m.network_id, p.id""",
            [ids],
        )
        result: dict[int, list[tuple]] = {pk: [] for pk in ids}
        for row in cursor.fetchall():
            result[row[0]].append(row[1:])
        return result

    def run(self) -> None:
        with connection.cursor() as cursor:
            members = self.members(cursor)
            self.seed_agreements(cursor, members)
            self.seed_meetings(cursor, members)

    # -- agreements ----------------------------------------------------------------------------------------------

    def seed_agreements(self, cursor, members) -> None:
        rng, now = self.rng, self.now
        template_ids = reserve(cursor, AgreementTemplate, len(self.networks))
        templates, signatories, agreements, signatures, invitations = [], [], [], [], []
        plan = []  # (agreement row values) before ids are known
        for network, template_id in zip(self.networks, template_ids, strict=True):
            title = TEMPLATE_TITLE.format(name=network.name)
            body = TEMPLATE_BODY.format(region=network.region)
            version = datetime.date(2020, 1, 1)
            templates.append(
                self.tbl(AgreementTemplate).row(
                    id=template_id,
                    network_id=network.pk,
                    title=title,
                    version_date=version,
                    body=body,
                    initial_months=None,
                    renewal_months=None,
                    notice_amount=4,
                    notice_unit="weeks",
                    notice_to="quarter_end",
                    written_form=False,
                    state=AgreementTemplate.State.PUBLISHED,
                    published_at=at(version, 9),
                )
            )
            signatories.append(
                self.tbl(TemplateSignatory).row(
                    id=None, template_id=template_id, role_label="Leitung des Jugendamtes", order=1
                )
            )
            head = f"# {title}\n\nStand: 01.01.2020\n\nzwischen dem Netzwerk **{network.name}** ({network.region}) und "
            tail = f"\n\n{body}\n\n## Laufzeit und Kündigung\n\n{TERMS_TEXT}.\n"
            place = network.region.removeprefix("Stadt ")
            for partner_id, name, street, postcode, city, state, since, until, email in members[network.pk]:
                if state == "eingeladen":
                    status = "eingeladen"
                elif state == "beendet":
                    status = "beendet"
                else:
                    status = rng.choices(("in_kraft", "gekuendigt", "eingeladen", None), weights=(85, 5, 5, 5))[0]
                if status is None:
                    continue
                address = ", ".join(x for x in (street, " ".join(x for x in (postcode, city) if x)) if x)
                text = f"{head}**{name}**" + (f", {address}" if address else "") + tail
                plan.append((network, template_id, partner_id, status, text, since, until, place, email))
        ids = reserve(cursor, Agreement, len(plan))
        counts = {"in_kraft": 0, "gekuendigt": 0, "eingeladen": 0, "beendet": 0}
        for agreement_id, (network, template_id, partner_id, status, text, since, until, place, email) in zip(
            ids, plan, strict=True
        ):
            counts[status] += 1
            values = {"id": agreement_id, "partner_id": partner_id, "network_id": network.pk}
            values["template_id"] = template_id
            values["status"] = status
            if status == "eingeladen":
                sent = now - datetime.timedelta(days=rng.randint(1, 30), minutes=rng.randint(0, 600))
                invitations.append(
                    self.tbl(SigningInvitation).row(
                        id=None,
                        agreement_id=agreement_id,
                        token_hash=f"{rng.getrandbits(256):064x}",  # the raw token never existed
                        email=email,
                        created_at=sent,
                        expires_at=sent + datetime.timedelta(days=SigningInvitation.VALID_DAYS),
                        used_at=None,
                        revoked_at=None,
                        created_by_id=None,
                    )
                )
                agreements.append(self.tbl(Agreement).row(**values, created=sent, updated=sent))
                continue
            signed_on = max(since or datetime.date(2020, 2, 1), datetime.date(2020, 2, 1))
            signed_on += datetime.timedelta(days=rng.randint(0, 60))
            signed_on = min(signed_on, self.today - datetime.timedelta(days=10))
            digest = hashlib.sha256(text.encode()).hexdigest()
            values.update(effective_from=signed_on, signed_text=text, signed_text_sha256=digest)
            if status == "gekuendigt":
                values["terminated_on"] = self.today - datetime.timedelta(days=rng.randint(1, 40))
                values["ends_on"] = quarter_end(values["terminated_on"] + datetime.timedelta(weeks=4))
                values["termination_reason"] = "Die Einrichtung gibt das Angebot in diesem Sozialraum auf."
            elif status == "beendet":
                ends = max(until or signed_on, signed_on)
                values["terminated_on"] = ends - datetime.timedelta(days=30)
                values["ends_on"] = ends
                values["termination_reason"] = "Die Einrichtung ist aus dem Netzwerk ausgeschieden."
            created = at(signed_on, 8)
            updated = at(values.get("terminated_on") or signed_on + datetime.timedelta(days=5), 15)
            agreements.append(self.tbl(Agreement).row(**values, created=created, updated=max(created, updated)))
            signatures.append(
                self.tbl(Signature).row(
                    id=None,
                    agreement_id=agreement_id,
                    side="partner",
                    name=self.person(),
                    function=rng.choice(("Einrichtungsleitung", "Geschäftsführung", "Vorstand")),
                    place=place,
                    signed_at=at(signed_on, 10, rng.randint(0, 59)),
                    method="online",
                    ip=f"192.0.2.{rng.randint(1, 254)}",
                    user_agent=PARTNER_UA,
                    text_sha256=digest,
                    consent_text=CONSENT,
                    drawn_signature="",
                    user_id=None,
                )
            )
            signatures.append(
                self.tbl(Signature).row(
                    id=None,
                    agreement_id=agreement_id,
                    side="network",
                    name=f"Leitung Jugendamt {place}",
                    function="Leitung des Jugendamtes",
                    place=place,
                    signed_at=at(signed_on + datetime.timedelta(days=5), 14),
                    method="online",
                    ip="198.51.100.10",
                    user_agent=NETWORK_UA,
                    text_sha256=digest,
                    consent_text="Gegengezeichnet für das Netzwerk.",
                    drawn_signature="",
                    user_id=None,
                )
            )
        self.copy(cursor, AgreementTemplate, templates, "Vereinbarungsvorlagen")
        self.copy(cursor, TemplateSignatory, signatories, None, with_pk=False)
        self.copy(cursor, Agreement, agreements, "Vereinbarungen")
        self.copy(cursor, Signature, signatures, "Unterschriften", with_pk=False)
        self.copy(cursor, SigningInvitation, invitations, None, with_pk=False)
        self.agreement_states = counts

    def copy(self, cursor, model, rows, label, *, with_pk=True) -> None:
        if not with_pk:  # rows were built with the id column: drop it, the sequence fills it
            table_ = self.Table(model, with_pk=False, now=self.now)
            rows = [row[1:] for row in rows]
        else:
            table_ = self.tbl(model)
        n = table_.copy(cursor, rows)
        if label:
            self.add(label, n)

    # -- meetings ------------------------------------------------------------------------------------------------

    def seed_meetings(self, cursor, members) -> None:
        rng, now, today = self.rng, self.now, self.today
        years = (today.year - 1, today.year)
        body_ids = reserve(cursor, Body, len(self.networks))
        bodies, seats, meetings, items, participants, recommendations, actions = [], [], [], [], [], [], []
        seat_plan = []  # per network: [(member id, partner id or None, name, organisation)]
        for network, body_id in zip(self.networks, body_ids, strict=True):
            bodies.append(
                self.tbl(Body).row(
                    id=body_id,
                    network_id=network.pk,
                    kind=Body.Kind.LENKUNGSKREIS,
                    name=f"Lenkungskreis {network.name}",
                    description="Das zentrale Gremium des Netzwerks; es berät und empfiehlt (synthetische Daten).",
                    place="",
                    is_active=True,
                    created=at(datetime.date(years[0] - 1, 11, 1), 9),
                )
            )
            active = [m for m in members[network.pk] if m[5] == "aktiv"]
            member_ids = reserve(cursor, BodyMember, len(active) + 1)
            coordinator = f"Koordination {network.region.removeprefix('Stadt ')}"
            body_seats = [(member_ids[0], None, coordinator, "")]
            seats.append(
                self.tbl(BodyMember).row(
                    id=member_ids[0],
                    body_id=body_id,
                    partner_id=None,
                    name=coordinator,
                    function="Netzwerkkoordination im Jugendamt",
                    role=BodyMember.Role.CHAIR,
                    since=datetime.date(years[0], 1, 1),
                )
            )
            for member_id, (partner_id, name, *_rest, email) in zip(member_ids[1:], active, strict=True):
                person = self.person()
                seats.append(
                    self.tbl(BodyMember).row(
                        id=member_id,
                        body_id=body_id,
                        partner_id=partner_id,
                        name=person,
                        function="Delegierte/r",
                        email=email.replace("kontakt@", "person1@"),
                        since=datetime.date(years[0], 1, 1),
                    )
                )
                body_seats.append((member_id, partner_id, person, name))
            seat_plan.append(body_seats)
            self.add("Gremiensitze", len(body_seats))

        for position, (network, body_id, body_seats) in enumerate(zip(self.networks, body_ids, seat_plan, strict=True)):
            weekday = position % 5  # not the id: the same arguments give the same dates
            days = [first_weekday(y, m, weekday) + datetime.timedelta(days=7) for y in years for m in MEETING_MONTHS]
            meeting_ids = reserve(cursor, Meeting, len(days))
            past = [i for i, d in enumerate(days) if at(d, 16) < now]
            coordinator = body_seats[0][2]
            upcoming = next((i for i, d in enumerate(days) if at(d, 16) >= now), None)
            for index, (meeting_id, day) in enumerate(zip(meeting_ids, days, strict=True)):
                starts, ends = at(day, 13), at(day, 15)
                is_past = index in past
                invited = is_past or index == upcoming
                values = {
                    "id": meeting_id,
                    "body_id": body_id,
                    "title": f"{MEETING_MONTHS.index(day.month) + 1}. Lenkungskreis {day.year}",
                    "starts_at": starts,
                    "ends_at": ends,
                    "place": f"Rathaus {network.region.removeprefix('Stadt ')}, Sitzungssaal",
                    "uid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "state": Meeting.State.INVITED if invited else Meeting.State.PLANNED,
                    "invited_at": starts - datetime.timedelta(days=21) if invited else None,
                    "created": starts - datetime.timedelta(days=60),
                    "updated": starts - datetime.timedelta(days=21),
                }
                if is_past:
                    values.update(chair=coordinator, minute_taker="Jugendamt, Netzwerkkoordination")
                    values["protocol_sent_at"] = ends + datetime.timedelta(days=5)
                    if index + 1 in past:  # approved at the start of the next meeting, which has taken place
                        following = at(days[index + 1], 13, 10)
                        values.update(protocol_state="genehmigt", approved_at=following)
                        values["approved_in_id"] = meeting_ids[index + 1]
                        values["updated"] = following
                    else:
                        values.update(protocol_state="versandt")
                        values["comments_until"] = day + datetime.timedelta(days=21)
                        values["updated"] = values["protocol_sent_at"]
                meetings.append(self.tbl(Meeting).row(**values))
                self.agenda(cursor, meeting_id, index, is_past, body_seats, items, recommendations, actions, day)
                if invited:
                    self.participants(meeting_id, starts, is_past, body_seats, participants)
        self.copy(cursor, Body, bodies, "Gremien")
        self.copy(cursor, BodyMember, seats, None)
        self.copy(cursor, Meeting, meetings, "Sitzungen")
        self.copy(cursor, AgendaItem, items, "TOPs")
        self.copy(cursor, Participant, participants, "Teilnahmen", with_pk=False)
        self.copy(cursor, Recommendation, recommendations, "Empfehlungen", with_pk=False)
        self.copy(cursor, ActionItem, actions, "Aufgaben", with_pk=False)

    def agenda(self, cursor, meeting_id, index, is_past, seats, items, recommendations, actions, day) -> None:
        rng = self.rng
        item_ids = reserve(cursor, AgendaItem, 5)
        topic, organisation = TOPICS[index % len(TOPICS)]
        presenter = seats[1 + rng.randrange(len(seats) - 1)] if len(seats) > 1 else None
        specs = [
            {"title": "Begrüßung und Genehmigung des Protokolls der letzten Sitzung", "minutes": 10},
            {"title": "Offene Aufgaben", "minutes": 15},
            {"title": topic, "speaker_name": self.person(), "speaker_organisation": organisation, "minutes": 30},
            {
                "title": f"Partner stellt sich vor: {presenter[3]}",
                "presenter_partner_id": presenter[1],
                "is_partner_presentation": True,
                "minutes": 20,
            }
            if presenter
            else {"title": "Bericht der Koordination", "minutes": 20},
            {"title": "Verschiedenes", "minutes": 10},
        ]
        notes = (
            "Die Sitzungsleitung begrüßt die Anwesenden. Das Protokoll der letzten Sitzung wird genehmigt.",
            "Die offenen Aufgaben wurden durchgesprochen; erledigte Punkte sind abgehakt.",
            "Vortrag mit anschließender Aussprache.",
            "Vorstellung von Angeboten, Zugangswegen und Ansprechpersonen; Rückfragen zu Wartezeiten und Sprachen.",
            "Keine weiteren Punkte.",
        )
        for number, (item_id, spec) in enumerate(zip(item_ids, specs, strict=True), start=1):
            items.append(
                self.tbl(AgendaItem).row(
                    id=item_id, meeting_id=meeting_id, number=number, notes=notes[number - 1] if is_past else "", **spec
                )
            )
        if not is_past:
            return
        created = at(day, 14, 30)
        recommendations.append(
            self.tbl(Recommendation).row(
                id=None,
                meeting_id=meeting_id,
                agenda_item_id=item_ids[2],
                text=RECOMMENDATIONS[index % len(RECOMMENDATIONS)],
                created=created,
            )
        )
        for offset in range(2):
            partner = seats[1 + rng.randrange(len(seats) - 1)][1] if len(seats) > 1 else None
            actions.append(
                self.tbl(ActionItem).row(
                    id=None,
                    meeting_id=meeting_id,
                    agenda_item_id=item_ids[2],
                    text=ACTIONS[(index * 2 + offset) % len(ACTIONS)],
                    responsible_partner_id=partner,
                    responsible_name="" if partner else "Netzwerkkoordination",
                    due_date=day + datetime.timedelta(days=60 + 30 * offset),
                    done_at=at(day + datetime.timedelta(days=40), 10) if rng.random() < 0.6 else None,
                    done_by_id=None,
                    created=created,
                )
            )

    def participants(self, meeting_id, starts, is_past, seats, rows) -> None:
        rng = self.rng
        invited = starts - datetime.timedelta(days=21)
        answered = 1.0 if is_past else 0.4
        for member_id, partner_id, name, organisation in seats:
            reply, substitute, replied, attendance = "offen", "", None, ""
            if rng.random() < answered:
                reply = rng.choices(("zugesagt", "abgesagt", "vertreten"), weights=(75, 15, 10))[0]
                substitute = "Kollegin aus dem Team" if reply == "vertreten" else ""
                replied = invited + datetime.timedelta(days=rng.randint(1, 14))
            if is_past:
                if reply == "abgesagt":
                    attendance = "entschuldigt"
                else:
                    attendance = rng.choices(("anwesend", "abwesend"), weights=(92, 8))[0]
            rows.append(
                self.tbl(Participant).row(
                    id=None,
                    meeting_id=meeting_id,
                    partner_id=partner_id,
                    member_id=member_id,
                    name=name,
                    organisation=organisation,
                    is_guest=False,
                    token_hash="",
                    invited_at=invited,
                    reply=reply,
                    substitute=substitute,
                    replied_at=replied,
                    attendance=attendance,
                )
            )
