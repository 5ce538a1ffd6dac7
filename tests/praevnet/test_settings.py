"""Settings fail loudly on bad values, before anything else happens."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

GOOD_KEY = "k7-Vq2pXz9rLm4TnB8wYc1HdF6sJg3Ue5oAiR0bNyKtW_QvZhE"


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='praevnet.settings'; django.setup()",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_default_secret_key():
    result = load_settings(DEBUG="false", ALLOWED_HOSTS="praevnet.example")
    assert result.returncode != 0
    assert "SECRET_KEY fehlt oder ist zu kurz" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = load_settings(DEBUG="false", SECRET_KEY="kurz", ALLOWED_HOSTS="praevnet.example")
    assert "SECRET_KEY fehlt oder ist zu kurz" in result.stderr


def test_production_needs_allowed_hosts():
    result = load_settings(DEBUG="false", SECRET_KEY=GOOD_KEY)
    assert "ALLOWED_HOSTS ist leer" in result.stderr


def test_production_starts_with_a_real_key():
    result = load_settings(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="praevnet.example")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "vielleicht"), ("EMAIL_PORT", "fünfundzwanzig")])
def test_bad_values_fail_loudly(name, value):
    result = load_settings(**{"DEBUG": "true", name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_missing_database_url_is_explained():
    environment = {"DEBUG": "true"}
    result = load_settings(**environment, DATABASE_URL="")
    assert "DATABASE_URL ist nicht gesetzt" in result.stderr


def test_german_and_berlin_are_the_defaults():
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"
    assert settings.USE_TZ is True
    assert settings.ATOMIC_REQUESTS is True
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
