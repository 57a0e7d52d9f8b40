from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "chorale.api"
    label = "api"
    verbose_name = "API et raccordements"

    def ready(self) -> None:
        from . import schema, webhooks  # noqa: F401 (schema registers its OpenAPI extension)

        webhooks.connect()
