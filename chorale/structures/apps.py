from django.apps import AppConfig


class StructuresConfig(AppConfig):
    name = "chorale.structures"
    label = "structures"
    verbose_name = "Structures"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .words import triggers_restore

        post_migrate.connect(triggers_restore, sender=self, dispatch_uid="structures.words")
