from django.core.management.base import BaseCommand

from praevnet.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Lädt die Demo-Netzwerke mit erfundenen Einrichtungen und Personen (beliebig oft ausführbar)."

    def handle(self, *args, **options):
        logins = load_demo()
        width = max(len(email) for _, _, email in logins)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD})"))
        current = None
        for network, role, email in logins:
            if network != current:
                self.stdout.write(f"\n  {network}")
                current = network
            self.stdout.write(f"    {email.ljust(width)}  {role}")
        self.stdout.write("")
