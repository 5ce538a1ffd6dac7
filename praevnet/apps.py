from django.apps import AppConfig


class PraevnetConfig(AppConfig):
    name = "praevnet"
    verbose_name = "Konten und Rollen"
