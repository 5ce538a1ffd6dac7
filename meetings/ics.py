"""Calendar files (.ics, RFC 5545 / iTIP) for invitations, changes and cancellations.

Every meeting keeps one UID; each change raises SEQUENCE, so calendar programs replace the entry they already have
(METHOD:REQUEST) or remove it (METHOD:CANCEL) instead of adding a second one.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@praevnet"


def meeting_ics(meeting: Meeting, *, items=None, cancel: bool = False, attendee: str = "") -> bytes:
    """The meeting as an iCalendar file; `cancel` makes it a cancellation of the same UID."""
    network = meeting.body.network
    calendar = Calendar()
    calendar.add("prodid", "-//praevnet//Sitzungen//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"{meeting} – {network.name}")
    event.add("location", meeting.place)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    lines = [meeting.invitation_text.strip()] if meeting.invitation_text.strip() else []
    if items:
        lines.append("Tagesordnung:")
        lines += [f"TOP {item.number}: {item.title}" for item in items]
    lines.append(settings.SITE_URL + meeting.get_absolute_url())
    event.add("description", "\n".join(lines))
    if network.contact_email:
        organizer = vCalAddress(f"mailto:{network.contact_email}")
        organizer.params["cn"] = vText(network.name)
        event.add("organizer", organizer)
    if attendee:
        address = vCalAddress(f"mailto:{attendee}")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    calendar.add_component(event)
    return calendar.to_ical()


def ics_filename(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return f"sitzung-{local:%Y-%m-%d}.ics"
