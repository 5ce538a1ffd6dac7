"""Who may see and do what with bodies and meetings; every lookup by id goes through here (foreign → 404).

Roles (see README): the coordination plans bodies and meetings and invites (Perm.MANAGE_MEETINGS); the Jugendamt
records attendance and writes, sends and approves the protocol (Perm.WRITE_PROTOCOL; seed Duisburg: "Das Protokoll
wird vom Jugendamt gefertigt"); both see every body of their network. A partner contact sees only the bodies its
institution has (or had) a seat in, replies for its institution, comments on protocols sent for approval and sees
the action items its institution is responsible for.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from meetings.models import ActionItem, Body, Meeting, Participant
from partners.models import Network
from praevnet import access
from praevnet.access import Perm


def sees_all_bodies(user, network: Network) -> bool:
    return access.has_perm(user, Perm.VIEW_PARTNERS, network)


def may_manage(user, network: Network) -> bool:
    return access.has_perm(user, Perm.MANAGE_MEETINGS, network)


def may_write_protocol(user, network: Network) -> bool:
    return access.has_perm(user, Perm.WRITE_PROTOCOL, network)


def may_record_attendance(user, network: Network) -> bool:
    return may_manage(user, network) or may_write_protocol(user, network)


def visible_bodies(user, network: Network) -> QuerySet[Body]:
    bodies = Body.objects.filter(network=network)
    if sees_all_bodies(user, network):
        return bodies
    partner = access.own_partner(user, network)
    if partner is None:
        return bodies.none()
    return bodies.filter(members__partner=partner).distinct()


def visible_meetings(user, network: Network) -> QuerySet[Meeting]:
    return Meeting.objects.filter(body__in=visible_bodies(user, network)).select_related("body", "body__network")


def get_body_or_404(user, network: Network, pk: int) -> Body:
    try:
        return visible_bodies(user, network).select_related("network").get(pk=pk)
    except Body.DoesNotExist:
        raise Http404("Dieses Gremium gibt es in diesem Netzwerk nicht.") from None


def get_meeting_or_404(user, network: Network, pk: int) -> Meeting:
    try:
        return visible_meetings(user, network).get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404("Diese Sitzung gibt es in diesem Netzwerk nicht.") from None


def own_seat(user, meeting: Meeting) -> Participant | None:
    """The invited seat of the user's institution in this meeting (None for staff and non-members)."""
    partner = access.own_partner(user, meeting.body.network)
    if partner is None:
        return None
    return meeting.participants.filter(partner=partner, is_guest=False).first()


def may_comment(user, meeting: Meeting) -> bool:
    """Body members (their institution's contacts) and the network staff comment on a protocol under review."""
    network = meeting.body.network
    if sees_all_bodies(user, network):
        return True
    partner = access.own_partner(user, network)
    return partner is not None and meeting.body.members.filter(partner=partner).exists()


def visible_action_items(user, network: Network) -> QuerySet[ActionItem]:
    """Staff see all of the network's action items; a partner contact those of its institution."""
    items = ActionItem.objects.filter(meeting__body__network=network).select_related(
        "meeting", "meeting__body", "responsible_partner"
    )
    if sees_all_bodies(user, network):
        return items
    partner = access.own_partner(user, network)
    if partner is None:
        return items.none()
    return items.filter(responsible_partner=partner)


def may_mark_done(user, item: ActionItem, network: Network) -> bool:
    if may_record_attendance(user, network):
        return True
    partner = access.own_partner(user, network)
    return partner is not None and item.responsible_partner_id == partner.pk


def get_action_item_or_404(user, network: Network, pk: int) -> ActionItem:
    try:
        return visible_action_items(user, network).get(pk=pk)
    except ActionItem.DoesNotExist:
        raise Http404("Diese Aufgabe gibt es in diesem Netzwerk nicht.") from None
