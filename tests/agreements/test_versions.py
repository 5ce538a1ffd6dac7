"""New versions: who signed which version, re-inviting everyone on an older version, the new agreement superseding
the old one at countersignature (the old one is "abgelöst", ends that day and keeps its PDF)."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from agreements import services
from agreements.models import Agreement, SigningInvitation
from praevnet.models import AuditEntry
from tests.agreements.conftest import SIGNER, token_from_mail

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agreements.urls")]

D = datetime.date


def url(name, world, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"network": world.network.slug, **kwargs})


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


@pytest.fixture
def in_force(world, invite, django_capture_on_commit_callbacks):
    """Partner A in force on the 2025 version (signed through leitung@hebamme.example)."""
    agreement, token = invite()
    services.agreement_sign(token=token, **SIGNER)
    agreement = countersign(world, agreement, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    return agreement


@pytest.fixture
def new_version(world, template):
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={
            "title": template.title,
            "version_date": D(2026, 3, 1),
            "body": template.body + "\n\n## Datenschutz\n\nNeu: Die Partner beachten die DSGVO.",
        },
        signatories=["Leitung des Jugendamtes"],
    )
    return services.template_publish(template=draft, actor=world.coordinator)


def test_reinvite_invites_everyone_on_an_older_version_with_a_one_time_link(
    world, in_force, new_version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.agreement_reinvite_older_versions(
            network=world.network, template=new_version, actor=world.coordinator
        )
    assert result["invited"] == [world.partner_a]
    successor = Agreement.objects.get(supersedes=in_force)
    assert successor.status == Agreement.Status.INVITED
    assert successor.template == new_version
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.IN_FORCE  # the old one stays in force until countersignature
    message = mail.outbox[-1]
    assert message.to == ["leitung@hebamme.example"]  # who signed last time
    assert "neue Fassung" in message.body and "gilt die bisherige weiter" in message.body
    token = token_from_mail(message)
    assert SigningInvitation.objects.get(agreement=successor).token_hash == services.token_hash(token)
    assert AuditEntry.objects.filter(action="template.reinvite").exists()


def test_reinvite_twice_does_not_invite_twice(world, in_force, new_version):
    services.agreement_reinvite_older_versions(network=world.network, template=new_version, actor=world.coordinator)
    again = services.agreement_reinvite_older_versions(
        network=world.network, template=new_version, actor=world.coordinator
    )
    assert again["invited"] == [] and again["already"] == [world.partner_a]
    assert Agreement.objects.filter(supersedes=in_force).count() == 1


def test_nobody_is_reinvited_to_the_version_they_signed_or_an_older_one(world, in_force, template):
    result = services.agreement_reinvite_older_versions(
        network=world.network, template=template, actor=world.coordinator
    )
    assert result == {"invited": [], "already": [], "skipped": []}
    with pytest.raises(services.AgreementError, match="nur eine neuere Fassung"):
        services.agreement_invite(
            network=world.network, partner=world.partner_a, template=template, email="x@example.org", actor=None
        )


def test_the_countersigned_new_version_supersedes_the_old_one_which_keeps_its_pdf(
    world, in_force, new_version, django_capture_on_commit_callbacks
):
    old_pdf = in_force.pdf.read()
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_reinvite_older_versions(network=world.network, template=new_version, actor=world.coordinator)
    token = token_from_mail(mail.outbox[-1])
    successor = services.agreement_sign(token=token, **SIGNER)
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.IN_FORCE  # signed by the partner only: the old one still rules
    successor = countersign(world, successor, django_capture_on_commit_callbacks)
    assert successor.status == Agreement.Status.IN_FORCE
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.SUPERSEDED
    assert in_force.ends_on == services.today()
    assert in_force.pdf.read() == old_pdf
    assert in_force.signatures.count() == 2
    assert "DSGVO" in successor.signed_text and "DSGVO" not in in_force.signed_text
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(successor.pdf.read())).pages)
    assert f"Vereinbarung Nr. {in_force.pk} (Stand 15.01.2025" in pdf_text  # the Prüfprotokoll names the old one
    entry = AuditEntry.objects.get(action="agreement.supersede")
    assert entry.object_id == str(in_force.pk)


def test_the_pages_show_who_signed_which_version(world, in_force, new_version, login):
    client = login(world.coordinator)
    page = client.get(url("template_detail", world, pk=new_version.pk)).content.decode()
    assert "Noch auf einer älteren Fassung (1)" in page
    assert "Alle mit älterer Fassung neu einladen (1)" in page
    assert world.partner_a.name in page
    old_page = client.get(url("template_detail", world, pk=in_force.template_id)).content.decode()
    assert "Petra Sommer" in old_page  # the signer of the old version
    assert "neu einladen" not in old_page
    listing = client.get(url("agreement_list", world)).content.decode()
    assert "ältere Fassung" in listing
    versions = client.get(url("template_list", world))
    counts = {t.pk: (t.valid_count, t.pending_count) for t in versions.context["templates"]}
    assert counts == {in_force.template_id: (1, 0), new_version.pk: (0, 0)}


def test_the_campaign_button_is_post_only_and_for_the_coordination(
    world, in_force, new_version, login, django_capture_on_commit_callbacks
):
    assert login(world.coordinator).get(url("template_reinvite", world, pk=new_version.pk)).status_code == 405
    assert login(world.jugendamt).post(url("template_reinvite", world, pk=new_version.pk)).status_code == 403
    assert login(world.contact_a).post(url("template_reinvite", world, pk=new_version.pk)).status_code == 403
    assert not Agreement.objects.filter(supersedes=in_force).exists()
    client = login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("template_reinvite", world, pk=new_version.pk), follow=True)
    assert "1 Einrichtung(en) zur neuen Fassung eingeladen" in response.content.decode()
    assert Agreement.objects.filter(supersedes=in_force, status="eingeladen").exists()
    page = client.get(url("template_detail", world, pk=new_version.pk)).content.decode()
    assert "zu dieser Fassung eingeladen" in page
    assert not re.search(r"Alle mit älterer Fassung neu einladen \(\d\)", page)


def test_a_draft_cannot_be_the_target_of_a_campaign(world, in_force):
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={"title": "Entwurf", "version_date": D(2027, 1, 1), "body": "Text"},
    )
    with pytest.raises(services.AgreementError, match="veröffentlichte"):
        services.agreement_reinvite_older_versions(network=world.network, template=draft, actor=world.coordinator)


def test_terminating_the_old_agreement_lets_the_pending_new_version_lapse(
    world, in_force, new_version, django_capture_on_commit_callbacks
):
    services.agreement_reinvite_older_versions(network=world.network, template=new_version, actor=world.coordinator)
    successor = Agreement.objects.get(supersedes=in_force)
    services.agreement_terminate(agreement=in_force, actor=world.contact_a, notice_received=services.today())
    successor.refresh_from_db()
    assert successor.status == Agreement.Status.EXPIRED
    assert not successor.invitations.filter(revoked_at__isnull=True).exists()


def test_the_database_allows_one_valid_and_one_pending_agreement_only(world, in_force, new_version):
    from django.db import IntegrityError, transaction

    services.agreement_reinvite_older_versions(network=world.network, template=new_version, actor=world.coordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(partner=world.partner_a, network=world.network, template=new_version)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(
            partner=world.partner_a,
            network=world.network,
            template=new_version,
            status=Agreement.Status.IN_FORCE,
            effective_from=D(2026, 1, 1),
        )
