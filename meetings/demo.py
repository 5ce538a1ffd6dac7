"""Demo bodies and meetings for the demo networks."""

from __future__ import annotations


def load_meeting_demo() -> None:
    """Bodies, a year plan and past meetings with protocols for every demo network (filled in with the meetings)."""
