from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "chorale.portal"
    label = "portal"
    verbose_name = "Portail"
