"""Field helpers shared by the serializers. A request is read as PISTE reads it: unknown fields
are ignored, alias keys are folded into their name, and what clients send for « nothing » — null,
an empty string, a zero id, an object or list of nothing (the empty struct a Go or PHP client
serialises) — is an absent optional field, never an error (see `Input`)."""

import base64
import binascii
import datetime

from django.utils import timezone
from django.utils.translation import gettext
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


class Day(serializers.DateField):
    """A date (YYYY-MM-DD), also sent as an ISO 8601 date-time (with Z, an offset or
    milliseconds): its date part, as written."""

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value.strip()) > 10 and value.strip()[10] in "T ":
            try:
                return datetime.datetime.fromisoformat(value.strip()).date()
            except ValueError:
                pass  # the field's own message names the expected format
        return super().to_internal_value(value)


class Moment(serializers.DateTimeField):
    """A date-time (ISO 8601), also sent as a plain date: that date (a whole day)."""

    def to_internal_value(self, value):
        if isinstance(value, str) and len(value.strip()) == 10:
            return Day().to_internal_value(value)
        moment = super().to_internal_value(value)
        return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def day(**kwargs):
    return Day(required=False, allow_null=True, **kwargs)


def moment(**kwargs):
    return Moment(required=False, allow_null=True, **kwargs)


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


def nothing(value) -> bool:
    """What a client sends for no value: null, "", 0, false, or an object or list holding only
    such values (an empty struct)."""
    if isinstance(value, dict):
        return all(nothing(v) for v in value.values())
    if isinstance(value, list):
        return all(nothing(v) for v in value)
    return value is None or value == "" or value == 0  # False == 0


def _absent(field, value) -> bool:
    """Whether an optional field's value stands for « not given ». A zero or false is a value
    for amounts and flags (montant 0, restreindreStructuresPrivees false), not for ids."""
    if value is None:
        return True
    if isinstance(field, serializers.Serializer | serializers.ListField):
        return nothing(value)
    if isinstance(field, serializers.IntegerField):
        return value == "" or (value == 0 and not isinstance(value, bool))
    return value == "" and not isinstance(field, serializers.CharField)


class Input(serializers.Serializer):
    """A request body: `aliases` maps the other spellings clients use to the field's name;
    optional fields given « nothing » (see `nothing`) are left out, and so are the items of
    nothing in a list (`listeDestinataire: [{}]`)."""

    aliases: dict[str, str] = {}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = dict(data)
            for alias, name in self.aliases.items():
                if alias in data and name not in data:
                    data[name] = data.pop(alias)
            for name, field in self.fields.items():
                if name not in data or field.read_only:
                    continue
                value = data[name]
                if not field.required and _absent(field, value):
                    del data[name]
                elif isinstance(value, list) and isinstance(field, serializers.ListField):
                    data[name] = [item for item in value if not nothing(item)]
        return super().to_internal_value(data)


class OneOrMany(serializers.ListField):
    """A list that clients also send as one object (pieceJointePrincipale)."""

    def to_internal_value(self, data):
        return super().to_internal_value([data] if isinstance(data, dict) else data)


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
            raise serializers.ValidationError(
                gettext("Ce n'est pas un contenu base64 valide.")
            ) from error
        if not content:
            raise serializers.ValidationError(gettext("Le fichier est vide."))
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
