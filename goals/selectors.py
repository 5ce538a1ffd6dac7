"""Reads of goals and impact: what pages, the CSV export, the dashboard and the annual report show.

`report_data(network, year)` is the one call the annual report (issue 7) makes; see its docstring for the shape.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch

from goals import services
from goals.models import (
    ActionGoal,
    FigureDefinition,
    FigureReport,
    FigureValue,
    GoalYear,
    Indicator,
    NextStep,
    Review,
    ReviewValue,
    StrategicGoal,
)
from goals.services import members_asked
from partners.models import District, Network, Partner, Sector

NO_SECTOR = "ohne Handlungsfeld"
NO_DISTRICT = "ohne Sozialraum"


def strategic_goals(network: Network):
    """Strategic goals with their action goals, owners, indicators and all reviews (with values), newest first."""
    reviews = Review.objects.select_related("recorded_by").prefetch_related(
        Prefetch("values", queryset=ReviewValue.objects.select_related("indicator"))
    )
    actions = ActionGoal.objects.select_related("owner_partner").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("pk")),
        Prefetch("reviews", queryset=reviews.order_by("-year")),
    )
    return StrategicGoal.objects.filter(network=network).prefetch_related(Prefetch("action_goals", queryset=actions))


def review_for(action: ActionGoal, year: int) -> Review | None:
    """The review of `year` from the prefetched reviews (no query)."""
    return next((r for r in action.reviews.all() if r.year == year), None)


def _number(value: Decimal | None):
    """Decimal as int when whole (12, not 12.00) – for CSV and the report."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def goals_with_reviews(network: Network, year: int) -> list[dict]:
    result = []
    for goal in strategic_goals(network):
        actions = []
        for action in goal.action_goals.all():
            review = review_for(action, year)
            values = {v.indicator_id: v.value for v in review.values.all()} if review else {}
            actions.append(
                {
                    "title": action.title,
                    "description": action.description,
                    "owner": action.owner_label,
                    "owner_is_partner": action.owner_partner_id is not None,
                    "review_cycle": action.get_review_cycle_display(),
                    "review_due": action.is_review_due(year),
                    "indicators": [
                        {
                            "name": i.name,
                            "unit": i.unit,
                            "target": _number(i.target_value),
                            "measured": _number(values.get(i.pk)),
                        }
                        for i in action.indicators.all()
                    ],
                    "review": (
                        {
                            "assessment": review.assessment,
                            "assessment_label": review.get_assessment_display(),
                            "comment": review.comment,
                        }
                        if review
                        else None
                    ),
                    "history": [
                        {"year": r.year, "assessment": r.assessment, "assessment_label": r.get_assessment_display()}
                        for r in action.reviews.all()
                    ],
                }
            )
        result.append(
            {
                "number": goal.number,
                "label": goal.label,
                "title": goal.title,
                "description": goal.description,
                "action_goals": actions,
            }
        )
    return result


def asked_figures(row: GoalYear | None) -> list[FigureDefinition]:
    return list(row.figures.order_by("order", "name")) if row is not None else []


def reporting_status(network: Network, year: int) -> list[dict]:
    """Every institution asked in `year`, with its report (or None) and the reminders it got."""
    row = GoalYear.objects.filter(network=network, year=year).first()
    reports = {}
    reminders = defaultdict(list)
    if row is not None:
        reports = {r.partner_id: r for r in FigureReport.objects.filter(goal_year=row).select_related("reported_by")}
        for reminder in row.reminders.order_by("sent_at"):
            reminders[reminder.partner_id].append(reminder)
    definitions = asked_figures(row)
    values: dict[int, dict[int, Decimal]] = defaultdict(dict)
    if row is not None:
        for partner_id, definition_id, value in FigureValue.objects.filter(report__goal_year=row).values_list(
            "report__partner_id", "definition_id", "value"
        ):
            values[partner_id][definition_id] = value
    return [
        {
            "partner": partner,
            "report": reports.get(partner.pk),
            "reminders": reminders.get(partner.pk, []),
            "values": [_number(values[partner.pk].get(d.pk)) for d in definitions],
        }
        for partner in members_asked(network)
    ]


def figure_rollup(network: Network, year: int) -> dict:
    """Sums of the reported figures of `year`: for the network, per sector and per district (Sozialraum).

    An institution working in two sectors (or districts) counts in each of them, so the rows of a breakdown can add
    up to more than the network total; institutions without a sector/district are listed as such.
    """
    row = GoalYear.objects.filter(network=network, year=year).first()
    definitions = asked_figures(row)
    empty = {
        "definitions": definitions,
        "total": {},
        "totals": [],
        "summary": [],
        "by_sector": [],
        "by_district": [],
        "reported": 0,
        "asked": 0,
    }
    if row is None:
        return empty
    values = list(
        FigureValue.objects.filter(report__goal_year=row)
        .select_related("report")
        .values_list("report__partner_id", "definition_id", "value")
    )
    partner_ids = {p for p, _, _ in values}
    partners = Partner.objects.filter(pk__in=partner_ids).prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("order", "name")),
        Prefetch("districts", queryset=District.objects.select_related("municipality")),
    )
    sectors_of = {p.pk: [s.name for s in p.sectors.all()] or [NO_SECTOR] for p in partners}
    districts_of = {p.pk: [str(d) for d in p.districts.all()] or [NO_DISTRICT] for p in partners}
    total: dict[int, Decimal] = defaultdict(Decimal)
    by_sector: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    by_district: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for partner_id, definition_id, value in values:
        total[definition_id] += value
        for name in sectors_of.get(partner_id, [NO_SECTOR]):
            by_sector[name][definition_id] += value
        for name in districts_of.get(partner_id, [NO_DISTRICT]):
            by_district[name][definition_id] += value

    def rows(groups: dict) -> list[dict]:
        ordered = sorted(groups, key=lambda n: (n in (NO_SECTOR, NO_DISTRICT), n.casefold()))
        return [
            {"name": name, "values": [_number(groups[name].get(d.pk, Decimal(0))) for d in definitions]}
            for name in ordered
        ]

    return {
        "definitions": definitions,
        "total": {d.pk: _number(total.get(d.pk, Decimal(0))) for d in definitions},
        "totals": [_number(total.get(d.pk, Decimal(0))) for d in definitions],
        "summary": [{"definition": d, "total": _number(total.get(d.pk, Decimal(0)))} for d in definitions],
        "by_sector": rows(by_sector),
        "by_district": rows(by_district),
        "reported": len(partner_ids),
        "asked": members_asked(network).count(),
    }


def next_steps(network: Network, year: int):
    return NextStep.objects.filter(network=network, year=year).order_by("order", "pk")


def report_data(network: Network, year: int) -> dict:
    """Everything about goals and impact of one network and year, for the annual report (plain data, no queries left).

    Returns a dict:
      - "year": the year; "closed": True when the coordination has closed the year (values are final)
      - "goals": list of strategic goals in order, each {"number", "label" ("I"…), "title", "description",
        "action_goals": [{"title", "description", "owner" (institution or body name), "owner_is_partner",
        "review_cycle" (German label), "review_due" (bool for this year),
        "indicators": [{"name", "unit", "target", "measured" (None if not recorded)}],
        "review": None or {"assessment" ("gruen"|"gelb"|"rot"), "assessment_label", "comment"},
        "history": [{"year", "assessment", "assessment_label"}, …] newest first}]}
      - "figures": {"definitions": [{"name", "unit"}], "total": [sum per definition, same order],
        "by_sector": [{"name", "values": [...]}], "by_district": [{"name", "values": [...]}],
        "reported": number of institutions that reported, "asked": number of active member institutions,
        "missing": [names of institutions that have not reported]}
      - "next_steps": [{"title", "responsible", "due" (date or None), "done_on" (date or None), "done" (bool)}]
      - "traffic_lights": {"gruen": n, "gelb": n, "rot": n, "offen": n} over the action goals for this year
    """
    row = GoalYear.objects.filter(network=network, year=year).first()
    goals = goals_with_reviews(network, year)
    rollup = figure_rollup(network, year)
    status = reporting_status(network, year)
    lights = {"gruen": 0, "gelb": 0, "rot": 0, "offen": 0}
    for goal in goals:
        for action in goal["action_goals"]:
            lights[action["review"]["assessment"] if action["review"] else "offen"] += 1
    return {
        "year": year,
        "closed": bool(row and row.is_closed),
        "goals": goals,
        "figures": {
            "definitions": [{"name": d.name, "unit": d.unit} for d in rollup["definitions"]],
            "total": rollup.get("totals", []),
            "by_sector": rollup["by_sector"],
            "by_district": rollup["by_district"],
            "reported": rollup["reported"],
            "asked": rollup["asked"] or len(status),
            "missing": [s["partner"].name for s in status if s["report"] is None] if row is not None else [],
        },
        "next_steps": [
            {"title": s.title, "responsible": s.responsible, "due": s.due, "done_on": s.done_on, "done": s.is_done}
            for s in next_steps(network, year)
        ],
        "traffic_lights": lights,
    }


# ---------------------------------------------------------------------------------------------------------------------
# Dashboard fragments
# ---------------------------------------------------------------------------------------------------------------------


def open_years_asking(network: Network):
    return (
        GoalYear.objects.filter(network=network, closed_at__isnull=True, figures__isnull=False)
        .distinct()
        .order_by("year")
    )


def dashboard_partner(network: Network, partner: Partner | None) -> dict:
    """For the partner dashboard: the open years in which the institution still has to report its figures."""
    if partner is None:
        return {"network": network, "partner": None, "due": []}
    due = []
    for row in open_years_asking(network):
        report = FigureReport.objects.filter(goal_year=row, partner=partner).first()
        due.append(
            {
                "year": row.year,
                "deadline": row.figures_due,
                "report": report,
                "overdue": bool(row.figures_due and row.figures_due < services.today() and report is None),
            }
        )
    return {"network": network, "partner": partner, "due": due}


def dashboard_staff(network: Network) -> dict:
    """For the coordination dashboard: per open year how many institutions have reported, and the traffic lights."""
    years = []
    asked = members_asked(network).count()
    for row in open_years_asking(network):
        reported = row.reports.filter(partner__in=members_asked(network)).count()
        years.append(
            {
                "year": row.year,
                "deadline": row.figures_due,
                "reported": reported,
                "asked": asked,
                "missing": max(asked - reported, 0),
            }
        )
    current = services.today().year
    lights = {"gruen": 0, "gelb": 0, "rot": 0}
    for assessment in Review.objects.filter(action_goal__strategic_goal__network=network, year=current).values_list(
        "assessment", flat=True
    ):
        lights[assessment] += 1
    return {
        "network": network,
        "years": years,
        "lights": lights,
        "year": current,
        "goal_count": StrategicGoal.objects.filter(network=network).count(),
    }
