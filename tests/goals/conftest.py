import datetime
from dataclasses import dataclass

import pytest

from goals import services
from goals.models import FigureDefinition
from tests.goals.factories import (
    ActionGoalFactory,
    FigureDefinitionFactory,
    GoalYearFactory,
    IndicatorFactory,
    NextStepFactory,
    StrategicGoalFactory,
)

YEAR = 2026


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Goals pages and reminders depend on the date: 24 November 2026 unless a test moves it."""
    monkeypatch.setattr(services, "today", lambda: datetime.date(2026, 11, 24))


@dataclass
class Goals:
    goal: object
    action: object
    indicator: object
    step: object
    families: object
    contacts: object
    hours: object
    year: object


@pytest.fixture
def goals(world) -> Goals:
    """Strategic goal I with an action goal owned by partner A, one indicator, a next step for 2026, and the year
    2026 asking for three figures (two counted, one with decimals), deadline 31.01.2027."""
    goal = StrategicGoalFactory(network=world.network, number=1, title="Die Menschen kennen die Angebote.")
    action = ActionGoalFactory(
        strategic_goal=goal, title="Ein Wegweiser zeigt alle Angebote", owner_partner=world.partner_a, owner_body=""
    )
    indicator = IndicatorFactory(action_goal=action)
    families = FigureDefinitionFactory(
        network=world.network, name="Anzahl beratener Familien", unit="Familien", order=1
    )
    contacts = FigureDefinitionFactory(network=world.network, name="Kontakte", unit="Kontakte", order=2)
    hours = FigureDefinitionFactory(
        network=world.network, name="Beratungsstunden", unit="Stunden", kind=FigureDefinition.Kind.DECIMAL, order=3
    )
    year = GoalYearFactory(
        network=world.network, year=YEAR, figures_due=datetime.date(2027, 1, 31), figures=[families, contacts, hours]
    )
    step = NextStepFactory(network=world.network, year=YEAR, title="Bedarfsanalyse auswerten")
    return Goals(goal, action, indicator, step, families, contacts, hours, year)
