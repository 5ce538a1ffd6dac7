"""The optional drawn signature: a real, small PNG is stored with the (immutable) signature and shown in the PDF."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from agreements import services
from agreements.models import Signature
from tests.agreements.conftest import SIGNER

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agreements.urls")]

SIGN_FORM = {"name": "Petra Sommer", "function": "Leitung", "place": "Musterstadt", "authorised": "on", "consent": "on"}


def drawing(size=(600, 160)) -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    for x in range(40, 560):
        image.putpixel((x, 80 + (x % 40) // 2), (11, 31, 77, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def sign_url(token):
    return reverse("agreement_sign", kwargs={"token": token})


def test_a_drawn_signature_is_stored_and_shown_in_the_pdf(world, invite, django_capture_on_commit_callbacks):
    agreement, token = invite()
    drawn = data_url(drawing())
    services.agreement_sign(token=token, **{**SIGNER, "drawn_signature": drawn})
    assert Signature.objects.get(side="partner").drawn_signature == drawn
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.agreement_countersign(
            agreement=agreement, actor=world.jugendamt, name="J", function="L", place="M", ip=None, user_agent=""
        )
    pages = PdfReader(io.BytesIO(agreement.pdf.read())).pages
    sizes = {image.image.size for page in pages for image in page.images}
    assert (600, 160) in sizes  # the drawing, next to the network's logo


def test_the_drawn_signature_is_as_immutable_as_the_rest(invite):
    _agreement, token = invite()
    services.agreement_sign(token=token, **{**SIGNER, "drawn_signature": data_url(drawing())})
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.update(drawn_signature="")


def test_signing_without_drawing_keeps_working(client, invite):
    _agreement, token = invite()
    digest = client.get(sign_url(token)).context["text_sha256"]
    response = client.post(sign_url(token), {**SIGN_FORM, "text_sha256": digest, "drawn_signature": ""})
    assert response.status_code == 200
    assert Signature.objects.get().drawn_signature == ""


def test_the_signing_page_offers_the_pad_with_a_clear_button_and_its_script(client, invite):
    _agreement, token = invite()
    body = client.get(sign_url(token)).content.decode()
    assert 'data-signature-pad="id_drawn_signature" hidden' in body  # shown by the script, optional
    assert "data-signature-clear>Löschen</button>" in body
    assert "/static/js/signature-pad.js" in body
    assert "(freiwillig)" in body


def damaged_crc(png: bytes) -> bytes:
    return png[:-5] + bytes([png[-5] ^ 0xFF]) + png[-4:]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("data:image/jpeg;base64,/9j/4AAQ", "muss ein PNG-Bild sein"),
        ("data:image/png;base64,nicht base64!", "kein gültiges PNG-Bild"),
        (data_url(b"GIF89a" + b"\0" * 40), "kein gültiges PNG-Bild"),
        (data_url(drawing()[:-20]), "kein gültiges PNG-Bild"),  # truncated
        (data_url(damaged_crc(drawing())), "kein gültiges PNG-Bild"),
        (data_url(drawing() + b"danach"), "kein gültiges PNG-Bild"),  # trailing data
        (data_url(drawing((4000, 100))), "Bildmaße"),
        ("data:image/png;base64," + "A" * 250_000, "zu groß"),
    ],
)
def test_a_bad_drawing_is_a_german_error_and_nothing_is_saved(client, invite, value, message):
    agreement, token = invite()
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(token=token, **{**SIGNER, "drawn_signature": value})
    assert message in error.value.message_dict["drawn_signature"][0]
    digest = client.get(sign_url(token)).context["text_sha256"]
    response = client.post(sign_url(token), {**SIGN_FORM, "text_sha256": digest, "drawn_signature": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Signature.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == "eingeladen"
