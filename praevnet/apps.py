from django.apps import AppConfig


class PraevnetConfig(AppConfig):
    name = "praevnet"
    verbose_name = "Konten und Rollen"

    def ready(self):
        from praevnet import auth, lookups  # noqa: F401  (login audit receivers; the `__any` lookup)
