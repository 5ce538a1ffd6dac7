"""Workflows on networks and partners: every change goes through one of these functions."""

from __future__ import annotations

from django.db import transaction

from partners.models import Network
from praevnet.audit import changes, log_action, snapshot

NETWORK_EDITABLE_FIELDS = [
    "jugendamt",
    "focus",
    "since",
    "leitbild",
    "contact_email",
    "contact_phone",
    "meeting_place",
    "meeting_weekday",
    "meeting_start",
    "meeting_minutes",
    "meeting_rhythm",
    "logo",
]


@transaction.atomic
def network_update(*, network: Network, actor, data: dict) -> Network:
    """Change a network's own settings (what coordinators may edit) and record the change."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    before = snapshot(network, NETWORK_EDITABLE_FIELDS)
    for name in NETWORK_EDITABLE_FIELDS:
        if name in data:
            setattr(network, name, data[name])
    network.full_clean()
    network.save()
    diff = changes(network, NETWORK_EDITABLE_FIELDS, before)
    if diff:
        log_action(actor=actor, action="network.update", network=network, obj=network, data=diff)
    return network
