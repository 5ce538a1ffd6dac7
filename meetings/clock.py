"""The clock of the meetings app: one place so tests can move time (monkeypatch `meetings.clock.now`)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()
