"""Production settings and the headers on real responses."""

import datetime
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p3R-odUkT1on_sEcReT-kEy-9f8e7d6c5b4a3210ZYXWVUTSRQponmlk",
    "ALLOWED_HOSTS": "praevnet.kreis-beispiel.de",
    "SITE_URL": "https://praevnet.kreis-beispiel.de",
}


def test_check_deploy_passes_without_any_warning():
    # the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment never has it
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | PRODUCTION_ENV
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    return settings


def test_http_is_redirected_to_https(client, db, production):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_https_responses_carry_the_security_headers(client, db, production):
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_cookies_are_secure_and_http_only(client, world, production):
    response = client.post(
        reverse("login"), {"username": world.contact_a.email, "password": "geheim-und-lang-genug"}, secure=True
    )
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"
    csrf_cookie = client.get(reverse("login"), secure=True).cookies.get(settings.CSRF_COOKIE_NAME)
    if csrf_cookie is not None:
        assert csrf_cookie["secure"] is True


def test_the_session_expires_after_the_idle_timeout(login, world):
    client = login(world.contact_a)
    client.get(reverse("dashboard", kwargs={"network": world.network.slug}))
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert 3500 < client.session.get_expiry_age() <= 3600


def test_a_click_restarts_the_idle_clock_at_most_once_a_minute(login, world, django_assert_num_queries):
    from django.contrib.sessions.models import Session

    from praevnet.middleware import IdleSessionMiddleware

    client = login(world.contact_a)
    url = reverse("dashboard", kwargs={"network": world.network.slug})
    client.get(url)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    first = Session.objects.get(session_key=key).expire_date

    response = client.get(url)  # within the minute: no session write, no new cookie
    assert Session.objects.get(session_key=key).expire_date == first
    assert settings.SESSION_COOKIE_NAME not in response.cookies

    session = client.session  # a minute later: the clock restarts, the cookie is renewed
    session[IdleSessionMiddleware.KEY] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(session_key=key).update(expire_date=first - datetime.timedelta(minutes=1))
    response = client.get(url)
    assert Session.objects.get(session_key=key).expire_date > first - datetime.timedelta(minutes=1)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 3600


def test_anonymous_visitors_get_no_session(client, db):
    response = client.get(reverse("login"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_healthz_stays_reachable_over_http_for_load_balancers(client, db, production):
    assert client.get(reverse("healthz")).status_code == 200


def test_pages_use_no_inline_script_or_style(login, world):
    html = login(world.coordinator).get(reverse("dashboard", kwargs={"network": world.network.slug})).content.decode()
    assert "<script>" not in html and "<style" not in html and ' style="' not in html
