import datetime
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, AgreementTemplate, Signature, SigningInvitation
from tests.agreements.conftest import SIGNER

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agreements.urls")]

SIGN_FORM = {"name": "Petra Sommer", "function": "Leitung", "place": "Musterstadt", "authorised": "on", "consent": "on"}


def sign_url(token):
    return reverse("agreement_sign", kwargs={"token": token})


def url(name, world, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"network": world.network.slug, **kwargs})


@pytest.fixture
def in_force(world, invite, django_capture_on_commit_callbacks):
    agreement, token = invite()
    agreement = services.agreement_sign(token=token, **SIGNER)
    with django_capture_on_commit_callbacks(execute=True):
        return services.agreement_countersign(
            agreement=agreement,
            actor=world.jugendamt,
            name="Jana Jugendamt",
            function="Leitung des Jugendamtes",
            place="Musterstadt",
            ip=None,
            user_agent="",
        )


def test_anonymous_sees_the_whole_text_and_the_terms_with_a_valid_link(client, invite):
    _agreement, token = invite()
    response = client.get(sign_url(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Die Partner arbeiten im Netzwerk zusammen." in body
    assert "unbefristet; Kündigungsfrist 4 Wochen zum Quartalsende" in body
    assert "Ich bin berechtigt, für die Einrichtung zu unterzeichnen" in body
    assert "frühestes Ende durch Kündigung" in body


def test_anonymous_signs_through_the_link(client, invite, django_capture_on_commit_callbacks):
    agreement, token = invite()
    page = client.get(sign_url(token))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            sign_url(token), {**SIGN_FORM, "text_sha256": page.context["text_sha256"]}, REMOTE_ADDR="203.0.113.5"
        )
    assert response.status_code == 200
    assert "Sie haben unterzeichnet" in response.content.decode()
    signature = Signature.objects.get()
    assert signature.ip == "203.0.113.5"
    assert signature.text_sha256 == page.context["text_sha256"]
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def test_a_double_submit_gives_one_signature(client, invite):
    _agreement, token = invite()
    digest = client.get(sign_url(token)).context["text_sha256"]
    first = client.post(sign_url(token), {**SIGN_FORM, "text_sha256": digest})
    second = client.post(sign_url(token), {**SIGN_FORM, "text_sha256": digest})
    assert first.status_code == 200
    assert second.status_code == 410
    assert "bereits zur Unterzeichnung benutzt" in second.content.decode()
    assert Signature.objects.count() == 1


def test_an_expired_link_is_410_with_a_german_explanation_and_a_mailto(client, invite):
    agreement, token = invite()
    SigningInvitation.objects.filter(agreement=agreement).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(sign_url(token))
    assert response.status_code == 410
    body = response.content.decode()
    assert "abgelaufen" in body
    assert "mailto:netzwerk@musterstadt.example" in body


def test_an_altered_link_is_404(client, invite):
    _agreement, token = invite()
    response = client.get(sign_url(token[:-2] + "xx"))
    assert response.status_code == 404
    assert "Diesen Link gibt es nicht" in response.content.decode()


def test_the_sign_form_shows_german_errors_and_saves_nothing(client, invite):
    _agreement, token = invite()
    digest = client.get(sign_url(token)).context["text_sha256"]
    response = client.post(sign_url(token), {"name": "", "function": "", "place": "", "text_sha256": digest})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bitte bestätigen Sie, dass Sie unterzeichnen dürfen." in body
    assert "Dieses Feld ist zwingend erforderlich." in body
    assert not Signature.objects.exists()
    assert SigningInvitation.objects.get().used_at is None


def test_the_jugendamt_countersigns_on_its_page(login, world, invite, django_capture_on_commit_callbacks):
    agreement, token = invite()
    services.agreement_sign(token=token, **SIGNER)
    client = login(world.jugendamt)
    page = client.get(url("agreement_countersign", world, pk=agreement.pk))
    assert page.status_code == 200
    assert "Petra Sommer" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("agreement_countersign", world, pk=agreement.pk),
            {"name": "Jana Jugendamt", "function": "Leitung des Jugendamtes", "place": "Musterstadt"},
        )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.pdf
    assert mail.outbox[-1].attachments


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 403), ("contact_a", 403), ("contact_b", 403), ("other_coordinator", 404), ("anonymous", 302)],
)
def test_only_the_jugendamt_may_open_the_countersign_page(login, world, invite, persona, status):
    agreement, token = invite()
    services.agreement_sign(token=token, **SIGNER)
    response = login(world.persona(persona)).get(url("agreement_countersign", world, pk=agreement.pk))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("jugendamt", 200),
        ("admin", 200),
        ("contact_a", 200),
        ("contact_b", 404),
        ("other_coordinator", 404),
        ("anonymous", 302),
    ],
)
def test_the_pdf_goes_to_network_staff_and_the_own_partner_only(login, world, in_force, persona, status):
    response = login(world.persona(persona)).get(url("agreement_pdf", world, pk=in_force.pk))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("jugendamt", 200),
        ("contact_a", 200),
        ("contact_b", 404),
        ("other_coordinator", 404),
    ],
)
def test_the_agreement_page_is_for_staff_and_the_own_partner(login, world, in_force, persona, status):
    response = login(world.persona(persona)).get(url("agreement_detail", world, pk=in_force.pk))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("jugendamt", 200), ("contact_a", 403), ("other_coordinator", 404), ("anonymous", 302)],
)
def test_the_agreement_list_is_for_network_staff(login, world, in_force, persona, status):
    response = login(world.persona(persona)).get(url("agreement_list", world))
    assert response.status_code == status
    if status == 200:
        assert "Hebammenpraxis Am Bach" in response.content.decode()


def test_the_coordinator_invites_a_partner_from_its_page(login, world, template, django_capture_on_commit_callbacks):
    client = login(world.coordinator)
    assert client.get(url("agreement_invite", world, partner_pk=world.partner_b.pk)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("agreement_invite", world, partner_pk=world.partner_b.pk),
            {"template": template.pk, "email": "leitung@beratung.example"},
        )
    assert response.status_code == 302
    assert Agreement.objects.get().partner == world.partner_b
    assert mail.outbox[-1].to == ["leitung@beratung.example"]


def test_an_invitation_with_a_bad_address_is_refused_in_german(login, world, template):
    response = login(world.coordinator).post(
        url("agreement_invite", world, partner_pk=world.partner_b.pk), {"template": template.pk, "email": "kein-at"}
    )
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_foreign_partner_cannot_be_invited(login, world, template):
    response = login(world.coordinator).get(url("agreement_invite", world, partner_pk=world.foreign_partner.pk))
    assert response.status_code == 404


def test_invite_all_is_post_only_and_invites(login, world, template, django_capture_on_commit_callbacks):
    world.partner_a.email = "info@hebamme.example"
    world.partner_a.save()
    client = login(world.coordinator)
    assert client.get(url("agreement_invite_all", world)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("agreement_invite_all", world), {"template": template.pk})
    assert response.status_code == 302
    assert list(Agreement.objects.values_list("partner__name", flat=True)) == ["Hebammenpraxis Am Bach"]


def test_the_coordinator_creates_edits_and_publishes_a_template(login, world):
    client = login(world.coordinator)
    data = {
        "title": "Vereinbarung 2026",
        "version_date": "2026-01-01",
        "body": "Text",
        "initial_months": "24",
        "renewal_months": "12",
        "notice_amount": "3",
        "notice_unit": "months",
        "notice_to": "term_end",
        "written_form": "on",
        "signatories": "Landrat\nBürgermeister",
    }
    response = client.post(url("template_create", world), data)
    assert response.status_code == 302
    template = AgreementTemplate.objects.get()
    assert [s.role_label for s in template.signatories.all()] == ["Landrat", "Bürgermeister"]
    assert template.terms_text().endswith("zum Ablauf der Laufzeit; Kündigung in Schriftform")
    response = client.post(url("template_edit", world, pk=template.pk), {**data, "title": "Vereinbarung 2026/1"})
    assert response.status_code == 302
    assert client.post(url("template_publish", world, pk=template.pk)).status_code == 302
    template.refresh_from_db()
    assert template.is_published
    response = client.post(url("template_edit", world, pk=template.pk), {**data, "title": "geändert"})
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.title == "Vereinbarung 2026/1"


def test_inconsistent_terms_are_a_german_form_error(login, world):
    response = login(world.coordinator).post(
        url("template_create", world),
        {
            "title": "X",
            "version_date": "2026-01-01",
            "body": "T",
            "renewal_months": "12",
            "notice_amount": "4",
            "notice_unit": "weeks",
            "notice_to": "quarter_end",
        },
    )
    assert response.status_code == 200
    assert "Verlängerung setzt eine feste Laufzeit voraus" in response.content.decode()
    assert not AgreementTemplate.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("jugendamt", 200), ("contact_a", 403), ("other_coordinator", 404)],
)
def test_templates_are_visible_to_staff(login, world, template, persona, status):
    client = login(world.persona(persona))
    assert client.get(url("template_list", world)).status_code == status
    assert client.get(url("template_detail", world, pk=template.pk)).status_code == status


def test_the_jugendamt_cannot_create_templates(login, world):
    assert login(world.jugendamt).get(url("template_create", world)).status_code == 403


def test_verify_recognises_a_stored_pdf_and_rejects_a_changed_one(login, world, in_force):
    client = login(world.coordinator)
    content = in_force.pdf.read()
    response = client.post(url("agreement_verify", world), {"file": SimpleUploadedFile("a.pdf", content)})
    assert "Echt und unverändert" in response.content.decode()
    response = client.post(url("agreement_verify", world), {"file": SimpleUploadedFile("a.pdf", content + b"\n")})
    assert "Keine Übereinstimmung" in response.content.decode()
    response = client.post(url("agreement_verify", world), {"file": SimpleUploadedFile("a.pdf", b"GIF89a")})
    assert "PDF-Datei hochladen" in response.content.decode()


def test_the_coordinator_records_a_paper_agreement(login, world, template):
    response = login(world.coordinator).post(
        url("agreement_paper", world, partner_pk=world.partner_b.pk),
        {
            "template": template.pk,
            "signed_on_partner": "2025-03-01",
            "signed_on_network": "2025-03-05",
            "partner_signer": "Paul Papier",
            "network_signer": "Jana Jugendamt",
            "scan_file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.effective_from == datetime.date(2025, 3, 1)
    assert agreement.scan


def test_a_paper_agreement_with_a_wrong_file_is_a_german_error(login, world, template):
    response = login(world.coordinator).post(
        url("agreement_paper", world, partner_pk=world.partner_b.pk),
        {
            "template": template.pk,
            "signed_on_partner": "2025-03-01",
            "signed_on_network": "2025-03-05",
            "scan_file": SimpleUploadedFile("scan.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "PDF-Datei hochladen" in response.content.decode()
    assert not Agreement.objects.exists()


def test_state_changes_are_post_only(login, world, template):
    client = login(world.coordinator)
    assert client.get(url("template_publish", world, pk=template.pk)).status_code == 405


def test_pdf_text_is_read_back(in_force):
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(in_force.pdf.read())).pages)
    assert "Ort, Datum, Unterschrift" in text
    assert "Jana Jugendamt" in text


def test_the_list_says_when_an_invitation_link_has_lapsed(login, world, invite):
    agreement, _token = invite()
    client = login(world.coordinator)
    assert "Link abgelaufen" not in client.get(url("agreement_list", world)).content.decode()
    SigningInvitation.objects.filter(agreement=agreement).update(expires_at=timezone.now() - timedelta(days=1))
    assert "Link abgelaufen" in client.get(url("agreement_list", world)).content.decode()


def test_the_agreement_list_does_not_grow_its_queries_with_its_rows(
    login, world, in_force, invite, django_assert_max_num_queries
):
    invite(partner=world.partner_b)
    client = login(world.coordinator)
    client.get(url("agreement_list", world))
    with django_assert_max_num_queries(16):
        client.get(url("agreement_list", world))


def test_the_admin_shows_agreements_read_only(login, world, in_force):
    client = login(world.admin)
    assert client.get(reverse("admin:agreements_agreement_changelist")).status_code == 200
    assert client.get(reverse("admin:agreements_agreement_change", args=[in_force.pk])).status_code == 200
    assert (
        client.get(reverse("admin:agreements_agreementtemplate_change", args=[in_force.template_id])).status_code == 200
    )
    assert client.post(reverse("admin:agreements_agreement_delete", args=[in_force.pk])).status_code == 403


def test_a_partner_contact_sees_the_own_agreement_only(login, world, in_force):
    own = login(world.contact_a).get(url("own_agreements", world)).content.decode()
    assert "in Kraft" in own
    assert url("agreement_pdf", world, pk=in_force.pk) in own
    other = login(world.contact_b).get(url("own_agreements", world)).content.decode()
    assert "noch keine Kooperationsvereinbarung" in other
