from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from goals.models import ActionGoal, FigureDefinition, GoalYear, Indicator, NextStep, StrategicGoal
from tests.factories import NetworkFactory


class StrategicGoalFactory(DjangoModelFactory):
    class Meta:
        model = StrategicGoal

    network = factory.SubFactory(NetworkFactory)
    number = factory.Sequence(lambda n: n % 15 + 1)
    title = factory.Sequence(lambda n: f"Familien kennen die Angebote im Sozialraum ({n})")


class ActionGoalFactory(DjangoModelFactory):
    class Meta:
        model = ActionGoal

    strategic_goal = factory.SubFactory(StrategicGoalFactory)
    title = factory.Sequence(lambda n: f"Ein Wegweiser zeigt alle Angebote ({n})")
    owner_partner = None
    owner_body = "Lenkungskreis"
    review_cycle = ActionGoal.Cycle.YEARLY
    first_review_year = 2025


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    action_goal = factory.SubFactory(ActionGoalFactory)
    name = "veröffentlichte Angebote"
    target_value = Decimal(250)
    unit = "Angebote"


class FigureDefinitionFactory(DjangoModelFactory):
    class Meta:
        model = FigureDefinition

    network = factory.SubFactory(NetworkFactory)
    name = factory.Sequence(lambda n: f"Anzahl beratener Familien {n}")
    unit = "Familien"
    kind = FigureDefinition.Kind.INTEGER


class GoalYearFactory(DjangoModelFactory):
    class Meta:
        model = GoalYear
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    year = 2026
    figures_due = None

    @factory.post_generation
    def figures(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.figures.set(extracted)


class NextStepFactory(DjangoModelFactory):
    class Meta:
        model = NextStep

    network = factory.SubFactory(NetworkFactory)
    year = 2026
    title = factory.Sequence(lambda n: f"lokale Angebots- und Bedarfsanalysen durchführen ({n})")
