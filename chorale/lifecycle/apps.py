from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "chorale.lifecycle"
    label = "lifecycle"
    verbose_name = "Cycle de vie"
