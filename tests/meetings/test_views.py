"""The meeting pages: forms with German refusals, the reply link, PDFs, dashboards and a constant query count."""

import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from meetings import services
from meetings.models import Meeting, Participant
from tests.factories import MembershipFactory, PartnerFactory
from tests.meetings.conftest import mails_to, reply_token
from tests.meetings.factories import BodyMemberFactory, at

pytestmark = pytest.mark.django_db


def url(name, network, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"network": network.slug, **kwargs})


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_coordinator_creates_a_meeting_and_end_before_start_is_refused(world, body, login, future_day):
    client = login(world.coordinator)
    data = {
        "title": "Sondersitzung",
        "day": future_day.isoformat(),
        "start": "14:00",
        "end": "13:00",
        "place": "Rathaus",
    }
    response = client.post(url("meeting_create", world.network, pk=body.pk), data)
    assert response.status_code == 200
    assert "Das Ende muss nach dem Beginn liegen." in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(url("meeting_create", world.network, pk=body.pk), {**data, "end": "16:00"})
    meeting = Meeting.objects.get()
    assert response["Location"] == url("meeting_detail", world.network, pk=meeting.pk)
    assert meeting.duration_minutes == 120


def test_a_double_booked_place_gives_a_warning_not_a_refusal(world, body, meeting, login, future_day):
    client = login(world.coordinator)
    data = {"day": future_day.isoformat(), "start": "11:00", "end": "13:00", "place": "Rathaus, Raum 100"}
    response = client.post(url("meeting_create", world.network, pk=body.pk), data, follow=True)
    assert Meeting.objects.count() == 2
    assert any("Ort ist doppelt belegt" in m for m in messages_of(response))
    assert "Ort doppelt belegt" in response.content.decode()


def test_the_year_plan_page_proposes_and_refuses_a_holiday(world, body, login):
    client = login(world.coordinator)
    page = client.get(url("year_plan", world.network, pk=body.pk) + "?jahr=2027")
    assert page.status_code == 200
    assert 'value="2027-12-08"' in page.content.decode()
    response = client.post(
        url("year_plan", world.network, pk=body.pk),
        {"year": "2027", "day_1": "2027-03-10", "day_2": "2027-10-03", "day_3": "", "day_4": ""},
    )
    assert response.status_code == 200
    assert "Der 03.10.2027 ist ein gesetzlicher Feiertag (Tag der Deutschen Einheit)." in response.content.decode()
    assert not Meeting.objects.exists()
    client.post(
        url("year_plan", world.network, pk=body.pk), {"year": "2027", "day_1": "2027-03-10", "day_2": "2027-06-09"}
    )
    assert Meeting.objects.filter(state="geplant").count() == 2


def test_the_reply_link_works_without_login_until_the_meeting(world, invited, client, travel):
    token = reply_token(mails_to("haddad@beratung.example")[0])
    link = reverse("meeting_reply_link", kwargs={"token": token})
    page = client.get(link)
    assert page.status_code == 200
    assert "Antwort für Erziehungsberatung Mitte" in page.content.decode()
    response = client.post(link, {"reply": "vertreten", "substitute": ""})
    assert "Bitte geben Sie an, wer Ihre Einrichtung vertritt." in response.content.decode()
    assert invited.participants.get(partner=world.partner_b).reply == "offen"
    response = client.post(link, {"reply": "vertreten", "substitute": "Aylin Kaya"})
    assert "Danke, Ihre Antwort ist gespeichert" in response.content.decode()
    seat = invited.participants.get(partner=world.partner_b)
    assert (seat.reply, seat.substitute) == ("vertreten", "Aylin Kaya")

    travel(invited.starts_at + datetime.timedelta(minutes=5))
    response = client.post(link, {"reply": "abgesagt"})
    assert response.status_code == 409
    assert "nicht mehr möglich" in response.content.decode()
    assert invited.participants.get(partner=world.partner_b).reply == "vertreten"


def test_a_partner_replies_in_the_app_for_its_institution(world, invited, login):
    client = login(world.contact_a)
    page = client.get(url("meeting_detail", world.network, pk=invited.pk))
    assert "Ihre Antwort" in page.content.decode()
    response = client.post(url("meeting_reply", world.network, pk=invited.pk), {"reply": "zugesagt"})
    assert response.status_code == 302
    assert invited.participants.get(partner=world.partner_a).reply == "zugesagt"


def test_a_partner_outside_the_body_does_not_see_it(world, invited, login):
    other = PartnerFactory(name="Kita Sonnenschein")
    MembershipFactory(network=world.network, partner=other)
    body = invited.body
    body.members.filter(partner=world.partner_b).delete()
    client = login(world.contact_b)
    assert client.get(url("body_detail", world.network, pk=body.pk)).status_code == 404
    assert client.get(url("meeting_detail", world.network, pk=invited.pk)).status_code == 404
    assert "Lenkungskreis Frühe Hilfen" not in client.get(url("body_list", world.network)).content.decode()


def test_the_meeting_page_query_count_does_not_grow_with_attendees(world, body, meeting, login):
    client = login(world.coordinator)
    detail = url("meeting_detail", world.network, pk=meeting.pk)

    def count() -> int:
        client.get(detail)  # warm caches (session, roles)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail).status_code == 200
        return len(queries)

    services.ensure_participants(meeting)
    small = count()
    for n in range(40):
        partner = MembershipFactory(network=world.network, partner=PartnerFactory(name=f"Einrichtung {n:02d}")).partner
        BodyMemberFactory(body=body, partner=partner, name=f"Person {n}")
    services.ensure_participants(meeting)
    assert meeting.participants.count() == 43
    assert count() == small


def test_editing_an_approved_protocol_is_refused_in_german(world, held, login, django_capture_on_commit_callbacks):
    first = held.items.get(number=1)
    services.protocol_update(
        meeting=held, actor=world.jugendamt, chair="K", minute_taker="J", notes={first.pk: "Notiz"}
    )
    services.protocol_send(meeting=held, actor=world.jugendamt, comments_until=services.clock.today())
    services.protocol_approve(meeting=held, actor=world.jugendamt)
    client = login(world.jugendamt)
    response = client.get(url("protocol_edit", world.network, pk=held.pk), follow=True)
    assert "Das Protokoll ist genehmigt und kann nicht mehr geändert werden." in messages_of(response)
    response = client.post(
        url("recommendation_create", world.network, pk=held.pk), {"empfehlung-text": "Neu"}, follow=True
    )
    assert "Das Protokoll ist genehmigt und kann nicht mehr geändert werden." in messages_of(response)
    assert held.recommendations.count() == 0

    held.refresh_from_db()
    stored = held.protocol_pdf.read()
    download = client.get(url("protocol_pdf", world.network, pk=held.pk))
    assert b"".join(download.streaming_content) == stored
    assert "Notiz" in pdf_text(stored)


def test_the_jugendamt_runs_attendance_and_protocol_pages(world, held, login):
    client = login(world.jugendamt)
    seats = list(held.participants.all())
    data = {f"anwesenheit-seat_{s.pk}": "anwesend" for s in seats}
    response = client.post(url("attendance", world.network, pk=held.pk), data)
    assert response.status_code == 302
    assert set(held.participants.values_list("attendance", flat=True)) == {"anwesend"}
    client.post(
        url("attendance", world.network, pk=held.pk), {"gast-name": "Ina Roth", "gast-organisation": "Hochschule"}
    )
    assert held.participants.filter(is_guest=True, name="Ina Roth").exists()

    items = list(held.items.all())
    data = {
        "chair": "Dr. Karla Vogt",
        "minute_taker": "Elif Engel",
        **{f"notes_{i.pk}": f"Notiz {i.number}" for i in items},
    }
    assert client.post(url("protocol_edit", world.network, pk=held.pk), data).status_code == 302
    client.post(
        url("action_create", world.network, pk=held.pk),
        {"aufgabe-text": "Flyer", "aufgabe-responsible_partner": world.partner_a.pk, "aufgabe-due_date": "2030-01-31"},
    )
    response = client.post(
        url("action_create", world.network, pk=held.pk), {"aufgabe-text": "Ohne Verantwortung"}, follow=True
    )
    assert any("verantwortliche Einrichtung oder Person" in m for m in messages_of(response))
    assert held.action_items.count() == 1
    draft = client.get(url("protocol_pdf", world.network, pk=held.pk))
    text = pdf_text(draft.content)
    assert "ENTWURF" in text and "Notiz 1" in text and "Ina Roth (Hochschule)" in text and "Seite 1 von" in text


def test_the_sign_in_sheet_lists_every_seat_with_a_signature_column(world, meeting, login):
    response = login(world.coordinator).get(url("signin_pdf", world.network, pk=meeting.pk))
    text = pdf_text(response.content)
    assert "Unterschrift" in text
    for name in ("Petra Sommer", "Omar Haddad", "Dr. Karla Vogt", "Hebammenpraxis Am Bach"):
        assert name in text
    assert not meeting.participants.exists()  # printing writes nothing


def test_the_invitation_pdf_and_calendar_file(world, invited, login):
    client = login(world.contact_a)
    text = pdf_text(client.get(url("invitation_pdf", world.network, pk=invited.pk)).content)
    assert "Einladung: 3. Lenkungskreis" in text and "TOP" in text and "Verschiedenes" in text
    ics = client.get(url("meeting_calendar", world.network, pk=invited.pk))
    assert ics["Content-Type"].startswith("text/calendar")
    assert f"UID:{invited.uid}@praevnet" in ics.content.decode()


def test_dashboards_show_next_meeting_and_own_action_items(world, held, login, travel):
    services.action_item_add(
        meeting=held, actor=world.jugendamt, data={"text": "Flyer übersetzen", "responsible_partner": world.partner_a}
    )
    services.action_item_add(
        meeting=held, actor=world.jugendamt, data={"text": "Raum buchen", "responsible_partner": world.partner_b}
    )
    html_a = login(world.contact_a).get(reverse("dashboard", kwargs={"network": world.network.slug})).content.decode()
    assert "Aufgaben Ihrer Einrichtung (1)" in html_a
    assert "Flyer übersetzen" in html_a and "Raum buchen" not in html_a
    html_staff = (
        login(world.coordinator).get(reverse("dashboard", kwargs={"network": world.network.slug})).content.decode()
    )
    assert "Offene Aufgaben (2)" in html_staff


def test_a_partner_marks_its_action_item_done(world, held, login):
    item = services.action_item_add(
        meeting=held, actor=world.jugendamt, data={"text": "Flyer", "responsible_partner": world.partner_a}
    )
    response = login(world.contact_a).post(url("action_done", world.network, pk=item.pk))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done_by == world.contact_a


def test_the_coordinator_invites_from_the_page(world, meeting, login, django_capture_on_commit_callbacks):
    client = login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("meeting_invite", world.network, pk=meeting.pk), follow=True)
    assert any(m.startswith("Einladungen verschickt: 3") for m in messages_of(response))
    assert len(mail.outbox) == 3
    assert Participant.objects.filter(meeting=meeting, invited_at__isnull=False).count() == 3


def test_a_change_on_the_page_tells_that_invitees_get_an_update(
    world, invited, login, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    day = services.local_day(invited.starts_at) + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.coordinator).post(
            url("meeting_edit", world.network, pk=invited.pk),
            {"title": invited.title, "day": day.isoformat(), "start": "10:00", "end": "12:00", "place": invited.place},
            follow=True,
        )
    assert any("aktualisierten Kalendereintrag" in m for m in messages_of(response))
    assert len(mail.outbox) == 3
    invited.refresh_from_db()
    assert invited.starts_at == at(day, 10)
