"""Backup and restore: pg_dump (custom format) of the database plus a tar.gz of MEDIA_ROOT, checked by a manifest.

A backup folder `praevnet-YYYYmmdd-HHMMSS/` holds `database.dump`, `media.tar.gz` and `manifest.json` (row count of
every table, SHA-256 of every stored file and of both archives). The row counts are taken in the same snapshot that
pg_dump reads, so they match the dump exactly even while the application keeps writing. A restore only goes into an
empty database and an empty media folder, and afterwards compares the result with the manifest.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tarfile
from pathlib import Path, PurePosixPath
from typing import IO

import psycopg
from django.conf import settings
from django.utils import timezone
from psycopg import sql
from psycopg.conninfo import make_conninfo

MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
MEDIA_ARCHIVE = "media.tar.gz"
FORMAT_VERSION = 1

# libpq connection parameter -> the environment variable the PostgreSQL client tools read it from.
_LIBPQ_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}

_TABLES = """
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""


class BackupError(Exception):
    """A backup or restore failed; the message is German and meant for the person running it."""

    def __init__(self, message: str, *, report: dict | None = None):
        super().__init__(message)
        self.report = report


# ---------------------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------------------


def backup_create(*, target_dir: Path, database: dict | None = None, media_root: Path | None = None) -> Path:
    """Write database dump, media archive and manifest into a new folder under target_dir and return that folder."""
    database = database if database is not None else settings.DATABASES["default"]
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    now = timezone.localtime()
    folder = _new_folder(Path(target_dir), f"praevnet-{now:%Y%m%d-%H%M%S}")
    try:
        with _connect(database) as conn:
            # One REPEATABLE READ snapshot for the counts and for pg_dump, so both see the same rows.
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            row_counts = _row_counts(conn)
            migrations = _migration_summary(conn, row_counts)
            server_major = conn.info.server_version // 10000
            server_version = conn.execute("SHOW server_version").fetchone()[0]
            pg_dump, dump_major = _find_tool("pg_dump", min_major=server_major)
            _run_tool(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={folder / DATABASE_DUMP}",
                ],
                database,
            )
        files = _archive_media(media_root, folder / MEDIA_ARCHIVE)
        manifest = {
            "format": FORMAT_VERSION,
            "created": now.isoformat(timespec="seconds"),
            "database": database["NAME"],
            "server_version": server_version,
            "pg_dump_major": dump_major,
            "migrations": migrations,
            "row_counts": row_counts,
            "files": files,
            "archives": {name: _sha256_file(folder / name) for name in (DATABASE_DUMP, MEDIA_ARCHIVE)},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # a half-written backup must not look like a usable one
        raise
    return folder


def backup_restore(*, backup_dir: Path, database: dict, media_root: Path) -> dict:
    """Restore a backup into an empty database and media folder, verify it against the manifest, return the report."""
    backup_dir = Path(backup_dir)
    media_root = Path(media_root)
    manifest = _read_manifest(backup_dir)
    for name, expected in manifest["archives"].items():
        if _sha256_file(backup_dir / name) != expected:
            raise BackupError(
                f"Die Sicherung ist beschädigt: {name} stimmt nicht mit der Prüfsumme im Manifest überein. "
                "Es wurde nichts wiederhergestellt."
            )
    with _connect(database, autocommit=True) as conn:
        tables = [name for (name,) in conn.execute(_TABLES)]
    if tables:
        raise BackupError(
            f"Die Zieldatenbank „{database['NAME']}“ ist nicht leer ({len(tables)} Tabellen im Schema public). "
            "Eine Wiederherstellung überschreibt nie vorhandene Daten: Bitte eine neue, leere Datenbank anlegen."
        )
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"Der Dateiordner {media_root} ist nicht leer. Eine Wiederherstellung überschreibt keine vorhandenen "
            "Dateien: Bitte einen leeren Ordner angeben (--media-root)."
        )
    _media_members(backup_dir / MEDIA_ARCHIVE)  # reject an unsafe archive before the database is touched

    pg_restore, _ = _find_tool("pg_restore", min_major=int(manifest.get("pg_dump_major", 0)))
    _run_tool(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",  # a failed restore leaves the target database empty
            "--no-password",
            f"--dbname={make_conninfo(dbname=database['NAME'])}",
            str(backup_dir / DATABASE_DUMP),
        ],
        database,
    )
    _extract_media(backup_dir / MEDIA_ARCHIVE, media_root)
    report = _verify(manifest, database, media_root)
    if report["mismatches"]:
        raise BackupError(
            "Die Wiederherstellung ist abgeschlossen, aber die Prüfung gegen das Manifest fand Abweichungen: "
            + "; ".join(report["mismatches"]),
            report=report,
        )
    return report


# ---------------------------------------------------------------------------------------------------------------------
# Database connection and client tools
# ---------------------------------------------------------------------------------------------------------------------


def _libpq_params(database: dict) -> dict[str, str]:
    """The libpq parameters of a Django DATABASES entry; empty values are left to libpq's defaults."""
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    options = database.get("OPTIONS") or {}
    params.update({key: options[key] for key in _LIBPQ_ENV if key in options and key not in params})
    if params.get("connect_timeout") in (None, ""):
        params["connect_timeout"] = 10
    return {key: str(value) for key, value in params.items() if value not in (None, "")}


def _describe(database: dict) -> str:
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"„{database.get('NAME')}“ auf {host}{port}"


def _connect(database: dict, *, autocommit: bool = False) -> psycopg.Connection:
    try:
        return psycopg.connect(**_libpq_params(database), autocommit=autocommit)
    except psycopg.Error as exc:
        raise BackupError(f"Die Datenbank {_describe(database)} ist nicht erreichbar ({_first_line(exc)}).") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def _tool_candidates(name: str) -> list[str]:
    """pgserver's bundled binaries first (PostgreSQL 16), then PATH, then Debian's versioned client directories."""
    candidates = []
    spec = importlib.util.find_spec("pgserver")  # locate without importing: pgserver's import has side effects
    for location in (spec.submodule_search_locations or []) if spec else []:
        candidates.append(str(Path(location) / "pginstall" / "bin" / name))
    candidates.append(shutil.which(name) or "")
    candidates.extend(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_dir_version, reverse=True))
    unique = []
    for path in candidates:
        if path and path not in unique and os.path.isfile(path) and os.access(path, os.X_OK):
            unique.append(path)
    return unique


def _dir_version(path: str) -> int:
    match = re.search(r"/postgresql/(\d+)/", path)
    return int(match.group(1)) if match else 0


def _tool_major(path: str) -> int:
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return 0
    match = re.search(r"PostgreSQL\)\s+(\d+)", result.stdout)
    return int(match.group(1)) if match else 0


def _find_tool(name: str, *, min_major: int) -> tuple[str, int]:
    """The first client tool whose major version is at least min_major (pg_dump must not be older than the server)."""
    found = []
    for path in _tool_candidates(name):
        major = _tool_major(path)
        if major >= min_major:
            return path, major
        found.append(f"{path} ({major})")
    seen = f" Gefunden: {', '.join(found)}." if found else ""
    raise BackupError(
        f"{name} ab PostgreSQL {min_major} wurde nicht gefunden.{seen} Bitte die PostgreSQL-Client-Werkzeuge "
        f"installieren (z. B. `make install` für die eingebetteten oder das Debian-Paket postgresql-client)."
    )


def _run_tool(command: list[str], database: dict) -> None:
    """Run a PostgreSQL client tool with the connection in its environment, so no password shows in `ps`."""
    env = dict(os.environ)
    env.update({_LIBPQ_ENV[key]: value for key, value in _libpq_params(database).items()})
    name = Path(command[0]).name
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"{name} lässt sich nicht starten ({_first_line(exc)}).") from None
    if result.returncode != 0:
        raise BackupError(
            f"{name} ist fehlgeschlagen: {_error_line(result.stderr) or f'Exit-Code {result.returncode}'}"
        )


def _error_line(stderr: str) -> str:
    """The tool's last error line (pg_restore ends with the failed SQL command, which is less telling)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line or "FATAL:" in line or "ERROR:" in line]
    return (errors or lines or [""])[-1]


def _row_counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = [name for (name,) in conn.execute(_TABLES)]
    return {
        table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table))).fetchone()[0]
        for table in tables
    }


def _migration_summary(conn: psycopg.Connection, row_counts: dict[str, int]) -> dict:
    if "django_migrations" not in row_counts:
        return {"applied": 0, "latest": {}}
    rows = conn.execute(
        "SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, applied DESC, id DESC"
    ).fetchall()
    return {"applied": row_counts["django_migrations"], "latest": dict(rows)}


# ---------------------------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------------------------


class _HashingReader:
    """Hashes exactly the bytes tarfile copies, so the manifest describes the archive, not a later state of the disk."""

    def __init__(self, raw: IO[bytes]):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def _new_folder(target_dir: Path, name: str) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, 100):
        folder = target_dir / (name if attempt == 1 else f"{name}-{attempt}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder
    raise BackupError(f"Unter {target_dir} lässt sich kein neuer Sicherungsordner anlegen.")


def _media_files(media_root: Path) -> list[tuple[str, Path]]:
    if not media_root.is_dir():
        return []
    found = []
    for directory, _, names in os.walk(media_root):
        for name in names:
            path = Path(directory) / name
            if path.is_file():
                found.append((path.relative_to(media_root).as_posix(), path))
    return sorted(found)


def _archive_media(media_root: Path, archive: Path) -> dict[str, str]:
    files = {}
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        for relative, path in _media_files(media_root):
            with path.open("rb") as raw:
                stat = os.fstat(raw.fileno())
                info = tarfile.TarInfo(relative)
                info.size = stat.st_size
                info.mtime = int(stat.st_mtime)
                info.mode = 0o644
                reader = _HashingReader(raw)
                tar.addfile(info, fileobj=reader)
            files[relative] = reader.sha256.hexdigest()
    return files


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise BackupError(f"{path.name} fehlt in der Sicherung oder ist nicht lesbar ({_first_line(exc)}).") from None
    return digest.hexdigest()


def _read_manifest(backup_dir: Path) -> dict:
    path = backup_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{backup_dir} ist keine praevnet-Sicherung ({MANIFEST} fehlt).") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path} ist nicht lesbar ({_first_line(exc)}).") from None
    required = {"row_counts", "files", "archives"}
    if not isinstance(manifest, dict) or not required <= manifest.keys():
        raise BackupError(f"{path} ist unvollständig (erwartet: {', '.join(sorted(required))}).")
    if set(manifest["archives"]) != {DATABASE_DUMP, MEDIA_ARCHIVE}:
        raise BackupError(f"{path} nennt nicht beide Archive ({DATABASE_DUMP}, {MEDIA_ARCHIVE}).")
    return manifest


def _media_members(archive: Path) -> list[tarfile.TarInfo]:
    """The archive's members, refusing absolute paths, `..`, links and special files before anything is written."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive.name} ist nicht lesbar ({_first_line(exc)}).") from None
    for member in members:
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts or "\\" in member.name or not path.parts:
            raise BackupError(f"{archive.name} enthält den unsicheren Pfad „{member.name}“ und wird nicht entpackt.")
        if not (member.isfile() or member.isdir()):
            raise BackupError(f"{archive.name} enthält „{member.name}“, das keine gewöhnliche Datei ist.")
    return members


def _extract_media(archive: Path, media_root: Path) -> None:
    members = _media_members(archive)
    media_root.mkdir(parents=True, exist_ok=True)
    root = media_root.resolve()
    with tarfile.open(archive, "r:gz") as tar:
        for member in members:
            target = (root / member.name).resolve()
            if not target.is_relative_to(root):
                raise BackupError(f"{archive.name}: „{member.name}“ läge außerhalb von {media_root}.")
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            try:
                with source, target.open("xb") as out:
                    shutil.copyfileobj(source, out)
            except FileExistsError:
                raise BackupError(f"{archive.name} enthält „{member.name}“ mehrfach.") from None


def _verify(manifest: dict, database: dict, media_root: Path) -> dict:
    mismatches = []
    with _connect(database, autocommit=True) as conn:
        restored = _row_counts(conn)
    expected = manifest["row_counts"]
    for table in sorted(expected.keys() | restored.keys()):
        if table not in restored:
            mismatches.append(f"Tabelle {table} fehlt")
        elif table not in expected:
            mismatches.append(f"Tabelle {table} ist nicht im Manifest")
        elif restored[table] != expected[table]:
            mismatches.append(f"Tabelle {table}: {restored[table]} statt {expected[table]} Zeilen")
    on_disk = {relative: _sha256_file(path) for relative, path in _media_files(media_root)}
    for relative in sorted(manifest["files"].keys() | on_disk.keys()):
        if relative not in on_disk:
            mismatches.append(f"Datei {relative} fehlt")
        elif relative not in manifest["files"]:
            mismatches.append(f"Datei {relative} ist nicht im Manifest")
        elif on_disk[relative] != manifest["files"][relative]:
            mismatches.append(f"Datei {relative}: SHA-256 weicht ab")
    return {
        "tables": len(restored),
        "rows": sum(restored.values()),
        "files": len(on_disk),
        "mismatches": mismatches,
    }
