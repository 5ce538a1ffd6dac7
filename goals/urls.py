from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("ziele/", views.goal_overview, name="goal_overview"),
    path("ziele/neu/", views.goal_create, name="goal_create"),
    path("ziele/<int:pk>/bearbeiten/", views.goal_edit, name="goal_edit"),
    path("ziele/<int:pk>/handlungsziel/neu/", views.goal_action_create, name="goal_action_create"),
    path("ziele/export/<str:kind>.csv", views.goal_export, name="goal_export"),
    path("ziele/jahr/<int:year>/abschliessen/", views.goal_year_close, name="goal_year_close"),
    path("handlungsziele/<int:pk>/", views.goal_action_detail, name="goal_action_detail"),
    path("handlungsziele/<int:pk>/bearbeiten/", views.goal_action_edit, name="goal_action_edit"),
    path("handlungsziele/<int:pk>/indikator/neu/", views.goal_indicator_create, name="goal_indicator_create"),
    path("handlungsziele/<int:pk>/ueberpruefung/<int:year>/", views.goal_review, name="goal_review"),
    path("indikatoren/<int:pk>/bearbeiten/", views.goal_indicator_edit, name="goal_indicator_edit"),
    path("handlungsschritte/neu/", views.goal_step_create, name="goal_step_create"),
    path("handlungsschritte/<int:pk>/bearbeiten/", views.goal_step_edit, name="goal_step_edit"),
    path("handlungsschritte/<int:pk>/erledigt/", views.goal_step_done, name="goal_step_done"),
    path("kennzahlen/", views.figure_overview, name="figure_overview"),
    path("kennzahlen/einstellungen/", views.figure_settings, name="figure_settings"),
    path("kennzahlen/kennzahl/neu/", views.figure_definition_create, name="figure_definition_create"),
    path("kennzahlen/kennzahl/<int:pk>/bearbeiten/", views.figure_definition_edit, name="figure_definition_edit"),
    path("kennzahlen/jahr/neu/", views.figure_year_create, name="figure_year_create"),
    path("kennzahlen/jahr/<int:year>/bearbeiten/", views.figure_year_edit, name="figure_year_edit"),
    path("kennzahlen/<int:year>/einrichtung/<int:partner_pk>/", views.figure_report, name="figure_report"),
    path("kennzahlen/meine/", views.figure_own, name="figure_own"),
]
