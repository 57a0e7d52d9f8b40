from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "chorale.directory"
    label = "directory"
    verbose_name = "Annuaire"
