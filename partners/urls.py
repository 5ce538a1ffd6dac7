from django.urls import include, path

from partners import views, views_io, views_privacy

app_name = "partners"

urlpatterns = [
    path("netzwerk/", views.NetworkDetailView.as_view(), name="network_detail"),
    path("netzwerk/bearbeiten/", views.NetworkUpdateView.as_view(), name="network_edit"),
    path("netzwerk/logo/", views.network_logo, name="network_logo"),
    path("partner/", views.PartnerListView.as_view(), name="partner_list"),
    path("partner/neu/", views.PartnerCreateView.as_view(), name="partner_create"),
    path("partner/neu/vorhandene/", views.partner_join, name="partner_join"),
    path("partner/import/", views_io.import_upload, name="partner_import"),
    path("partner/import/vorschau/", views_io.import_preview, name="partner_import_preview"),
    path("partner/export.<str:fmt>", views_io.partner_export, name="partner_export"),
    path("partner/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partner/<int:pk>/bearbeiten/", views.PartnerUpdateView.as_view(), name="partner_edit"),
    path("partner/<int:pk>/einreichen/", views.partner_submit_view, name="partner_submit"),
    path("partner/<int:pk>/pruefen/", views.partner_review_view, name="partner_review"),
    path("partner/<int:pk>/archivieren/", views.partner_archive_view, name="partner_archive"),
    path("meine-einrichtung/", views.own_partner, name="own_partner"),
    path("ansprechperson/<int:pk>/datenschutz/", views_privacy.contact_privacy, name="contact_privacy"),
    path("ansprechperson/<int:pk>/export.json", views_privacy.contact_export, name="contact_export"),
    path("ansprechperson/<int:pk>/anonymisieren/", views_privacy.contact_anonymise, name="contact_anonymise"),
    path("", include("partners.urls_directory")),
]
