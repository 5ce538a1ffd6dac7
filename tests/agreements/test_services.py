import datetime
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from agreements import services
from agreements.models import Agreement, AgreementTemplate, Signature, SigningInvitation, sha256_hex
from praevnet.models import AuditEntry
from tests.agreements.conftest import SIGNER, token_from_mail

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agreements.urls")]


def sign(token, **overrides):
    return services.agreement_sign(token=token, **{**SIGNER, **overrides})


def countersign(world, agreement, capture):
    with capture(execute=True):
        return services.agreement_countersign(
            agreement=agreement,
            actor=world.jugendamt,
            name="Jana Jugendamt",
            function="Leitung des Jugendamtes",
            place="Musterstadt",
            ip="198.51.100.7",
            user_agent="pytest",
        )


def test_the_whole_flow_ends_with_a_stored_pdf_with_audit_page(world, invite, django_capture_on_commit_callbacks):
    agreement, token = invite()
    assert len(mail.outbox) == 1
    invitation_mail = mail.outbox[0]
    assert invitation_mail.to == ["leitung@hebamme.example"]
    assert f"/vereinbarung/unterzeichnen/{token}/" in invitation_mail.body
    assert token_from_mail(invitation_mail) == token

    with django_capture_on_commit_callbacks(execute=True):
        agreement = sign(token)
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.effective_from == timezone.localdate()
    assert agreement.signed_text_sha256 == sha256_hex(agreement.signed_text)
    assert "Hebammenpraxis Am Bach" in agreement.signed_text
    assert "unbefristet; Kündigungsfrist 4 Wochen zum Quartalsende" in agreement.signed_text
    assert "jugendamt@musterstadt.example" in mail.outbox[-1].to

    agreement = countersign(world, agreement, django_capture_on_commit_callbacks)
    assert agreement.status == Agreement.Status.IN_FORCE
    content = agreement.pdf.read()
    assert content.startswith(b"%PDF")
    assert agreement.pdf_sha256 == sha256_hex(content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Hebammenpraxis Am Bach" in text
    assert "Prüfprotokoll" in text
    assert agreement.signed_text_sha256 in text.replace("\n", "")
    assert "192.0.2.10" in text

    in_force_mail = mail.outbox[-1]
    assert set(in_force_mail.to) == {"leitung@hebamme.example", "netzwerk@musterstadt.example"}
    assert in_force_mail.attachments[0][1] == content
    assert in_force_mail.attachments[0][2] == "application/pdf"
    actions = set(AuditEntry.objects.filter(object_id=str(agreement.pk)).values_list("action", flat=True))
    assert {"agreement.invite", "agreement.sign", "agreement.countersign"} <= actions


def test_the_token_has_at_least_128_bits_and_only_its_hash_is_stored(invite):
    agreement, token = invite()
    assert len(token) >= 43  # 32 random bytes, base64
    invitation = SigningInvitation.objects.get(agreement=agreement)
    assert invitation.token_hash == sha256_hex(token)
    assert token not in str(SigningInvitation.objects.values_list())
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)


def test_an_expired_link_is_refused_with_410(invite):
    agreement, token = invite()
    SigningInvitation.objects.filter(agreement=agreement).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.InvalidToken) as error:
        sign(token)
    assert error.value.status == 410
    assert "abgelaufen" in str(error.value)
    assert not Signature.objects.exists()


def test_a_used_link_cannot_sign_twice(invite):
    _agreement, token = invite()
    sign(token)
    with pytest.raises(services.InvalidToken) as error:
        sign(token, name="Noch Jemand")
    assert error.value.status == 410
    assert Signature.objects.count() == 1


def test_an_altered_token_is_unknown(invite):
    _agreement, token = invite()
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(services.InvalidToken) as error:
        sign(altered)
    assert error.value.status == 404


def test_a_new_invitation_withdraws_the_old_link(invite):
    _agreement, old = invite()
    agreement, new = invite()
    assert Agreement.objects.count() == 1
    with pytest.raises(services.InvalidToken) as error:
        sign(old)
    assert error.value.status == 410
    assert sign(new).pk == agreement.pk


def test_signing_an_agreement_that_is_no_longer_invited_is_refused(invite):
    agreement, token = invite()
    Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DECLINED)
    with pytest.raises(services.InvalidToken):
        sign(token)


def test_bad_input_gives_german_errors_and_saves_nothing(invite):
    agreement, token = invite()
    with pytest.raises(ValidationError) as error:
        sign(token, name="  ", consent=False, authorised=False)
    assert set(error.value.message_dict) == {"name", "consent", "authorised"}
    assert "Namen" in error.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        sign(token, drawn_signature="data:image/svg+xml;base64,AAAA")
    with pytest.raises(ValidationError):
        sign(token, drawn_signature="data:image/png;base64," + "A" * 300_000)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.INVITED
    assert not Signature.objects.exists()
    assert SigningInvitation.objects.get().used_at is None


def test_a_changed_text_is_not_signed(invite):
    _agreement, token = invite()
    with pytest.raises(services.AgreementError):
        sign(token, text_sha256="0" * 64)
    assert not Signature.objects.exists()


def test_the_database_refuses_to_change_a_signature(invite):
    _agreement, token = invite()
    agreement = sign(token)
    signature = agreement.signatures.get()
    refused = "Unterschriften dürfen weder geändert noch gelöscht werden"
    with pytest.raises(IntegrityError, match=refused), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).update(name="Fälschung")
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).delete()
    assert Signature.objects.get().name == "Petra Sommer"


def test_a_published_template_is_frozen(world, template):
    with pytest.raises(services.AgreementError):
        services.template_update(template=template, actor=world.coordinator, data={"title": "Neu"})
    with pytest.raises(services.AgreementError):
        services.template_publish(template=template, actor=world.coordinator)
    assert AgreementTemplate.objects.get().title == "Kooperationsvereinbarung Frühe Hilfen Musterstadt"


def test_a_draft_cannot_be_signed(world, template):
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={"title": "Entwurf", "version_date": datetime.date(2026, 1, 1), "body": "Text"},
    )
    with pytest.raises(services.AgreementError, match="veröffentlichte"):
        services.agreement_invite(
            network=world.network, partner=world.partner_a, template=draft, email="a@b.example", actor=None
        )


def test_template_terms_must_be_consistent(world):
    with pytest.raises(ValidationError):
        services.template_create(
            network=world.network,
            actor=world.coordinator,
            data={
                "title": "Falsch",
                "version_date": datetime.date(2026, 1, 1),
                "body": "Text",
                "renewal_months": 12,
            },
        )
    assert not AgreementTemplate.objects.exists()


def test_a_partner_of_another_network_cannot_be_invited(world, template):
    with pytest.raises(services.AgreementError):
        services.agreement_invite(
            network=world.network, partner=world.foreign_partner, template=template, email="x@y.example", actor=None
        )


def test_only_the_jugendamt_countersigns(world, invite, django_capture_on_commit_callbacks):
    _agreement, token = invite()
    agreement = sign(token)
    with pytest.raises(services.AgreementError):
        services.agreement_countersign(
            agreement=agreement, actor=world.coordinator, name="K", function="K", place="M", ip=None, user_agent=""
        )
    countersign(world, agreement, django_capture_on_commit_callbacks)
    with pytest.raises(services.AgreementError):
        countersign(world, agreement, django_capture_on_commit_callbacks)
    assert Signature.objects.filter(side="network").count() == 1


def test_invite_all_skips_partners_with_an_open_agreement_or_no_address(
    world, template, invite, django_capture_on_commit_callbacks
):
    invite()  # partner_a has an open invitation
    world.partner_b.email = "info@beratung.example"
    world.partner_b.save()
    from tests.factories import MembershipFactory, PartnerFactory

    silent = MembershipFactory(network=world.network, partner=PartnerFactory(name="Ohne Adresse")).partner
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.agreement_invite_all(network=world.network, template=template, actor=world.coordinator)
    assert result["invited"] == [world.partner_b]
    assert result["skipped"] == [silent]
    assert [m.to for m in mail.outbox] == [["info@beratung.example"]]


def test_invite_all_uses_the_first_contact_with_an_address(world, template):
    world.partner_b.contacts.create(name="Ohne", email="")
    world.partner_b.contacts.create(name="Mit", email="kontakt@beratung.example")
    assert services.invitation_address(world.partner_b) == "kontakt@beratung.example"


def test_only_one_open_agreement_per_partner_and_network(world, template, invite):
    _agreement, _token = invite()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(partner=world.partner_a, network=world.network, template=template)


def test_a_paper_agreement_is_in_force_with_its_scan(world, template):
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")
    agreement = services.agreement_record_paper(
        network=world.network,
        partner=world.partner_b,
        template=template,
        signed_on_partner=datetime.date(2025, 2, 1),
        signed_on_network=datetime.date(2025, 2, 10),
        scan_file=scan,
        actor=world.coordinator,
    )
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.effective_from == datetime.date(2025, 2, 1)
    assert agreement.scan_sha256 == sha256_hex(b"%PDF-1.4 scan")
    assert list(agreement.signatures.values_list("method", flat=True)) == ["paper", "paper"]


def test_a_paper_agreement_needs_a_pdf_and_sensible_dates(world, template):
    with pytest.raises(ValidationError) as error:
        services.agreement_record_paper(
            network=world.network,
            partner=world.partner_b,
            template=template,
            signed_on_partner=timezone.localdate() + timedelta(days=3),
            signed_on_network=datetime.date(2025, 1, 1),
            scan_file=SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n....", content_type="application/pdf"),
            actor=world.coordinator,
        )
    assert set(error.value.message_dict) == {"signed_on_partner", "signed_on_network", "scan_file"}
    assert not Agreement.objects.exists()


def test_a_partner_contact_cannot_record_a_paper_agreement(world, template):
    with pytest.raises(services.AgreementError):
        services.agreement_record_paper(
            network=world.network,
            partner=world.partner_a,
            template=template,
            signed_on_partner=datetime.date(2025, 2, 1),
            signed_on_network=datetime.date(2025, 2, 1),
            scan_file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4", content_type="application/pdf"),
            actor=world.contact_a,
        )
