from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chorale.core"
    label = "core"
    verbose_name = "Noyau"

    def ready(self) -> None:
        from .admin import french_back_office

        french_back_office()
