from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chorale.core"
    label = "core"
    verbose_name = "Noyau"
