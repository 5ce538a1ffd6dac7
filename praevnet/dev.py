"""Developer commands behind `make run` and `make test`: choose the database, check the port.

`DATABASE_URL` wins when it is set: the server is checked and the database created if it is missing.
Otherwise an embedded PostgreSQL (pgserver) is started whose data lives under `.data/pg` and which keeps
running between calls, so a second `make run` or `make test` reuses it.

Usage:
    python -m praevnet.dev database-url     prints the URL (or one German line on stderr and exit 1)
    python -m praevnet.dev check-port 8000  exit 1 with a clear line when something already listens there
"""

from __future__ import annotations

import os
import socket
import sys
import warnings
from pathlib import Path

from praevnet.dburl import DatabaseUrlError, describe, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DIR = BASE_DIR / ".data" / "pg"
DEFAULT_NAME = "praevnet"


def fail(message: str) -> None:
    print(f"praevnet: {message}", file=sys.stderr)
    raise SystemExit(1)


def ensure_database(url: str) -> None:
    """Connect to the server's maintenance database and create the configured database if it is missing."""
    import psycopg
    from psycopg import sql

    try:
        params = parse_database_url(url)
    except DatabaseUrlError as exc:
        fail(str(exc))
    where = describe(params)
    conninfo = {
        "dbname": "postgres",
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "connect_timeout": 5,
    }
    try:
        with psycopg.connect(**{k: v for k, v in conninfo.items() if v is not None}, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["NAME"])))
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        fail(f"Die Datenbank {where} ist nicht erreichbar ({reason}). Bitte DATABASE_URL prüfen.")
    except psycopg.Error as exc:
        fail(f"Die Datenbank {where} lässt sich nicht anlegen ({str(exc).strip().splitlines()[0]}).")


def embedded_url() -> str:
    """Start (or reuse) the embedded PostgreSQL under .data/pg and return the URL of the app database."""
    warnings.simplefilter("ignore")
    try:
        import pgserver
    except ImportError:
        fail("pgserver ist nicht installiert. Bitte zuerst `make install` ausführen.")
    EMBEDDED_DIR.mkdir(parents=True, exist_ok=True)
    try:
        server = pgserver.get_server(EMBEDDED_DIR, cleanup_mode=None)
    except Exception as exc:  # pgserver raises plain exceptions with the postgres log in them
        log = EMBEDDED_DIR / "log"
        fail(f"Die eingebettete PostgreSQL unter {EMBEDDED_DIR} startet nicht ({exc.__class__.__name__}); siehe {log}.")
    info = server.get_postmaster_info()
    socket_dir = info.socket_dir
    if socket_dir is not None:
        return f"postgresql://postgres@/{DEFAULT_NAME}?host={socket_dir}"
    return f"postgresql://postgres@127.0.0.1:{info.port}/{DEFAULT_NAME}"


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        url = embedded_url()
    ensure_database(url)
    return url


def check_port(port: str) -> None:
    try:
        number = int(port)
        if not 1 <= number <= 65535:
            raise ValueError
    except ValueError:
        fail(f"PORT={port!r} ist keine gültige Portnummer (1–65535).")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", number)) == 0:
            fail(
                f"Auf http://127.0.0.1:{number} läuft bereits etwas – wahrscheinlich ein anderes `make run`. "
                f"Beenden Sie es dort mit Strg+C oder wählen Sie einen anderen Port: make run PORT={number + 123}"
            )


def main(argv: list[str]) -> None:
    match argv:
        case ["database-url"]:
            print(database_url())
        case ["check-port", port]:
            check_port(port)
        case _:
            fail("Aufruf: python -m praevnet.dev database-url | check-port PORT")


if __name__ == "__main__":
    main(sys.argv[1:])
