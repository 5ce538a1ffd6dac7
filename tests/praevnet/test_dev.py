"""The commands behind `make run` / `make test`: one clear line instead of a traceback."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings


def run_dev(*args, env=None):
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "praevnet.dev", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unreachable_server_gives_one_german_line():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    result = run_dev("database-url", env={"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{port}/praevnet"})
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("praevnet: Die Datenbank „praevnet“ auf postgres@127.0.0.1:")
    assert "nicht erreichbar" in lines[0]
    assert "Traceback" not in result.stderr


def test_a_malformed_url_gives_one_german_line():
    result = run_dev("database-url", env={"DATABASE_URL": "mysql://root@localhost/praevnet"})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "praevnet: DATABASE_URL muss mit postgresql:// beginnen, z. B. "
        "postgresql://benutzer:passwort@localhost:5432/praevnet."
    ]


def test_the_configured_server_is_used_and_its_url_printed():
    url = os.environ["DATABASE_URL"]
    result = run_dev("database-url", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == url


def test_a_busy_port_is_reported_instead_of_a_second_server():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_dev("check-port", str(port))
    assert result.returncode == 1
    assert f"Auf http://127.0.0.1:{port} läuft bereits etwas" in result.stderr
    assert f"make run PORT={port + 123}" in result.stderr


def test_a_free_port_passes():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert run_dev("check-port", str(port)).returncode == 0


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_a_bad_port_is_refused(port):
    result = run_dev("check-port", port)
    assert result.returncode == 1
    assert "keine gültige Portnummer" in result.stderr
