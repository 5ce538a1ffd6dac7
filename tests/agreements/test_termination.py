"""Termination (Kündigung): service, the daily command that ends agreements, the "Kündigen" page."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from agreements import services
from agreements.models import Agreement
from partners.models import Membership
from praevnet.models import AuditEntry
from tests.agreements.conftest import SIGNER

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agreements.urls")]

D = datetime.date
START = D(2025, 2, 1)


@pytest.fixture
def clock(monkeypatch):
    """Move the application's "today" (services.today) to a given day."""

    def _set(day: datetime.date):
        monkeypatch.setattr(services, "today", lambda: day)

    return _set


@pytest.fixture
def in_force(world, invite, django_capture_on_commit_callbacks):
    """Partner A's agreement on the Dinslaken-style terms (4 weeks to quarter end), in force since START."""
    agreement, token = invite()
    agreement = services.agreement_sign(token=token, **SIGNER)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.agreement_countersign(
            agreement=agreement,
            actor=world.jugendamt,
            name="Jana Jugendamt",
            function="Leitung des Jugendamtes",
            place="Musterstadt",
            ip=None,
            user_agent="",
        )
    Agreement.objects.filter(pk=agreement.pk).update(effective_from=START)
    mail.outbox.clear()
    agreement.refresh_from_db()
    return agreement


def other_terms(world, agreement, **data):
    """Put the agreement on another published version with other terms."""
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={"title": "Andere Fassung", "version_date": D(2025, 1, 1), "body": "Text", **data},
    )
    template = services.template_publish(template=draft, actor=world.coordinator)
    Agreement.objects.filter(pk=agreement.pk).update(template=template)
    agreement.refresh_from_db()
    return agreement


def membership(world):
    return Membership.objects.get(network=world.network, partner=world.partner_a)


def url(name, world, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"network": world.network.slug, **kwargs})


# --- service ---------------------------------------------------------------------------------------------------------


def test_dinslaken_notice_on_3_december_ends_on_31_december(world, in_force, clock, django_capture_on_commit_callbacks):
    clock(D(2026, 12, 3))
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.agreement_terminate(
            agreement=in_force, actor=world.contact_a, notice_received=D(2026, 12, 3), reason="Praxis schließt"
        )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.TERMINATED
    assert agreement.terminated_on == D(2026, 12, 3)
    assert agreement.ends_on == D(2026, 12, 31)
    assert agreement.termination_reason == "Praxis schließt"
    assert membership(world).until == D(2026, 12, 31)
    assert membership(world).state == Membership.State.ACTIVE
    entry = AuditEntry.objects.get(action="agreement.terminate")
    assert entry.data["Eingang"] == "03.12.2026"
    assert entry.data["letzter Tag"] == "31.12.2026"


def test_dinslaken_notice_on_4_december_ends_on_31_march(world, in_force, clock):
    clock(D(2026, 12, 10))
    agreement = services.agreement_terminate(
        agreement=in_force, actor=world.coordinator, notice_received=D(2026, 12, 4), by_letter=True
    )
    assert agreement.ends_on == D(2027, 3, 31)
    assert membership(world).until == D(2027, 3, 31)


@pytest.mark.parametrize(("received", "ends"), [(D(2026, 12, 15), D(2027, 3, 15)), (D(2026, 12, 16), D(2028, 3, 15))])
def test_weiterstadt_terms_end_with_the_running_term(world, in_force, clock, received, ends):
    agreement = other_terms(
        world,
        in_force,
        initial_months=24,
        renewal_months=12,
        notice_amount=3,
        notice_unit="months",
        notice_to="term_end",
    )
    Agreement.objects.filter(pk=agreement.pk).update(effective_from=D(2025, 3, 15))
    clock(D(2027, 1, 10))
    agreement = services.agreement_terminate(
        agreement=agreement, actor=world.coordinator, notice_received=received, by_letter=True
    )
    assert agreement.ends_on == ends


def test_a_notice_before_the_start_is_refused_with_the_reason(world, in_force, clock):
    clock(D(2026, 1, 10))
    with pytest.raises(services.AgreementError, match=r"kann nicht vor der Unterzeichnung \(01.02.2025\) zugehen"):
        services.agreement_terminate(
            agreement=in_force, actor=world.coordinator, notice_received=D(2025, 1, 31), by_letter=True
        )
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.IN_FORCE
    assert in_force.ends_on is None
    assert membership(world).until is None


def test_a_second_termination_is_refused(world, in_force, clock):
    clock(D(2026, 12, 3))
    services.agreement_terminate(agreement=in_force, actor=world.contact_a, notice_received=D(2026, 12, 3))
    with pytest.raises(services.AgreementError, match=r"nur eine Vereinbarung, die in Kraft ist.*31\.12\.2026"):
        services.agreement_terminate(agreement=in_force, actor=world.jugendamt, notice_received=D(2026, 12, 3))
    assert AuditEntry.objects.filter(action="agreement.terminate").count() == 1


def test_both_sides_get_the_confirmation_with_the_pdf(world, in_force, clock, django_capture_on_commit_callbacks):
    clock(D(2026, 12, 3))
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_terminate(agreement=in_force, actor=world.jugendamt, notice_received=D(2026, 12, 3))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["leitung@hebamme.example", "netzwerk@musterstadt.example"]
    assert "Gekündigt" in message.subject
    assert "31.12.2026" in message.subject
    assert "endet mit Ablauf des 31.12.2026" in message.body
    assert "unbefristet; Kündigungsfrist 4 Wochen zum Quartalsende" in message.body
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".pdf")
    assert content.startswith(b"%PDF")
    assert mimetype == "application/pdf"


def test_online_the_notice_is_received_today_and_letters_are_for_the_coordination(world, in_force, clock):
    clock(D(2026, 12, 3))
    with pytest.raises(services.AgreementError, match="am Tag des Absendens"):
        services.agreement_terminate(agreement=in_force, actor=world.contact_a, notice_received=D(2026, 12, 1))
    with pytest.raises(services.AgreementError, match="erfasst die Netzwerkkoordination"):
        services.agreement_terminate(
            agreement=in_force, actor=world.contact_a, notice_received=D(2026, 12, 1), by_letter=True
        )
    with pytest.raises(services.AgreementError, match="in der Zukunft"):
        services.agreement_terminate(
            agreement=in_force, actor=world.coordinator, notice_received=D(2026, 12, 4), by_letter=True
        )
    for actor in (world.contact_b, world.other_coordinator):
        with pytest.raises(services.AgreementError, match="Kündigen dürfen"):
            services.agreement_terminate(agreement=in_force, actor=actor, notice_received=D(2026, 12, 3))
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.IN_FORCE


def test_written_form_needs_a_signed_letter(world, in_force, clock):
    agreement = other_terms(world, in_force, written_form=True)
    clock(D(2026, 12, 3))
    with pytest.raises(services.AgreementError, match="nur schriftlich gekündigt werden"):
        services.agreement_terminate(agreement=agreement, actor=world.contact_a, notice_received=D(2026, 12, 3))
    with pytest.raises(services.AgreementError, match="eigenhändig unterschrieben"):
        services.agreement_terminate(
            agreement=agreement, actor=world.coordinator, notice_received=D(2026, 12, 2), by_letter=True
        )
    agreement = services.agreement_terminate(
        agreement=agreement,
        actor=world.coordinator,
        notice_received=D(2026, 12, 2),
        by_letter=True,
        written_form_confirmed=True,
    )
    assert agreement.ends_on == D(2026, 12, 31)


# --- the daily command -----------------------------------------------------------------------------------------------


def run_command() -> str:
    out = StringIO()
    call_command("agreements_close_ended", stdout=out)
    return out.getvalue()


def test_the_command_ends_agreements_after_their_last_day(world, in_force, clock):
    clock(D(2026, 12, 3))
    services.agreement_terminate(agreement=in_force, actor=world.contact_a, notice_received=D(2026, 12, 3))
    clock(D(2026, 12, 31))
    assert "Keine gekündigte Vereinbarung" in run_command()
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.TERMINATED
    assert membership(world).state == Membership.State.ACTIVE

    clock(D(2027, 1, 1))
    output = run_command()
    assert "Beendet: Hebammenpraxis Am Bach" in output
    assert "letzter Tag 31.12.2026" in output
    assert "1 Vereinbarung(en) beendet." in output
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.ENDED
    assert membership(world).state == Membership.State.ENDED
    assert membership(world).until == D(2026, 12, 31)
    assert AuditEntry.objects.filter(action="agreement.end").count() == 1

    assert "Keine gekündigte Vereinbarung" in run_command()  # idempotent
    assert AuditEntry.objects.filter(action="agreement.end").count() == 1


# --- the page --------------------------------------------------------------------------------------------------------


def test_the_page_shows_rule_last_day_and_deadline_and_saves_nothing(world, in_force, clock, login):
    clock(D(2026, 12, 3))
    client = login(world.contact_a)
    response = client.get(url("agreement_terminate", world, pk=in_force.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "unbefristet; Kündigungsfrist 4 Wochen zum Quartalsende" in body
    assert "31.12.2026" in body
    assert "spätestens am 03.12.2026" in body
    response = client.get(url("agreement_terminate", world, pk=in_force.pk), {"eingang": "2026-12-04"})
    assert response.context["preview"]["ends_on"] == D(2027, 3, 31)
    assert "spätestens am 03.03.2027" in response.content.decode()
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.IN_FORCE
    assert not AuditEntry.objects.filter(action="agreement.terminate").exists()


def test_the_page_warns_when_a_day_falls_on_a_weekend(world, in_force, clock, login):
    clock(D(2026, 12, 3))
    response = login(world.jugendamt).get(url("agreement_terminate", world, pk=in_force.pk), {"eingang": "2028-08-01"})
    preview = response.context["preview"]
    assert preview["ends_on"] == D(2028, 9, 30)  # a Saturday
    assert "fällt auf ein Wochenende" in response.content.decode()


@pytest.mark.parametrize(
    ("eingang", "message"),
    [("morgen", "Bitte geben Sie ein gültiges Datum an"), ("2025-01-31", "kann nicht vor der Unterzeichnung")],
)
def test_bad_preview_dates_give_a_german_error(world, in_force, clock, login, eingang, message):
    clock(D(2026, 12, 3))
    response = login(world.contact_a).get(url("agreement_terminate", world, pk=in_force.pk), {"eingang": eingang})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["preview"] is None


def test_a_contact_terminates_after_confirming(world, in_force, clock, login, django_capture_on_commit_callbacks):
    clock(D(2026, 12, 4))
    client = login(world.contact_a)
    target = url("agreement_terminate", world, pk=in_force.pk)
    response = client.post(target, {"reason": "Umzug"})
    assert response.status_code == 200
    assert "Bitte bestätigen Sie die Kündigung." in response.content.decode()
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.IN_FORCE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(target, {"reason": "Umzug", "confirm": "on"})
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.TERMINATED
    assert in_force.terminated_on == D(2026, 12, 4)
    assert in_force.ends_on == D(2027, 3, 31)
    assert in_force.termination_reason == "Umzug"
    assert mail.outbox[-1].attachments
    detail = client.get(url("agreement_detail", world, pk=in_force.pk)).content.decode()
    assert "endet mit Ablauf des 31.03.2027" in detail


def test_the_coordination_records_a_letter_with_its_receipt_date(world, in_force, clock, login):
    clock(D(2026, 12, 10))
    client = login(world.coordinator)
    target = url("agreement_terminate", world, pk=in_force.pk)
    future = client.post(target, {"by_letter": "on", "eingang": "2026-12-11", "confirm": "on"})
    assert "liegt in der Zukunft" in future.content.decode()
    early = client.post(target, {"by_letter": "on", "eingang": "2025-01-31", "confirm": "on"})
    assert "nicht vor dem Beginn der Vereinbarung (01.02.2025)" in early.content.decode()
    missing = client.post(target, {"by_letter": "on", "confirm": "on"})
    assert "wann der Brief eingegangen ist" in missing.content.decode()
    computed = client.post(target, {"by_letter": "on", "eingang": "2026-12-03", "berechnen": "1"})
    assert computed.status_code == 200
    assert computed.context["preview"]["ends_on"] == D(2026, 12, 31)
    in_force.refresh_from_db()
    assert in_force.status == Agreement.Status.IN_FORCE
    response = client.post(target, {"by_letter": "on", "eingang": "2026-12-03", "confirm": "on"})
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert (in_force.terminated_on, in_force.ends_on) == (D(2026, 12, 3), D(2026, 12, 31))


def test_a_contact_has_no_letter_mode(world, in_force, clock, login):
    clock(D(2026, 12, 10))
    response = login(world.contact_a).post(
        url("agreement_terminate", world, pk=in_force.pk), {"by_letter": "on", "eingang": "2026-12-03", "confirm": "on"}
    )
    assert response.status_code == 302
    in_force.refresh_from_db()
    assert in_force.terminated_on == D(2026, 12, 10)  # the letter fields are ignored: online means today


def test_written_form_shows_the_rule_instead_of_the_button(world, in_force, clock, login):
    other_terms(world, in_force, written_form=True)
    clock(D(2026, 12, 3))
    body = login(world.contact_a).get(url("agreement_terminate", world, pk=in_force.pk)).content.decode()
    assert "nur schriftlich gekündigt werden" in body
    assert "Verbindlich kündigen" not in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("contact_a", 200),
        ("contact_b", 404),
        ("jugendamt", 200),
        ("coordinator", 200),
        ("other_coordinator", 404),
        ("anonymous", 302),
    ],
)
def test_who_may_open_the_page(world, in_force, login, persona, status):
    response = login(world.persona(persona)).get(url("agreement_terminate", world, pk=in_force.pk))
    assert response.status_code == status
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if persona == "coordinator":
        assert "Die Kündigung ist per Brief eingegangen" in response.content.decode()
    if persona in ("contact_a", "jugendamt"):
        assert "per Brief eingegangen" not in response.content.decode()


def test_the_links_to_kuendigen(world, in_force, login):
    target = url("agreement_terminate", world, pk=in_force.pk)
    client = login(world.contact_a)
    assert target in client.get(url("own_agreements", world)).content.decode()
    assert target in client.get(url("agreement_detail", world, pk=in_force.pk)).content.decode()
    assert target in login(world.jugendamt).get(url("agreement_detail", world, pk=in_force.pk)).content.decode()
    Agreement.objects.filter(pk=in_force.pk).update(status=Agreement.Status.TERMINATED, ends_on=D(2026, 12, 31))
    assert target not in login(world.coordinator).get(url("agreement_detail", world, pk=in_force.pk)).content.decode()


def test_a_terminated_agreement_cannot_be_terminated_again_on_the_page(world, in_force, clock, login):
    clock(D(2026, 12, 3))
    services.agreement_terminate(agreement=in_force, actor=world.contact_a, notice_received=D(2026, 12, 3))
    client = login(world.coordinator)
    target = url("agreement_terminate", world, pk=in_force.pk)
    assert "endet mit Ablauf des 31.12.2026" in client.get(target).content.decode()
    response = client.post(target, {"confirm": "on"})
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action="agreement.terminate").count() == 1
