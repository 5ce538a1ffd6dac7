"""Run daily: remind institutions that have not reported their key figures (before the deadline and once after)."""

from django.core.management.base import BaseCommand

from goals import services


class Command(BaseCommand):
    help = (
        "Erinnert Einrichtungen, die ihre Kennzahlen noch nicht gemeldet haben: 14 Tage vor der Frist und einmal "
        "danach; dieselbe Erinnerung geht nie zweimal hinaus (täglich)."
    )

    def handle(self, *args, **options):
        today = services.today()
        sent = services.goals_remind(on=today)
        if not sent:
            self.stdout.write(f"Am {today:%d.%m.%Y} ist keine Erinnerung fällig.")
            return
        for reminder in sent:
            self.stdout.write(
                f"{reminder.get_kind_display()}: {reminder.partner.name} – {reminder.goal_year.network.name} "
                f"{reminder.goal_year.year} an {reminder.recipients}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} Erinnerung(en) verschickt."))
