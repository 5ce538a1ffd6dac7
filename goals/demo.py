"""Demo goals and key figures for the demo networks."""

from __future__ import annotations


def load_goal_demo() -> None:
    """Strategic goals, action goals and reported figures for the demo networks (filled in with the goals)."""
