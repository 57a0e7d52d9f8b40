from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "chorale.engagements"
    label = "engagements"
    verbose_name = "Engagements juridiques"
