from django.apps import AppConfig


class StructuresConfig(AppConfig):
    name = "chorale.structures"
    label = "structures"
    verbose_name = "Structures"
