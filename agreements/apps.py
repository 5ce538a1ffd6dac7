from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Kooperationsvereinbarungen"

    def ready(self):
        from praevnet.audit import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "template.reinvite": "alle mit älterer Fassung neu eingeladen",
                "agreement.lapse": "Einladung zur Unterzeichnung erloschen",
                "agreement.supersede": "Vereinbarung durch neue Fassung abgelöst",
            }
        )
