"""The issue's "Bad input" list on the public signing page, and no orphan PDF when a countersignature rolls back.

Expired, reused, withdrawn or altered links: a German explanation, a way to ask for a new link, HTTP 4xx, nothing
saved. (Double submit: test_views.py; a termination dated before the start: test_termination.py.)
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, Signature, SigningInvitation, sha256_hex
from tests.agreements.conftest import SIGNER

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agreements.urls")]

SIGN_FORM = {"name": "Petra Sommer", "function": "Leitung", "place": "Musterstadt", "authorised": "on", "consent": "on"}
NEW_LINK = "mailto:netzwerk@musterstadt.example?subject=Neuer%20Link%20zur%20Kooperationsvereinbarung"


def sign_url(token):
    return reverse("agreement_sign", kwargs={"token": token})


def assert_refused(response, status: int, *phrases: str, mailto: bool = True) -> None:
    assert response.status_code == status
    body = response.content.decode()
    for phrase in phrases:
        assert phrase in body
    assert "Einen neuen Link zur Unterzeichnung schickt Ihnen die Netzwerkkoordination" in body
    if mailto:
        assert NEW_LINK in body
    assert 'name="consent"' not in body  # no signing form


def test_a_reused_link_explains_itself_on_get_and_post(client, invite):
    _agreement, token = invite()
    services.agreement_sign(token=token, **SIGNER)
    assert_refused(client.get(sign_url(token)), 410, "bereits zur Unterzeichnung benutzt", "gilt nur einmal")
    assert_refused(client.post(sign_url(token), SIGN_FORM), 410, "bereits zur Unterzeichnung benutzt")
    assert Signature.objects.count() == 1


def test_a_withdrawn_link_is_refused_and_the_new_one_works(client, invite):
    _agreement, old = invite()
    _agreement, new = invite()
    assert_refused(client.get(sign_url(old)), 410, "zurückgezogen")
    assert_refused(client.post(sign_url(old), SIGN_FORM), 410, "zurückgezogen")
    assert not Signature.objects.exists()
    assert client.get(sign_url(new)).status_code == 200


def test_an_expired_link_refuses_a_post_too_and_saves_nothing(client, invite):
    agreement, token = invite()
    digest = client.get(sign_url(token)).context["text_sha256"]
    SigningInvitation.objects.filter(agreement=agreement).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_refused(client.post(sign_url(token), {**SIGN_FORM, "text_sha256": digest}), 410, "abgelaufen")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.INVITED
    assert not Signature.objects.exists()


@pytest.mark.parametrize("alter", [lambda t: t[:-2] + "xx", lambda t: t[:20], lambda t: t + "a" * 300])
def test_an_altered_link_is_404_with_a_way_to_a_new_one(client, invite, alter):
    _agreement, token = invite()
    response = client.post(sign_url(alter(token)), SIGN_FORM)
    # An unknown link names no network, so there is no address to show; the page says whom to ask.
    assert_refused(response, 404, "Diesen Link gibt es nicht", "vollständig aus der E-Mail", mailto=False)
    assert "die Ihnen die Einladung geschickt hat" in response.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.parametrize("status", [Agreement.Status.DECLINED, Agreement.Status.EXPIRED])
def test_a_withdrawn_or_declined_invitation_cannot_be_signed(client, invite, status):
    agreement, token = invite()
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    assert_refused(client.post(sign_url(token), SIGN_FORM), 410, "nicht mehr zur Unterzeichnung offen")
    assert not Signature.objects.exists()


def test_a_link_to_an_older_version_lapses_when_a_newer_one_is_sent(client, world, invite, template):
    _agreement, old = invite()
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={"title": template.title, "version_date": template.version_date + timedelta(days=30), "body": "Neu"},
    )
    newer = services.template_publish(template=draft, actor=world.coordinator)
    services.agreement_invite(
        network=world.network, partner=world.partner_a, template=newer, email="leitung@hebamme.example", actor=None
    )
    assert_refused(client.get(sign_url(old)), 410, "zurückgezogen")


# --- the archived PDF is written only when the countersignature commits -------------------------------------------


def pdf_files() -> set[str]:
    folder = Path(settings.MEDIA_ROOT) / "agreements" / "pdf"
    return {path.name for path in folder.glob("*.pdf")} if folder.exists() else set()


def test_a_rolled_back_countersignature_leaves_no_pdf_file(world, invite, django_capture_on_commit_callbacks):
    agreement, token = invite()
    agreement = services.agreement_sign(token=token, **SIGNER)
    before = pdf_files()

    class Abort(Exception):
        pass

    with pytest.raises(Abort), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.agreement_countersign(
            agreement=agreement, actor=world.jugendamt, name="J", function="L", place="M", ip=None, user_agent=""
        )
        raise Abort  # e.g. a later step of the request fails: everything rolls back
    assert pdf_files() == before
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert not agreement.pdf


def test_a_committed_countersignature_stores_exactly_the_hashed_pdf(world, invite, django_capture_on_commit_callbacks):
    agreement, token = invite()
    agreement = services.agreement_sign(token=token, **SIGNER)
    before = pdf_files()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        agreement = services.agreement_countersign(
            agreement=agreement, actor=world.jugendamt, name="J", function="L", place="M", ip=None, user_agent=""
        )
    assert pdf_files() == before  # not yet committed: nothing written
    for callback in callbacks:
        callback()
    assert len(pdf_files() - before) == 1
    stored = Agreement.objects.get(pk=agreement.pk)
    assert sha256_hex(stored.pdf.read()) == stored.pdf_sha256
