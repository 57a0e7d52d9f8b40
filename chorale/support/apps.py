from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "chorale.support"
    label = "support"
    verbose_name = "Sollicitations"
