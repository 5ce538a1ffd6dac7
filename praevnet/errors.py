"""Error pages (403, 404, 500 and 503) that work while the database is down.

praevnet runs every request in a transaction (ATOMIC_REQUESTS), so when PostgreSQL is unreachable the
OperationalError surfaces as an uncaught exception and Django calls handler500. `server_error` looks at that
exception: a database outage becomes a calm German 503 page with `Retry-After`, anything else the German 500 page.

None of these views touches the database: the templates (all extending errors_base.html) are rendered without
the request, because the context processors would query it, and they use nothing but `{% static %}`. Should even
that fail (say, static files were never collected), a minimal German page is returned instead.
"""

from __future__ import annotations

import logging
import re
import sys

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.utils.html import escape

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30

# psycopg's own classes appear where Django's wrapper is not in the way, or as the __cause__ of Django's.
DATABASE_OUTAGE_ERRORS = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)

GENERIC_403 = "Sie haben keine Berechtigung, diese Seite aufzurufen oder diese Aktion auszuführen."

# A PermissionDenied message is shown only when it reads like a sentence for people: short, one line, no markup
# or code, and recognisably German. Everything else (English library messages, internals) gets the generic text.
_GERMAN = re.compile(
    r"[äöüßÄÖÜ]|\b(?:Sie|Ihnen|Ihre[mnrs]?|nicht|kein(?:e[mnrs]?)?|nur|dürfen|darf|bitte|der|das|und|ist|wird|für)\b"
)
_TECHNICAL = re.compile(r"[<>{}\[\]\\|`]|Traceback|Error\b|Exception\b|\w+\.\w+\(|__\w+__")


def is_database_outage(exc: BaseException | None) -> bool:
    """True when `exc`, or an exception it was raised from, means the database cannot be reached."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_OUTAGE_ERRORS):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def plain_german_message(exception: BaseException | None) -> str | None:
    """The exception's message if it is a short German sentence meant for people, else None."""
    if exception is None or len(exception.args) != 1:
        return None
    arg = exception.args[0]
    if not isinstance(arg, str | Promise):  # Promise: a lazy translation, resolved by str() below
        return None
    message = str(arg).strip()
    if not message or len(message) > 300 or "\n" in message:
        return None
    if _TECHNICAL.search(message) or not _GERMAN.search(message):
        return None
    return message


def _fallback_html(title: str, text: str) -> str:
    """A bare page for the case that even the template cannot be rendered; no styles, no scripts."""
    return (
        '<!doctype html>\n<html lang="de">\n<head><meta charset="utf-8">'
        f"<title>{escape(title)} · {escape(settings.SITE_NAME)}</title></head>\n"
        f'<body>\n<main>\n<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>\n<p><a href="/">Zur Startseite</a></p>\n'
        "</main>\n</body>\n</html>\n"
    )


def _render(template_name: str, status: int, fallback: tuple[str, str], context: dict | None = None) -> HttpResponse:
    """Render an error template without the request (no context processors, no database)."""
    context = {"site_name": settings.SITE_NAME, "status": status, **(context or {})}
    try:
        html = loader.get_template(template_name).render(context)
    except Exception:
        logger.exception("Fehlerseite %s ließ sich nicht darstellen; es folgt die einfache Fassung.", template_name)
        html = _fallback_html(*fallback)
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    add_never_cache_headers(response)
    return response


def permission_denied(request, exception=None):
    """handler403: German, with the exception's message only when it is a plain German sentence."""
    message = plain_german_message(exception)
    return _render(
        "403.html",
        403,
        ("Keine Berechtigung", message or GENERIC_403),
        {"message": message or GENERIC_403},
    )


def page_not_found(request, exception=None):
    """handler404: the same answer whether the page is missing or hidden from this person (see access.py)."""
    return _render(
        "404.html",
        404,
        ("Seite nicht gefunden", "Diese Seite gibt es nicht, oder Sie haben keinen Zugriff darauf."),
    )


def server_error(request):
    """handler500: 503 with Retry-After when the database is unreachable, otherwise 500. Called by Django inside
    its `except` block, so sys.exc_info() is the exception that got us here."""
    exc = sys.exc_info()[1]
    if is_database_outage(exc):
        response = _render(
            "503.html",
            503,
            (
                "Der Dienst ist gerade nicht erreichbar",
                "Ihre Daten sind sicher. Bitte versuchen Sie es in einigen Minuten noch einmal.",
            ),
            {"retry_after": RETRY_AFTER_SECONDS},
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _render(
        "500.html",
        500,
        ("Etwas ist schiefgelaufen", "Der Fehler wurde aufgezeichnet. Bitte versuchen Sie es später noch einmal."),
    )


def csrf_failure(request, reason=""):
    """A form sent without a valid security token (expired page, cookies off): a calm German 403."""
    return _render(
        "403.html",
        403,
        ("Formular abgelaufen", "Bitte laden Sie die Seite neu und senden Sie das Formular noch einmal."),
        {
            "message": "Das Formular ist abgelaufen oder Cookies sind ausgeschaltet. Bitte laden Sie die Seite neu "
            "und senden Sie es noch einmal; Ihre Eingaben wurden nicht gespeichert."
        },
    )
