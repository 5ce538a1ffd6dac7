"""Reads used by several pages, the PDFs and the dashboard: one query per list, whatever its length."""

from __future__ import annotations

from meetings import clock
from meetings.clock import local_day
from meetings.models import ActionItem, AgendaItem, Body, BodyMember, Meeting, Participant
from partners.models import Membership

# ---------------------------------------------------------------------------------------------------------------------


def open_actions_before(meeting: Meeting):
    """Open action items of the body from earlier meetings: they carry over to this meeting's agenda."""
    return (
        ActionItem.objects.open()
        .filter(meeting__body_id=meeting.body_id, meeting__starts_at__lt=meeting.starts_at)
        .select_related("meeting", "responsible_partner")
        .order_by("due_date", "pk")
    )


def not_presented(body: Body) -> list[dict]:
    """Active member institutions of the network that have not presented their work in this body yet.

    Each entry: {"partner": …, "planned": meeting or None} – planned when a future meeting already has the TOP.
    """
    network = body.network
    members = [
        m.partner
        for m in Membership.objects.filter(network=network, state=Membership.State.ACTIVE, partner__archived_at=None)
        .select_related("partner")
        .order_by("partner__name")
    ]
    presentations = (
        AgendaItem.objects.filter(meeting__body=body, is_partner_presentation=True)
        .exclude(meeting__state=Meeting.State.CANCELLED)
        .select_related("meeting")
    )
    moment = clock.now()
    presented, planned = set(), {}
    for item in presentations:
        if item.meeting.starts_at <= moment:
            presented.add(item.presenter_partner_id)
        else:
            planned.setdefault(item.presenter_partner_id, item.meeting)
    return [{"partner": p, "planned": planned.get(p.pk)} for p in members if p.pk not in presented]


def upcoming_meetings(bodies, *, limit: int = 5):
    return (
        Meeting.objects.filter(body__in=bodies, ends_at__gte=clock.now())
        .exclude(state=Meeting.State.CANCELLED)
        .select_related("body", "body__network")
        .order_by("starts_at")[:limit]
    )


def protocols_in_review(bodies):
    return (
        Meeting.objects.filter(body__in=bodies, protocol_state=Meeting.ProtocolState.REVIEW)
        .select_related("body", "body__network")
        .order_by("starts_at")
    )


def missing_seats(meeting: Meeting, existing: list[Participant]) -> list[Participant]:
    """Unsaved seats for the body's members on the meeting day that have none yet: one per institution (named
    after its delegate) and one per person without an institution."""
    members = list(
        meeting.body.members.current(local_day(meeting.starts_at))
        .select_related("partner")
        .order_by("representation", "pk")
    )
    seated_partners = {p.partner_id for p in existing if p.partner_id and not p.is_guest}
    seated_members = {p.member_id for p in existing if p.member_id}
    seats = []
    for member in members:
        if member.partner_id:
            if member.partner_id in seated_partners:
                continue
            delegate = next(
                (
                    m
                    for m in members
                    if m.partner_id == member.partner_id and m.representation == BodyMember.Representation.DELEGATE
                ),
                member,
            )
            seats.append(
                Participant(
                    meeting=meeting, partner=member.partner, name=delegate.name, organisation=member.partner.name
                )
            )
            seated_partners.add(member.partner_id)
        elif member.pk not in seated_members:
            seats.append(Participant(meeting=meeting, member=member, name=member.name, organisation=member.function))
            seated_members.add(member.pk)
    return seats
