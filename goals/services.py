"""Workflows of goals and impact: every change goes through one of these functions (audit entry, full_clean)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from goals.models import (
    ActionGoal,
    FigureDefinition,
    FigureReminder,
    FigureReport,
    FigureValue,
    GoalYear,
    Indicator,
    NextStep,
    Review,
    ReviewValue,
    StrategicGoal,
)
from partners.models import Membership, Network, Partner
from praevnet.audit import changes, log_action, snapshot
from praevnet.emails import send_email
from praevnet.models import NetworkRole

PROFILE_FIELDS = list(Network.PROFILE_FIELDS)
STRATEGIC_GOAL_FIELDS = ["number", "title", "description"]
ACTION_GOAL_FIELDS = ["title", "description", "owner_partner", "owner_body", "review_cycle", "first_review_year"]
INDICATOR_FIELDS = ["name", "target_value", "unit"]
FIGURE_FIELDS = ["name", "unit", "kind", "description", "order"]
NEXT_STEP_FIELDS = ["year", "title", "responsible", "due", "order"]
REMIND_DAYS_BEFORE = 14


class YearClosedError(Exception):
    """A change to a year the coordination has closed."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"Das Jahr {year} ist abgeschlossen. Meldungen, Überprüfungen und Handlungsschritte dieses Jahres "
            "können nicht mehr geändert werden."
        )


def today() -> datetime.date:
    return timezone.localdate()


def goal_year(network: Network, year: int) -> GoalYear | None:
    return GoalYear.objects.filter(network=network, year=year).first()


def ensure_open(network: Network, year: int) -> None:
    """Refuse any change to a closed year (the row is locked so a concurrent close waits for us or we for it)."""
    row = GoalYear.objects.select_for_update().filter(network=network, year=year).first()
    if row is not None and row.is_closed:
        raise YearClosedError(year)


def _log(actor, action: str, network: Network, obj, data: dict | None = None) -> None:
    log_action(actor=actor, action=action, network=network, obj=obj, data=data)


# ---------------------------------------------------------------------------------------------------------------------
# Strategic goals, action goals, indicators, reviews
# ---------------------------------------------------------------------------------------------------------------------


def _apply(instance, fields: list[str], data: dict) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


@transaction.atomic
def strategic_goal_create(*, network: Network, actor, data: dict) -> StrategicGoal:
    """Add a strategic goal to the network."""
    goal = StrategicGoal(network=network)
    _apply(goal, STRATEGIC_GOAL_FIELDS, data)
    goal.full_clean()
    goal.save()
    _log(actor, "goal.create", network, goal, {"Ziel": goal.title[:200]})
    return goal


@transaction.atomic
def strategic_goal_update(*, goal: StrategicGoal, actor, data: dict) -> StrategicGoal:
    """Change a strategic goal's number, wording or explanation."""
    goal = StrategicGoal.objects.select_for_update().get(pk=goal.pk)
    before = snapshot(goal, STRATEGIC_GOAL_FIELDS)
    _apply(goal, STRATEGIC_GOAL_FIELDS, data)
    goal.full_clean()
    goal.save()
    diff = changes(goal, STRATEGIC_GOAL_FIELDS, before)
    if diff:
        _log(actor, "goal.update", goal.network, goal, diff)
    return goal


def _check_owner(network: Network, partner: Partner | None) -> None:
    if partner is not None and not Membership.objects.filter(network=network, partner=partner).exists():
        raise ValidationError({"owner_partner": "Diese Einrichtung ist kein Mitglied des Netzwerks."})


@transaction.atomic
def action_goal_create(*, goal: StrategicGoal, actor, data: dict, indicator: dict | None = None) -> ActionGoal:
    """Derive an action goal from a strategic goal, optionally with its first indicator."""
    action = ActionGoal(strategic_goal=goal)
    _apply(action, ACTION_GOAL_FIELDS, data)
    _check_owner(goal.network, action.owner_partner)
    action.full_clean()
    action.save()
    if indicator:
        item = Indicator(action_goal=action)
        _apply(item, INDICATOR_FIELDS, indicator)
        item.full_clean()
        item.save()
    _log(
        actor,
        "action_goal.create",
        goal.network,
        action,
        {"Strategisches Ziel": goal.label, "Verantwortlich": action.owner_label},
    )
    return action


@transaction.atomic
def action_goal_update(*, action: ActionGoal, actor, data: dict) -> ActionGoal:
    """Change an action goal (wording, owner, review cycle)."""
    action = ActionGoal.objects.select_for_update().get(pk=action.pk)
    before = snapshot(action, ACTION_GOAL_FIELDS)
    _apply(action, ACTION_GOAL_FIELDS, data)
    _check_owner(action.strategic_goal.network, action.owner_partner)
    action.full_clean()
    action.save()
    diff = changes(action, ACTION_GOAL_FIELDS, before)
    if diff:
        _log(actor, "action_goal.update", action.strategic_goal.network, action, diff)
    return action


@transaction.atomic
def indicator_save(*, action: ActionGoal, actor, data: dict, indicator: Indicator | None = None) -> Indicator:
    """Add an indicator to an action goal or change one."""
    item = (
        Indicator(action_goal=action)
        if indicator is None
        else Indicator.objects.select_for_update().get(pk=indicator.pk)
    )
    before = snapshot(item, INDICATOR_FIELDS)
    _apply(item, INDICATOR_FIELDS, data)
    item.full_clean()
    item.save()
    diff = changes(item, INDICATOR_FIELDS, before)
    if indicator is None or diff:
        _log(actor, "indicator.save", action.strategic_goal.network, item, diff)
    return item


@transaction.atomic
def review_record(
    *,
    action: ActionGoal,
    year: int,
    actor,
    assessment: str,
    comment: str,
    values: dict[int, Decimal | None],
) -> Review:
    """Record (or correct) the review of an action goal for a year: indicator values, traffic light, comment."""
    network = action.strategic_goal.network
    ensure_open(network, year)
    review = Review.objects.select_for_update().filter(action_goal=action, year=year).first()
    created = review is None
    if created:
        review = Review(action_goal=action, year=year)
    review.assessment = assessment
    review.comment = comment
    review.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    review.full_clean()
    review.save()
    indicators = {i.pk: i for i in action.indicators.all()}
    recorded = {}
    for pk, value in values.items():
        if pk not in indicators:
            raise ValidationError("Dieser Indikator gehört nicht zu dem Handlungsziel.")
        if value is None:
            ReviewValue.objects.filter(review=review, indicator_id=pk).delete()
            continue
        row = ReviewValue.objects.filter(review=review, indicator_id=pk).first() or ReviewValue(
            review=review, indicator_id=pk
        )
        row.value = value
        row.full_clean()
        row.save()
        recorded[indicators[pk].name[:80]] = f"{value} {indicators[pk].unit}"
    _log(
        actor,
        "review.record" if created else "review.update",
        network,
        review,
        {"Jahr": str(year), "Ampel": review.get_assessment_display(), **recorded},
    )
    return review


# ---------------------------------------------------------------------------------------------------------------------
# Years, key figures, reminders
# ---------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def figure_definition_save(
    *, network: Network, actor, data: dict, definition: FigureDefinition | None = None
) -> FigureDefinition:
    """Define a key figure the network asks for, or change its wording."""
    if definition is None:
        item = FigureDefinition(network=network)
    else:
        item = FigureDefinition.objects.select_for_update().get(pk=definition.pk, network=network)
        if "kind" in data and data["kind"] != item.kind and item.values.exists():
            raise ValidationError({"kind": "Für diese Kennzahl wurden schon Werte gemeldet; die Art bleibt."})
    before = snapshot(item, FIGURE_FIELDS)
    _apply(item, FIGURE_FIELDS, data)
    item.full_clean()
    item.save()
    diff = changes(item, FIGURE_FIELDS, before)
    if definition is None or diff:
        _log(actor, "figure.define", network, item, diff)
    return item


@transaction.atomic
def goal_year_save(
    *, network: Network, actor, year: int, figures_due: datetime.date | None, figures: list[FigureDefinition]
) -> GoalYear:
    """Open a year (or change it): the deadline for the key figures and which figures are asked for."""
    row = GoalYear.objects.select_for_update().filter(network=network, year=year).first()
    created = row is None
    if row is not None and row.is_closed:
        raise YearClosedError(year)
    if any(f.network_id != network.pk for f in figures):
        raise ValidationError({"figures": "Diese Kennzahl gehört nicht zu dem Netzwerk."})
    if created:
        row = GoalYear(network=network, year=year)
    row.figures_due = figures_due
    row.full_clean()
    row.save()
    row.figures.set(figures)
    _log(
        actor,
        "year.open" if created else "year.update",
        network,
        row,
        {
            "Jahr": str(year),
            "Frist": figures_due.strftime("%d.%m.%Y") if figures_due else "keine",
            "Kennzahlen": ", ".join(f.name for f in figures) or "keine",
        },
    )
    return row


@transaction.atomic
def goal_year_close(*, network: Network, year: int, actor) -> GoalYear:
    """Close a year: afterwards its figure reports, reviews and next steps are frozen."""
    row = GoalYear.objects.select_for_update().filter(network=network, year=year).first()
    if row is None:
        row = GoalYear(network=network, year=year)
    if row.is_closed:
        raise YearClosedError(year)
    row.closed_at = timezone.now()
    row.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    row.full_clean()
    row.save()
    _log(actor, "year.close", network, row, {"Jahr": str(year)})
    return row


def check_value(definition: FigureDefinition, value) -> Decimal:
    """A reported value: a non-negative number, whole for integer figures."""
    if value is None or value == "":
        raise ValidationError(f"Bitte einen Wert für „{definition.name}“ eingeben (0, wenn es keinen gab).")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise ValidationError(f"„{definition.name}“: bitte eine Zahl eingeben.") from None
    if not number.is_finite():
        raise ValidationError(f"„{definition.name}“: bitte eine Zahl eingeben.")
    if number < 0:
        raise ValidationError(f"„{definition.name}“ kann nicht negativ sein.")
    if definition.is_integer and number != number.to_integral_value():
        raise ValidationError(f"„{definition.name}“ wird in {definition.unit} gezählt: bitte eine ganze Zahl eingeben.")
    if number.as_tuple().exponent < -2:
        raise ValidationError(f"„{definition.name}“: höchstens zwei Nachkommastellen.")
    return number


def members_asked(network: Network):
    """The institutions asked for their key figures: the active members of the network."""
    return Partner.objects.filter(
        memberships__network=network, memberships__state=Membership.State.ACTIVE, archived_at__isnull=True
    ).order_by("name")


@transaction.atomic
def figures_report(
    *, network: Network, partner: Partner, year: int, actor, values: dict[int, object], comment: str = ""
) -> FigureReport:
    """An institution reports (or corrects) its key figures for a year; every asked figure needs a value."""
    row = GoalYear.objects.select_for_update().filter(network=network, year=year).first()
    if row is None:
        raise ValidationError(f"Für {year} fragt das Netzwerk keine Kennzahlen ab.")
    if row.is_closed:
        raise YearClosedError(year)
    if not members_asked(network).filter(pk=partner.pk).exists():
        raise ValidationError("Nur aktive Mitgliedseinrichtungen melden Kennzahlen.")
    definitions = list(row.figures.all())
    if not definitions:
        raise ValidationError(f"Für {year} fragt das Netzwerk keine Kennzahlen ab.")
    errors: dict[str, list[str]] = {}
    numbers = {}
    for definition in definitions:
        try:
            numbers[definition.pk] = check_value(definition, values.get(definition.pk))
        except ValidationError as error:
            errors[f"figure_{definition.pk}"] = error.messages
    unknown = set(values) - {d.pk for d in definitions}
    if unknown:
        errors["__all__"] = ["Diese Kennzahl wird für das Jahr nicht abgefragt."]
    if errors:
        raise ValidationError(errors)
    report = FigureReport.objects.select_for_update().filter(goal_year=row, partner=partner).first()
    created = report is None
    if created:
        report = FigureReport(goal_year=row, partner=partner)
    report.comment = comment
    report.reported_by = actor if getattr(actor, "is_authenticated", False) else None
    report.full_clean()
    report.save()
    for definition in definitions:
        value = FigureValue.objects.filter(report=report, definition=definition).first() or FigureValue(
            report=report, definition=definition
        )
        value.value = numbers[definition.pk]
        value.full_clean()
        value.save()
    _log(
        actor,
        "figures.report" if created else "figures.update",
        network,
        report,
        {"Jahr": str(year), **{d.name[:80]: f"{numbers[d.pk].normalize():f} {d.unit}" for d in definitions}},
    )
    return report


def _partner_recipients(network: Network, partner: Partner) -> list[str]:
    emails = list(
        NetworkRole.objects.filter(
            network=network, partner=partner, role=NetworkRole.Role.PARTNER, user__is_active=True
        )
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
    return emails or ([partner.email] if partner.email else [])


def goals_remind(*, on: datetime.date | None = None) -> list[FigureReminder]:
    """Remind institutions that have not reported: 14 days before the deadline and once after it; never twice."""
    on = on or today()
    sent: list[FigureReminder] = []
    years = (
        GoalYear.objects.filter(
            closed_at__isnull=True, figures_due__isnull=False, network__is_active=True, figures__isnull=False
        )
        .distinct()
        .select_related("network")
    )
    for row in years:
        if on > row.figures_due:
            kind = FigureReminder.Kind.OVERDUE
        elif on >= row.figures_due - datetime.timedelta(days=REMIND_DAYS_BEFORE):
            kind = FigureReminder.Kind.UPCOMING
        else:
            continue
        reported = set(row.reports.values_list("partner_id", flat=True))
        for partner in members_asked(row.network).exclude(pk__in=reported):
            reminder = _remind(row, partner, kind)
            if reminder is not None:
                sent.append(reminder)
    return sent


@transaction.atomic
def _remind(row: GoalYear, partner: Partner, kind: str) -> FigureReminder | None:
    if FigureReminder.objects.filter(goal_year=row, partner=partner, kind=kind).exists():
        return None
    recipients = _partner_recipients(row.network, partner)
    if not recipients:
        return None
    reminder = FigureReminder.objects.create(
        goal_year=row, partner=partner, kind=kind, recipients=", ".join(recipients)
    )
    from django.conf import settings
    from django.urls import reverse

    path = reverse(
        "goals:figure_report", kwargs={"network": row.network.slug, "year": row.year, "partner_pk": partner.pk}
    )
    context = {
        "network": row.network,
        "partner": partner,
        "year": row.year,
        "due": row.figures_due,
        "overdue": kind == FigureReminder.Kind.OVERDUE,
        "figures": list(row.figures.all()),
        "url": f"{settings.SITE_URL}{path}",
    }
    log_action(
        actor=None,
        action="figures.remind",
        network=row.network,
        obj=partner,
        data={"Jahr": str(row.year), "Art": reminder.get_kind_display()},
    )
    transaction.on_commit(lambda: send_email("goals_figures_reminder", to=recipients, context=context))
    return reminder


# ---------------------------------------------------------------------------------------------------------------------
# Next steps
# ---------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def next_step_save(*, network: Network, actor, data: dict, step: NextStep | None = None) -> NextStep:
    """Add a Handlungsschritt for a year, or change one (not in a closed year)."""
    if step is not None:
        step = NextStep.objects.select_for_update().get(pk=step.pk, network=network)
        ensure_open(network, step.year)
    item = step or NextStep(network=network)
    if "year" in data and data["year"] is not None:
        ensure_open(network, data["year"])
    before = snapshot(item, NEXT_STEP_FIELDS)
    _apply(item, NEXT_STEP_FIELDS, data)
    item.full_clean()
    item.save()
    diff = changes(item, NEXT_STEP_FIELDS, before)
    if step is None or diff:
        _log(actor, "next_step.save", network, item, diff)
    return item


@transaction.atomic
def next_step_set_done(*, step: NextStep, actor, done: bool) -> NextStep:
    """Mark a Handlungsschritt as done (today) or as open again."""
    step = NextStep.objects.select_for_update().get(pk=step.pk)
    ensure_open(step.network, step.year)
    step.done_on = today() if done else None
    step.full_clean()
    step.save()
    _log(actor, "next_step.done" if done else "next_step.reopen", step.network, step, {"Jahr": str(step.year)})
    return step
