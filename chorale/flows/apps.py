from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "chorale.flows"
    label = "flows"
    verbose_name = "Flux"
