"""Pages and data without login: the offer finder for families and the open data (HSDS 3.0) of each network."""

from django.urls import path

from partners import hsds, views_finder

app_name = "public"

urlpatterns = [
    path("angebote/", views_finder.finder_index, name="finder_index"),
    path("angebote/<slug:network>/", views_finder.finder_list, name="finder"),
    path("angebote/<slug:network>/<int:pk>/", views_finder.finder_detail, name="finder_offer"),
    path("api/hsds/<slug:network>/", hsds.api_root, name="hsds_root"),
    path("api/hsds/<slug:network>/services/", hsds.service_list, name="hsds_services"),
    path("api/hsds/<slug:network>/services/<str:pk>/", hsds.service_detail, name="hsds_service"),
    path("api/hsds/<slug:network>/organizations/", hsds.organization_list, name="hsds_organizations"),
    path("api/hsds/<slug:network>/organizations/<str:pk>/", hsds.organization_detail, name="hsds_organization"),
]
