"""Agreements in a real browser: the partner signs through the link (with a drawn signature), the Jugendamt
countersigns, the stored PDF carries the drawing; the Fristen page passes axe."""

import base64
import datetime
import io

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from pypdf import PdfReader

from agreements import services
from agreements.models import Agreement, Signature
from tests.e2e.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def draw(page, points, *, pen=False):
    """A stroke through `points` (fractions of the canvas): with the mouse, or as pen pointer events."""
    canvas = page.locator("[data-signature-canvas]")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    coords = [(box["x"] + box["width"] * x, box["y"] + box["height"] * y) for x, y in points]
    if not pen:
        page.mouse.move(*coords[0])
        page.mouse.down()
        for x, y in coords[1:]:
            page.mouse.move(x, y, steps=5)
        page.mouse.up()
        return
    init = {"pointerId": 7, "pointerType": "pen", "isPrimary": True, "bubbles": True, "pressure": 0.5}
    canvas.dispatch_event("pointerdown", {**init, "clientX": coords[0][0], "clientY": coords[0][1], "button": 0})
    for x, y in coords[1:]:
        canvas.dispatch_event("pointermove", {**init, "clientX": x, "clientY": y})
    canvas.dispatch_event("pointerup", {**init, "clientX": coords[-1][0], "clientY": coords[-1][1]})


def drawn_value(page) -> str:
    return page.locator("#id_drawn_signature").input_value()


@pytest.fixture
def published(world):
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={
            "title": "Kooperationsvereinbarung Frühe Hilfen Musterstadt",
            "version_date": datetime.date(2025, 1, 15),
            "body": "## Ziele\n\nDie Partner arbeiten im Netzwerk zusammen.",
            "notice_amount": 4,
            "notice_unit": "weeks",
            "notice_to": "quarter_end",
            "written_form": False,
        },
        signatories=["Leitung des Jugendamtes"],
    )
    return services.template_publish(template=draft, actor=world.coordinator)


def test_the_signing_flow_from_the_link_to_the_countersigned_pdf(
    page, browser, live_server, world, axe_check, published
):
    agreement, token = services.agreement_invite(
        network=world.network,
        partner=world.partner_a,
        template=published,
        email="leitung@hebamme.example",
        actor=world.coordinator,
    )

    page.goto(f"/vereinbarung/unterzeichnen/{token}/")
    assert "Die Partner arbeiten im Netzwerk zusammen." in page.content()
    assert "unbefristet; Kündigungsfrist 4 Wochen zum Quartalsende" in page.content()
    assert page.get_by_text("Unterschrift zeichnen").is_visible()  # the script showed the optional pad
    assert page.get_by_role("button", name="Löschen").is_disabled()
    axe_check(page)
    page.get_by_label("Ihr Name").fill("Hanna Bach")
    page.get_by_label("Ihre Funktion").fill("Inhaberin")
    page.get_by_label("Ort").fill("Musterstadt")

    # Mouse: draw, clear, draw again; then a pen stroke on top. The hidden field follows the canvas.
    draw(page, [(0.1, 0.6), (0.3, 0.3), (0.5, 0.7), (0.7, 0.3)])
    assert drawn_value(page).startswith("data:image/png;base64,")
    assert page.get_by_text("Ihre gezeichnete Unterschrift wird mit gespeichert.").is_visible()
    page.get_by_role("button", name="Löschen").click()
    assert drawn_value(page) == ""
    assert page.get_by_text("Keine Zeichnung: Es gilt Ihr eingegebener Name.").is_visible()
    draw(page, [(0.1, 0.7), (0.25, 0.3), (0.4, 0.7), (0.55, 0.3), (0.7, 0.7)])
    draw(page, [(0.1, 0.85), (0.9, 0.8)], pen=True)

    # A form error keeps the drawing (it is drawn again from the field), and nothing is signed yet.
    page.get_by_role("button", name="Verbindlich unterzeichnen").click()
    assert "Bitte bestätigen Sie, dass Sie unterzeichnen dürfen." in page.content()
    page.get_by_text("Ihre gezeichnete Unterschrift wird mit gespeichert.").wait_for()
    assert drawn_value(page).startswith("data:image/png;base64,")
    page.get_by_label("Ich bin berechtigt, für die Einrichtung zu unterzeichnen").check()
    page.locator("input[type=checkbox][name=consent]").check()
    page.get_by_role("button", name="Verbindlich unterzeichnen").click()
    assert page.get_by_role("heading", name="Vielen Dank – Sie haben unterzeichnet").is_visible()
    assert Agreement.objects.get(pk=agreement.pk).status == "unterzeichnet"
    signature = Signature.objects.get(agreement=agreement, side="partner")
    png = base64.b64decode(signature.drawn_signature.removeprefix("data:image/png;base64,"))
    assert png.startswith(b"\x89PNG") and len(png) > 500
    page.goto(f"/vereinbarung/unterzeichnen/{token}/")
    assert page.get_by_role("heading", name="Dieser Link gilt nicht mehr").is_visible()

    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    office = context.new_page()
    device = TOTPDevice.objects.create(user=world.jugendamt, name="App", confirmed=True)
    log_in(office, world.jugendamt.email)
    office.get_by_role("textbox", name="Code").fill(f"{totp(device.bin_key):06d}")
    office.get_by_role("button", name="Bestätigen").click()
    office.goto(f"/n/{world.network.slug}/vereinbarungen/{agreement.pk}/gegenzeichnen/")
    assert "Hanna Bach" in office.content()
    axe_check(office)
    office.get_by_label("Ihr Name").fill("Jana Jugendamt")
    office.get_by_label("Ort").fill("Musterstadt")
    office.get_by_role("button", name="Jetzt gegenzeichnen").click()
    agreement.refresh_from_db()
    assert agreement.status == "in_kraft"
    assert agreement.pdf and len(agreement.pdf_sha256) == 64
    assert "in Kraft" in office.content()
    axe_check(office)
    pdf = PdfReader(io.BytesIO(agreement.pdf.read()))
    sizes = {image.image.size for pdf_page in pdf.pages for image in pdf_page.images}
    assert Image.open(io.BytesIO(png)).size in sizes  # the drawing is in the signature block of the archived PDF

    office.goto(f"/n/{world.network.slug}/vereinbarungen/fristen/")
    assert office.get_by_role("heading", name="Fristen", exact=True).is_visible()
    axe_check(office)
    context.close()


def test_signing_without_javascript_needs_no_drawing(browser, live_server, world, published):
    _agreement, token = services.agreement_invite(
        network=world.network, partner=world.partner_a, template=published, email="a@hebamme.example", actor=None
    )
    context = browser.new_context(locale="de-DE", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/vereinbarung/unterzeichnen/{token}/")
    assert not page.get_by_text("Unterschrift zeichnen").is_visible()  # hidden without the script
    page.get_by_label("Ihr Name").fill("Hanna Bach")
    page.get_by_label("Ihre Funktion").fill("Inhaberin")
    page.get_by_label("Ort").fill("Musterstadt")
    page.get_by_label("Ich bin berechtigt, für die Einrichtung zu unterzeichnen").check()
    page.locator("input[type=checkbox][name=consent]").check()
    page.get_by_role("button", name="Verbindlich unterzeichnen").click()
    assert page.get_by_role("heading", name="Vielen Dank – Sie haben unterzeichnet").is_visible()
    assert Signature.objects.get().drawn_signature == ""
    context.close()
