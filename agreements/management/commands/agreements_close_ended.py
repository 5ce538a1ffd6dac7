"""Run daily: terminated agreements whose last day has passed end, and the membership with them."""

from django.core.management.base import BaseCommand

from agreements import services


class Command(BaseCommand):
    help = "Beendet gekündigte Vereinbarungen nach ihrem letzten Tag und die Mitgliedschaft mit ihnen (täglich)."

    def handle(self, *args, **options):
        today = services.today()
        closed = services.agreements_close_ended(on=today)
        if not closed:
            self.stdout.write(f"Keine gekündigte Vereinbarung ist vor dem {today:%d.%m.%Y} ausgelaufen.")
            return
        for agreement in closed:
            self.stdout.write(
                f"Beendet: {agreement.partner.name} – {agreement.network.name} "
                f"(letzter Tag {agreement.ends_on:%d.%m.%Y}); Mitgliedschaft beendet."
            )
        self.stdout.write(self.style.SUCCESS(f"{len(closed)} Vereinbarung(en) beendet."))
