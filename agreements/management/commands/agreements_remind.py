"""Run daily: reminder e-mails about upcoming deadlines (coordination) and expiring signing links (partners)."""

from django.core.management.base import BaseCommand, CommandError

from agreements import services


class Command(BaseCommand):
    help = (
        "Erinnert die Netzwerkkoordination an Fristen der nächsten 30 Tage und Ansprechpersonen an Links zur "
        "Unterzeichnung, die bald ablaufen; jede Erinnerung nur einmal (täglich ausführen)."
    )

    def handle(self, *args, **options):
        sent = services.agreements_remind()
        self.stdout.write(
            f"Erinnerungen verschickt: {sent['deadlines']} an Netzwerkkoordinationen, "
            f"{sent['invitations']} zu ablaufenden Links."
        )
        if sent["failed"]:
            raise CommandError("Nicht verschickt (nächster Lauf versucht es erneut): " + "; ".join(sent["failed"]))
