import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import Network
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email, password=PASSWORD):
    page.goto("/konto/anmelden/")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def test_a_partner_logs_in_and_sees_the_own_institution(page, world, axe_check):
    page.goto("/")
    assert page.title().startswith("Anmelden")
    axe_check(page)
    log_in(page, world.contact_a.email, "falsches-passwort")
    assert page.get_by_role("alert").inner_text().startswith("E-Mail-Adresse oder Passwort stimmen nicht")
    log_in(page, world.contact_a.email)
    assert page.get_by_role("heading", name="Ihre Einrichtung").is_visible()
    assert "Hebammenpraxis Am Bach" in page.content()
    axe_check(page)
    page.get_by_role("link", name="Netzwerk").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Frühe Hilfen Musterstadt"
    axe_check(page)
    page.goto("/konto/")
    axe_check(page)


def test_a_coordinator_sets_up_two_factors_then_edits_the_network(page, world, axe_check):
    log_in(page, world.coordinator.email)
    assert page.get_by_role("heading", name="Zwei-Faktor-Anmeldung einrichten").is_visible()
    axe_check(page)
    secret = page.locator(".secret-key code").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]+=*", secret)
    device = TOTPDevice.objects.get(user=world.coordinator, confirmed=False)
    page.get_by_role("textbox", name="Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Einrichten").click()
    assert page.get_by_role("heading", name="Zwei-Faktor-Anmeldung ist eingerichtet").is_visible()
    assert page.locator(".backup-codes li").count() == 10
    page.get_by_role("link", name="Weiter").click()

    assert page.get_by_role("heading", name="Mitgliedseinrichtungen").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Netzwerk bearbeiten").click()
    axe_check(page)
    page.get_by_label("Üblicher Sitzungsort").fill("Rathaus, Ratssaal")
    page.get_by_label("Übliche Dauer (Minuten)").fill("5")
    page.get_by_role("button", name="Speichern").click()
    assert "Bitte prüfen Sie die markierten Felder." in page.content()
    assert "größer oder gleich 15" in page.content()
    assert Network.objects.get(pk=world.network.pk).meeting_place == "Rathaus"
    page.get_by_label("Übliche Dauer (Minuten)").fill("90")
    page.get_by_role("button", name="Speichern").click()
    assert "Die Angaben zum Netzwerk wurden gespeichert." in page.content()
    assert Network.objects.get(pk=world.network.pk).meeting_place == "Rathaus, Ratssaal"

    page.get_by_role("link", name="Änderungen", exact=True).click()
    assert "Rathaus → Rathaus, Ratssaal" in page.content()
    axe_check(page)


def test_the_legal_pages_pass_axe(page, db, axe_check):
    for path in ("/impressum/", "/datenschutz/", "/barrierefreiheit/", "/konto/passwort-vergessen/"):
        page.goto(path)
        axe_check(page)


def test_a_partner_edits_its_profile_submits_it_and_the_coordinator_approves(
    page, browser, live_server, world, axe_check
):
    from partners.models import Partner

    log_in(page, world.contact_a.email)
    page.get_by_role("link", name="Meine Einrichtung").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hebammenpraxis Am Bach"
    axe_check(page)
    page.get_by_role("link", name="Profil bearbeiten").click()
    axe_check(page)
    page.get_by_label("Telefon", exact=True).first.fill("keine Nummer")
    page.get_by_role("button", name="Speichern").click()
    assert "gültige Telefonnummer" in page.content()
    page.get_by_label("Telefon", exact=True).first.fill("0203 44 55 66")
    page.locator("#id_contacts-0-name").fill("Ilka Sommer")
    page.locator("#id_contacts-0-function").fill("Hebamme")
    page.locator("#id_contacts-0-consent_internal").check()
    page.get_by_role("button", name="Speichern").click()
    assert "Das Profil wurde gespeichert." in page.content()
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    assert "zur Prüfung eingereicht" in page.content()
    assert Partner.objects.get(pk=world.partner_a.pk).profile_state == "eingereicht"

    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    coordinator = context.new_page()
    from tests.conftest import verify_second_factor  # noqa: F401  (the coordinator logs in with a code)

    device = TOTPDevice.objects.create(user=world.coordinator, name="App", confirmed=True)
    log_in(coordinator, world.coordinator.email)
    coordinator.get_by_role("textbox", name="Code").fill(f"{totp(device.bin_key):06d}")
    coordinator.get_by_role("button", name="Bestätigen").click()
    assert "wartet auf Ihre Prüfung" in coordinator.content()
    coordinator.get_by_role("link", name="Zur Prüfung").click()
    coordinator.get_by_role("link", name="Hebammenpraxis Am Bach").click()
    assert "0203 44 55 66" in coordinator.content()
    assert "Ilka Sommer" in coordinator.content()
    axe_check(coordinator)
    coordinator.get_by_role("button", name="Als geprüft markieren").click()
    assert "Das Profil ist geprüft." in coordinator.content()
    assert Partner.objects.get(pk=world.partner_a.pk).profile_state == "geprueft"
    context.close()
