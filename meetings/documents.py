"""The printed documents of a meeting: invitation with agenda, sign-in sheet, protocol (praevnet.pdf.render_pdf).

Each context is built with a fixed number of queries, so a protocol with 60 attendees costs what one with 6 does.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import slugify

from meetings import clock
from meetings.models import AgendaItem, Meeting, Participant
from meetings.selectors import missing_seats, open_actions_before
from praevnet.pdf import render_pdf

#: The meeting documents' own print rules (after pdf.css), parsed once per process by praevnet.pdf.
STYLESHEETS = ("css/pdf_meetings.css",)


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.items.select_related("presenter_partner", "presenter_member__partner").order_by("number"))


def _participants(meeting: Meeting) -> list[Participant]:
    return list(meeting.participants.select_related("partner").order_by("is_guest", "organisation", "name"))


def attendance_groups(participants: list[Participant]) -> dict[str, list[Participant]]:
    groups = {"present": [], "excused": [], "absent": [], "guests": [], "unknown": []}
    for p in participants:
        if p.is_guest:
            groups["guests"].append(p)
        elif p.attendance == Participant.Attendance.PRESENT:
            groups["present"].append(p)
        elif p.attendance == Participant.Attendance.EXCUSED or (not p.attendance and p.reply == Participant.Reply.NO):
            groups["excused"].append(p)
        elif p.attendance == Participant.Attendance.ABSENT:
            groups["absent"].append(p)
        else:
            groups["unknown"].append(p)
    return groups


def _base(meeting: Meeting) -> dict:
    network = meeting.body.network
    return {
        "meeting": meeting,
        "body": meeting.body,
        "network": network,
        "starts": timezone.localtime(meeting.starts_at),
        "ends": timezone.localtime(meeting.ends_at),
        "created_at": timezone.localtime(clock.now()),
    }


def invitation_context(meeting: Meeting) -> dict:
    return {**_base(meeting), "items": _items(meeting), "open_actions": list(open_actions_before(meeting))}


def signin_context(meeting: Meeting) -> dict:
    """Every seat of the meeting; members not invited yet appear too (printed before anyone was invited)."""
    participants = [p for p in _participants(meeting) if not p.is_guest]
    participants += missing_seats(meeting, participants)
    participants.sort(key=lambda p: (p.organisation.casefold(), p.name.casefold()))
    return {**_base(meeting), "participants": participants, "blank_rows": range(max(8, 20 - len(participants) // 3))}


def group_by_item(items: list[AgendaItem], recommendations: list, actions: list) -> list[dict]:
    """Each TOP with the recommendations and action items recorded under it."""
    by_item: dict[int, dict] = {item.pk: {"recommendations": [], "actions": []} for item in items}
    for rec in recommendations:
        if rec.agenda_item_id in by_item:
            by_item[rec.agenda_item_id]["recommendations"].append(rec)
    for action in actions:
        if action.agenda_item_id in by_item:
            by_item[action.agenda_item_id]["actions"].append(action)
    return [{"item": item, **by_item[item.pk]} for item in items]


def without_names(participants: list[Participant]) -> list[str]:
    """The institutions of a group of seats, each once; people without an institution only as a count."""
    institutions = list(dict.fromkeys(p.organisation for p in participants if p.organisation))
    persons = sum(1 for p in participants if not p.organisation)
    if persons:
        institutions.append("1 Einzelperson" if persons == 1 else f"{persons} Einzelpersonen")
    return institutions


def protocol_context(meeting: Meeting, *, public: bool = False) -> dict:
    items = _items(meeting)
    recommendations = list(meeting.recommendations.select_related("agenda_item").order_by("created", "pk"))
    actions = list(meeting.action_items.select_related("responsible_partner", "agenda_item").order_by("due_date", "pk"))
    return {
        **_base(meeting),
        "items": group_by_item(items, recommendations, actions),
        "recommendations": recommendations,
        "actions": actions,
        "groups": (groups := attendance_groups(_participants(meeting))),
        "public_groups": {key: without_names(value) for key, value in groups.items()} if public else None,
        "public": public,
        "draft": not meeting.is_approved,
    }


def render_invitation(meeting: Meeting) -> bytes:
    return render_pdf("pdf/meeting_invitation.html", invitation_context(meeting), stylesheets=STYLESHEETS)


def render_signin(meeting: Meeting) -> bytes:
    return render_pdf("pdf/meeting_signin.html", signin_context(meeting), stylesheets=STYLESHEETS)


def render_protocol(meeting: Meeting, *, public: bool = False) -> bytes:
    """The protocol; `public=True` the version for open data, naming institutions but no people."""
    return render_pdf("pdf/meeting_protocol.html", protocol_context(meeting, public=public), stylesheets=STYLESHEETS)


def _stem(meeting: Meeting) -> str:
    return f"{slugify(meeting.body.name)}-{timezone.localtime(meeting.starts_at):%Y-%m-%d}"


def invitation_filename(meeting: Meeting) -> str:
    return f"einladung-{_stem(meeting)}.pdf"


def signin_filename(meeting: Meeting) -> str:
    return f"teilnehmerliste-{_stem(meeting)}.pdf"


def protocol_filename(meeting: Meeting, *, draft: bool = False, public: bool = False) -> str:
    return f"protokoll-{_stem(meeting)}{'-entwurf' if draft else ''}{'-ohne-namen' if public else ''}.pdf"
