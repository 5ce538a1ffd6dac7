import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from goals import selectors, services
from goals.models import ActionGoal, FigureReminder, FigureReport, FigureValue, GoalYear, NextStep, Review
from partners.models import District, Membership, Municipality, Sector
from partners.services import network_update
from praevnet.models import AuditEntry
from tests.factories import MembershipFactory, PartnerFactory
from tests.goals.factories import ActionGoalFactory, StrategicGoalFactory


def report(world, goals, partner=None, values=None, year=2026, actor=None):
    values = values if values is not None else {goals.families.pk: 12, goals.contacts.pk: 40, goals.hours.pk: "7.5"}
    return services.figures_report(
        network=world.network,
        partner=partner or world.partner_a,
        year=year,
        actor=actor or world.contact_a,
        values=values,
    )


# ---------------------------------------------------------------------------------------------------------------------
# Reviews and closing a year
# ---------------------------------------------------------------------------------------------------------------------


def test_a_review_records_values_light_and_comment_and_a_correction_replaces_it(world, goals):
    services.review_record(
        action=goals.action,
        year=2026,
        actor=world.coordinator,
        assessment="gelb",
        comment="verzögert",
        values={goals.indicator.pk: Decimal("96")},
    )
    review = services.review_record(
        action=goals.action,
        year=2026,
        actor=world.coordinator,
        assessment="gruen",
        comment="aufgeholt",
        values={goals.indicator.pk: Decimal("184.5")},
    )
    assert Review.objects.filter(action_goal=goals.action).count() == 1
    review.refresh_from_db()
    assert (review.assessment, review.comment, review.recorded_by) == ("gruen", "aufgeholt", world.coordinator)
    assert [v.value for v in review.values.all()] == [Decimal("184.50")]
    assert list(AuditEntry.objects.filter(network=world.network).values_list("action", flat=True).order_by("id")) == [
        "review.record",
        "review.update",
    ]
    assert AuditEntry.objects.get(action="review.update").data["Ampel"] == "grün – auf gutem Weg"


def test_reviews_of_several_years_make_the_history(world, goals):
    for year, light in ((2024, "rot"), (2025, "gelb"), (2026, "gruen")):
        services.review_record(
            action=goals.action, year=year, actor=world.coordinator, assessment=light, comment="", values={}
        )
    data = selectors.report_data(world.network, 2025)
    action = data["goals"][0]["action_goals"][0]
    assert action["review"]["assessment"] == "gelb"
    assert [h["year"] for h in action["history"]] == [2026, 2025, 2024]


def test_a_closed_year_refuses_reviews_reports_and_next_steps(world, goals):
    services.goal_year_close(network=world.network, year=2026, actor=world.coordinator)
    with pytest.raises(services.YearClosedError, match="Das Jahr 2026 ist abgeschlossen"):
        services.review_record(
            action=goals.action, year=2026, actor=world.coordinator, assessment="rot", comment="", values={}
        )
    with pytest.raises(services.YearClosedError):
        report(world, goals)
    with pytest.raises(services.YearClosedError):
        services.next_step_set_done(step=goals.step, actor=world.coordinator, done=True)
    with pytest.raises(services.YearClosedError):
        services.next_step_save(
            network=world.network, actor=world.coordinator, data={"year": 2026, "title": "Noch etwas"}
        )
    with pytest.raises(services.YearClosedError):
        services.goal_year_close(network=world.network, year=2026, actor=world.coordinator)
    assert not Review.objects.exists() and not FigureReport.objects.exists()
    assert NextStep.objects.count() == 1 and NextStep.objects.get().done_on is None
    # other years stay open
    services.review_record(
        action=goals.action, year=2027, actor=world.coordinator, assessment="gelb", comment="", values={}
    )


def test_a_year_without_a_row_can_be_closed_and_is_recorded(world):
    row = services.goal_year_close(network=world.network, year=2019, actor=world.coordinator)
    assert row.is_closed and row.closed_by == world.coordinator
    assert AuditEntry.objects.get(action="year.close").data == {"Jahr": "2019"}


def test_next_steps_are_tracked_to_done_and_reopened(world, goals):
    step = services.next_step_set_done(step=goals.step, actor=world.coordinator, done=True)
    assert step.done_on == datetime.date(2026, 11, 24)
    step = services.next_step_set_done(step=step, actor=world.coordinator, done=False)
    assert step.done_on is None
    assert AuditEntry.objects.filter(action__in=["next_step.done", "next_step.reopen"]).count() == 2


# ---------------------------------------------------------------------------------------------------------------------
# Action goals: one owner, a member or a body
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("owner", "message"),
    [
        ({"owner_partner": None, "owner_body": ""}, "genau eine Verantwortung"),
        ({"owner_partner": "a", "owner_body": "Lenkungskreis"}, "genau eine Verantwortung"),
        ({"owner_partner": "foreign", "owner_body": ""}, "kein Mitglied des Netzwerks"),
    ],
)
def test_an_action_goal_needs_exactly_one_owner_of_the_network(world, goals, owner, message):
    partner = {"a": world.partner_a, "foreign": world.foreign_partner, None: None}[owner["owner_partner"]]
    with pytest.raises(ValidationError, match=message):
        services.action_goal_create(
            goal=goals.goal,
            actor=world.coordinator,
            data={
                "title": "Neu",
                "owner_partner": partner,
                "owner_body": owner["owner_body"],
                "review_cycle": 1,
                "first_review_year": 2026,
            },
        )
    assert ActionGoal.objects.count() == 1


def test_the_review_cycle_says_in_which_years_a_review_is_due():
    action = ActionGoal(review_cycle=ActionGoal.Cycle.TWO_YEARS, first_review_year=2025)
    assert [year for year in range(2023, 2031) if action.is_review_due(year)] == [2025, 2027, 2029]


# ---------------------------------------------------------------------------------------------------------------------
# Key figures
# ---------------------------------------------------------------------------------------------------------------------


def test_a_partner_reports_its_figures_and_may_correct_them_until_the_year_is_closed(world, goals):
    first = report(world, goals)
    assert {v.definition.name: v.value for v in first.values.select_related("definition")} == {
        "Anzahl beratener Familien": Decimal(12),
        "Kontakte": Decimal(40),
        "Beratungsstunden": Decimal("7.5"),
    }
    report(world, goals, values={goals.families.pk: 13, goals.contacts.pk: 41, goals.hours.pk: 8})
    assert FigureReport.objects.count() == 1
    assert FigureValue.objects.get(definition=goals.families).value == 13
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["figures.report", "figures.update"]
    assert AuditEntry.objects.get(action="figures.report").data["Beratungsstunden"] == "7.5 Stunden"


@pytest.mark.parametrize(
    ("families", "hours", "field", "message"),
    [
        (-1, 2, "families", "kann nicht negativ sein"),
        ("12.5", 2, "families", "bitte eine ganze Zahl eingeben"),
        ("", 2, "families", "Bitte einen Wert"),
        ("zwölf", 2, "families", "bitte eine Zahl eingeben"),
        ("NaN", 2, "families", "bitte eine Zahl eingeben"),
        (3, "-0.5", "hours", "kann nicht negativ sein"),
        (3, "1.125", "hours", "höchstens zwei Nachkommastellen"),
    ],
)
def test_figures_must_be_non_negative_numbers_of_the_right_unit_and_nothing_is_half_saved(
    world, goals, families, hours, field, message
):
    values = {goals.families.pk: families, goals.contacts.pk: 5, goals.hours.pk: hours}
    with pytest.raises(ValidationError) as error:
        report(world, goals, values=values)
    key = f"figure_{getattr(goals, field).pk}"
    assert message in " ".join(error.value.message_dict[key])
    assert not FigureReport.objects.exists() and not FigureValue.objects.exists()
    assert not AuditEntry.objects.exists()


def test_figures_the_year_does_not_ask_for_are_refused(world, goals):
    from tests.goals.factories import FigureDefinitionFactory

    other = FigureDefinitionFactory(network=world.network, name="Gruppenangebote")
    values = {goals.families.pk: 1, goals.contacts.pk: 1, goals.hours.pk: 1, other.pk: 3}
    with pytest.raises(ValidationError, match="nicht abgefragt"):
        report(world, goals, values=values)


def test_only_active_members_report_and_only_for_a_year_that_asks(world, goals):
    with pytest.raises(ValidationError, match="Nur aktive Mitgliedseinrichtungen"):
        report(world, goals, partner=world.foreign_partner)
    Membership.objects.filter(partner=world.partner_b).update(state=Membership.State.ENDED)
    with pytest.raises(ValidationError, match="Nur aktive Mitgliedseinrichtungen"):
        report(world, goals, partner=world.partner_b)
    with pytest.raises(ValidationError, match="Für 2025 fragt das Netzwerk keine Kennzahlen ab"):
        report(world, goals, year=2025)


def test_figures_roll_up_per_network_sector_and_district(world, goals):
    health, school = (
        Sector.objects.get_or_create(name="Gesundheitswesen", slug="gesundheit")[0],
        (Sector.objects.get_or_create(name="Schule", slug="schule")[0]),
    )
    town = Municipality.objects.create(name="Musterstadt", federal_state="NW")
    north = District.objects.create(municipality=town, name="Nord")
    world.partner_a.sectors.set([health, school])
    world.partner_a.districts.set([north])
    world.partner_b.sectors.set([school])
    third = MembershipFactory(network=world.network, partner=PartnerFactory(name="Kita Sonnenschein")).partner
    report(world, goals, values={goals.families.pk: 10, goals.contacts.pk: 30, goals.hours.pk: "2.5"})
    report(
        world, goals, partner=world.partner_b, values={goals.families.pk: 5, goals.contacts.pk: 7, goals.hours.pk: 1}
    )
    rollup = selectors.figure_rollup(world.network, 2026)
    assert rollup["totals"] == [15, 37, Decimal("3.5")]
    assert rollup["by_sector"] == [
        {"name": "Gesundheitswesen", "values": [10, 30, Decimal("2.5")]},
        {"name": "Schule", "values": [15, 37, Decimal("3.5")]},
    ]
    assert rollup["by_district"] == [
        {"name": "Musterstadt-Nord", "values": [10, 30, Decimal("2.5")]},
        {"name": "ohne Sozialraum", "values": [5, 7, 1]},
    ]
    assert (rollup["reported"], rollup["asked"]) == (2, 3)
    status = {s["partner"].name: s for s in selectors.reporting_status(world.network, 2026)}
    assert status[third.name]["report"] is None and status[third.name]["values"] == [None, None, None]
    assert status["Hebammenpraxis Am Bach"]["values"] == [10, 30, Decimal("2.5")]


# ---------------------------------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------------------------------


def remind(day, capture):
    with capture(execute=True):
        return services.goals_remind(on=day)


def test_reminders_go_14_days_before_and_once_after_the_deadline_never_twice(
    world, goals, django_capture_on_commit_callbacks
):
    report(world, goals, partner=world.partner_b, actor=world.contact_b)  # B has reported: never reminded
    assert remind(datetime.date(2027, 1, 16), django_capture_on_commit_callbacks) == []
    sent = remind(datetime.date(2027, 1, 17), django_capture_on_commit_callbacks)
    assert [(r.partner, r.kind) for r in sent] == [(world.partner_a, FigureReminder.Kind.UPCOMING)]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a@hebamme.example"]
    assert message.subject == "Erinnerung: Kennzahlen 2026 für Frühe Hilfen Musterstadt"
    assert "bis zum 31.01.2027" in message.body and "- Anzahl beratener Familien (Familien)" in message.body
    assert f"/n/musterstadt/kennzahlen/2026/einrichtung/{world.partner_a.pk}/" in message.body
    # the next days: nothing new until the deadline has passed, then one overdue reminder, then never again
    assert remind(datetime.date(2027, 1, 18), django_capture_on_commit_callbacks) == []
    assert remind(datetime.date(2027, 1, 31), django_capture_on_commit_callbacks) == []
    overdue = remind(datetime.date(2027, 2, 1), django_capture_on_commit_callbacks)
    assert [r.kind for r in overdue] == [FigureReminder.Kind.OVERDUE]
    assert mail.outbox[-1].subject.startswith("Frist verstrichen")
    assert remind(datetime.date(2027, 2, 2), django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="figures.remind").count() == 2


def test_no_reminders_for_a_closed_year_or_one_without_deadline(world, goals, django_capture_on_commit_callbacks):
    GoalYear.objects.create(network=world.network, year=2025).figures.set([goals.families])
    services.goal_year_close(network=world.network, year=2026, actor=world.coordinator)
    assert remind(datetime.date(2027, 3, 1), django_capture_on_commit_callbacks) == []
    assert mail.outbox == []


def test_the_daily_command_reports_what_it_sent(world, goals, monkeypatch, capsys, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "today", lambda: datetime.date(2027, 1, 20))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("goals_remind")
    out = capsys.readouterr().out
    assert "Erinnerung vor der Frist: Hebammenpraxis Am Bach – Frühe Hilfen Musterstadt 2026" in out
    assert "2 Erinnerung(en) verschickt." in out
    with django_capture_on_commit_callbacks(execute=True):
        call_command("goals_remind")
    assert "keine Erinnerung fällig" in capsys.readouterr().out
    assert len(mail.outbox) == 2


# ---------------------------------------------------------------------------------------------------------------------
# What the annual report reads
# ---------------------------------------------------------------------------------------------------------------------


def test_report_data_has_goals_with_reviews_figures_and_next_steps(world, goals):
    second = StrategicGoalFactory(network=world.network, number=2, title="Übergänge gelingen.")
    ActionGoalFactory(strategic_goal=second, title="Übergabeverfahren Kita–Schule", owner_body="AG Übergänge")
    services.review_record(
        action=goals.action,
        year=2026,
        actor=world.coordinator,
        assessment="gelb",
        comment="halb geschafft",
        values={goals.indicator.pk: Decimal(120)},
    )
    report(world, goals)
    services.next_step_set_done(step=goals.step, actor=world.coordinator, done=True)
    data = selectors.report_data(world.network, 2026)
    assert data["year"] == 2026 and data["closed"] is False
    assert [g["label"] for g in data["goals"]] == ["I", "II"]
    first = data["goals"][0]["action_goals"][0]
    assert first["owner"] == "Hebammenpraxis Am Bach" and first["owner_is_partner"] is True
    assert first["indicators"] == [
        {"name": "veröffentlichte Angebote", "unit": "Angebote", "target": 250, "measured": 120}
    ]
    assert first["review"] == {
        "assessment": "gelb",
        "assessment_label": "gelb – mit Verzögerung",
        "comment": "halb geschafft",
    }
    assert data["goals"][1]["action_goals"][0]["review"] is None
    assert data["traffic_lights"] == {"gruen": 0, "gelb": 1, "rot": 0, "offen": 1}
    assert data["figures"]["total"] == [12, 40, Decimal("7.5")]
    assert data["figures"]["definitions"][0] == {"name": "Anzahl beratener Familien", "unit": "Familien"}
    assert (data["figures"]["reported"], data["figures"]["asked"]) == (1, 2)
    assert data["figures"]["missing"] == ["Erziehungsberatung Mitte"]
    assert data["next_steps"] == [
        {
            "title": "Bedarfsanalyse auswerten",
            "responsible": "",
            "due": None,
            "done_on": datetime.date(2026, 11, 24),
            "done": True,
        }
    ]


def test_report_data_of_a_year_without_anything_is_empty_not_an_error(world):
    data = selectors.report_data(world.network, 2030)
    assert data["goals"] == [] and data["next_steps"] == [] and data["figures"]["total"] == []
    assert data["figures"]["missing"] == []


def test_the_network_profile_update_is_audited_in_words(world):
    network_update(
        network=world.network,
        actor=world.coordinator,
        data={"inhabitants": 612065, "public_profile": True, "public_sections": ["kontakt", "leitbild"]},
    )
    world.network.refresh_from_db()
    assert world.network.public_sections == ["leitbild", "kontakt"]  # kept in the order of the page
    entry = AuditEntry.objects.get(action="network.update")
    assert entry.data["Einwohnerzahl"] == ["", "612065"]
    assert entry.data["öffentlich sichtbar"] == ["nichts", "Leitbild, Ansprechpersonen und Kontakt der Koordination"]
