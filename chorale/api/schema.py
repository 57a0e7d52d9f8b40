"""OpenAPI: the two credentials of every /cpro/ call as security schemes."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ChorusAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "chorale.api.auth.ChorusAuthentication"
    name = ["jeton", "compteTechnique"]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "http",
                "scheme": "bearer",
                "description": "Jeton obtenu à /api/oauth/token (3600 s).",
            },
            {
                "type": "apiKey",
                "in": "header",
                "name": "cpro-account",
                "description": "base64(login:mot de passe) du compte technique.",
            },
        ]

    def get_security_requirement(self, auto_schema):
        return {"jeton": [], "compteTechnique": []}
