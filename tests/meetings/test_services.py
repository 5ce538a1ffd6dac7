"""The meeting workflow through its services: year plan, invitations with .ics, replies, attendance, protocol."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from meetings import selectors, services, yearplan
from meetings.models import ActionItem, BodyMember, Meeting, Participant
from tests.meetings.conftest import mails_to, reply_token
from tests.meetings.factories import at

pytestmark = pytest.mark.django_db


def ics_of(message) -> Calendar:
    content = next(c for name, c, mime in message.attachments if name.endswith(".ics"))
    return Calendar.from_ical(content)


def event_of(message):
    return next(c for c in ics_of(message).walk() if c.name == "VEVENT")


# ---------------------------------------------------------------------------------------------------------------------
# Year plan
# ---------------------------------------------------------------------------------------------------------------------


def test_the_year_plan_skips_fronleichnam_in_nrw_but_not_in_berlin():
    nrw = yearplan.plan_dates(year=2023, weekday=3, rhythm="quarterly", state="NW")
    assert [p.day for p in nrw] == [
        datetime.date(2023, 3, 9),
        datetime.date(2023, 6, 15),  # 8 June 2023 is Fronleichnam in NRW: one week later
        datetime.date(2023, 9, 14),
        datetime.date(2023, 12, 14),
    ]
    assert nrw[1].skipped == ((datetime.date(2023, 6, 8), "Fronleichnam"),)
    berlin = yearplan.plan_dates(year=2023, weekday=3, rhythm="quarterly", state="BE")
    assert berlin[1].day == datetime.date(2023, 6, 8)


def test_every_planned_day_is_a_working_day_in_every_state():
    for state in ("NW", "HE", "BY", "SN", "BE"):
        for year in range(2024, 2031):
            for weekday in range(5):
                for planned in yearplan.plan_dates(year=year, weekday=weekday, rhythm="monthly", state=state):
                    assert yearplan.holiday_name(planned.day, state) is None
                    assert planned.day.weekday() == weekday


def test_year_plan_creates_four_planned_meetings_once(world, body):
    world.network.meeting_weekday = 2
    world.network.save()
    days = [p.day for p in services.year_plan_proposal(body=body, year=2027)]
    created = services.year_plan_create(body=body, actor=world.coordinator, days=days)
    assert len(created) == 4
    assert {m.state for m in created} == {Meeting.State.PLANNED}
    first = created[0]
    assert first.place == world.network.meeting_place
    assert first.duration_minutes == world.network.meeting_minutes
    assert first.items.order_by("number").first().title.startswith("Begrüßung")
    assert services.year_plan_create(body=body, actor=world.coordinator, days=days) == []
    assert body.meetings.count() == 4


def test_a_holiday_in_the_year_plan_is_refused(world, body):
    with pytest.raises(services.MeetingError, match=r"03.10.2027 \(Tag der Deutschen Einheit\)"):
        services.year_plan_create(body=body, actor=world.coordinator, days=[datetime.date(2027, 10, 3)])
    assert body.meetings.count() == 0


# ---------------------------------------------------------------------------------------------------------------------
# Bodies
# ---------------------------------------------------------------------------------------------------------------------


def test_an_institution_has_one_delegate_and_one_deputy(world, body):
    with pytest.raises(ValidationError) as error:
        services.member_add(body=body, actor=world.coordinator, data={"partner": world.partner_a, "name": "Dritte"})
    assert "Delegierte" in str(error.value)
    ended = body.members.get(name="Petra Sommer")
    services.member_update(member=ended, actor=world.coordinator, data={"until": datetime.date(2025, 12, 31)})
    services.member_add(body=body, actor=world.coordinator, data={"partner": world.partner_a, "name": "Neu"})
    assert body.members.current().filter(partner=world.partner_a).count() == 2


def test_a_foreign_institution_cannot_get_a_seat(world, body):
    with pytest.raises(ValidationError, match="nicht Mitglied dieses Netzwerks"):
        services.member_add(body=body, actor=world.coordinator, data={"partner": world.foreign_partner})


def test_end_before_start_is_refused_in_german(world, body):
    day = datetime.date(2027, 3, 10)
    with pytest.raises(ValidationError, match="Das Ende der Sitzung muss nach ihrem Beginn liegen"):
        services.meeting_create(
            body=body,
            actor=world.coordinator,
            data={"starts_at": at(day, 12), "ends_at": at(day, 10), "place": "Rathaus"},
        )
    assert not Meeting.objects.exists()


def test_a_double_booked_place_is_found(world, body, meeting):
    ag = services.body_create(network=world.network, actor=world.coordinator, data={"kind": "ag", "name": "AG Sprache"})
    other = services.meeting_create(
        body=ag,
        actor=world.coordinator,
        data={
            "starts_at": meeting.starts_at + datetime.timedelta(hours=1),
            "ends_at": meeting.ends_at + datetime.timedelta(hours=1),
            "place": "rathaus, raum 100",
        },
    )
    assert services.place_conflicts(other) == [meeting]
    other = services.meeting_update(meeting=other, actor=world.coordinator, data={"place": "Familienzentrum"})
    assert services.place_conflicts(other) == []


# ---------------------------------------------------------------------------------------------------------------------
# Invitations, changes, cancellations and replies
# ---------------------------------------------------------------------------------------------------------------------


def test_inviting_mails_every_seat_with_ics_pdf_and_a_personal_link(world, invited):
    assert invited.state == Meeting.State.INVITED
    assert len(mail.outbox) == 3  # partner A (delegate + deputy in one mail), partner B, the chair
    to_a = mails_to("sommer@hebamme.example")[0]
    assert sorted(to_a.to) == ["sommer@hebamme.example", "winter@hebamme.example"]
    assert to_a.subject.startswith("Einladung: 3. Lenkungskreis am")
    event = event_of(to_a)
    assert ics_of(to_a)["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{invited.uid}@praevnet"
    assert event["SEQUENCE"] == 0
    assert event["LOCATION"] == "Rathaus, Raum 100"
    assert event.decoded("DTSTART") == invited.starts_at
    assert any(name.endswith(".pdf") for name, _c, _m in to_a.attachments)
    tokens = {reply_token(m) for m in mail.outbox}
    assert len(tokens) == 3
    assert services.seat_for_token(reply_token(to_a)).partner == world.partner_a
    with pytest.raises(services.MeetingError, match="bereits eingeladen"):
        services.meeting_invite(meeting=invited, actor=world.coordinator)


def test_a_change_sends_an_updated_ics_with_the_same_uid_and_a_new_link(
    world, invited, django_capture_on_commit_callbacks
):
    old_token = reply_token(mails_to("haddad@beratung.example")[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=invited,
            actor=world.coordinator,
            data={
                "starts_at": invited.starts_at + datetime.timedelta(hours=4),
                "ends_at": invited.ends_at + datetime.timedelta(hours=4),
            },
        )
    assert len(mail.outbox) == 3
    message = mails_to("haddad@beratung.example")[0]
    assert message.subject.startswith("Geändert:")
    event = event_of(message)
    assert event["SEQUENCE"] == 1
    assert str(event["UID"]) == f"{invited.uid}@praevnet"
    with pytest.raises(services.InvalidReplyLink):
        services.seat_for_token(old_token)
    assert services.seat_for_token(reply_token(message)).partner == world.partner_b


def test_a_text_change_sends_nothing(world, invited, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=invited, actor=world.coordinator, data={"invitation_text": "Mit Imbiss."})
    assert mail.outbox == []


def test_cancelling_sends_a_cancellation_for_the_calendar(world, invited, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=invited, actor=world.coordinator, reason="Krankheit")
    assert len(mail.outbox) == 3
    message = mail.outbox[0]
    assert message.subject.startswith("Abgesagt:")
    assert ics_of(message)["METHOD"] == "CANCEL"
    assert event_of(message)["STATUS"] == "CANCELLED"
    assert event_of(message)["SEQUENCE"] == 1
    with pytest.raises(services.MeetingError, match="abgesagt"):
        services.meeting_update(meeting=invited, actor=world.coordinator, data={"place": "anderswo"})


def test_replies_yes_no_and_substitute(world, invited):
    seat = invited.participants.get(partner=world.partner_a)
    services.participant_reply(participant=seat, actor=None, reply="vertreten", substitute="Jonas Kurz", via="link")
    seat.refresh_from_db()
    assert (seat.reply, seat.substitute, seat.attending_name) == ("vertreten", "Jonas Kurz", "Jonas Kurz")
    services.participant_reply(participant=seat, actor=world.contact_a, reply="zugesagt", substitute="ignoriert")
    seat.refresh_from_db()
    assert (seat.reply, seat.substitute) == ("zugesagt", "")
    with pytest.raises(ValidationError, match="wer Ihre Einrichtung vertritt"):
        services.participant_reply(participant=seat, actor=None, reply="vertreten", substitute=" ")


def test_a_reply_after_the_meeting_is_refused(world, held):
    seat = held.participants.get(partner=world.partner_b)
    with pytest.raises(services.MeetingError, match="nicht mehr möglich"):
        services.participant_reply(participant=seat, actor=None, reply="zugesagt")
    seat.refresh_from_db()
    assert seat.reply == Participant.Reply.OPEN


def test_attendance_waits_for_the_day_of_the_meeting(world, invited):
    seat = invited.participants.first()
    with pytest.raises(services.MeetingError, match="ab dem Tag der Sitzung"):
        services.attendance_record(meeting=invited, actor=world.jugendamt, attendance={seat.pk: "anwesend"})


# ---------------------------------------------------------------------------------------------------------------------
# Protocol
# ---------------------------------------------------------------------------------------------------------------------


def write_protocol(world, meeting):
    seats = {s.partner_id or s.member_id: s for s in meeting.participants.all()}
    services.attendance_record(
        meeting=meeting,
        actor=world.jugendamt,
        attendance={
            s.pk: ("entschuldigt" if s.partner_id == world.partner_b.pk else "anwesend") for s in seats.values()
        },
    )
    services.guest_add(meeting=meeting, actor=world.jugendamt, name="Prof. Ina Roth", organisation="Hochschule")
    first = meeting.items.get(number=1)
    services.protocol_update(
        meeting=meeting,
        actor=world.jugendamt,
        chair="Dr. Karla Vogt",
        minute_taker="Jugendamt Musterstadt",
        notes={first.pk: "Das Protokoll der letzten Sitzung wird genehmigt."},
    )
    services.recommendation_add(meeting=meeting, actor=world.jugendamt, text="Babylotsen in allen Geburtskliniken.")
    return services.action_item_add(
        meeting=meeting,
        actor=world.jugendamt,
        data={
            "text": "Flyer übersetzen",
            "responsible_partner": world.partner_a,
            "due_date": datetime.date(2030, 1, 31),
        },
    )


def test_the_whole_protocol_runs_from_draft_to_frozen(world, held, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    write_protocol(world, held)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.protocol_send(
            meeting=held, actor=world.jugendamt, comments_until=services.clock.today() + datetime.timedelta(days=14)
        )
    held.refresh_from_db()
    assert held.protocol_state == Meeting.ProtocolState.REVIEW
    assert len(mail.outbox) == 3
    assert mail.outbox[0].attachments[0][0].endswith("-entwurf.pdf")
    services.protocol_comment(meeting=held, actor=world.contact_b, text="Bitte TOP 1 ergänzen.")
    assert held.comments.get().author_label.endswith("(Erziehungsberatung Mitte)")

    approved = services.protocol_approve(meeting=held, actor=world.jugendamt)
    assert approved.is_approved
    stored = approved.protocol_pdf.read()
    assert hashlib.sha256(stored).hexdigest() == approved.protocol_pdf_sha256
    import io

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(stored)).pages)
    assert "Protokoll: 3. Lenkungskreis" in text
    assert "Dr. Karla Vogt" in text
    assert "Prof. Ina Roth (Hochschule)" in text
    assert "Babylotsen in allen Geburtskliniken." in text
    assert "Flyer übersetzen" in text
    assert "Seite 1 von" in text
    assert "ENTWURF" not in text

    # the version for open data: the same protocol, institutions named, people not
    public = approved.public_protocol_pdf.read()
    assert hashlib.sha256(public).hexdigest() == approved.public_protocol_pdf_sha256
    public_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(public)).pages)
    public_text = " ".join(public_text.split())
    assert "Fassung ohne Personennamen" in public_text
    assert "Hochschule" in public_text and "Babylotsen in allen Geburtskliniken." in public_text
    people = {p.name for p in held.participants.all() if p.name} | {"Dr. Karla Vogt", "Ina Roth"}
    assert [name for name in people if name in public_text] == []

    refusals = [
        lambda: services.protocol_update(meeting=held, actor=world.jugendamt, chair="X", minute_taker="Y", notes={}),
        lambda: services.recommendation_add(meeting=held, actor=world.jugendamt, text="Noch eine"),
        lambda: services.action_item_add(
            meeting=held, actor=world.jugendamt, data={"text": "x", "responsible_name": "y"}
        ),
        lambda: services.attendance_record(meeting=held, actor=world.jugendamt, attendance={}),
        lambda: services.guest_add(meeting=held, actor=world.jugendamt, name="Spät"),
        lambda: services.protocol_approve(meeting=held, actor=world.jugendamt),
        lambda: services.protocol_comment(meeting=held, actor=world.contact_b, text="zu spät"),
        lambda: services.agenda_item_save(meeting=held, actor=world.coordinator, data={"title": "Neu"}),
    ]
    for refuse in refusals:
        with pytest.raises(services.MeetingError):
            refuse()
    approved.refresh_from_db()
    assert approved.protocol_pdf.read() == stored  # never regenerated
    assert held.recommendations.count() == 1


def test_a_protocol_is_approved_only_after_it_was_sent(world, held):
    write_protocol(world, held)
    with pytest.raises(services.MeetingError, match="zuerst zur Abstimmung"):
        services.protocol_approve(meeting=held, actor=world.jugendamt)


def test_comments_end_with_their_date(world, held, travel):
    write_protocol(world, held)
    until = services.clock.today() + datetime.timedelta(days=3)
    services.protocol_send(meeting=held, actor=world.jugendamt, comments_until=until)
    travel(at(until + datetime.timedelta(days=1), 9))
    with pytest.raises(services.MeetingError, match=f"am {until:%d.%m.%Y} abgelaufen"):
        services.protocol_comment(meeting=held, actor=world.contact_a, text="Zu spät")


def test_a_comment_deadline_in_the_past_is_refused(world, held):
    write_protocol(world, held)
    with pytest.raises(ValidationError, match="nicht in der Vergangenheit"):
        services.protocol_send(meeting=held, actor=world.jugendamt, comments_until=datetime.date(2020, 1, 1))


# ---------------------------------------------------------------------------------------------------------------------
# Action items carried over, "Noch nicht vorgestellt"
# ---------------------------------------------------------------------------------------------------------------------


def test_open_action_items_carry_over_until_done(world, body, held, travel):
    import io

    from pypdf import PdfReader

    item = write_protocol(world, held)
    day = services.local_day(held.starts_at) + datetime.timedelta(days=90)
    nxt = services.meeting_create(
        body=body, actor=world.coordinator, data={"starts_at": at(day, 10), "ends_at": at(day, 12), "place": "Rathaus"}
    )
    assert list(selectors.open_actions_before(nxt)) == [item]
    pdf = services.documents.render_invitation(nxt)
    assert "Flyer übersetzen" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    services.action_item_done(item=item, actor=world.contact_a)
    assert list(selectors.open_actions_before(nxt)) == []
    assert ActionItem.objects.get(pk=item.pk).done_by == world.contact_a
    with pytest.raises(services.MeetingError, match="bereits erledigt"):
        services.action_item_done(item=item, actor=world.contact_a)


def test_not_presented_lists_members_until_their_presentation(world, body, meeting, travel):
    assert [row["partner"] for row in selectors.not_presented(body)] == [world.partner_b, world.partner_a]
    services.agenda_item_save(
        meeting=meeting,
        actor=world.coordinator,
        data={"title": "Wir stellen uns vor", "presenter_partner": world.partner_a, "is_partner_presentation": True},
    )
    rows = {row["partner"]: row["planned"] for row in selectors.not_presented(body)}
    assert rows == {world.partner_b: None, world.partner_a: meeting}
    travel(meeting.ends_at + datetime.timedelta(hours=1))
    assert [row["partner"] for row in selectors.not_presented(body)] == [world.partner_b]


def test_a_presentation_needs_the_institution(world, meeting):
    with pytest.raises(ValidationError, match="Partner stellt sich vor"):
        services.agenda_item_save(
            meeting=meeting, actor=world.coordinator, data={"title": "Vorstellung", "is_partner_presentation": True}
        )


def test_a_guest_seat_never_counts_as_member(world, held):
    guest = services.guest_add(meeting=held, actor=world.jugendamt, name="Gast")
    assert guest.is_guest and guest.attendance == "anwesend"
    assert BodyMember.objects.filter(name="Gast").count() == 0
