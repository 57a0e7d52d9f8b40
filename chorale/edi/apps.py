from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EdiConfig(AppConfig):
    name = "chorale.edi"
    label = "edi"
    verbose_name = gettext_lazy("Raccordements EDI")

    def ready(self) -> None:
        from . import signals

        signals.connect()
