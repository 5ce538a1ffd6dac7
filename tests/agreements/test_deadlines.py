"""Deadlines: the Fristen page, weekend and public-holiday warnings, the daily reminder command (each thing once)."""

import datetime
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from agreements import deadlines, services
from agreements.models import Agreement, Reminder, SigningInvitation
from tests.agreements.conftest import SIGNER

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agreements.urls")]

D = datetime.date
TZ = timezone.get_current_timezone()
START = D(2025, 2, 1)


def at(day: datetime.date, hour: int = 6) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def url(name, world, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"network": world.network.slug, **kwargs})


@pytest.fixture
def clock(monkeypatch):
    def _set(day: datetime.date):
        monkeypatch.setattr(services, "today", lambda: day)

    return _set


def publish(world, **data):
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={"title": "Fassung", "version_date": D(2024, 1, 1), "body": "Text", **data},
    )
    return services.template_publish(template=draft, actor=world.coordinator)


@pytest.fixture
def make_in_force(world, invite, django_capture_on_commit_callbacks):
    """An agreement of `partner` in force since `start`, on `template` (default: the Dinslaken-style fixture)."""

    def _make(partner=None, start=START, template=None):
        agreement, token = invite(partner=partner or world.partner_a)
        services.agreement_sign(token=token, **SIGNER)
        with django_capture_on_commit_callbacks(execute=True):
            agreement = services.agreement_countersign(
                agreement=agreement, actor=world.jugendamt, name="J", function="L", place="M", ip=None, user_agent=""
            )
        Agreement.objects.filter(pk=agreement.pk).update(
            effective_from=start, **({"template": template} if template else {})
        )
        agreement.refresh_from_db()
        mail.outbox.clear()
        return agreement

    return _make


@pytest.fixture
def weiterstadt(world):
    """24 months, renewed by 12, three months' notice to the end of the running term (seed Darmstadt-Dieburg)."""
    return publish(
        world,
        title="InterProChance",
        initial_months=24,
        renewal_months=12,
        notice_amount=3,
        notice_unit="months",
        notice_to="term_end",
    )


# --- holidays and weekends --------------------------------------------------------------------------------------------


def test_day_warning_names_weekends_and_the_public_holidays_of_the_state():
    assert deadlines.warning_sentence("Der Tag", D(2026, 11, 1), "NW").startswith(
        "Der Tag (01.11.2026) fällt auf einen gesetzlichen Feiertag (Allerheiligen, Sonntag)."
    )
    assert deadlines.day_warning(D(2026, 4, 6), "NW") == "Feiertag: Ostermontag"
    assert deadlines.day_warning(D(2028, 10, 31), "NI") == "Feiertag: Reformationstag"
    assert deadlines.day_warning(D(2028, 10, 31), "NW") == ""  # no holiday in Nordrhein-Westfalen
    assert deadlines.day_warning(D(2026, 11, 1), "NW") == "Feiertag: Allerheiligen (Sonntag)"
    assert deadlines.day_warning(D(2026, 11, 28), "NW") == "Samstag"
    assert deadlines.day_warning(D(2026, 11, 30), "NW") == ""


def test_the_termination_page_warns_of_a_public_holiday_and_never_moves_the_date(world, make_in_force, clock, login):
    month_end = publish(world, title="Monatsende", notice_amount=4, notice_unit="weeks", notice_to="month_end")
    agreement = make_in_force(template=month_end)
    world.network.federal_state = "NI"
    world.network.save()
    clock(D(2026, 12, 1))
    response = login(world.coordinator).get(
        url("agreement_terminate", world, pk=agreement.pk), {"eingang": "2028-10-01"}
    )
    preview = response.context["preview"]
    assert preview["ends_on"] == D(2028, 10, 31)  # Reformationstag in Niedersachsen: not moved
    assert preview["deadline"] == D(2028, 10, 3)  # Tag der Deutschen Einheit: not moved
    page = response.content.decode()
    assert (
        "Der letzte Tag der Vereinbarung (31.10.2028) fällt auf einen gesetzlichen Feiertag (Reformationstag)" in page
    )
    assert "Zugang der Kündigung (03.10.2028) fällt auf einen gesetzlichen Feiertag (Tag der Deutschen Einheit)" in page
    assert "§ 193 BGB gilt nicht für Kündigungsfristen" in page
    assert "Niedersachsen" in page


def test_a_working_day_gives_no_warning(world, make_in_force, clock, login):
    agreement = make_in_force()
    clock(D(2026, 12, 1))
    response = login(world.coordinator).get(
        url("agreement_terminate", world, pk=agreement.pk), {"eingang": "2026-12-02"}
    )
    assert response.context["preview"]["ends_on"] == D(2026, 12, 31)  # a Thursday, no holiday
    assert response.context["preview"]["warnings"] == []


# --- the Fristen page ---------------------------------------------------------------------------------------------------


def test_the_page_lists_notice_deadlines_renewals_and_ends_in_the_next_90_days(
    world, make_in_force, weiterstadt, invite, clock, login
):
    make_in_force(partner=world.partner_a, start=D(2025, 2, 1))  # Dinslaken terms
    make_in_force(partner=world.partner_b, start=D(2024, 3, 15), template=weiterstadt)
    clock(D(2027, 1, 5))
    response = login(world.jugendamt).get(url("deadlines", world))
    assert response.status_code == 200
    items = [(d.day, d.kind, d.agreement.partner_id) for d in response.context["deadlines"]]
    assert items == [
        (D(2027, 3, 3), Reminder.Kind.NOTICE, world.partner_a.pk),  # 4 weeks before 31.03.2027
        (D(2027, 3, 16), Reminder.Kind.RENEWAL, world.partner_b.pk),  # the second renewal starts
    ]
    page = response.content.decode()
    assert "mit Ablauf des 31.03.2027 endet" in page
    assert "verlängert sich um 12 Monate bis zum 15.03.2028 (Kündigungsfrist am 15.12.2026 abgelaufen)" in page


def test_the_page_shows_a_fixed_term_end_and_an_end_after_notice(world, make_in_force, clock, login):
    fixed = publish(
        world, title="Projekt", initial_months=12, notice_amount=1, notice_unit="months", notice_to="term_end"
    )
    make_in_force(partner=world.partner_b, start=D(2026, 2, 1), template=fixed)
    agreement = make_in_force(partner=world.partner_a)
    clock(D(2026, 12, 1))
    services.agreement_terminate(agreement=agreement, actor=world.contact_a, notice_received=D(2026, 12, 1))
    response = login(world.coordinator).get(url("deadlines", world))
    kinds = {(d.kind, d.day) for d in response.context["deadlines"]}
    assert (Reminder.Kind.ENDING, D(2026, 12, 31)) in kinds
    assert (Reminder.Kind.TERM_END, D(2027, 2, 1)) in kinds


def test_the_page_lists_open_invitations_expiring_links_and_signatures_to_countersign(
    world, invite, clock, login, template
):
    agreement_a, _ = invite(partner=world.partner_a)
    agreement_b, token_b = invite(partner=world.partner_b, email="b@beispiel.example")
    SigningInvitation.objects.filter(agreement=agreement_a).update(expires_at=timezone.now() + timedelta(days=2))
    clock(timezone.localdate())
    page = login(world.coordinator).get(url("deadlines", world)).content.decode()
    assert "läuft bald ab" in page
    assert "Neuen Link schicken" in page
    SigningInvitation.objects.filter(agreement=agreement_a).update(expires_at=timezone.now() - timedelta(days=1))
    services.agreement_sign(token=token_b, **SIGNER)
    response = login(world.jugendamt).get(url("deadlines", world))
    page = response.content.decode()
    assert "abgelaufen – neu einladen" in page
    assert "Neuen Link schicken" not in page  # only the coordination invites
    assert [a.pk for a in response.context["awaiting"]] == [agreement_b.pk]
    assert "Gegenzeichnen" in page


def test_the_page_is_for_network_staff_only(world, login, template):
    assert login(world.contact_a).get(url("deadlines", world)).status_code == 403
    assert login(world.other_coordinator).get(url("deadlines", world)).status_code == 404
    assert login(world.coordinator).post(url("deadlines", world)).status_code == 405


# --- reminders ----------------------------------------------------------------------------------------------------------


def test_the_coordination_is_reminded_of_a_notice_deadline_once(world, make_in_force, weiterstadt):
    make_in_force(partner=world.partner_b, start=D(2024, 3, 15), template=weiterstadt)
    # Next end of the running term 15.03.2027, a notice must arrive by 15.12.2026.
    assert services.agreements_remind(now=at(D(2026, 11, 10)))["deadlines"] == 0  # 35 days ahead: not yet
    sent = services.agreements_remind(now=at(D(2026, 11, 20)))
    assert sent == {"deadlines": 1, "invitations": 0, "failed": []}
    message = mail.outbox[-1]
    assert message.to == ["koordination@musterstadt.example", "netzwerk@musterstadt.example"]
    assert "15.12.2026" in message.body and world.partner_b.name in message.body
    assert message.subject.startswith("Fristen der nächsten 30 Tage")
    assert services.agreements_remind(now=at(D(2026, 11, 21)))["deadlines"] == 0
    assert len(mail.outbox) == 1
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.due) == (Reminder.Kind.NOTICE, D(2026, 12, 15))
    # The renewal a month before it starts is a new thing, reminded once.
    assert services.agreements_remind(now=at(D(2027, 2, 20)))["deadlines"] == 1
    assert "verlängert sich um 12 Monate bis zum 15.03.2028" in mail.outbox[-1].body
    assert "Letzter Tag, an dem eine Kündigung zugehen muss" not in mail.outbox[-1].body  # already reminded


def test_recurring_calendar_deadlines_of_open_ended_agreements_are_not_mailed(world, make_in_force):
    make_in_force(start=D(2025, 2, 1))  # 4 weeks to the quarter end, every quarter
    assert services.agreements_remind(now=at(D(2026, 11, 20)))["deadlines"] == 0
    assert mail.outbox == []


def test_a_deadline_on_a_holiday_is_flagged_in_the_reminder(world, make_in_force):
    fixed = publish(
        world, title="Projekt", initial_months=12, notice_amount=1, notice_unit="months", notice_to="term_end"
    )
    make_in_force(start=D(2027, 10, 3), template=fixed)  # ends automatically on 03.10.2028
    services.agreements_remind(now=at(D(2028, 9, 20)))
    assert "Achtung: Feiertag: Tag der Deutschen Einheit" in mail.outbox[-1].body


def test_a_partner_is_reminded_once_shortly_before_the_link_expires(world, invite):
    agreement, _ = invite()
    invitation = SigningInvitation.objects.get(agreement=agreement)
    mail.outbox.clear()
    assert services.agreements_remind(now=invitation.expires_at - timedelta(days=4))["invitations"] == 0
    sent = services.agreements_remind(now=invitation.expires_at - timedelta(days=2))
    assert sent["invitations"] == 1
    message = mail.outbox[-1]
    assert message.to == ["leitung@hebamme.example"]
    assert f"gilt noch bis zum {timezone.localtime(invitation.expires_at):%d.%m.%Y}" in message.body
    assert "/vereinbarung/unterzeichnen/" not in message.body  # the raw token is never stored, never resent
    assert services.agreements_remind(now=invitation.expires_at - timedelta(days=1))["invitations"] == 0
    assert len(mail.outbox) == 1


def test_used_withdrawn_and_expired_links_get_no_reminder(world, invite):
    agreement, _token = invite()
    first = SigningInvitation.objects.get(agreement=agreement)
    invite()  # withdraws the first link
    second = SigningInvitation.objects.filter(agreement=agreement).exclude(pk=first.pk).get()
    mail.outbox.clear()
    services.agreements_remind(now=second.expires_at + timedelta(minutes=1))
    assert mail.outbox == []
    SigningInvitation.objects.filter(pk=second.pk).update(used_at=timezone.now())
    services.agreements_remind(now=second.expires_at - timedelta(days=1))
    assert mail.outbox == []


def test_a_failed_mail_is_not_recorded_and_is_sent_by_the_next_run(world, invite, monkeypatch):
    agreement, _ = invite()
    invitation = SigningInvitation.objects.get(agreement=agreement)
    mail.outbox.clear()

    def broken(*args, **kwargs):
        raise OSError("SMTP nicht erreichbar")

    monkeypatch.setattr(services, "send_email", broken)
    sent = services.agreements_remind(now=invitation.expires_at - timedelta(days=1))
    assert sent["failed"] == ["leitung@hebamme.example: SMTP nicht erreichbar"]
    assert not Reminder.objects.exists()
    monkeypatch.undo()
    assert services.agreements_remind(now=invitation.expires_at - timedelta(days=1))["invitations"] == 1
    assert Reminder.objects.count() == 1


def test_the_command_reports_what_it_sent(world, invite, monkeypatch):
    agreement, _ = invite()
    SigningInvitation.objects.filter(agreement=agreement).update(expires_at=timezone.now() + timedelta(days=2))
    mail.outbox.clear()
    out = StringIO()
    call_command("agreements_remind", stdout=out)
    assert "1 zu ablaufenden Links" in out.getvalue()
    call_command("agreements_remind", stdout=out)
    assert len(mail.outbox) == 1
    monkeypatch.setattr(
        services, "agreements_remind", lambda: {"deadlines": 0, "invitations": 0, "failed": ["x: kaputt"]}
    )
    with pytest.raises(CommandError, match="x: kaputt"):
        call_command("agreements_remind", stdout=out)
