"""What the dashboard shows of meetings: next meetings, open action items, protocols out for comments."""

from __future__ import annotations

from meetings import permissions, selectors
from meetings.models import Meeting
from partners.models import Network
from praevnet import access


def meeting_dashboard(user, network: Network) -> dict:
    """Context for praevnet/dashboard_*.html; a fixed number of queries whatever the number of meetings."""
    bodies = permissions.visible_bodies(user, network)
    actions = permissions.visible_action_items(user, network).open().order_by("due_date", "pk")
    own = access.own_partner(user, network)
    seats = {}
    upcoming = list(selectors.upcoming_meetings(bodies, limit=3))
    if own is not None and upcoming:
        seats = {seat.meeting_id: seat for seat in own.meeting_seats.filter(meeting__in=upcoming, is_guest=False)}
    return {
        "next_meetings": [{"meeting": m, "seat": seats.get(m.pk)} for m in upcoming],
        "open_actions": list(actions[:8]),
        "open_action_count": actions.count(),
        "protocols_in_review": list(selectors.protocols_in_review(bodies)),
        "protocols_to_approve": list(selectors.protocols_in_review(bodies))
        if permissions.may_write_protocol(user, network)
        else [],
        "meeting_states": Meeting.ProtocolState,
    }
