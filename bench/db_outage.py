"""Datenbankausfall vorführen: praevnet antwortet mit einer deutschen 503-Seite und erholt sich von selbst.

Das Skript startet praevnet wie in Produktion (gunicorn, DEBUG=false) auf einem freien Port und verbindet es über
einen kleinen TCP-Proxy mit der Datenbank aus DATABASE_URL – ohne DATABASE_URL mit der eingebetteten Datenbank von
`make run`. Dann trennt es die Datenbank (der Proxy schließt alle Verbindungen), prüft die 503-Seite und
/healthz, verbindet wieder und misst, wann /impressum/ wieder 200 liefert, ohne gunicorn neu zu starten.

Es liest nur (GET /impressum/ und /healthz); ein laufendes `make run` und andere Verbindungen zur Datenbank
bleiben unberührt. Die Datenbank muss migriert sein (`make migrate` oder einmal `make run`).

    .venv/bin/python bench/db_outage.py            # Ausgabe: eine Zeile je Schritt, Exit-Code 0 = alles gut

Dieselben Schritte prüft tests/praevnet/test_outage.py gegen die Testdatenbank.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from praevnet.dburl import DatabaseUrlError, parse_database_url  # noqa: E402
from tests.praevnet.test_outage import (  # noqa: E402
    App,
    DatabaseProxy,
    _secret_key,
    app_environment,
    outage_scenario,
)


def database_url() -> str:
    if os.environ.get("DATABASE_URL", "").strip():
        return os.environ["DATABASE_URL"].strip()
    result = subprocess.run(
        [sys.executable, "-m", "praevnet.dev", "database-url"], cwd=BASE_DIR, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr.strip() or "praevnet: keine Datenbank gefunden.")
    return result.stdout.strip()


def main() -> int:
    try:
        database = parse_database_url(database_url())
    except DatabaseUrlError as exc:
        print(f"praevnet: {exc}", file=sys.stderr)
        return 1
    started = time.monotonic()
    proxy = DatabaseProxy(database)
    proxy.start()
    app = None
    with tempfile.TemporaryDirectory(prefix="praevnet-ausfall-") as tmp:
        try:
            env = app_environment(database, proxy.port, Path(tmp) / "static", _secret_key())
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=BASE_DIR,
                env=env,
                check=True,
            )
            app = App(env, Path(tmp) / "gunicorn.log")
            app.wait_until_healthy(timeout=15)
            print(f"praevnet läuft unter gunicorn auf 127.0.0.1:{app.port}, Datenbank über 127.0.0.1:{proxy.port}")
            outage_scenario(app, proxy, report=lambda line: print(f"  {line}"))
        except (AssertionError, RuntimeError, subprocess.CalledProcessError) as exc:
            print(f"FEHLER: {exc}", file=sys.stderr)
            return 1
        finally:
            if app is not None:
                app.stop()
            proxy.stop()
    print(f"OK: Ausfall und Erholung ohne Neustart, insgesamt {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
