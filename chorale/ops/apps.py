from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "chorale.ops"
    label = "ops"
    verbose_name = "Exploitation"
