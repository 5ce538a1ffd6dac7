from django.urls import path

from meetings.views import bodies, meetings, protocol

app_name = "meetings"

urlpatterns = [
    path("gremien/", bodies.body_list, name="body_list"),
    path("gremien/neu/", bodies.body_create, name="body_create"),
    path("gremien/<int:pk>/", bodies.body_detail, name="body_detail"),
    path("gremien/<int:pk>/bearbeiten/", bodies.body_edit, name="body_edit"),
    path("gremien/<int:pk>/mitglieder/neu/", bodies.member_create, name="member_create"),
    path("gremien/<int:pk>/mitglieder/<int:member_pk>/", bodies.member_edit, name="member_edit"),
    path("gremien/<int:pk>/jahresplan/", bodies.year_plan, name="year_plan"),
    path("gremien/<int:pk>/sitzung-neu/", bodies.meeting_create, name="meeting_create"),
    path("sitzungen/", meetings.meeting_list, name="meeting_list"),
    path("sitzungen/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("sitzungen/<int:pk>/bearbeiten/", meetings.meeting_edit, name="meeting_edit"),
    path("sitzungen/<int:pk>/absagen/", meetings.meeting_cancel, name="meeting_cancel"),
    path("sitzungen/<int:pk>/einladen/", meetings.meeting_invite, name="meeting_invite"),
    path("sitzungen/<int:pk>/antwort/", meetings.meeting_reply, name="meeting_reply"),
    path("sitzungen/<int:pk>/kalender.ics", meetings.meeting_calendar, name="meeting_calendar"),
    path("sitzungen/<int:pk>/einladung.pdf", meetings.invitation_pdf, name="invitation_pdf"),
    path("sitzungen/<int:pk>/teilnehmerliste.pdf", meetings.signin_pdf, name="signin_pdf"),
    path("sitzungen/<int:pk>/tops/neu/", meetings.agenda_create, name="agenda_create"),
    path("sitzungen/<int:pk>/tops/<int:item_pk>/", meetings.agenda_edit, name="agenda_edit"),
    path("sitzungen/<int:pk>/tops/<int:item_pk>/streichen/", meetings.agenda_delete, name="agenda_delete"),
    path("sitzungen/<int:pk>/tops/<int:item_pk>/anlage/", meetings.agenda_attachment, name="agenda_attachment"),
    path("sitzungen/<int:pk>/anwesenheit/", protocol.attendance, name="attendance"),
    path("sitzungen/<int:pk>/anwesenheit/mitglieder/", protocol.attendance_seats, name="attendance_seats"),
    path("sitzungen/<int:pk>/protokoll/", protocol.protocol_edit, name="protocol_edit"),
    path("sitzungen/<int:pk>/protokoll/empfehlung/", protocol.recommendation_create, name="recommendation_create"),
    path(
        "sitzungen/<int:pk>/protokoll/empfehlung/<int:item_pk>/streichen/",
        protocol.recommendation_delete,
        name="recommendation_delete",
    ),
    path("sitzungen/<int:pk>/protokoll/aufgabe/", protocol.action_create, name="action_create"),
    path("sitzungen/<int:pk>/protokoll/aufgabe/<int:item_pk>/streichen/", protocol.action_delete, name="action_delete"),
    path("sitzungen/<int:pk>/protokoll/versenden/", protocol.protocol_send, name="protocol_send"),
    path("sitzungen/<int:pk>/protokoll/anmerkung/", protocol.protocol_comment, name="protocol_comment"),
    path("sitzungen/<int:pk>/protokoll/genehmigen/", protocol.protocol_approve, name="protocol_approve"),
    path("sitzungen/<int:pk>/protokoll.pdf", protocol.protocol_pdf, name="protocol_pdf"),
    path("aufgaben/", protocol.action_list, name="action_list"),
    path("aufgaben/<int:pk>/erledigt/", protocol.action_done, name="action_done"),
]
