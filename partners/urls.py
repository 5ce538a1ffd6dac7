from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("netzwerk/", views.NetworkDetailView.as_view(), name="network_detail"),
    path("netzwerk/bearbeiten/", views.NetworkUpdateView.as_view(), name="network_edit"),
    path("netzwerk/logo/", views.network_logo, name="network_logo"),
]
