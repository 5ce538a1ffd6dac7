"""A whole quarter of the Lenkungskreis in a real browser: plan, invite, reply, attendance, protocol, approval, print.

Set PRAEVNET_SHOTS=/tmp/shots/meet to keep a screenshot of every step and the printed PDFs.
"""

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from meetings import clock
from meetings.models import Meeting
from tests.e2e.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PRAEVNET_SHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/e2e-{name}.png", full_page=True)


def keep(name: str, content: bytes) -> None:
    if SHOTS:
        Path(f"{SHOTS}/e2e-{name}.pdf").write_bytes(content)


def download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    return Path(info.value.path()).read_bytes()


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def log_out(page) -> None:
    page.context.clear_cookies()


def test_a_whole_quarter_of_the_lenkungskreis(page, browser, live_server, world, axe_check, settings, monkeypatch):
    settings.TWO_FACTOR_REQUIRED = False
    settings.SITE_URL = live_server.url
    world.network.contact_email = "netzwerk@musterstadt.example"
    world.network.save()
    year = timezone.localdate().year + 1

    # --- Plan: the coordination sets up the body, its members and the year plan --------------------------------------
    log_in(page, world.coordinator.email)
    page.get_by_role("link", name="Sitzungen", exact=True).click()
    page.get_by_role("link", name="Gremien").click()
    page.get_by_role("link", name="Neues Gremium").click()
    page.locator("#id_name").fill("Lenkungskreis Frühe Hilfen")
    page.locator("#id_description").fill("Gremium mit Empfehlungscharakter.")
    page.get_by_role("button", name="Speichern").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lenkungskreis Frühe Hilfen"
    for partner, person, email in (
        (world.partner_a, "Petra Sommer", "sommer@hebamme.example"),
        (world.partner_b, "Omar Haddad", "haddad@beratung.example"),
    ):
        page.get_by_role("link", name="Mitglied aufnehmen").click()
        page.locator("#id_partner").select_option(str(partner.pk))
        page.locator("#id_name").fill(person)
        page.locator("#id_email").fill(email)
        page.get_by_role("button", name="Speichern").click()
        assert "Die Mitgliedschaft im Gremium ist gespeichert." in page.content()
    shot(page, "01-gremium")
    axe_check(page)

    body_url = page.url
    page.goto(body_url + f"jahresplan/?jahr={year}")
    assert page.get_by_role("heading", name=f"Jahresplan {year}").is_visible()
    shot(page, "02-jahresplan")
    axe_check(page)
    page.get_by_role("button", name="Jahresplan anlegen").click()
    assert f"Der Jahresplan {year} ist angelegt" in page.content()
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert len(meetings) == 4 and {m.state for m in meetings} == {"geplant"}
    meeting = meetings[0]

    # --- Agenda and invitation -------------------------------------------------------------------------------------
    page.get_by_role("link", name=re.compile(meeting.starts_at.astimezone().strftime("%d.%m.%Y"))).click()
    page.get_by_role("link", name="TOP hinzufügen").click()
    page.locator("#id_title").fill("Wir stellen uns vor: Hebammenpraxis Am Bach")
    page.locator("#id_is_partner_presentation").check()
    page.locator("#id_presenter_partner").select_option(str(world.partner_a.pk))
    page.locator("#id_minutes").fill("20")
    page.get_by_role("button", name="Speichern").click()
    assert "TOP 4: Wir stellen uns vor" in page.content()
    page.get_by_role("button", name="Einladungen verschicken").click()
    assert "Einladungen verschickt: 2" in page.content()
    shot(page, "03-eingeladen")
    axe_check(page)
    assert len(mail.outbox) == 2
    assert {name.rsplit(".", 1)[1] for name, _c, _m in mail.outbox[0].attachments} == {"ics", "pdf"}
    log_out(page)

    # --- Replies: partner B by the e-mail link (no login), partner A in the app --------------------------------------
    message = next(m for m in mail.outbox if "haddad@beratung.example" in m.to)
    link = re.search(r"https?://\S+/sitzung/antwort/[\w-]+/", message.body).group(0)
    page.goto(link)
    assert "Antwort für Erziehungsberatung Mitte" in page.content()
    page.get_by_label("vertreten durch", exact=True).check()
    page.locator("#id_substitute").fill("Aylin Kaya, Beraterin")
    page.get_by_role("button", name="Antwort senden").click()
    assert "Danke, Ihre Antwort ist gespeichert" in page.content()
    shot(page, "04-antwort-link")
    axe_check(page)

    log_in(page, world.contact_a.email)
    page.goto(f"/n/{world.network.slug}/sitzungen/{meeting.pk}/")
    page.get_by_label("zugesagt").check()
    page.get_by_role("button", name="Antwort senden").click()
    assert "Danke, Ihre Antwort ist gespeichert." in page.content()
    shot(page, "05-antwort-app")
    log_out(page)

    # --- The day of the meeting: attendance and protocol by the Jugendamt ------------------------------------------
    monkeypatch.setattr(clock, "now", lambda: meeting.ends_at + datetime.timedelta(hours=2))
    log_in(page, world.jugendamt.email)
    page.goto(f"/n/{world.network.slug}/sitzungen/{meeting.pk}/")
    page.get_by_role("link", name="Anwesenheit").click()
    selects = page.locator("select")
    for index in range(selects.count()):
        selects.nth(index).select_option("anwesend")
    page.get_by_role("button", name="Anwesenheit speichern").click()
    page.goto(f"/n/{world.network.slug}/sitzungen/{meeting.pk}/anwesenheit/")
    page.locator("#id_gast-name").fill("Prof. Ina Roth")
    page.locator("#id_gast-organisation").fill("Hochschule Niederrhein")
    page.get_by_role("button", name="Gast eintragen").click()
    assert "Der Gast ist eingetragen." in page.content()
    shot(page, "06-anwesenheit")
    axe_check(page)
    signin = download(page, "Teilnehmerliste zum Unterschreiben (PDF)")
    keep("teilnehmerliste", signin)
    assert "Unterschrift" in pdf_text(signin) and "Aylin Kaya" in pdf_text(signin)

    page.goto(f"/n/{world.network.slug}/sitzungen/{meeting.pk}/protokoll/")
    page.locator("#id_chair").fill("Carla Cremer")
    textareas = page.locator("textarea[id^='id_notes_']")
    for index in range(textareas.count()):
        textareas.nth(index).fill(f"Besprochen zu TOP {index + 1}.")
    page.get_by_role("button", name="Protokoll speichern").click()
    assert "Das Protokoll ist gespeichert." in page.content()
    page.locator("#id_empfehlung-text").fill("Der Lenkungskreis empfiehlt mehrsprachige Flyer.")
    page.get_by_role("button", name="Empfehlung aufnehmen").click()
    page.locator("#id_aufgabe-text").fill("Flyer übersetzen lassen")
    page.locator("#id_aufgabe-responsible_partner").select_option(str(world.partner_a.pk))
    page.locator("#id_aufgabe-due_date").fill((meeting.starts_at.date() + datetime.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Aufgabe aufnehmen").click()
    assert "Die Aufgabe ist aufgenommen." in page.content()
    shot(page, "07-protokoll")
    axe_check(page)
    page.locator("#id_comments_until").fill((clock.today() + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Zur Abstimmung versenden").click()
    assert "zur Abstimmung versandt" in page.content()
    log_out(page)

    # --- Comments by a member, approval, print ---------------------------------------------------------------------
    log_in(page, world.contact_a.email)
    page.goto(f"/n/{world.network.slug}/sitzungen/{meeting.pk}/")
    page.locator("#id_text").fill("Bitte bei TOP 4 die Sprechzeiten ergänzen.")
    page.get_by_role("button", name="Anmerkung senden").click()
    assert "Danke, Ihre Anmerkung ist beim Jugendamt angekommen." in page.content()
    shot(page, "08-anmerkung")
    log_out(page)

    log_in(page, world.jugendamt.email)
    page.goto(f"/n/{world.network.slug}/sitzungen/{meeting.pk}/")
    page.get_by_role("link", name="Protokoll genehmigen").click()
    assert "Bitte bei TOP 4 die Sprechzeiten ergänzen." in page.content()
    page.get_by_role("button", name="Protokoll genehmigen").click()
    assert "Bitte bestätigen Sie, dass das Protokoll abgestimmt ist." in page.content()
    assert not Meeting.objects.get(pk=meeting.pk).is_approved
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Protokoll genehmigen").click()
    assert "Das Protokoll ist genehmigt." in page.content()
    shot(page, "09-genehmigt")
    axe_check(page)
    protocol = download(page, "Genehmigtes Protokoll (PDF)")
    keep("protokoll", protocol)
    text = pdf_text(protocol)
    for expected in (
        "Protokoll:",
        "Carla Cremer",
        "Prof. Ina Roth (Hochschule Niederrhein)",
        "mehrsprachige Flyer",
        "Flyer übersetzen lassen",
        "Seite 1 von",
    ):
        assert expected in text
    meeting.refresh_from_db()
    assert meeting.is_approved and meeting.protocol_pdf_sha256
    invitation = download(page, "Einladung mit Tagesordnung (PDF)")
    keep("einladung", invitation)
    assert "Tagesordnung" in pdf_text(invitation)
    # frozen: the protocol page sends the writer back with a German message
    page.goto(f"/n/{world.network.slug}/sitzungen/{meeting.pk}/protokoll/")
    assert "Das Protokoll ist genehmigt und kann nicht mehr geändert werden." in page.content()
    log_out(page)

    # --- The action item on the partner's dashboard, done ----------------------------------------------------------
    log_in(page, world.contact_a.email)
    assert "Flyer übersetzen lassen" in page.content()
    shot(page, "10-dashboard-partner")
    page.goto(f"/n/{world.network.slug}/aufgaben/")
    page.get_by_role("button", name="Erledigt").click()
    assert "Erledigt: Flyer übersetzen lassen" in page.content()
    shot(page, "11-aufgabe-erledigt")
    axe_check(page)
