"""Backup and restore: a backup restored into an empty database has the same rows and byte-identical files."""

import hashlib
import io
import json
import re
import tarfile
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from partners.models import Membership, Network, Partner
from praevnet.backup import MANIFEST, MEDIA_ARCHIVE, BackupError, backup_create, backup_restore
from praevnet.models import User
from tests.factories import MembershipFactory, NetworkFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PDFS = {
    "agreements/2026/vereinbarung-1.pdf": b"%PDF-1.7\n% Kooperationsvereinbarung 1\n" + bytes(range(256)) * 40,
    "agreements/2026/vereinbarung-2.pdf": b"%PDF-1.7\n% Kooperationsvereinbarung 2 \xc3\xa4\xc3\xb6\xc3\xbc\n%%EOF\n",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def connect(database: dict, dbname: str) -> psycopg.Connection:
    params = {
        "dbname": dbname,
        "user": database["USER"],
        "password": database["PASSWORD"],
        "host": database["HOST"],
        "port": database["PORT"],
    }
    return psycopg.connect(**{key: value for key, value in params.items() if value}, autocommit=True)


def count_rows(database: dict, table: str) -> int:
    with connect(database, database["NAME"]) as conn:
        return conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]


def public_tables(database: dict) -> int:
    with connect(database, database["NAME"]) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]


@pytest.fixture
def empty_database():
    """A new, empty database on the test server, dropped afterwards."""
    source = connection.settings_dict
    name = f"praevnet_restore_{uuid.uuid4().hex[:12]}"
    with connect(source, "postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**source, "NAME": name, "OPTIONS": {}}
    finally:
        with connect(source, "postgres") as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def registry():
    """Some rows in several tables and two stored PDFs under MEDIA_ROOT."""
    network = NetworkFactory()
    for _ in range(3):
        MembershipFactory(network=network, partner=PartnerFactory())
    PartnerFactory(name="Einrichtung ohne Mitgliedschaft")
    UserFactory.create_batch(4)
    media_root = Path(settings.MEDIA_ROOT)
    for relative, content in PDFS.items():
        path = media_root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return media_root


def test_a_backup_restored_into_an_empty_database_has_the_same_rows_and_files(registry, empty_database, tmp_path):
    folder = backup_create(target_dir=tmp_path / "backups", database=connection.settings_dict)

    assert folder.parent == tmp_path / "backups"
    assert folder.name.startswith("praevnet-")
    assert {path.name for path in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["database"] == connection.settings_dict["NAME"]
    assert manifest["migrations"]["applied"] > 0
    assert manifest["row_counts"]["partners_partner"] == 4
    assert manifest["files"] == {relative: hashlib.sha256(content).hexdigest() for relative, content in PDFS.items()}

    restored_media = tmp_path / "restored-media"
    report = backup_restore(backup_dir=folder, database=empty_database, media_root=restored_media)

    assert report["mismatches"] == []
    assert report["tables"] == len(manifest["row_counts"])
    assert report["rows"] == sum(manifest["row_counts"].values())
    assert report["files"] == 2
    assert count_rows(empty_database, "praevnet_user") == User.objects.count() == 4
    assert count_rows(empty_database, "partners_partner") == Partner.objects.count() == 4
    assert count_rows(empty_database, "partners_membership") == Membership.objects.count() == 3
    assert count_rows(empty_database, "partners_network") == Network.objects.count() == 1
    for relative in PDFS:
        assert sha256(restored_media / relative) == sha256(registry / relative)


def test_restoring_into_a_database_with_tables_is_refused_and_changes_nothing(registry, tmp_path):
    folder = backup_create(target_dir=tmp_path, database=connection.settings_dict)
    Partner.objects.filter(name="Einrichtung ohne Mitgliedschaft").delete()
    restored_media = tmp_path / "restored-media"

    with pytest.raises(BackupError) as refused:
        backup_restore(backup_dir=folder, database=connection.settings_dict, media_root=restored_media)

    assert "ist nicht leer" in str(refused.value)
    assert "überschreibt nie vorhandene Daten" in str(refused.value)
    assert Partner.objects.count() == 3  # the deleted row did not come back
    assert not restored_media.exists()


def test_restoring_into_a_media_folder_with_files_is_refused(registry, empty_database, tmp_path):
    folder = backup_create(target_dir=tmp_path, database=connection.settings_dict)

    with pytest.raises(BackupError, match=r"Dateiordner .* ist nicht leer"):
        backup_restore(backup_dir=folder, database=empty_database, media_root=registry)

    assert public_tables(empty_database) == 0


def test_a_tampered_file_hash_in_the_manifest_is_reported_as_a_mismatch(registry, empty_database, tmp_path):
    folder = backup_create(target_dir=tmp_path, database=connection.settings_dict)
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"]["agreements/2026/vereinbarung-2.pdf"] = hashlib.sha256(b"etwas anderes").hexdigest()
    (folder / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(BackupError) as failed:
        backup_restore(backup_dir=folder, database=empty_database, media_root=tmp_path / "restored-media")

    assert failed.value.report["mismatches"] == ["Datei agreements/2026/vereinbarung-2.pdf: SHA-256 weicht ab"]
    assert "Abweichungen: Datei agreements/2026/vereinbarung-2.pdf: SHA-256 weicht ab" in str(failed.value)


def test_a_modified_media_archive_is_refused_before_anything_is_restored(registry, empty_database, tmp_path):
    folder = backup_create(target_dir=tmp_path, database=connection.settings_dict)
    with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as tar:
        originals = [(member, tar.extractfile(member).read()) for member in tar.getmembers()]
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as tar:
        for member, content in originals:
            tampered = bytes([content[0] ^ 0xFF]) + content[1:]
            tar.addfile(member, io.BytesIO(tampered))

    with pytest.raises(BackupError, match=r"media\.tar\.gz stimmt nicht mit der Prüfsumme"):
        backup_restore(backup_dir=folder, database=empty_database, media_root=tmp_path / "restored-media")

    assert public_tables(empty_database) == 0


def test_an_archive_with_a_path_outside_the_media_folder_is_refused(registry, empty_database, tmp_path):
    folder = backup_create(target_dir=tmp_path, database=connection.settings_dict)
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as tar:
        member = tarfile.TarInfo("../ausserhalb.pdf")
        member.size = 4
        tar.addfile(member, io.BytesIO(b"%PDF"))
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["archives"][MEDIA_ARCHIVE] = sha256(folder / MEDIA_ARCHIVE)
    (folder / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(BackupError, match=re.escape("unsicheren Pfad „../ausserhalb.pdf“")):
        backup_restore(backup_dir=folder, database=empty_database, media_root=tmp_path / "restored-media")

    assert not (tmp_path / "ausserhalb.pdf").exists()
    assert public_tables(empty_database) == 0


def test_a_failing_pg_restore_gives_its_error_line_and_leaves_the_database_empty(empty_database, tmp_path):
    folder = backup_create(target_dir=tmp_path, database=connection.settings_dict)
    (folder / "database.dump").write_bytes(b"kein pg_dump-Archiv")
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["archives"]["database.dump"] = sha256(folder / "database.dump")
    (folder / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(BackupError) as failed:
        backup_restore(backup_dir=folder, database=empty_database, media_root=tmp_path / "restored-media")

    message = str(failed.value)
    assert message.startswith("pg_restore ist fehlgeschlagen: ")
    assert "valid archive" in message
    assert public_tables(empty_database) == 0
    assert "Traceback" not in message
    assert len(message.splitlines()) == 1


def test_an_unreachable_database_gives_a_german_line(tmp_path):
    missing = {**connection.settings_dict, "NAME": f"praevnet_fehlt_{uuid.uuid4().hex[:8]}"}
    with pytest.raises(BackupError, match="ist nicht erreichbar"):
        backup_create(target_dir=tmp_path, database=missing)
    assert list(tmp_path.iterdir()) == []  # no half-written backup folder is left behind


def test_the_backup_command_prints_the_new_folder(registry, tmp_path, capsys):
    call_command("backup", target=tmp_path / "backups")

    out = capsys.readouterr().out
    (folder,) = (tmp_path / "backups").iterdir()
    assert f"Sicherung angelegt: {folder}" in out
    assert "Tabellen" in out
    assert "Dateien: 2" in out


def test_the_restore_command_reports_the_verification_and_fails_on_a_non_empty_database(
    registry, empty_database, tmp_path, capsys
):
    folder = backup_create(target_dir=tmp_path, database=connection.settings_dict)
    source = connection.settings_dict
    host = f"?host={source['HOST']}" if source["HOST"].startswith("/") else ""
    netloc = "" if host else f"{source['HOST']}:{source['PORT'] or 5432}"
    auth = quote(source["USER"]) + (f":{quote(source['PASSWORD'], safe='')}" if source["PASSWORD"] else "")

    def url(name):
        return f"postgresql://{auth}@{netloc}/{name}{host}"

    call_command("restore", str(folder), database_url=url(empty_database["NAME"]), media_root=str(tmp_path / "m"))
    out = capsys.readouterr().out
    assert f"wiederhergestellt in „{empty_database['NAME']}“" in out
    assert "Dateien: 2" in out
    assert "stimmen mit dem Manifest überein" in out

    with pytest.raises(CommandError, match="ist nicht leer"):
        call_command("restore", str(folder), database_url=url(empty_database["NAME"]), media_root=str(tmp_path / "n"))
