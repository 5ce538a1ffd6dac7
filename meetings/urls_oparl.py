"""Open data: the meetings of the active networks as OParl 1.1 under /oparl/v1/ (public, read-only JSON)."""

from django.urls import path

from meetings.views import oparl

app_name = "oparl"

urlpatterns = [
    path("", oparl.system, name="system"),
    path("body/", oparl.body_list, name="body_list"),
    path("body/<slug:network>/", oparl.body, name="body"),
    path("body/<slug:network>/organization/", oparl.organization_list, name="organization_list"),
    path("body/<slug:network>/person/", oparl.person_list, name="person_list"),
    path("body/<slug:network>/meeting/", oparl.meeting_list, name="meeting_list"),
    path("body/<slug:network>/agendaitem/", oparl.agendaitem_list, name="agendaitem_list"),
    path("body/<slug:network>/file/", oparl.file_list, name="file_list"),
    path("body/<slug:network>/paper/", oparl.paper_list, name="paper_list"),
    path("body/<slug:network>/legislativeterm/", oparl.legislativeterm_list, name="legislativeterm_list"),
    path("organization/<int:pk>/", oparl.organization, name="organization"),
    path("organization/<int:pk>/meeting/", oparl.organization_meetings, name="organization_meetings"),
    path("meeting/<int:pk>/", oparl.meeting, name="meeting"),
    path("location/<int:pk>/", oparl.location, name="location"),
    path("agendaitem/<int:pk>/", oparl.agendaitem, name="agendaitem"),
    path("file/<int:pk>/", oparl.file, name="file"),
    path("file/<int:pk>/protokoll.pdf", oparl.file_download, name="file_download"),
]
