from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from praevnet.backup import BackupError, backup_restore
from praevnet.dburl import DatabaseUrlError, parse_database_url


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung in eine leere Datenbank und einen leeren Dateiordner wieder her und prüft "
        "Zeilenzahlen und SHA-256 aller Dateien gegen das Manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_dir", type=Path, help="Der Sicherungsordner (praevnet-JJJJMMTT-HHMMSS).")
        parser.add_argument(
            "--database-url",
            required=True,
            help="Die leere Zieldatenbank, z. B. postgresql://benutzer:passwort@host:5432/praevnet_neu.",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            default=None,
            help="Leerer Ordner für die Dateien (Voreinstellung: MEDIA_ROOT).",
        )

    def handle(self, *args, backup_dir: Path, database_url: str, media_root: Path | None, **options):
        try:
            database = parse_database_url(database_url)
        except DatabaseUrlError as exc:
            raise CommandError(str(exc).replace("DATABASE_URL", "--database-url")) from None
        media_root = media_root if media_root is not None else Path(settings.MEDIA_ROOT)
        try:
            report = backup_restore(backup_dir=backup_dir, database=database, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Sicherung {backup_dir} wiederhergestellt in „{database['NAME']}“."))
        self.stdout.write(f"  Tabellen: {number(report['tables'])}, Zeilen: {number(report['rows'])}")
        self.stdout.write(f"  Dateien: {number(report['files'])} unter {media_root}")
        self.stdout.write("  Prüfung: Zeilenzahlen und SHA-256 aller Dateien stimmen mit dem Manifest überein.")
