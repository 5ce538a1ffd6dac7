import pytest

from goals import selectors
from goals.demo import COESFELD_GOALS, load_goal_demo
from goals.models import ActionGoal, FigureReport, FigureValue, NextStep, Review, StrategicGoal
from partners.models import Network
from praevnet.demo import load_demo

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (StrategicGoal, ActionGoal, Review, FigureReport, FigureValue, NextStep)]


def test_the_demo_has_coesfeld_goals_i_to_iv_and_dortmund_figures_and_loads_twice():
    load_demo()  # calls load_goal_demo
    before = counts()
    load_goal_demo()
    assert counts() == before
    coesfeld = Network.objects.get(slug="kreis-coesfeld")
    goals = list(StrategicGoal.objects.filter(network=coesfeld).order_by("number"))
    assert [g.title for g in goals] == COESFELD_GOALS
    assert all(g.action_goals.count() == 1 for g in goals)
    data = selectors.report_data(coesfeld, 2025)
    assert data["traffic_lights"] == {"gruen": 2, "gelb": 2, "rot": 0, "offen": 0}
    assert len(selectors.report_data(coesfeld, 2019)["next_steps"]) == 6 and data["closed"] is False
    dortmund = Network.objects.get(slug="infamilie-dortmund")
    assert (dortmund.inhabitants, dortmund.children_under_18, dortmund.since) == (612065, 104465, 2012)
    assert dortmund.is_public("handlungsfelder")
    figures = selectors.report_data(dortmund, 2025)
    assert figures["closed"] is True and figures["figures"]["reported"] > 20
    assert [d["name"] for d in figures["figures"]["definitions"]][:2] == ["Anzahl beratener Familien", "Kontakte"]
