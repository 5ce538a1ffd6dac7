import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from praevnet.backup import MANIFEST, BackupError, backup_create


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = "Sichert die Datenbank (pg_dump) und alle gespeicherten Dateien (PDFs, Uploads) in einen neuen Ordner."

    def add_arguments(self, parser):
        parser.add_argument(
            "--target",
            type=Path,
            default=settings.BASE_DIR / "backups",
            help="Ordner, unter dem die Sicherung angelegt wird (Voreinstellung: backups/).",
        )

    def handle(self, *args, target: Path, **options):
        try:
            folder = backup_create(target_dir=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        counts = manifest["row_counts"]
        size = sum(path.stat().st_size for path in folder.iterdir())
        self.stdout.write(self.style.SUCCESS(f"Sicherung angelegt: {folder}"))
        self.stdout.write(
            f"  Datenbank „{manifest['database']}“: {number(len(counts))} Tabellen, "
            f"{number(sum(counts.values()))} Zeilen, {number(manifest['migrations']['applied'])} Migrationen"
        )
        self.stdout.write(f"  Dateien: {number(len(manifest['files']))}")
        self.stdout.write(f"  Größe der Sicherung: {size / 1_000_000:.1f} MB".replace(".", ","))
