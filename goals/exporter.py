"""CSV export of goals and reviews, key figures and next steps (the CSV itself comes from partners.exporter.to_csv)."""

from __future__ import annotations

from django.utils import timezone

from goals import selectors
from goals.models import FigureReport, NextStep
from goals.services import goal_year
from partners.models import Network, Partner

KINDS = {
    "ziele": "Ziele und Überprüfungen",
    "kennzahlen": "Kennzahlen",
    "handlungsschritte": "Handlungsschritte",
}


def rows(kind: str, network: Network, year: int) -> tuple[list[str], list[list]]:
    return {"ziele": goal_rows, "kennzahlen": figure_rows, "handlungsschritte": step_rows}[kind](network, year)


def _num(value):
    """German decimal comma for Excel; whole numbers without decimals."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}".replace(".", ",")


def goal_rows(network: Network, year: int) -> tuple[list[str], list[list]]:
    """One row per indicator and review year (all years: the history), action goals without reviews once."""
    headers = [
        "Strategisches Ziel",
        "Ziel",
        "Handlungsziel",
        "verantwortlich",
        "Überprüfung",
        "Indikator",
        "Einheit",
        "Zielwert",
        "Jahr",
        "gemessener Wert",
        "Ampel",
        "Kommentar",
    ]
    result = []
    for goal in selectors.strategic_goals(network):
        actions = list(goal.action_goals.all())
        if not actions:
            result.append([goal.label, goal.title, "", "", "", "", "", "", "", "", "", ""])
        for action in actions:
            indicators = list(action.indicators.all()) or [None]
            reviews = list(action.reviews.all()) or [None]
            for review in reviews:
                values = {v.indicator_id: v.value for v in review.values.all()} if review else {}
                for indicator in indicators:
                    result.append(
                        [
                            goal.label,
                            goal.title,
                            action.title,
                            action.owner_label,
                            action.get_review_cycle_display(),
                            indicator.name if indicator else "",
                            indicator.unit if indicator else "",
                            _num(indicator.target_value) if indicator else "",
                            review.year if review else "",
                            _num(values.get(indicator.pk)) if indicator and review else "",
                            review.assessment_short if review else "",
                            review.comment if review else "",
                        ]
                    )
    return headers, result


def figure_rows(network: Network, year: int) -> tuple[list[str], list[list]]:
    """One row per asked institution of the year; not reported means empty cells and "nein"."""
    status = selectors.reporting_status(network, year)
    definitions = selectors.asked_figures(goal_year(network, year))
    headers = [
        "Einrichtung",
        "Handlungsfelder",
        "Sozialräume",
        "gemeldet",
        "gemeldet am",
        *[f"{d.name} ({d.unit})" for d in definitions],
        "Anmerkung",
    ]
    reports = {
        r.partner_id: r
        for r in FigureReport.objects.filter(goal_year__network=network, goal_year__year=year).prefetch_related(
            "values"
        )
    }
    partners = {p["partner"].pk: p["partner"] for p in status}
    for partner in Partner.objects.filter(pk__in=partners).prefetch_related("sectors", "districts__municipality"):
        partners[partner.pk] = partner
    result = []
    for entry in status:
        partner = partners[entry["partner"].pk]
        report = reports.get(partner.pk)
        values = {v.definition_id: v.value for v in report.values.all()} if report else {}
        result.append(
            [
                partner.name,
                "; ".join(s.name for s in partner.sectors.all()),
                "; ".join(str(d) for d in partner.districts.all()),
                "ja" if report else "nein",
                timezone.localdate(report.reported_at) if report else None,
                *[_num(values.get(d.pk)) for d in definitions],
                report.comment if report else "",
            ]
        )
    return headers, result


def step_rows(network: Network, year: int) -> tuple[list[str], list[list]]:
    headers = ["Jahr", "Handlungsschritt", "verantwortlich", "bis", "erledigt am", "Status"]
    result = [
        [s.year, s.title, s.responsible, s.due, s.done_on, "erledigt" if s.is_done else "offen"]
        for s in NextStep.objects.filter(network=network, year=year).order_by("order", "pk")
    ]
    return headers, result
