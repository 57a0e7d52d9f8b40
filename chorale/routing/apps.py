from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "chorale.routing"
    label = "routing"
    verbose_name = "Acheminement"
