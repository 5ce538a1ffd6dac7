from django.apps import AppConfig


class PraevnetConfig(AppConfig):
    name = "praevnet"
    verbose_name = "Konten und Rollen"

    def ready(self):
        from praevnet import auth  # noqa: F401  (connects the login audit receivers)
