"""The annual report (Jahresbericht / Mitteilung an den Jugendhilfeausschuss) of one network for one year.

`annual_report_data(network, year)` collects every figure of the report as plain data (dicts, lists, numbers,
dates): the PDF, the HTML preview and the CSV render the same dict. The number of queries is fixed – it does not
grow with the members, meetings or participants (tests/praevnet/test_report.py counts them).

How the figures are counted (a coordinator must be able to explain every number to the Jugendhilfeausschuss):

- Members: memberships that were not only invitations. A member at the end of the year joined on or before
  31.12. ("Mitglied seit", empty = since always) and did not leave by then ("Mitglied bis" empty or later).
  Joined/left: "Mitglied seit"/"Mitglied bis" within the year. An institution with several sectors counts in each
  of them, so the sector rows can add up to more than the total.
- Agreements: the state each agreement had at the end of the year, read from its dates (invited, in force from
  "in Kraft ab", notice received on, ended on); agreements created after the year are not counted.
- Meetings: every meeting that began in the year, cancelled ones included (marked). The attendance rate of a
  meeting is present seats / invited seats (institutions and persons, without guests), counted only once the
  attendance list has been kept; per sector over those meetings, for the institutions' seats.
- Recommendations: those in approved protocols of the year's meetings.
- Action items: opened = decided in a meeting of the year; closed = marked done in the year; open at year end.
- Coverage: today's published offers (offers have no history) – partners/coverage.py.
- Goals and impact: goals.selectors.report_data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from agreements.models import Agreement
from goals.selectors import report_data as goals_report_data
from meetings import clock
from meetings.models import ActionItem, Meeting, Participant, Recommendation
from partners.coverage import coverage_matrix
from partners.models import Membership, Network, Sector

FIRST_YEAR = 2000
NO_SECTOR = "ohne Handlungsfeld"


def year_range() -> tuple[int, int]:
    """The years a report can be asked for: 2000 to next year."""
    return FIRST_YEAR, clock.today().year + 1


def default_year() -> int:
    """Last year: the report is written after the year has ended."""
    return clock.today().year - 1


def valid_year(year: int) -> bool:
    first, last = year_range()
    return first <= year <= last


def _bounds(year: int) -> tuple[datetime.date, datetime.date, datetime.datetime, datetime.datetime]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    tz = timezone.get_current_timezone()
    return (
        start,
        end,
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _rate(present: int, seats: int) -> float | None:
    return round(100 * present / seats, 1) if seats else None


# ---------------------------------------------------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------------------------------------------------


def _members(network: Network, year: int, sectors: list[str]) -> dict:
    start, end, _, _ = _bounds(year)
    memberships = list(
        Membership.objects.filter(network=network)
        .exclude(state=Membership.State.INVITED)
        .select_related("partner")
        .prefetch_related("partner__sectors")
        .order_by("partner__name")
    )
    rows = {name: {"name": name, "members": 0, "joined": 0, "left": 0} for name in sectors}
    totals = {"members": 0, "joined": 0, "left": 0, "start": 0}
    joined, left = [], []
    for membership in memberships:
        until = membership.until
        if membership.state == Membership.State.ENDED and until is None:
            continue  # ended on an unknown day: neither counted as member nor as leaving in a given year
        began_by_end = membership.since is None or membership.since <= end
        member_at_end = began_by_end and (until is None or until > end)
        member_at_start = (membership.since is None or membership.since < start) and (until is None or until >= start)
        did_join = membership.since is not None and start <= membership.since <= end
        did_leave = until is not None and start <= until <= end
        names = [s.name for s in membership.partner.sectors.all()] or [NO_SECTOR]
        for flag, key in ((member_at_end, "members"), (did_join, "joined"), (did_leave, "left")):
            if flag:
                totals[key] += 1
                for name in names:
                    rows.setdefault(name, {"name": name, "members": 0, "joined": 0, "left": 0})[key] += 1
        totals["start"] += member_at_start
        if did_join:
            joined.append({"name": membership.partner.name, "date": membership.since})
        if did_leave:
            left.append({"name": membership.partner.name, "date": until})
    by_sector = [rows[name] for name in rows if name != NO_SECTOR or any(rows[name][k] for k in totals if k != "start")]
    return {
        "by_sector": by_sector,
        "total": totals["members"],
        "at_start": totals["start"],
        "joined": totals["joined"],
        "left": totals["left"],
        "joined_list": sorted(joined, key=lambda r: (r["date"], r["name"])),
        "left_list": sorted(left, key=lambda r: (r["date"], r["name"])),
    }


# ---------------------------------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------------------------------

S = Agreement.Status


def agreement_state_at(row: dict, day: datetime.date) -> str | None:
    """The state an agreement (a values() row) had at the end of `day`, from its dates; None if it did not exist."""
    status, effective = row["status"], row["effective_from"]
    signed_by_then = effective is not None and effective <= day
    # An agreement recorded later (e.g. signed on paper) still counts from the day it was signed.
    if timezone.localdate(row["created"]) > day and not signed_by_then:
        return None
    if status in (S.INVITED, S.DECLINED, S.EXPIRED):
        # When an invitation was declined or lapsed is only known from the last change.
        return status if status == S.INVITED or timezone.localdate(row["updated"]) <= day else S.INVITED
    if not signed_by_then:
        return S.INVITED
    if status == S.SIGNED:
        return S.SIGNED
    ends_on = row["ends_on"]
    if ends_on is not None and ends_on <= day and status in (S.ENDED, S.SUPERSEDED, S.TERMINATED):
        return S.SUPERSEDED if status == S.SUPERSEDED else S.ENDED
    if row["terminated_on"] is not None and row["terminated_on"] <= day and status in (S.TERMINATED, S.ENDED):
        return S.TERMINATED
    return S.IN_FORCE


def _agreements(network: Network, year: int) -> dict:
    _, end, _, _ = _bounds(year)
    counts: dict[str, int] = defaultdict(int)
    rows = Agreement.objects.filter(network=network).values(
        "status", "effective_from", "terminated_on", "ends_on", "created", "updated"
    )
    for row in rows:
        state = agreement_state_at(row, end)
        if state is not None:
            counts[state] += 1
    return {
        "by_state": [{"state": value, "label": str(label), "count": counts[value]} for value, label in S.choices],
        "total": sum(counts.values()),
        "in_force": counts[S.IN_FORCE] + counts[S.TERMINATED],
    }


# ---------------------------------------------------------------------------------------------------------------------
# Meetings, recommendations, action items
# ---------------------------------------------------------------------------------------------------------------------

P = Participant.Attendance


def _meetings(network: Network, year: int) -> dict:
    _, _, begin, until = _bounds(year)
    now = clock.now()
    meetings = list(
        Meeting.objects.filter(body__network=network, starts_at__gte=begin, starts_at__lt=until)
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    ids = [m.pk for m in meetings]
    seats: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Participant.objects.filter(meeting_id__in=ids)
        .values("meeting_id", "is_guest", "attendance")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = "guests" if row["is_guest"] else (row["attendance"] or "unknown")
        if row["is_guest"] and row["attendance"] != P.PRESENT:
            continue
        seats[row["meeting_id"]][key] += row["n"]

    rows, recorded = [], []
    for meeting in meetings:
        counts = seats[meeting.pk]
        invited = counts[P.PRESENT] + counts[P.EXCUSED] + counts[P.ABSENT] + counts["unknown"]
        kept = not meeting.is_cancelled and counts[P.PRESENT] + counts[P.EXCUSED] + counts[P.ABSENT] > 0
        if kept:
            recorded.append(meeting.pk)
        if meeting.is_cancelled:
            state = "abgesagt"
        elif meeting.ends_at <= now:
            state = "stattgefunden"
        else:
            state = "geplant"
        rows.append(
            {
                "date": timezone.localtime(meeting.starts_at).date(),
                "title": str(meeting),
                "body": meeting.body.name,
                "state": state,
                "protocol": meeting.get_protocol_state_display() if state == "stattgefunden" else "",
                "seats": invited,
                "present": counts[P.PRESENT],
                "excused": counts[P.EXCUSED],
                "absent": counts[P.ABSENT],
                "guests": counts["guests"],
                "rate": _rate(counts[P.PRESENT], invited) if kept else None,
            }
        )

    per_sector: dict[str, dict[str, int]] = defaultdict(lambda: {"seats": 0, "present": 0})
    for row in (
        Participant.objects.filter(meeting_id__in=recorded, is_guest=False, partner__isnull=False)
        .values("partner__sectors__name", "attendance")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        entry = per_sector[row["partner__sectors__name"] or NO_SECTOR]
        entry["seats"] += row["n"]
        if row["attendance"] == P.PRESENT:
            entry["present"] += row["n"]
    by_sector = [
        {"name": name, **values, "rate": _rate(values["present"], values["seats"])}
        for name, values in sorted(per_sector.items(), key=lambda item: (item[0] == NO_SECTOR, item[0].casefold()))
    ]
    counted = [r for r in rows if r["rate"] is not None]
    present = sum(r["present"] for r in counted)
    invited = sum(r["seats"] for r in counted)
    return {
        "rows": rows,
        "held": sum(1 for r in rows if r["state"] == "stattgefunden"),
        "cancelled": sum(1 for r in rows if r["state"] == "abgesagt"),
        "planned": sum(1 for r in rows if r["state"] == "geplant"),
        "with_attendance": len(counted),
        "rate": _rate(present, invited),
        "by_sector": by_sector,
    }


def _recommendations(network: Network, year: int) -> list[dict]:
    _, _, begin, until = _bounds(year)
    rows = (
        Recommendation.objects.filter(
            meeting__body__network=network,
            meeting__starts_at__gte=begin,
            meeting__starts_at__lt=until,
            meeting__protocol_state=Meeting.ProtocolState.APPROVED,
        )
        .select_related("meeting", "meeting__body", "agenda_item")
        .order_by("meeting__starts_at", "created", "pk")
    )
    return [
        {
            "date": timezone.localtime(r.meeting.starts_at).date(),
            "meeting": str(r.meeting),
            "top": r.agenda_item.number if r.agenda_item_id else None,
            "text": r.text,
        }
        for r in rows
    ]


def _actions(network: Network, year: int) -> dict:
    _, _, begin, until = _bounds(year)
    items = (
        ActionItem.objects.filter(meeting__body__network=network, meeting__starts_at__lt=until)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=begin))
        .select_related("meeting", "meeting__body", "responsible_partner")
        .order_by("meeting__starts_at", "due_date", "pk")
    )
    opened, closed, open_at_end = [], 0, 0
    for item in items:
        in_year = item.meeting.starts_at >= begin
        done_in_year = item.done_at is not None and begin <= item.done_at < until
        closed += done_in_year
        still_open = item.done_at is None or item.done_at >= until
        open_at_end += still_open
        if in_year:
            opened.append(
                {
                    "date": timezone.localtime(item.meeting.starts_at).date(),
                    "text": item.text,
                    "responsible": item.responsible_label,
                    "due": item.due_date,
                    "done": timezone.localtime(item.done_at).date() if item.done_at and not still_open else None,
                }
            )
    return {"opened": len(opened), "closed": closed, "open_at_end": open_at_end, "items": opened}


# ---------------------------------------------------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------------------------------------------------


def _coverage(network: Network) -> dict:
    matrix = coverage_matrix(network=network, axis="sozialraum", scope="netzwerk")
    columns = [stage.name for stage in matrix.columns]
    rows = [
        {"label": row.label, "group": row.group, "cells": list(row.cells), "total": row.total, "gaps": row.gaps}
        for row in matrix.rows
    ]
    return {
        "axis_label": matrix.axis_label,
        "columns": columns,
        "rows": rows,
        "grouped": matrix.grouped,
        "column_totals": list(matrix.column_totals),
        "offers": matrix.offers,
        "cells": matrix.cells,
        "gaps": matrix.gaps,
        "gap_list": [
            {"row": row["label"], "stage": stage}
            for row in rows
            for stage, count in zip(columns, row["cells"], strict=True)
            if count == 0
        ],
        "empty_columns": [stage.name for stage in matrix.empty_columns],
        "without_stage": matrix.without_stage,
        "without_axis": matrix.without_axis,
    }


# ---------------------------------------------------------------------------------------------------------------------


def annual_report_data(network: Network, year: int) -> dict:
    """Every figure of the network's annual report for `year` as plain data (see the module docstring)."""
    start, end, _, _ = _bounds(year)
    sectors = list(Sector.objects.values_list("name", flat=True))
    members = _members(network, year, sectors)
    agreements = _agreements(network, year)
    meetings = _meetings(network, year)
    recommendations = _recommendations(network, year)
    actions = _actions(network, year)
    goals = goals_report_data(network, year)
    figures = goals["figures"]
    return {
        "network": {
            "name": network.name,
            "slug": network.slug,
            "region": network.region,
            "jugendamt": network.jugendamt,
        },
        "year": year,
        "start": start,
        "end": end,
        "complete": end < clock.today(),
        "generated": timezone.localtime(clock.now()),
        "members": members,
        "agreements": agreements,
        "meetings": meetings,
        "recommendations": recommendations,
        "actions": actions,
        "coverage": _coverage(network),
        "goals": goals,
        "figure_totals": [
            {"name": d["name"], "unit": d["unit"], "total": total}
            for d, total in zip(figures["definitions"], figures["total"], strict=False)
        ],
    }
