import csv
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from goals import selectors, services
from goals.models import ActionGoal, FigureReport, FigureValue, Indicator, NextStep, Review, StrategicGoal
from praevnet.models import AuditEntry
from tests.goals.factories import ActionGoalFactory, IndicatorFactory, StrategicGoalFactory


def url(name, world, **kwargs):
    return reverse(f"goals:{name}", kwargs={"network": world.network.slug, **kwargs})


def report_url(world, partner, year=2026):
    return url("figure_report", world, year=year, partner_pk=partner.pk)


def figures(goals, families="12", contacts="40", hours="7,5"):
    return {
        f"figure_{goals.families.pk}": families,
        f"figure_{goals.contacts.pk}": contacts,
        f"figure_{goals.hours.pk}": hours,
        "comment": "",
    }


# ---------------------------------------------------------------------------------------------------------------------
# Partners report their own figures only
# ---------------------------------------------------------------------------------------------------------------------


def test_a_partner_reports_its_own_figures_with_a_german_decimal_comma(login, world, goals):
    client = login(world.contact_a)
    page = client.get(report_url(world, world.partner_a))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Anzahl beratener Familien (Familien)" in html and "Bitte bis zum 31.01.2027 melden" in html
    response = client.post(report_url(world, world.partner_a), figures(goals))
    assert response.status_code == 302
    assert response["Location"] == url("figure_own", world)
    values = {v.definition_id: v.value for v in FigureValue.objects.all()}
    assert values == {goals.families.pk: 12, goals.contacts.pk: 40, goals.hours.pk: Decimal("7.5")}
    own = client.get(url("figure_own", world)).content.decode()
    assert "gemeldet am" in own and "Kennzahlen 2026 korrigieren" in own


@pytest.mark.parametrize("persona", ["contact_b", "jugendamt"])
def test_nobody_else_reports_for_an_institution(login, world, goals, persona):
    client = login(world.persona(persona))
    assert client.get(report_url(world, world.partner_a)).status_code == 404
    assert client.post(report_url(world, world.partner_a), figures(goals)).status_code == 404
    assert not FigureReport.objects.exists()


def test_a_partner_cannot_reach_an_institution_of_another_network(login, world, goals):
    response = login(world.contact_a).post(report_url(world, world.foreign_partner), figures(goals))
    assert response.status_code == 404
    assert not FigureReport.objects.exists()


def test_the_coordination_enters_figures_that_came_by_mail(login, world, goals):
    response = login(world.coordinator).post(report_url(world, world.partner_b), figures(goals, families="3"))
    assert response.status_code == 302
    assert response["Location"] == url("figure_overview", world) + "?jahr=2026"
    assert FigureReport.objects.get().reported_by == world.coordinator


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("families", "-5", "negative Werte gibt es hier nicht"),
        ("families", "12,5", "Bitte eine ganze Zahl eingeben – „Anzahl beratener Familien“ wird in Familien gezählt."),
        ("contacts", "viele", "Bitte eine ganze Zahl eingeben"),
        ("contacts", "", "Bitte einen Wert eingeben (0, wenn es keinen gab)."),
        ("hours", "-0,5", "negative Werte gibt es hier nicht"),
        ("hours", "1,125", "Höchstens zwei Nachkommastellen."),
        ("hours", "zwei", "Bitte eine Zahl eingeben"),
        ("families", "99999999999", "Diese Zahl ist zu groß."),
    ],
)
def test_bad_figures_get_a_german_error_400_and_nothing_is_saved(login, world, goals, field, value, message):
    data = figures(goals)
    data[f"figure_{getattr(goals, field).pk}"] = value
    response = login(world.contact_a).post(report_url(world, world.partner_a), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Es wurde nichts gespeichert." in html
    assert not FigureReport.objects.exists() and not FigureValue.objects.exists()


def test_a_closed_year_is_frozen_for_figure_reports(login, world, goals):
    services.figures_report(
        network=world.network,
        partner=world.partner_a,
        year=2026,
        actor=world.contact_a,
        values={goals.families.pk: 1, goals.contacts.pk: 2, goals.hours.pk: 3},
    )
    services.goal_year_close(network=world.network, year=2026, actor=world.coordinator)
    client = login(world.contact_a)
    page = client.get(report_url(world, world.partner_a))
    assert page.status_code == 200
    assert "Das Jahr 2026 ist abgeschlossen" in page.content.decode()
    response = client.post(report_url(world, world.partner_a), figures(goals, families="99"))
    assert response.status_code == 409
    assert "Das Jahr 2026 ist abgeschlossen" in response.content.decode()
    assert FigureValue.objects.get(definition=goals.families).value == 1


def test_a_year_that_asks_nothing_has_no_report_page(login, world, goals):
    assert login(world.contact_a).get(report_url(world, world.partner_a, year=2024)).status_code == 404


# ---------------------------------------------------------------------------------------------------------------------
# Goals, reviews, next steps
# ---------------------------------------------------------------------------------------------------------------------


def test_the_coordinator_sets_up_a_goal_and_derives_an_action_goal_with_an_indicator(login, world):
    client = login(world.coordinator)
    response = client.post(url("goal_create", world), {"number": "1", "title": "Die Menschen kennen die Angebote."})
    goal = StrategicGoal.objects.get()
    assert response["Location"] == url("goal_action_create", world, pk=goal.pk)
    response = client.post(
        url("goal_action_create", world, pk=goal.pk),
        {
            "title": "Ein Wegweiser zeigt alle Angebote",
            "owner_partner": "",
            "owner_body": "Steuerungsgruppe",
            "review_cycle": "1",
            "first_review_year": "2026",
            "indikator-name": "veröffentlichte Angebote",
            "indikator-target_value": "250",
            "indikator-unit": "Angebote",
        },
    )
    action = ActionGoal.objects.get()
    assert response["Location"] == url("goal_action_detail", world, pk=action.pk)
    assert action.owner_label == "Steuerungsgruppe"
    assert Indicator.objects.get().target_value == 250
    overview = client.get(url("goal_overview", world)).content.decode()
    assert "Strategisches Ziel I" in overview and "Ein Wegweiser zeigt alle Angebote" in overview
    assert "Überprüfung 2026 erfassen" in overview


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"owner_partner": "A", "owner_body": "Lenkungskreis"}, "entweder eine Einrichtung oder ein Gremium"),
        ({"owner_partner": "", "owner_body": "  "}, "Wer ist verantwortlich?"),
        ({"owner_partner": "FOREIGN", "owner_body": ""}, "Bitte eine gültige Auswahl treffen."),
        ({"owner_partner": "", "owner_body": "AG", "indikator-name": "Quote"}, "oder alle drei Felder"),
        (
            {
                "owner_partner": "",
                "owner_body": "AG",
                "indikator-name": "Quote",
                "indikator-target_value": "-3",
                "indikator-unit": "%",
            },
            "negative Werte gibt es hier nicht",
        ),
    ],
)
def test_bad_action_goals_get_german_errors_and_nothing_is_saved(login, world, goals, data, message):
    owner = {"A": world.partner_a.pk, "FOREIGN": world.foreign_partner.pk}.get(data["owner_partner"], "")
    post = {"title": "Neu", "review_cycle": "1", "first_review_year": "2026", **data, "owner_partner": owner}
    response = login(world.coordinator).post(url("goal_action_create", world, pk=goals.goal.pk), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ActionGoal.objects.count() == 1 and Indicator.objects.count() == 1


def test_the_yearly_review_is_recorded_and_shown_in_the_history(login, world, goals):
    client = login(world.coordinator)
    response = client.post(
        url("goal_review", world, pk=goals.action.pk, year=2026),
        {f"value_{goals.indicator.pk}": "184", "assessment": "gruen", "comment": "Neun von elf Kommunen"},
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.year, review.assessment) == (2026, "gruen")
    detail = client.get(url("goal_action_detail", world, pk=goals.action.pk)).content.decode()
    assert "184 Angebote" in detail and "● grün" in detail and "Neun von elf Kommunen" in detail


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"assessment": ""}, "Bitte eine Ampelfarbe wählen."),
        ({"assessment": "blau"}, "Bitte eine gültige Auswahl treffen."),
        ({"assessment": "rot", "value": "-1"}, "negative Werte gibt es hier nicht"),
        ({"assessment": "rot", "value": "viel"}, "Bitte eine Zahl eingeben"),
    ],
)
def test_bad_reviews_get_german_errors_and_nothing_is_saved(login, world, goals, data, message):
    post = {"assessment": data["assessment"], f"value_{goals.indicator.pk}": data.get("value", "")}
    response = login(world.coordinator).post(url("goal_review", world, pk=goals.action.pk, year=2026), post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Review.objects.exists()


def test_a_closed_year_refuses_reviews_with_a_german_message(login, world, goals):
    services.goal_year_close(network=world.network, year=2025, actor=world.coordinator)
    client = login(world.coordinator)
    target = url("goal_review", world, pk=goals.action.pk, year=2025)
    assert "ist abgeschlossen" in client.get(target).content.decode()
    response = client.post(target, {"assessment": "gruen", f"value_{goals.indicator.pk}": "5"})
    assert response.status_code == 409
    assert "Das Jahr 2025 ist abgeschlossen" in response.content.decode()
    assert not Review.objects.exists()


def test_closing_a_year_from_the_overview_hides_the_buttons(login, world, goals):
    client = login(world.coordinator)
    response = client.post(url("goal_year_close", world, year=2026))
    assert response.status_code == 302
    page = client.get(url("goal_overview", world) + "?jahr=2026").content.decode()
    assert "Jahr abgeschlossen" in page
    assert "Überprüfung 2026 erfassen" not in page and "Handlungsschritt hinzufügen" not in page
    done = client.post(url("goal_step_done", world, pk=goals.step.pk), {"done": "1"})
    assert done.status_code == 409 and "ist abgeschlossen" in done.content.decode()
    assert NextStep.objects.get().done_on is None


def test_next_steps_are_added_and_ticked_off(login, world, goals):
    client = login(world.coordinator)
    response = client.post(
        url("goal_step_create", world), {"year": "2026", "title": "Fortbildung Lotsen anbieten", "order": "20"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?jahr=2026#handlungsschritte")
    step = NextStep.objects.get(title="Fortbildung Lotsen anbieten")
    client.post(url("goal_step_done", world, pk=step.pk), {"done": "1"})
    page = client.get(url("goal_overview", world) + "?jahr=2026").content.decode()
    assert "erledigt 24.11.2026" in page
    assert client.post(url("goal_step_create", world), {"year": "1999", "title": "x", "order": "1"}).status_code == 400


def test_partners_see_the_goals_but_no_editing(login, world, goals):
    page = login(world.contact_b).get(url("goal_overview", world)).content.decode()
    assert "Die Menschen kennen die Angebote." in page
    assert "Strategisches Ziel anlegen" not in page and "erfassen" not in page and "CSV-Export" not in page


def test_the_overview_needs_the_same_queries_for_many_goals(login, world, goals, django_assert_max_num_queries):
    client = login(world.coordinator)
    client.get(url("goal_overview", world))
    for number in range(2, 9):
        goal = StrategicGoalFactory(network=world.network, number=number)
        for _ in range(3):
            IndicatorFactory(action_goal=ActionGoalFactory(strategic_goal=goal))
    with django_assert_max_num_queries(25):
        assert client.get(url("goal_overview", world)).status_code == 200


# ---------------------------------------------------------------------------------------------------------------------
# Key figure set-up and overview, CSV
# ---------------------------------------------------------------------------------------------------------------------


def test_the_coordination_defines_a_figure_and_opens_a_year(login, world):
    client = login(world.coordinator)
    response = client.post(
        url("figure_definition_create", world),
        {"name": "Gruppenangebote", "unit": "Gruppen", "kind": "ganzzahl", "order": "1"},
    )
    assert response.status_code == 302
    from goals.models import FigureDefinition, GoalYear

    definition = FigureDefinition.objects.get()
    response = client.post(
        url("figure_year_create", world),
        {"year": "2026", "figures_due": "2027-01-31", "figures": [definition.pk]},
    )
    assert response.status_code == 302
    row = GoalYear.objects.get()
    assert list(row.figures.all()) == [definition]
    again = client.post(url("figure_year_create", world), {"year": "2026", "figures": [definition.pk]})
    assert again.status_code == 400 and "schon angelegt" in again.content.decode()
    late = client.post(url("figure_year_create", world), {"year": "2027", "figures_due": "2030-01-01"})
    assert late.status_code == 400 and "Die Frist sollte im Jahr 2027 oder 2028 liegen." in late.content.decode()


def test_the_overview_shows_who_has_not_reported_and_the_sums(login, world, goals):
    services.figures_report(
        network=world.network,
        partner=world.partner_a,
        year=2026,
        actor=world.contact_a,
        values={goals.families.pk: 1200, goals.contacts.pk: 2, goals.hours.pk: Decimal("3.5")},
    )
    page = login(world.jugendamt).get(url("figure_overview", world) + "?jahr=2026").content.decode()
    assert "1 Einrichtung hat noch nicht gemeldet:" in page and "Erziehungsberatung Mitte" in page
    assert "1.200" in page and "3,5" in page
    assert "Einstellungen" not in page  # the Jugendamt reads, the coordination sets up


def test_the_csv_exports_goals_figures_and_steps(login, world, goals):
    services.review_record(
        action=goals.action,
        year=2026,
        actor=world.coordinator,
        assessment="rot",
        comment="=HYPERLINK()",
        values={goals.indicator.pk: Decimal("12.5")},
    )
    services.figures_report(
        network=world.network,
        partner=world.partner_a,
        year=2026,
        actor=world.contact_a,
        values={goals.families.pk: 5, goals.contacts.pk: 6, goals.hours.pk: Decimal("1.25")},
    )
    client = login(world.coordinator)

    def rows(kind):
        response = client.get(url("goal_export", world, kind=kind) + "?jahr=2026")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(f'attachment; filename="{kind}-musterstadt')
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    goal_rows = rows("ziele")
    assert goal_rows[0][:3] == ["Strategisches Ziel", "Ziel", "Handlungsziel"]
    assert goal_rows[1][0] == "I" and goal_rows[1][8:] == ["2026", "12,5", "rot", "'=HYPERLINK()"]
    figure_rows = rows("kennzahlen")
    assert figure_rows[0][3:8] == [
        "gemeldet",
        "gemeldet am",
        "Anzahl beratener Familien (Familien)",
        "Kontakte (Kontakte)",
        "Beratungsstunden (Stunden)",
    ]
    assert figure_rows[1][0] == "Erziehungsberatung Mitte" and figure_rows[1][3] == "nein"
    assert figure_rows[2][0] == "Hebammenpraxis Am Bach" and figure_rows[2][5:8] == ["5", "6", "1,25"]
    assert rows("handlungsschritte")[1][:2] == ["2026", "Bedarfsanalyse auswerten"]
    assert client.get(url("goal_export", world, kind="alles")).status_code == 404
    assert AuditEntry.objects.filter(action="data.export").count() == 3


# ---------------------------------------------------------------------------------------------------------------------
# Dashboard fragments (wired by the lead into the dashboards)
# ---------------------------------------------------------------------------------------------------------------------


def test_the_partner_dashboard_fragment_asks_for_the_figures(world, goals, rf):
    html = render_to_string(
        "goals/fragment_dashboard_partner.html", selectors.dashboard_partner(world.network, world.partner_a)
    )
    assert "Kennzahlen für 2026 bis 31.01.2027 melden" in html
    assert report_url(world, world.partner_a) in html
    assert (
        render_to_string(
            "goals/fragment_dashboard_partner.html", selectors.dashboard_partner(world.network, None)
        ).strip()
        == ""
    )


def test_the_staff_dashboard_fragment_counts_reports_and_lights(world, goals):
    services.review_record(action=goals.action, year=2026, actor=None, assessment="rot", comment="", values={})
    html = render_to_string("goals/fragment_dashboard_staff.html", selectors.dashboard_staff(world.network))
    assert "0 von 2 Einrichtungen haben gemeldet (Frist 31.01.2027)" in html
    assert "● 1 rot" in html
