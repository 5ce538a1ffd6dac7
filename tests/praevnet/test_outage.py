"""Faults: with the database down praevnet answers with a German 503 page, and it recovers by itself.

The end-to-end test runs the real application under gunicorn (DEBUG=false) against the test database through a
small TCP proxy that the test stops and restarts: the database really goes away and comes back while gunicorn
keeps running. The unit tests below check the error views themselves (403, 404, 500, 503) without a database.

This module is also the urlconf of the client tests (`@pytest.mark.urls(__name__)`).
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import string
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, connection, transaction
from django.http import Http404
from django.test import Client
from django.urls import path

from praevnet import errors

BASE_DIR = Path(__file__).resolve().parents[2]
HANDLERS = {
    "handler403": "praevnet.errors.permission_denied",
    "handler404": "praevnet.errors.page_not_found",
    "handler500": "praevnet.errors.server_error",
}
GERMAN_503 = "Der Dienst ist gerade nicht erreichbar"


# ---------------------------------------------------------------------------------------------------------------------
# A urlconf for the client tests: views that fail the way real ones do. Non-atomic, so nothing opens a connection:
# these tests have no database access at all, and any query in the error path would fail them.
# ---------------------------------------------------------------------------------------------------------------------


@login_not_required
@transaction.non_atomic_requests
def _database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@login_not_required
@transaction.non_atomic_requests
def _bug(request):
    raise ZeroDivisionError("division by zero in secret_function()")


@login_not_required
@transaction.non_atomic_requests
def _forbidden(request):
    raise PermissionDenied("Nur die Netzwerkkoordination darf Partner einladen.")


@login_not_required
@transaction.non_atomic_requests
def _hidden(request):
    raise Http404("Netzwerk „geheimkreis“ existiert, Person hat keine Rolle")


urlpatterns = [
    path("db-down/", _database_down),
    path("bug/", _bug),
    path("forbidden/", _forbidden),
    path("hidden/", _hidden),
]
handler403 = HANDLERS["handler403"]
handler404 = HANDLERS["handler404"]
handler500 = HANDLERS["handler500"]


def assert_calm_german_page(html: str) -> None:
    """The app's look, German, no technical details, nothing the CSP would block, links only to "/"."""
    assert '<html lang="de">' in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html  # the template rendered, not the bare fallback
    assert "/static/img/logo.svg" in html
    assert 'class="app-header"' in html
    for needle in ("Traceback", "Error", "Exception", "psycopg", "secret_function", "style=", "<script"):
        assert needle not in html, needle
    for url in re.findall(r'(?:src|href|action)="([^"]*)"', html):
        assert url == "/" or url.startswith("/static/"), url


# ---------------------------------------------------------------------------------------------------------------------
# The views, called directly (no database fixture: they must not need one)
# ---------------------------------------------------------------------------------------------------------------------


def test_server_error_for_a_bug_is_the_german_500_page(rf):
    try:
        raise ValueError("kaputt in secret_function()")
    except ValueError:
        response = errors.server_error(rf.get("/n/musterstadt/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "<h1>Etwas ist schiefgelaufen</h1>" in html
    assert "Der Fehler wurde aufgezeichnet" in html
    assert_calm_german_page(html)


def _raised_from(cause: BaseException) -> BaseException:
    exc = RuntimeError("während der Sitzung")
    exc.__cause__ = cause
    return exc


@pytest.mark.parametrize(
    "exception",
    [
        pytest.param(OperationalError("connection refused"), id="django-operational"),
        pytest.param(InterfaceError("connection already closed"), id="django-interface"),
        pytest.param(psycopg.OperationalError("connection failed"), id="psycopg-operational"),
        pytest.param(_raised_from(psycopg.OperationalError("server closed the connection")), id="raised-from"),
    ],
)
def test_server_error_for_a_database_outage_is_a_german_503(rf, exception):
    try:
        raise exception
    except Exception:
        response = errors.server_error(rf.get("/impressum/"))
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    assert f"<h1>{GERMAN_503}</h1>" in html
    assert "Ihre Daten sind sicher" in html
    assert "in einigen Minuten" in html
    assert_calm_german_page(html)


def test_server_error_outside_an_exception_is_a_500(rf):
    assert errors.server_error(rf.get("/")).status_code == 500


@pytest.mark.parametrize(
    ("exception", "shown"),
    [
        (PermissionDenied("Nur die Netzwerkkoordination darf Partner einladen."), True),
        (PermissionDenied("Sie dürfen dieses Profil nicht bearbeiten."), True),
        (PermissionDenied(), False),
        (PermissionDenied("You do not have permission to perform this action."), False),
        (PermissionDenied("Zugriff verweigert: <script>alert(1)</script>"), False),
        (PermissionDenied("NetworkRole.DoesNotExist in access.role_in()"), False),
        (PermissionDenied("Sie dürfen das nicht.", "zweites Argument"), False),
        (None, False),
    ],
)
def test_permission_denied_is_german_and_shows_only_plain_german_messages(rf, exception, shown):
    response = errors.permission_denied(rf.get("/n/musterstadt/"), exception)
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Keine Berechtigung</h1>" in html
    assert_calm_german_page(html)
    if shown:
        assert str(exception) in html
        assert errors.GENERIC_403 not in html
    else:
        assert errors.GENERIC_403 in html
        assert "alert(1)" not in html and "permission" not in html and "DoesNotExist" not in html


def test_page_not_found_does_not_say_whether_the_page_exists(rf):
    missing = errors.page_not_found(rf.get("/n/gibtesnicht/"), Http404("Netzwerk „gibtesnicht“ gibt es nicht"))
    hidden = errors.page_not_found(rf.get("/n/geheimkreis/"), Http404("Netzwerk „geheimkreis“: keine Rolle"))
    assert missing.status_code == hidden.status_code == 404
    assert missing.content == hidden.content
    html = hidden.content.decode()
    assert "<h1>Seite nicht gefunden</h1>" in html
    assert "gibt es nicht, oder Sie haben keinen Zugriff darauf" in html
    assert "geheimkreis" not in html
    assert_calm_german_page(html)


def test_a_broken_template_still_gives_a_german_page(rf, monkeypatch):
    def broken(name):
        raise ValueError("Missing staticfiles manifest entry for 'css/praevnet.css'")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = errors.server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert '<html lang="de">' in html and GERMAN_503 in html
    assert "manifest" not in html and "style=" not in html and "<script" not in html
    assert errors.page_not_found(rf.get("/x/"), Http404()).status_code == 404


# ---------------------------------------------------------------------------------------------------------------------
# The same through Django's request handling (middleware, CSP, handlers from the urlconf)
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/db-down/", 503, GERMAN_503),
        ("/bug/", 500, "Etwas ist schiefgelaufen"),
        ("/forbidden/", 403, "Nur die Netzwerkkoordination darf Partner einladen."),
        ("/hidden/", 404, "Seite nicht gefunden"),
        ("/gibt-es-nicht/", 404, "Seite nicht gefunden"),
    ],
)
def test_handlers_through_the_middleware_without_a_database(url, status, text):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert text in html
    assert_calm_german_page(html)
    assert "unsafe-inline" not in response.get("Content-Security-Policy", "")
    assert ("Retry-After" in response) is (status == 503)
    assert "geheimkreis" not in html


def test_the_real_urlconf_uses_these_handlers():
    import praevnet.urls

    missing = [name for name in HANDLERS if not hasattr(praevnet.urls, name)]
    if missing:
        pytest.skip(f"praevnet/urls.py trägt {', '.join(missing)} noch nicht ein")
    assert {name: getattr(praevnet.urls, name) for name in HANDLERS} == HANDLERS


# ---------------------------------------------------------------------------------------------------------------------
# End to end: gunicorn, a database that goes away, and comes back
# ---------------------------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DatabaseProxy:
    """Forwards 127.0.0.1:<port> to the database server. stop() closes the listener and cuts every open
    connection, as a crashed or restarting server would; start(port) listens again on the same port."""

    def __init__(self, settings_dict: dict):
        host, port = settings_dict["HOST"], int(settings_dict["PORT"] or 5432)
        if not host or host.startswith("/"):  # a Unix socket directory (libpq's default when HOST is empty)
            self.family, self.address = socket.AF_UNIX, f"{host or '/var/run/postgresql'}/.s.PGSQL.{port}"
        else:
            self.family, self.address = None, (host, port)
        self.port: int | None = None
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._active = 0  # connections whose client side is still open
        self._threads: list[threading.Thread] = []
        self._acceptor: threading.Thread | None = None

    def _connect_upstream(self) -> socket.socket:
        if self.family == socket.AF_UNIX:
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.settimeout(5)
                upstream.connect(self.address)
            except OSError:
                upstream.close()
                raise
        else:
            upstream = socket.create_connection(self.address, timeout=5)
        upstream.settimeout(None)
        return upstream

    def start(self, port: int = 0) -> int:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener, self.port = listener, listener.getsockname()[1]
        self._stopping = threading.Event()
        self._acceptor = self._spawn(self._accept, listener, self._stopping)
        return self.port

    def _spawn(self, target, *args) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()
        return thread

    def _accept(self, listener: socket.socket, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = self._connect_upstream()
            except OSError:
                client.close()
                continue
            with self._lock:
                if stopping.is_set():
                    client.close()
                    upstream.close()
                    return
                self._sockets |= {client, upstream}
                self._active += 1
            self._spawn(self._pump, client, upstream, True)
            self._spawn(self._pump, upstream, client, False)

    def _pump(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            if counted:
                with self._lock:
                    self._active -= 1

    @property
    def open_connections(self) -> int:
        with self._lock:
            return self._active

    def stop(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            self._acceptor.join(timeout=2)  # it polls every 0.1 s; close the listener once it has let go
            self._listener.close()
            self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        for sock in sockets:
            sock.close()


def fetch(port: int, url: str, timeout: float = 10, session: str | None = None) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", url, headers={"Cookie": f"sessionid={session}"} if session else {})
        response = conn.getresponse()
        headers = {key.lower(): value for key, value in response.getheaders()}
        return response.status, headers, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(50))


def app_environment(database: dict, proxy_port: int, static_root: Path, secret_key: str) -> dict[str, str]:
    """Production settings (DEBUG=false) for a gunicorn that reaches `database` only through the proxy."""
    credentials = quote(database["USER"] or "postgres", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "praevnet.settings",
        "DATABASE_URL": f"postgresql://{credentials}@127.0.0.1:{proxy_port}/{quote(database['NAME'], safe='')}",
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(static_root),
        "PYTHONUNBUFFERED": "1",
    }


class App:
    """One gunicorn master with one sync worker, started in its own process group."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.port = _free_port()
        self.log_path = log_path
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [str(gunicorn), "praevnet.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", "1", "--timeout", "20", "--graceful-timeout", "3", "--no-control-socket"]
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_healthy(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ist beendet:\n{self.log()[-4000:]}")
            with contextlib.suppress(OSError):
                if fetch(self.port, "/healthz", timeout=2)[0] == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"/healthz antwortet nach {timeout:.0f} s nicht mit 200:\n{self.log()[-4000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


@pytest.fixture
def outage_app(transactional_db, settings, tmp_path):
    """gunicorn with the real settings (DEBUG=false), connected to the test database through a DatabaseProxy.

    transactional_db: the schema is committed, so the other process sees it. Yields (app, proxy).
    """
    started = time.monotonic()
    proxy = DatabaseProxy(connection.settings_dict)
    proxy.start()
    app = None
    try:
        # DEBUG=false uses the manifest storage: {% static %} needs staticfiles.json. The plain manifest storage
        # writes the same manifest as whitenoise's, without compressing every file (a second instead of five).
        settings.STATIC_ROOT = tmp_path / "static"
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
        }
        call_command("collectstatic", interactive=False, verbosity=0)
        settings.SECRET_KEY = _secret_key()  # the same key here and there: a session made here is valid there
        env = app_environment(connection.settings_dict, proxy.port, settings.STATIC_ROOT, settings.SECRET_KEY)

        import praevnet.urls

        if any(getattr(praevnet.urls, name, None) != value for name, value in HANDLERS.items()):
            # Until praevnet/urls.py names the handlers: the real urls and settings plus the three handler lines.
            (tmp_path / "outage_urls.py").write_text(
                "from praevnet.urls import *  # noqa\n" + "".join(f"{k} = {v!r}\n" for k, v in HANDLERS.items())
            )
            (tmp_path / "outage_settings.py").write_text(
                'from praevnet.settings import *  # noqa\nROOT_URLCONF = "outage_urls"\n'
            )
            env["DJANGO_SETTINGS_MODULE"] = "outage_settings"
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))

        app = App(env, tmp_path / "gunicorn.log")
        app.wait_until_healthy(timeout=15)
        print(f"\n[outage] gunicorn bereit nach {time.monotonic() - started:.1f} s (inkl. collectstatic)")
        yield app, proxy
    finally:
        if app is not None:
            app.stop()
        proxy.stop()


def check(condition: bool, message: str) -> None:
    """An assert that also holds under python -O (bench/db_outage.py runs the scenario outside pytest)."""
    if not condition:
        raise AssertionError(message)


def outage_scenario(app: App, proxy: DatabaseProxy, report=print, session: str | None = None) -> dict[str, float]:
    """Database up, down, up again, against a running `app`; returns the timings in seconds.

    With `session` (the session key of a person without a network) "/" is checked as well: there the database
    is first needed by a middleware (loading the session for LoginRequiredMiddleware), not by the view.
    """
    log = lambda: app.log()[-4000:]  # noqa: E731

    def check_home(expected: int) -> None:
        if session:
            status, _, html = fetch(app.port, "/", session=session)
            check(status == expected, f"/ (angemeldet): {status} statt {expected}\n{log()}")
            check(expected != 200 or "noch keinem Netzwerk zugeordnet" in html, "/ zeigt nicht die Startseite")
            check(expected != 503 or f"<h1>{GERMAN_503}</h1>" in html, "/ zeigt nicht die 503-Seite")

    # Database reachable: a page that queries it, and the health check.
    status, _, html = fetch(app.port, "/impressum/")
    check(status == 200 and "<h1>Impressum</h1>" in html, f"/impressum/ vor dem Ausfall: {status}\n{log()}")
    check(fetch(app.port, "/healthz")[0] == 200, "/healthz vor dem Ausfall")
    check_home(200)
    check(proxy.open_connections > 0, "the worker keeps a persistent database connection (CONN_MAX_AGE)")
    also = ", / (angemeldet) {}" if session else ""
    report("Datenbank erreichbar: /impressum/ 200, /healthz 200" + also.format(200))

    # Database gone: the listener is closed and the worker's persistent connection is cut.
    down = time.monotonic()
    proxy.stop()
    for _ in range(2):  # the first finds its connection cut (health check), neither can open a new one
        status, headers, html = fetch(app.port, "/impressum/")
        check(status == 503, f"/impressum/ ohne Datenbank: {status}\n{log()}")
        check(headers.get("retry-after") == "30", f"Retry-After: {headers.get('retry-after')!r}")
        check('<html lang="de">' in html and f"<h1>{GERMAN_503}</h1>" in html, html)
        check("Ihre Daten sind sicher" in html, html)
        for needle in ("Traceback", "OperationalError", "psycopg", "connection", "Server Error"):
            check(needle not in html, f"{needle!r} in der 503-Seite")
        check("unsafe-inline" not in headers.get("content-security-policy", ""), "CSP mit unsafe-inline")
    first_503 = time.monotonic() - down
    stylesheet = re.search(r'href="(/static/css/praevnet[^"]*\.css)"', html)
    check(stylesheet is not None and fetch(app.port, stylesheet.group(1))[0] == 200, "503-Seite ohne Stylesheet")
    status, _, body = fetch(app.port, "/healthz")
    check(status == 503 and "unreachable" in body, f"/healthz ohne Datenbank: {status} {body}")
    check_home(503)
    report(f"Datenbank weg: /impressum/ 503 (deutsch, Retry-After: 30), /healthz 503{also.format(503)}")

    # Database back on the same port: no restart of gunicorn, the next request succeeds again.
    proxy.start(proxy.port)
    back = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        status = fetch(app.port, "/impressum/")[0]
        if status == 200:
            break
        check(time.monotonic() - back < 10, f"/impressum/ 10 s nach der Rückkehr noch {status}\n{log()}")
        time.sleep(0.2)
    recovered = time.monotonic() - back
    check(fetch(app.port, "/healthz")[0] == 200, "/healthz nach der Rückkehr")
    check_home(200)
    check(app.process.poll() is None, "gunicorn läuft nicht mehr")
    check(app.log().count("Booting worker") == 1, "gunicorn hat den Worker neu gestartet")
    report(f"Datenbank wieder da: /impressum/ 200 nach {recovered:.2f} s ({attempts}. Anfrage){also.format(200)}")
    report(f"ohne Neustart: derselbe gunicorn-Worker; die beiden 503-Antworten dauerten zusammen {first_503:.2f} s")
    return {"first_503": first_503, "recovered": recovered, "attempts": attempts}


def test_database_outage_gives_german_503_and_the_app_recovers_by_itself(outage_app, client):
    from tests.factories import UserFactory  # here, so bench/db_outage.py can import this module without Django set up

    app, proxy = outage_app
    client.force_login(UserFactory(email="ohne.netzwerk@beispiel.example"))
    session = client.cookies["sessionid"].value
    timings = outage_scenario(app, proxy, report=lambda line: print(f"[outage] {line}"), session=session)
    assert timings["recovered"] < 10


def test_a_form_without_a_valid_token_gets_a_german_403(db):
    from django.test import Client
    from django.urls import reverse

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@b.example", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Das Formular ist abgelaufen" in html
    assert 'lang="de"' in html
