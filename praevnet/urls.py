from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from agreements import views as agreement_views
from meetings.views import public as meeting_public_views
from partners import views as partner_views
from praevnet import views, views_report

admin.site.site_header = "praevnet – Systemadministration"
admin.site.site_title = "praevnet"
admin.site.index_title = "Verwaltung"

account_patterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.AccountView.as_view(), name="account"),
    path(
        "passwort/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path("passwort/geaendert/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "passwort-vergessen/",
        auth_views.PasswordResetView.as_view(
            email_template_name="emails/password_reset.txt",
            html_email_template_name="emails/password_reset.html",
            subject_template_name="emails/password_reset_subject.txt",
            extra_email_context={"site_name": settings.SITE_NAME},
        ),
        name="password_reset",
    ),
    path("passwort-vergessen/gesendet/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "passwort-neu/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("passwort-neu/fertig/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("zwei-faktor/", views.two_factor_verify, name="two_factor_verify"),
    path("zwei-faktor/einrichten/", views.two_factor_setup, name="two_factor_setup"),
    path("zwei-faktor/ausschalten/", views.two_factor_off, name="two_factor_off"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/", include(account_patterns)),
    path("n/<slug:network>/", views.dashboard, name="dashboard"),
    path("n/<slug:network>/", include("partners.urls")),
    path("n/<slug:network>/", include("agreements.urls")),
    path("n/<slug:network>/", include("meetings.urls")),
    path("n/<slug:network>/", include("goals.urls")),
    path("vereinbarung/unterzeichnen/<str:token>/", agreement_views.agreement_sign, name="agreement_sign"),
    path("sitzung/antwort/<str:token>/", meeting_public_views.meeting_reply_link, name="meeting_reply_link"),
    path("n/<slug:network>/aenderungen/", views.AuditLogView.as_view(), name="audit_log"),
    path("n/<slug:network>/jahresbericht/", views_report.report, name="annual_report"),
    path("n/<slug:network>/jahresbericht/<int:year>.pdf", views_report.report_pdf, name="annual_report_pdf"),
    path("n/<slug:network>/jahresbericht/<int:year>.csv", views_report.report_csv, name="annual_report_csv"),
    path("netzwerk/<slug:slug>/", partner_views.network_public, name="network_public"),
    path("", include("partners.urls_public")),  # offer finder /angebote/… and open data /api/hsds/…
    path("oparl/v1/", include("meetings.urls_oparl")),  # open data: meetings as OParl 1.1
    path("impressum/", views.legal_page, {"key": "impressum"}, name="impressum"),
    path("datenschutz/", views.legal_page, {"key": "datenschutz"}, name="datenschutz"),
    path("barrierefreiheit/", views.legal_page, {"key": "barrierefreiheit"}, name="barrierefreiheit"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    # Administrators log in through the same page (throttling, second factor) as everyone else.
    path("admin/login/", login_not_required(RedirectView.as_view(pattern_name="login", query_string=True))),
    path("admin/", admin.site.urls),
]

handler403 = "praevnet.errors.permission_denied"
handler404 = "praevnet.errors.page_not_found"
handler500 = "praevnet.errors.server_error"
