"""Issue 8 done: a coordinator sets up the Coesfeld goals I–IV with one action goal each, two partners report their
figures, the yearly review is recorded and shown – in Chromium, with axe on every new page.

Set GOALS_SHOTS=/some/dir to keep screenshots of each step.
"""

import datetime
import os
import re
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from goals import selectors, services
from goals.models import ActionGoal, FigureReport, Review, StrategicGoal
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COESFELD = [
    (
        "Die Menschen im Kreis Coesfeld haben die Möglichkeit, die Unterstützungsangebote und die entsprechenden "
        "Ansprechpersonen zu kennen und nehmen die passgenauen Angebote in Anspruch.",
        "Ein Online-Wegweiser zeigt alle Angebote mit Ansprechpersonen",
        "Steuerungsgruppe",
        ("veröffentlichte Angebote", "250", "Angebote"),
    ),
    (
        "Junge Erwachsene und Familien sind mit den Unterstützungssystemen (Fachkräfte, Ehrenamtliche) im Dialog, "
        "verstehen und akzeptieren sich.",
        "Familien werden an der Weiterentwicklung der Angebote beteiligt",
        "Hebammenpraxis Am Bach",
        ("Beteiligungsformate im Jahr", "6", "Formate"),
    ),
    (
        "Kinder und Jugendliche erhalten über den gesamten Zeitraum ihrer sozialen, emotionalen und sprachlichen "
        "Entwicklung eine qualitativ gute, ihrem Bedarf entsprechende, kontinuierliche Förderung, die besonders in den "
        "Übergängen begleitet wird.",
        "Übergänge Kita–Grundschule mit einem gemeinsamen Übergabeverfahren begleiten",
        "AG Übergänge",
        ("Kommunen mit Übergabeverfahren", "11", "Kommunen"),
    ),
    (
        "Jugendliche und junge Erwachsene (insbesondere mit Zuwanderungsgeschichte) erhalten die individuelle "
        "Unterstützung, die sie benötigen, um einen anerkannten Schulabschluss zu erwerben oder ihre Ausbildung oder "
        "Berufstätigkeit erfolgreich absolvieren zu können.",
        "Individuelle Übergangsbegleitung Schule–Beruf",
        "Erziehungsberatung Mitte",
        ("Jugendliche mit Abschluss oder Ausbildungsplatz", "80", "%"),
    ),
]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: datetime.date(2026, 11, 24))


def shot(page, name: str) -> None:
    target = os.environ.get("GOALS_SHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{target}/{name}.png", full_page=True)


def new_page(browser, live_server, external: list):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, base_url=live_server.url)

    def block_foreign(route):
        external.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith(live_server.url) and not url.startswith("data:"), block_foreign)
    return context, context.new_page()


def log_in(page, email, device=None):
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    if device is not None:
        page.get_by_role("textbox", name="Code").fill(f"{totp(device.bin_key):06d}")
        page.get_by_role("button", name="Bestätigen").click()
        page.wait_for_load_state()


def test_coesfeld_goals_two_partners_report_and_the_review_is_shown(browser, live_server, world, axe_check):
    external: list[str] = []
    device = TOTPDevice.objects.create(user=world.coordinator, name="App", confirmed=True)
    coordination, page = new_page(browser, live_server, external)
    log_in(page, world.coordinator.email, device)

    # --- the coordinator sets up strategic goals I–IV, each with one action goal and its indicator ---------------
    page.get_by_role("link", name="Ziele", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ziele und Wirkung 2026"
    axe_check(page)
    for number, (text, action, owner, (indicator, target, unit)) in enumerate(COESFELD, start=1):
        page.get_by_role("link", name=re.compile("Strategisches Ziel anlegen")).first.click()
        assert page.get_by_label("Nummer").input_value() == str(number)
        page.get_by_label("Ziel*", exact=True).fill(text)
        if number == 1:
            axe_check(page)
        page.get_by_role("button", name="Speichern").click()
        assert f"Strategisches Ziel {['I', 'II', 'III', 'IV'][number - 1]} ist angelegt" in page.content()
        page.get_by_label("Handlungsziel*", exact=True).fill(action)
        if owner in (world.partner_a.name, world.partner_b.name):
            page.get_by_label("verantwortliche Einrichtung").select_option(label=owner)
        else:
            page.get_by_label("verantwortliches Gremium").fill(owner)
        page.get_by_label("Indikator", exact=True).fill(indicator)
        page.get_by_label("Zielwert").fill(target)
        if number == 1:  # a half-filled indicator is refused in German, nothing is saved
            page.get_by_role("button", name="Speichern").click()
            assert "Bitte ausfüllen – oder alle drei Felder des Indikators leer lassen." in page.content()
            assert ActionGoal.objects.count() == 0
            axe_check(page)
        page.get_by_label("Einheit").fill(unit)
        page.get_by_role("button", name="Speichern").click()
        assert page.get_by_role("heading", level=1).inner_text() == action
        if number == 1:
            axe_check(page)
        page.get_by_role("link", name="Ziele und Wirkung").click()
    assert StrategicGoal.objects.filter(network=world.network).count() == 4
    assert ActionGoal.objects.filter(strategic_goal__network=world.network).count() == 4
    for label in ("I", "II", "III", "IV"):
        assert page.get_by_role("heading", name=f"Strategisches Ziel {label}", exact=True).is_visible()
    shot(page, "e2e_01_goals")

    # --- key figures: two figures, the year 2026 with a deadline ---------------------------------------------------
    page.get_by_role("link", name="Kennzahlen", exact=True).click()
    page.get_by_role("link", name="Einstellungen").click()
    axe_check(page)
    for name, unit, kind in (
        ("Anzahl beratener Familien", "Familien", "ganze Zahl"),
        ("Beratungsstunden", "Stunden", "Zahl mit Nachkommastellen"),
    ):
        page.get_by_role("link", name="Kennzahl anlegen").click()
        page.get_by_label("Kennzahl*", exact=True).fill(name)
        page.get_by_label("Einheit").fill(unit)
        page.get_by_label("Art der Zahl").select_option(label=kind)
        page.get_by_role("button", name="Speichern").click()
    page.get_by_role("link", name="Jahr anlegen").click()
    page.get_by_label("Kennzahlen melden bis").fill("2027-01-31")
    axe_check(page)
    page.get_by_role("button", name="Speichern").click()
    assert "Das Jahr 2026 ist gespeichert." in page.content()

    # --- two partners report, each for its own institution only --------------------------------------------------
    for contact, families, hours in ((world.contact_a, "34", "12,5"), (world.contact_b, "21", "8")):
        context, partner_page = new_page(browser, live_server, external)
        log_in(partner_page, contact.email)
        partner_page.get_by_role("link", name="Ziele", exact=True).click()
        partner_page.get_by_role("link", name="Meine Kennzahlen").click()
        axe_check(partner_page)
        partner_page.get_by_role("link", name="Kennzahlen 2026 melden").click()
        partner_page.get_by_label("Anzahl beratener Familien (Familien)").fill("-3")
        partner_page.get_by_label("Beratungsstunden (Stunden)").fill(hours)
        partner_page.get_by_role("button", name="Kennzahlen melden").click()
        assert "negative Werte gibt es hier nicht" in partner_page.content()
        assert "Es wurde nichts gespeichert." in partner_page.content()
        axe_check(partner_page)
        assert not FigureReport.objects.filter(partner__email=contact.email).exists()
        partner_page.get_by_label("Anzahl beratener Familien (Familien)").fill(families)
        partner_page.get_by_role("button", name="Kennzahlen melden").click()
        assert "Danke! Die Kennzahlen 2026" in partner_page.content()
        shot(partner_page, f"e2e_02_partner_{contact.email.split('@')[0]}")
        # the other institution's page does not exist for this contact
        other = world.partner_b if contact == world.contact_a else world.partner_a
        response = partner_page.goto(f"/n/{world.network.slug}/kennzahlen/2026/einrichtung/{other.pk}/")
        assert response.status == 404
        context.close()
    assert FigureReport.objects.filter(goal_year__network=world.network).count() == 2

    page.goto(f"/n/{world.network.slug}/kennzahlen/?jahr=2026")
    assert "2 von 2 Einrichtungen haben gemeldet" in page.content()
    assert page.locator(".stat-value").first.inner_text() == "55"
    assert "20,5" in page.content()
    axe_check(page)
    shot(page, "e2e_03_figures")

    # --- the yearly review of goal I is recorded and shown --------------------------------------------------------
    page.get_by_role("link", name="Ziele", exact=True).click()
    page.get_by_role("link", name=re.compile("Überprüfung 2026 erfassen")).first.click()
    axe_check(page)
    page.get_by_label(re.compile("veröffentlichte Angebote")).fill("184")
    page.get_by_label("grün – auf gutem Weg").check()
    page.get_by_label("Kommentar").fill("Neun von elf Kommunen sind im Wegweiser.")
    page.get_by_role("button", name="Überprüfung speichern").click()
    assert "Die Überprüfung 2026 ist gespeichert." in page.content()
    history = page.get_by_role("table")
    assert "184 Angebote" in history.inner_text() and "grün" in history.inner_text()
    assert "Neun von elf Kommunen sind im Wegweiser." in history.inner_text()
    axe_check(page)
    shot(page, "e2e_04_review")
    page.get_by_role("link", name="Ziele und Wirkung").click()
    assert page.locator(".stat-value").first.inner_text() == "1"  # one green light
    shot(page, "e2e_05_overview")
    assert Review.objects.get().assessment == "gruen"

    # --- what the annual report will read ---------------------------------------------------------------------------
    data = selectors.report_data(world.network, 2026)
    assert [g["label"] for g in data["goals"]] == ["I", "II", "III", "IV"]
    assert data["goals"][0]["action_goals"][0]["review"]["comment"] == "Neun von elf Kommunen sind im Wegweiser."
    assert data["figures"]["total"][0] == 55 and data["figures"]["reported"] == 2
    assert data["traffic_lights"] == {"gruen": 1, "gelb": 0, "rot": 0, "offen": 3}

    # --- the network profile, public where the coordination chooses ----------------------------------------------
    page.get_by_role("link", name="Netzwerk", exact=True).click()
    page.get_by_role("link", name="Bearbeiten").click()
    page.get_by_label("Einwohnerzahl").fill("612065")
    page.get_by_label("Handlungsfelder des Netzwerks").fill("Babylotsen\nFamiliengrundschulzentren")
    page.get_by_label("Profil öffentlich zeigen").check()
    page.get_by_label("Eckdaten (seit, Einwohner, Kinder unter 18, Schwerpunkt)").check()
    page.get_by_label("Handlungsfelder", exact=True).check()
    page.get_by_label("Strategische Ziele").check()
    page.get_by_role("button", name="Speichern").click()
    assert "Die Angaben zum Netzwerk wurden gespeichert." in page.content()
    coordination.close()

    context, anonymous = new_page(browser, live_server, external)
    anonymous.goto(f"/netzwerk/{world.network.slug}/")
    assert anonymous.get_by_role("heading", level=1).inner_text() == "Frühe Hilfen Musterstadt"
    assert "612.065" in anonymous.content() and "Strategisches Ziel IV" in anonymous.content()
    assert context.cookies() == []
    axe_check(anonymous)
    shot(anonymous, "e2e_06_public")
    context.close()
    assert external == [], f"requests to other hosts: {external}"
