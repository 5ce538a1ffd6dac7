from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = "Ziele und Kennzahlen"

    def ready(self):
        from praevnet.audit import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "goal.create": "strategisches Ziel angelegt",
                "goal.update": "strategisches Ziel geändert",
                "action_goal.create": "Handlungsziel angelegt",
                "action_goal.update": "Handlungsziel geändert",
                "indicator.save": "Indikator gespeichert",
                "review.record": "Überprüfung erfasst",
                "review.update": "Überprüfung korrigiert",
                "figure.define": "Kennzahl festgelegt",
                "year.open": "Berichtsjahr angelegt",
                "year.update": "Berichtsjahr geändert",
                "year.close": "Jahr abgeschlossen",
                "figures.report": "Kennzahlen gemeldet",
                "figures.update": "Kennzahlen korrigiert",
                "figures.remind": "an Kennzahlen erinnert",
                "next_step.save": "Handlungsschritt gespeichert",
                "next_step.done": "Handlungsschritt erledigt",
                "next_step.reopen": "Handlungsschritt wieder geöffnet",
            }
        )
