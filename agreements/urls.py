from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("vorlagen/", views.template_list, name="template_list"),
    path("vorlagen/neu/", views.template_create, name="template_create"),
    path("vorlagen/<int:pk>/", views.template_detail, name="template_detail"),
    path("vorlagen/<int:pk>/bearbeiten/", views.template_edit, name="template_edit"),
    path("vorlagen/<int:pk>/veroeffentlichen/", views.template_publish, name="template_publish"),
    path("vorlagen/<int:pk>/neu-einladen/", views.template_reinvite, name="template_reinvite"),
    path("vereinbarungen/", views.agreement_list, name="agreement_list"),
    path("vereinbarungen/alle-einladen/", views.agreement_invite_all, name="agreement_invite_all"),
    path("vereinbarungen/pruefen/", views.agreement_verify, name="agreement_verify"),
    path("vereinbarungen/fristen/", views.deadlines, name="deadlines"),
    path("meine-vereinbarung/", views.own_agreements, name="own_agreements"),
    path("vereinbarungen/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("vereinbarungen/<int:pk>/gegenzeichnen/", views.agreement_countersign, name="agreement_countersign"),
    path("vereinbarungen/<int:pk>/kuendigen/", views.agreement_terminate, name="agreement_terminate"),
    path("vereinbarungen/<int:pk>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("partner/<int:partner_pk>/vereinbarung/einladen/", views.agreement_invite, name="agreement_invite"),
    path("partner/<int:partner_pk>/vereinbarung/papier/", views.agreement_paper, name="agreement_paper"),
]
