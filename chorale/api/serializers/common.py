"""Field helpers shared by the serializers: every optional field of a request accepts null
(clients send it), unknown fields are ignored, and alias keys are folded into their name."""

import base64
import binascii

from rest_framework import serializers


def text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, **kwargs)


# What the databases' integers hold: a larger number is refused as invalid input (400), never
# passed to a query (where SQLite raises OverflowError).
INTEGER_LIMIT = 2**63 - 1


class Integer(serializers.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_value", INTEGER_LIMIT)
        kwargs.setdefault("min_value", -INTEGER_LIMIT)
        super().__init__(**kwargs)


def integer(**kwargs):
    return Integer(required=False, allow_null=True, **kwargs)


def boolean(**kwargs):
    return serializers.BooleanField(required=False, allow_null=True, **kwargs)


def day(**kwargs):
    return serializers.DateField(required=False, allow_null=True, **kwargs)


def amount(**kwargs):
    return serializers.DecimalField(
        max_digits=19,
        decimal_places=6,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        **kwargs,
    )


def texts(**kwargs):
    return serializers.ListField(child=serializers.CharField(), required=False, **kwargs)


class Input(serializers.Serializer):
    """A request body: `aliases` maps the other spellings clients use to the field's name."""

    aliases: dict[str, str] = {}

    def to_internal_value(self, data):
        if isinstance(data, dict) and self.aliases:
            data = dict(data)
            for alias, name in self.aliases.items():
                if alias in data and name not in data:
                    data[name] = data.pop(alias)
        return super().to_internal_value(data)


class Base64File(serializers.CharField):
    """A file sent as base64 text; validated to bytes."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        try:
            content = base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError) as error:
            raise serializers.ValidationError("Ce n'est pas un contenu base64 valide.") from error
        if not content:
            raise serializers.ValidationError("Le fichier est vide.")
        return content


class Paging(Input):
    aliases = {"triSense": "triSens"}
    nbResultatsParPage = integer(min_value=1)
    pageResultatDemandee = integer(min_value=1)
    triColonne = text()
    triSens = text()


class Envelope(serializers.Serializer):
    """What every answer carries: codeRetour (0 = success) and libelle (a message code)."""

    codeRetour = Integer()
    libelle = serializers.CharField()


class PagingOut(serializers.Serializer):
    nbResultatsParPage = Integer()
    pageCourante = Integer()
    pages = Integer()
    total = Integer()


class ErrorOut(Envelope):
    """An error: the HTTP status as codeRetour, a stable libelle and a French message."""

    message = serializers.CharField()
    erreurs = serializers.ListField(child=serializers.DictField(), required=False)


def out(kind, many=False, **kwargs):
    """A nested output field."""
    return kind(many=many, required=False, **kwargs)
