"""Browser tests of the public offer finder (390 px phone and desktop), the directory and the coverage matrix:
axe-core finds no serious or critical violation, nothing is loaded from another host, no cookie is set."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD
from tests.partners.test_directory import build_offers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_a_parent_finds_a_free_offer_for_a_one_year_old(page, world, axe_check, width):
    build_offers(world)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/angebote/")
    axe_check(page)
    page.get_by_role("link", name=world.network.name).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Hilfe und Angebote für Familien"
    axe_check(page)

    page.get_by_label("Wie alt ist Ihr Kind?").select_option(label="1 Jahr")
    page.get_by_label("Kosten").select_option(label="nur kostenlose Angebote")
    page.get_by_role("button", name="Angebote zeigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="1 Angebot passt zu Ihrer Auswahl").is_visible()
    assert "Erziehungsberatung für Eltern" not in page.content()
    axe_check(page)

    page.get_by_text("Mehr Auswahl: Suchwort und Lebensphase").click()
    axe_check(page)  # with the folded part open

    page.get_by_role("link", name="Hebammensprechstunde").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="So erreichen Sie das Angebot").is_visible()
    assert page.get_by_role("link", name="Anrufen: 0203 111 222").is_visible()
    assert "Erika Offen" in page.content() and "Ina Intern" not in page.content()
    axe_check(page)
    if width == 390:  # nothing sticks out sideways on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="← Zurück zu allen Angeboten").click()
    page.wait_for_load_state()
    assert page.get_by_label("Kosten").input_value() == "kostenlos"
    assert page.context.cookies() == []


def test_a_partner_reads_the_directory(page, world, axe_check):
    build_offers(world)
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(world.contact_b.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Verzeichnis", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Verzeichnis der Angebote und Ansprechpersonen"
    assert "Ina Intern" in page.content() and "Nora Nichtgenannt" not in page.content()
    axe_check(page)
    page.get_by_label("Sprache").select_option(label="Arabisch")  # the choice applies at once (filters.js)
    page.wait_for_url("**language=**")
    assert "Erziehungsberatung für Eltern" in page.content() and "Hebammensprechstunde" not in page.content()
    axe_check(page)


def test_the_jugendamt_looks_at_the_gaps_and_switches_to_access_routes(page, world, axe_check):
    build_offers(world)
    device = TOTPDevice.objects.create(user=world.jugendamt, name="App", confirmed=True)
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(world.jugendamt.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("textbox", name="Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Abdeckung", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Abdeckung der Präventionskette"
    assert page.locator("td.table-warning").count() == 12
    axe_check(page)
    page.get_by_role("link", name="Zugangswege").click()
    page.wait_for_load_state()
    assert page.get_by_role("columnheader", name="Zugangswege").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Ganzer Kreis Muster").click()
    page.wait_for_load_state()
    assert "Gezählt sind die Angebote aller Netzwerke im Kreis Muster" in page.content()
    axe_check(page)
