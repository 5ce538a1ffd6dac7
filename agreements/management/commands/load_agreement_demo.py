from django.core.management.base import BaseCommand

from agreements.demo import load_agreement_demo


class Command(BaseCommand):
    help = "Lädt die Demo-Vereinbarungen (nach load_demo); legt nichts doppelt an."

    def handle(self, *args, **options):
        created = load_agreement_demo()
        self.stdout.write(f"{created} Demo-Vereinbarung(en) angelegt.")
