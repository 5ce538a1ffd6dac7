"""Workflows of bodies and meetings: year plan, invitations with .ics, replies, attendance, protocol and approval.

Every function is keyword-only, atomic, validates with full_clean, writes an audit entry and sends e-mail only
after the transaction has committed. German MeetingError messages are meant for the user.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from meetings import clock, documents, selectors, yearplan
from meetings.clock import local_day
from meetings.ics import ics_filename, meeting_ics
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
from partners.models import Membership, Network
from praevnet import access
from praevnet.audit import log_action
from praevnet.calendar import holiday_name
from praevnet.emails import send_email


class MeetingError(Exception):
    """A step that is not possible now; the message is German and meant for the user."""


class InvalidReplyLink(MeetingError):
    """A reply link that does not (any longer) work; `status` is 404 (unknown) or 410 (replaced, meeting over)."""

    def __init__(self, message: str, *, status: int, network: Network | None = None):
        super().__init__(message)
        self.status = status
        self.network = network


BODY_FIELDS = ("kind", "name", "description", "place", "is_active")
MEMBER_FIELDS = ("partner", "name", "function", "email", "role", "representation", "since", "until")
MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "invitation_text")
ITEM_FIELDS = (
    "number",
    "title",
    "description",
    "presenter_member",
    "presenter_partner",
    "speaker_name",
    "speaker_organisation",
    "minutes",
    "is_partner_presentation",
    "attachment",
)
#: What a change of these fields means for people who already have the meeting in their calendar.
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "title")

STANDARD_AGENDA = [
    ("Begrüßung und Genehmigung des Protokolls der letzten Sitzung", 10),
    ("Offene Aufgaben aus früheren Sitzungen", 15),
    ("Verschiedenes", 10),
]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def reply_url(token: str) -> str:
    return settings.SITE_URL + reverse("meeting_reply_link", kwargs={"token": token})


def _date(day) -> str:
    return day.strftime("%d.%m.%Y")


def _save(instance) -> None:
    instance.full_clean()
    instance.save()


# ---------------------------------------------------------------------------------------------------------------------
# Bodies and members
# ---------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def body_create(*, network: Network, actor, data: dict) -> Body:
    """Create a body (Gremium) of the network."""
    body = Body(network=network, **{name: data[name] for name in BODY_FIELDS if name in data})
    _save(body)
    log_action(actor=actor, action="body.create", network=network, obj=body)
    return body


@transaction.atomic
def body_update(*, body: Body, actor, data: dict) -> Body:
    """Change name, kind, task or usual place of a body."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    for name in BODY_FIELDS:
        if name in data:
            setattr(body, name, data[name])
    _save(body)
    log_action(actor=actor, action="body.update", network=body.network, obj=body)
    return body


@transaction.atomic
def member_add(*, body: Body, actor, data: dict) -> BodyMember:
    """Give an institution (delegate or deputy) or a person a seat in the body."""
    member = BodyMember(body=body, **{name: data[name] for name in MEMBER_FIELDS if name in data})
    _save(member)
    log_action(actor=actor, action="body.member_add", network=body.network, obj=member, data={"Gremium": body.name})
    return member


@transaction.atomic
def member_update(*, member: BodyMember, actor, data: dict) -> BodyMember:
    """Change a seat (e.g. end it with "Mitglied bis")."""
    member = BodyMember.objects.select_for_update().select_related("body__network").get(pk=member.pk)
    for name in MEMBER_FIELDS:
        if name in data:
            setattr(member, name, data[name])
    _save(member)
    log_action(actor=actor, action="body.member_update", network=member.body.network, obj=member)
    return member


# ---------------------------------------------------------------------------------------------------------------------
# Year plan and meetings
# ---------------------------------------------------------------------------------------------------------------------


def year_plan_proposal(*, body: Body, year: int) -> list[yearplan.PlannedDate]:
    network = body.network
    return yearplan.plan_dates(
        year=year, weekday=network.meeting_weekday, rhythm=network.meeting_rhythm, state=network.federal_state
    )


def _moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def default_times(network: Network, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = _moment(day, network.meeting_start)
    return start, start + datetime.timedelta(minutes=network.meeting_minutes)


@transaction.atomic
def year_plan_create(*, body: Body, actor, days: list[datetime.date]) -> list[Meeting]:
    """Planned meetings (not yet invited) on `days` at the network's usual time and place; holidays are refused.

    A day on which the body already has a meeting is left alone, so creating the same plan twice adds nothing.
    """
    network = body.network
    refused = [f"{_date(day)} ({name})" for day in days if (name := holiday_name(day, network.federal_state))]
    if refused:
        raise MeetingError("Diese Tage sind gesetzliche Feiertage: " + ", ".join(refused) + ".")
    existing = {local_day(m.starts_at) for m in body.meetings.exclude(state=Meeting.State.CANCELLED)}
    created = []
    for number, day in enumerate(sorted(days), start=1):
        if day in existing:
            continue
        starts_at, ends_at = default_times(network, day)
        meeting = _meeting_new(
            body=body,
            data={
                "title": f"{number}. {body.name} {day.year}",
                "starts_at": starts_at,
                "ends_at": ends_at,
                "place": body.default_place,
            },
        )
        created.append(meeting)
    log_action(
        actor=actor,
        action="meeting.year_plan",
        network=network,
        obj=body,
        data={"Termine": ", ".join(_date(local_day(m.starts_at)) for m in created)},
    )
    return created


def _meeting_new(*, body: Body, data: dict, standard_agenda: bool = True) -> Meeting:
    meeting = Meeting(body=body, **{name: data[name] for name in MEETING_FIELDS if name in data})
    _save(meeting)
    if standard_agenda:
        for number, (title, minutes) in enumerate(STANDARD_AGENDA, start=1):
            _save(AgendaItem(meeting=meeting, number=number, title=title, minutes=minutes))
    return meeting


@transaction.atomic
def meeting_create(*, body: Body, actor, data: dict, standard_agenda: bool = True) -> Meeting:
    """A single meeting of the body (not yet invited) with the usual opening and closing TOPs."""
    meeting = _meeting_new(body=body, data=data, standard_agenda=standard_agenda)
    log_action(actor=actor, action="meeting.create", network=body.network, obj=meeting)
    return meeting


def place_conflicts(meeting: Meeting) -> list[Meeting]:
    """Other meetings of the network at the same place whose time overlaps (a warning, not a refusal)."""
    if not meeting.place.strip():
        return []
    return list(
        Meeting.objects.filter(
            body__network=meeting.body.network,
            place__iexact=meeting.place.strip(),
            starts_at__lt=meeting.ends_at,
            ends_at__gt=meeting.starts_at,
        )
        .exclude(pk=meeting.pk)
        .exclude(state=Meeting.State.CANCELLED)
        .select_related("body")
    )


def _check_not_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MeetingError("Diese Sitzung ist abgesagt und kann nicht mehr geändert werden.")


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor, data: dict) -> Meeting:
    """Change date, time, place or text; invited people get an updated calendar entry (.ics, same UID)."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_not_cancelled(meeting)
    if meeting.is_approved:
        raise MeetingError("Das Protokoll dieser Sitzung ist genehmigt; die Sitzung kann nicht mehr geändert werden.")
    before = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    for name in MEETING_FIELDS:
        if name in data:
            setattr(meeting, name, data[name])
    changed = [name for name in MEETING_FIELDS if getattr(meeting, name) != before[name]]
    calendar_change = meeting.state == Meeting.State.INVITED and any(name in CALENDAR_FIELDS for name in changed)
    if calendar_change:
        meeting.sequence += 1
    _save(meeting)
    log_action(
        actor=actor,
        action="meeting.update",
        network=meeting.body.network,
        obj=meeting,
        data={"geändert": ", ".join(str(Meeting._meta.get_field(name).verbose_name) for name in changed)},
    )
    if calendar_change:
        _mail_seats(meeting, "meeting_update", cancel=False)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor, reason: str = "") -> Meeting:
    """Cancel a meeting; invited people get a cancellation (.ics METHOD:CANCEL) for their calendar."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise MeetingError("Diese Sitzung ist bereits abgesagt.")
    if meeting.is_past:
        raise MeetingError("Eine Sitzung, die schon begonnen hat, kann nicht mehr abgesagt werden.")
    was_invited = meeting.state == Meeting.State.INVITED
    meeting.state = Meeting.State.CANCELLED
    meeting.cancelled_at = clock.now()
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    _save(meeting)
    log_action(actor=actor, action="meeting.cancel", network=meeting.body.network, obj=meeting, data={"Grund": reason})
    if was_invited:
        _mail_seats(meeting, "meeting_cancelled", cancel=True)
    return meeting


# ---------------------------------------------------------------------------------------------------------------------
# Seats, invitations and replies
# ---------------------------------------------------------------------------------------------------------------------


def ensure_participants(meeting: Meeting) -> list[Participant]:
    """One seat per institution and per person that is a member of the body on the meeting day (idempotent)."""
    existing = list(meeting.participants.all())
    created = selectors.missing_seats(meeting, existing)
    for seat in created:
        _save(seat)
    return created


def seat_addresses(meeting: Meeting) -> dict[int, list[str]]:
    """E-mail addresses per seat: an institution's delegate and deputy (else its own address), a person's own."""
    day = local_day(meeting.starts_at)
    members = meeting.body.members.current(day).select_related("partner")
    by_partner: dict[int, list[str]] = defaultdict(list)
    for member in members:
        if member.partner_id and member.email:
            by_partner[member.partner_id].append(member.email)
    result = {}
    for seat in meeting.participants.filter(is_guest=False).select_related("partner", "member"):
        if seat.partner_id:
            result[seat.pk] = by_partner.get(seat.partner_id) or ([seat.partner.email] if seat.partner.email else [])
        else:
            result[seat.pk] = [seat.member.email] if seat.member and seat.member.email else []
    return result


def _new_token(participant: Participant) -> str:
    token = secrets.token_urlsafe(32)
    participant.token_hash = token_hash(token)
    return token


def _mail_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "network": meeting.body.network,
        "body": meeting.body,
        "items": list(meeting.items.select_related("presenter_partner", "presenter_member__partner")),
        "meeting_url": settings.SITE_URL + meeting.get_absolute_url(),
    }


def _mail_seats(meeting: Meeting, template: str, *, cancel: bool, only: list[Participant] | None = None) -> int:
    """Send `template` with the .ics (and, unless cancelled, the invitation PDF) to every invited seat.

    Each seat gets a fresh reply link; the previous link of that seat stops working.
    """
    seats = only if only is not None else list(meeting.participants.filter(is_guest=False, invited_at__isnull=False))
    addresses = seat_addresses(meeting)
    outgoing = []
    for seat in seats:
        to = addresses.get(seat.pk, [])
        if not to:
            continue
        token = "" if cancel else _new_token(seat)
        if not cancel:
            seat.save(update_fields=["token_hash"])
        outgoing.append((seat, to, token))
    context = _mail_context(meeting)
    meeting_id = meeting.pk

    def send():
        fresh = Meeting.objects.select_related("body__network").get(pk=meeting_id)
        ics = meeting_ics(fresh, items=context["items"], cancel=cancel)
        attachments = [(ics_filename(fresh), ics, "text/calendar; method=" + ("CANCEL" if cancel else "REQUEST"))]
        if not cancel:
            attachments.append(
                (documents.invitation_filename(fresh), documents.render_invitation(fresh), "application/pdf")
            )
        for seat, to, token in outgoing:
            send_email(
                template,
                to=to,
                context={**context, "meeting": fresh, "seat": seat, "reply_url": reply_url(token) if token else ""},
                attachments=attachments,
            )

    transaction.on_commit(send)
    return len(outgoing)


@transaction.atomic
def meeting_invite(*, meeting: Meeting, actor) -> dict:
    """Invite every member seat not invited yet: e-mail with reply link, agenda PDF and .ics.

    Returns {"sent": n, "without_address": [seat labels]}.
    """
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_not_cancelled(meeting)
    if meeting.is_past:
        raise MeetingError("Zu einer Sitzung, die schon begonnen hat, kann nicht mehr eingeladen werden.")
    if not meeting.items.exists():
        raise MeetingError("Bitte legen Sie zuerst die Tagesordnung an.")
    ensure_participants(meeting)
    pending = list(meeting.participants.filter(is_guest=False, invited_at__isnull=True))
    if not pending:
        if meeting.participants.filter(is_guest=False).exists():
            raise MeetingError("Alle Mitglieder sind bereits eingeladen.")
        raise MeetingError("Das Gremium hat noch keine Mitglieder, die eingeladen werden könnten.")
    addresses = seat_addresses(meeting)
    without = [seat.label for seat in pending if not addresses.get(seat.pk)]
    moment = clock.now()
    for seat in pending:
        seat.invited_at = moment
        seat.save(update_fields=["invited_at"])
    meeting.state = Meeting.State.INVITED
    meeting.invited_at = meeting.invited_at or moment
    meeting.save(update_fields=["state", "invited_at", "updated"])
    sent = _mail_seats(meeting, "meeting_invitation", cancel=False, only=pending)
    log_action(
        actor=actor, action="meeting.invite", network=meeting.body.network, obj=meeting, data={"Einladungen": sent}
    )
    return {"sent": sent, "without_address": without}


def seat_for_token(token: str) -> Participant:
    """The seat a reply link belongs to; InvalidReplyLink (404/410) when the link does not work (any more)."""
    if not token or len(token) > 100:
        raise InvalidReplyLink("Diesen Antwort-Link gibt es nicht.", status=404)
    seat = (
        Participant.objects.select_related("meeting__body__network", "partner")
        .filter(token_hash=token_hash(token), is_guest=False)
        .first()
    )
    if seat is None:
        raise InvalidReplyLink(
            "Diesen Antwort-Link gibt es nicht oder er wurde durch den Link einer neueren Einladung ersetzt. "
            "Bitte nutzen Sie den Link aus der neuesten E-Mail.",
            status=404,
        )
    return seat


def _check_reply_possible(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MeetingError("Diese Sitzung ist abgesagt; eine Antwort ist nicht nötig.")
    if meeting.is_past:
        raise MeetingError(
            "Die Sitzung hat bereits begonnen oder stattgefunden – eine Zu- oder Absage ist nicht mehr möglich."
        )


@transaction.atomic
def participant_reply(*, participant: Participant, actor, reply: str, substitute: str = "", via: str = "app"):
    """Zusage, Absage or "vertreten durch …" for a seat, until the meeting begins."""
    participant = (
        Participant.objects.select_for_update().select_related("meeting__body__network").get(pk=participant.pk)
    )
    meeting = participant.meeting
    _check_reply_possible(meeting)
    if reply not in {Participant.Reply.YES, Participant.Reply.NO, Participant.Reply.SUBSTITUTE}:
        raise MeetingError("Bitte wählen Sie: zugesagt, abgesagt oder vertreten durch.")
    substitute = substitute.strip()
    if reply == Participant.Reply.SUBSTITUTE and not substitute:
        raise ValidationError({"substitute": "Bitte geben Sie an, wer Ihre Einrichtung vertritt."})
    participant.reply = reply
    participant.substitute = substitute if reply == Participant.Reply.SUBSTITUTE else ""
    participant.replied_at = clock.now()
    _save(participant)
    log_action(
        actor=actor,
        action="meeting.reply",
        network=meeting.body.network,
        obj=meeting,
        data={
            "Teilnahme": participant.label,
            "Antwort": participant.get_reply_display(),
            "vertreten durch": participant.substitute,
            "über": "E-Mail-Link" if via == "link" else "praevnet",
        },
    )
    return participant


# ---------------------------------------------------------------------------------------------------------------------
# Agenda
# ---------------------------------------------------------------------------------------------------------------------


def _check_agenda_editable(meeting: Meeting) -> None:
    _check_not_cancelled(meeting)
    if meeting.is_approved:
        raise MeetingError(
            "Das Protokoll dieser Sitzung ist genehmigt; die Tagesordnung kann nicht mehr geändert werden."
        )


def next_item_number(meeting: Meeting) -> int:
    return (meeting.items.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def agenda_item_save(*, meeting: Meeting, actor, data: dict, item: AgendaItem | None = None) -> AgendaItem:
    """Add a TOP or change one; presenter is a member, a partner or an invited speaker."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_agenda_editable(meeting)
    if item is None:
        item = AgendaItem(meeting=meeting)
    elif item.meeting_id != meeting.pk:
        raise MeetingError("Dieser TOP gehört zu einer anderen Sitzung.")
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    if not item.number:
        item.number = next_item_number(meeting)
    network = meeting.body.network
    if item.presenter_partner_id and not Membership.objects.filter(network=network, partner=item.presenter_partner_id):
        raise ValidationError({"presenter_partner": "Diese Einrichtung ist nicht Mitglied dieses Netzwerks."})
    if item.presenter_member_id and item.presenter_member.body_id != meeting.body_id:
        raise ValidationError({"presenter_member": "Diese Person ist nicht Mitglied dieses Gremiums."})
    created = item.pk is None
    _save(item)
    log_action(
        actor=actor,
        action="meeting.agenda_add" if created else "meeting.agenda_update",
        network=network,
        obj=meeting,
        data={"TOP": str(item)},
    )
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem, actor) -> None:
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=item.meeting_id)
    _check_agenda_editable(meeting)
    label = str(item)
    item.delete()
    log_action(
        actor=actor, action="meeting.agenda_delete", network=meeting.body.network, obj=meeting, data={"TOP": label}
    )


# ---------------------------------------------------------------------------------------------------------------------
# Attendance and protocol
# ---------------------------------------------------------------------------------------------------------------------


def _check_protocol_open(meeting: Meeting) -> None:
    if meeting.is_approved:
        raise MeetingError("Das Protokoll ist genehmigt und kann nicht mehr geändert werden.")
    _check_not_cancelled(meeting)
    if local_day(meeting.starts_at) > clock.today():
        raise MeetingError(
            f"Die Sitzung findet erst am {_date(local_day(meeting.starts_at))} statt; Anwesenheit und Protokoll "
            "können ab dem Tag der Sitzung erfasst werden."
        )


@transaction.atomic
def attendance_record(*, meeting: Meeting, actor, attendance: dict[int, str]) -> Meeting:
    """Present / excused / absent per seat (ids of this meeting's participants)."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_protocol_open(meeting)
    seats = {seat.pk: seat for seat in meeting.participants.all()}
    unknown = set(attendance) - set(seats)
    if unknown:
        raise MeetingError("Die Liste gehört zu einer anderen Sitzung. Bitte laden Sie die Seite neu.")
    for pk, value in attendance.items():
        if value not in Participant.Attendance.values:
            raise MeetingError("Unbekannte Angabe zur Anwesenheit.")
        seat = seats[pk]
        if seat.attendance != value:
            seat.attendance = value
            seat.save(update_fields=["attendance"])
    log_action(actor=actor, action="meeting.attendance", network=meeting.body.network, obj=meeting)
    return meeting


@transaction.atomic
def guest_add(*, meeting: Meeting, actor, name: str, organisation: str = "") -> Participant:
    """A guest (e.g. an invited speaker) who took part; counted as present."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_protocol_open(meeting)
    guest = Participant(
        meeting=meeting,
        name=name.strip(),
        organisation=organisation.strip(),
        is_guest=True,
        attendance=Participant.Attendance.PRESENT,
    )
    if not guest.name:
        raise ValidationError({"name": "Bitte den Namen des Gastes angeben."})
    _save(guest)
    log_action(
        actor=actor, action="meeting.guest_add", network=meeting.body.network, obj=meeting, data={"Gast": guest.label}
    )
    return guest


@transaction.atomic
def protocol_update(*, meeting: Meeting, actor, chair: str, minute_taker: str, notes: dict[int, str]) -> Meeting:
    """Header (chair, minute-taker) and the notes per TOP of a protocol that is not approved."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_protocol_open(meeting)
    meeting.chair, meeting.minute_taker = chair.strip(), minute_taker.strip()
    _save(meeting)
    items = {item.pk: item for item in meeting.items.all()}
    if set(notes) - set(items):
        raise MeetingError("Die Tagesordnung wurde inzwischen geändert. Bitte laden Sie die Seite neu.")
    for pk, text in notes.items():
        if items[pk].notes != text:
            items[pk].notes = text
            items[pk].save(update_fields=["notes"])
    log_action(actor=actor, action="protocol.update", network=meeting.body.network, obj=meeting)
    return meeting


def _item_of(meeting: Meeting, agenda_item: AgendaItem | None) -> AgendaItem | None:
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Dieser TOP gehört zu einer anderen Sitzung."})
    return agenda_item


@transaction.atomic
def recommendation_add(*, meeting: Meeting, actor, text: str, agenda_item: AgendaItem | None = None) -> Recommendation:
    """Record an Empfehlung of the body."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_protocol_open(meeting)
    recommendation = Recommendation(meeting=meeting, agenda_item=_item_of(meeting, agenda_item), text=text.strip())
    _save(recommendation)
    log_action(actor=actor, action="protocol.recommendation_add", network=meeting.body.network, obj=meeting)
    return recommendation


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, actor) -> None:
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=recommendation.meeting_id)
    _check_protocol_open(meeting)
    recommendation.delete()
    log_action(actor=actor, action="protocol.recommendation_delete", network=meeting.body.network, obj=meeting)


@transaction.atomic
def action_item_add(*, meeting: Meeting, actor, data: dict) -> ActionItem:
    """Record an action item: what, responsible institution or person, due date."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_protocol_open(meeting)
    partner = data.get("responsible_partner")
    if partner is not None and not Membership.objects.filter(network=meeting.body.network, partner=partner).exists():
        raise ValidationError({"responsible_partner": "Diese Einrichtung ist nicht Mitglied dieses Netzwerks."})
    item = ActionItem(
        meeting=meeting,
        agenda_item=_item_of(meeting, data.get("agenda_item")),
        text=(data.get("text") or "").strip(),
        responsible_partner=partner,
        responsible_name=(data.get("responsible_name") or "").strip(),
        due_date=data.get("due_date"),
    )
    _save(item)
    log_action(
        actor=actor,
        action="protocol.action_add",
        network=meeting.body.network,
        obj=meeting,
        data={"Aufgabe": item.text},
    )
    return item


@transaction.atomic
def action_item_delete(*, item: ActionItem, actor) -> None:
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=item.meeting_id)
    _check_protocol_open(meeting)
    text = item.text
    item.delete()
    log_action(
        actor=actor, action="protocol.action_delete", network=meeting.body.network, obj=meeting, data={"Aufgabe": text}
    )


@transaction.atomic
def action_item_done(*, item: ActionItem, actor) -> ActionItem:
    """Mark an action item done (also after the protocol is approved: the task is not part of the frozen text)."""
    item = ActionItem.objects.select_for_update().select_related("meeting__body__network").get(pk=item.pk)
    if not item.is_open:
        raise MeetingError("Diese Aufgabe ist bereits erledigt.")
    item.done_at = clock.now()
    item.done_by = actor if getattr(actor, "is_authenticated", False) else None
    _save(item)
    log_action(
        actor=actor, action="action.done", network=item.meeting.body.network, obj=item, data={"Aufgabe": item.text}
    )
    return item


@transaction.atomic
def protocol_send(*, meeting: Meeting, actor, comments_until: datetime.date) -> Meeting:
    """Send the protocol to the members for comments until `comments_until` (Entwurf → zur Abstimmung versandt)."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    _check_protocol_open(meeting)
    if meeting.protocol_state != Meeting.ProtocolState.DRAFT:
        raise MeetingError("Das Protokoll ist bereits zur Abstimmung versandt.")
    if comments_until < clock.today():
        raise ValidationError({"comments_until": "Die Frist für Anmerkungen darf nicht in der Vergangenheit liegen."})
    if not any(item.notes.strip() for item in meeting.items.all()):
        raise MeetingError("Das Protokoll ist noch leer: Bitte halten Sie zu den TOPs fest, was besprochen wurde.")
    meeting.protocol_state = Meeting.ProtocolState.REVIEW
    meeting.comments_until = comments_until
    meeting.protocol_sent_at = clock.now()
    _save(meeting)
    log_action(
        actor=actor,
        action="protocol.send",
        network=meeting.body.network,
        obj=meeting,
        data={"Anmerkungen bis": _date(comments_until)},
    )
    recipients = sorted({tuple(sorted(to)) for to in seat_addresses(meeting).values() if to})
    meeting_id = meeting.pk

    def send():
        fresh = Meeting.objects.select_related("body__network").get(pk=meeting_id)
        pdf = documents.render_protocol(fresh)
        for to in recipients:
            send_email(
                "meeting_protocol_review",
                to=list(to),
                context=_mail_context(fresh),
                attachments=[(documents.protocol_filename(fresh, draft=True), pdf, "application/pdf")],
            )

    transaction.on_commit(send)
    return meeting


@transaction.atomic
def protocol_comment(*, meeting: Meeting, actor, text: str) -> ProtocolComment:
    """A member's remark on the protocol while it is out for comments."""
    meeting = Meeting.objects.select_related("body__network").get(pk=meeting.pk)
    if meeting.protocol_state != Meeting.ProtocolState.REVIEW:
        if meeting.is_approved:
            raise MeetingError("Das Protokoll ist bereits genehmigt; Anmerkungen sind nicht mehr möglich.")
        raise MeetingError("Das Protokoll ist noch nicht zur Abstimmung versandt.")
    if meeting.comments_until and clock.today() > meeting.comments_until:
        raise MeetingError(f"Die Frist für Anmerkungen ist am {_date(meeting.comments_until)} abgelaufen.")
    if not text.strip():
        raise ValidationError({"text": "Bitte schreiben Sie Ihre Anmerkung."})
    network = meeting.body.network
    partner = access.own_partner(actor, network)
    label = str(actor) + (f" ({partner.name})" if partner else "")
    comment = ProtocolComment(meeting=meeting, author=actor, author_label=label[:300], text=text.strip())
    _save(comment)
    log_action(actor=actor, action="protocol.comment", network=network, obj=meeting)
    return comment


def store_protocol_pdfs(meeting: Meeting) -> None:
    """Render the approved protocol once and keep it with its SHA-256: the full one (internal) and the one without
    people's names that open data publishes. Sets the fields; the caller saves the meeting."""
    pdf = documents.render_protocol(meeting)
    meeting.protocol_pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    meeting.protocol_pdf.save(documents.protocol_filename(meeting), ContentFile(pdf), save=False)
    public = documents.render_protocol(meeting, public=True)
    meeting.public_protocol_pdf_sha256 = hashlib.sha256(public).hexdigest()
    meeting.public_protocol_pdf.save(documents.protocol_filename(meeting, public=True), ContentFile(public), save=False)


@transaction.atomic
def protocol_approve(*, meeting: Meeting, actor, approved_in: Meeting | None = None) -> Meeting:
    """Approve the protocol: frozen from now on; its PDF is rendered once and stored with its SHA-256."""
    meeting = Meeting.objects.select_for_update().select_related("body__network").get(pk=meeting.pk)
    if meeting.is_approved:
        raise MeetingError("Das Protokoll ist bereits genehmigt und kann nicht mehr geändert werden.")
    if meeting.protocol_state != Meeting.ProtocolState.REVIEW:
        raise MeetingError("Bitte versenden Sie das Protokoll zuerst zur Abstimmung an die Mitglieder.")
    if approved_in is not None and (
        approved_in.body_id != meeting.body_id or approved_in.starts_at <= meeting.starts_at
    ):
        raise ValidationError({"approved_in": "Bitte eine spätere Sitzung desselben Gremiums wählen."})
    meeting.protocol_state = Meeting.ProtocolState.APPROVED
    meeting.approved_at = clock.now()
    meeting.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    meeting.approved_in = approved_in
    store_protocol_pdfs(meeting)
    _save(meeting)
    log_action(
        actor=actor,
        action="protocol.approve",
        network=meeting.body.network,
        obj=meeting,
        data={"SHA-256": meeting.protocol_pdf_sha256},
    )
    return meeting
