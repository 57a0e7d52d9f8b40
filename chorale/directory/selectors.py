"""Public reads of the directory: anyone may look up public recipients."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.identifiers import siret_is_valid
from chorale.core.models import search_key
from chorale.core.search import prefix_filter
from chorale.structures.models import Structure

from .models import SireneEstablishment, SireneUnit
from .sirene.live import LiveLookupUnavailable, fetch_siret


def public_structure_queryset() -> QuerySet[Structure]:
    return Structure.objects.filter(is_private=False, is_active=True, validated_at__isnull=False)


def public_services(structure: Structure):
    """The services an invoice may be addressed to today: active and within their dates."""
    today = timezone.localdate()
    return structure.services.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        is_active=True,
    )


# Words too common to narrow a name search down (« COMMUNE DE … »): left out of the match when
# the query has others, still used to rank.
SMALL_WORDS = frozenset(
    ["A", "AU", "AUX", "D", "DE", "DES", "DU", "EN", "ET", "L", "LA", "LE", "LES", "SUR"]
)


def name_words(name: str) -> list[str]:
    """The words a name search matches, as the index holds them (« Belle-Riv » → BELLE, RIV)."""
    words = search_key(name).split()
    useful = [w for w in words if w not in SMALL_WORDS]
    return list(dict.fromkeys(useful or words))


def name_match(words: list[str]) -> RawSQL:
    """Structures whose name has, for each of `words`, a word starting with it: answered by the
    full-text index of migration structures 0005 (GIN on PostgreSQL, FTS5 on SQLite). The words
    are search keys (letters and digits only), so they cannot change the query's syntax."""
    if connection.vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        sql = (
            "to_tsvector('simple'::regconfig, structures_structure.search_name) "
            "@@ to_tsquery('simple'::regconfig, %s)"
        )
    else:
        query = " ".join(f'"{word}"*' for word in words)
        sql = (
            "structures_structure.id IN (SELECT rowid FROM structures_structure_words "
            "WHERE structures_structure_words MATCH %s)"
        )
    return RawSQL(sql, [query], output_field=BooleanField())  # noqa: S611 (a bound parameter)


def public_structure_search(
    *, name: str = "", siret: str = "", postal_code: str = "", city: str = ""
) -> QuerySet[Structure]:
    """Public recipients matching every criterion given. Each word of the name starts a word of
    the raison sociale, whatever its case and accents (« belle » finds COMMUNE DE
    BELLE-RIVIERE); the closest names come first: those that start with the query's words, then
    those holding them as written, then those starting with its letters, and the shorter ones
    first. The postal code is a start too."""
    queryset = public_structure_queryset()
    if name and (words := name_words(name)):
        key = search_key(name)
        queryset = queryset.filter(name_match(words)).annotate(
            closeness=Case(
                When(Q(search_name=key) | prefix_filter("search_name", f"{key} "), then=0),
                When(
                    Q(search_name__endswith=f" {key}") | Q(search_name__contains=f" {key} "), then=1
                ),
                When(prefix_filter("search_name", key), then=2),
                default=3,
            ),
            name_length=Length("company_name"),
        )
        ordering = ["closeness", "name_length", "company_name", "identifier"]
    else:
        ordering = ["company_name", "identifier"]
    if siret:
        queryset = queryset.filter(identifier=siret.replace(" ", ""))
    if postal_code:
        queryset = queryset.filter(prefix_filter("postal_code", postal_code.strip()))
    if city:
        queryset = queryset.filter(city__icontains=city.strip())
    return queryset.order_by(*ordering)


def public_body_named(name: str) -> str:
    """The identifier of a listed public body (a public structure of the platform, or a
    public-law unit of the SIRENE register) whose name is `name`, whatever its case and
    accents; '' when there is none."""
    key = search_key(name)
    if not key:
        return ""
    structure = (
        Structure.objects.filter(search_name=key)
        .filter(Q(is_private=False) | Q(legal_category__startswith="7"))
        .values_list("identifier", flat=True)
        .first()
    )
    if structure:
        return structure
    # INSEE writes names in capitals without accents: its longest word narrows the public
    # units down, then the whole name is compared as the search index would hold it.
    longest = max(key.split(), key=len)
    units = SireneUnit.objects.filter(legal_category__startswith="7", name__icontains=longest)
    for siren, unit_name in units.values_list("siren", "name").iterator():
        if search_key(unit_name) == key:
            return siren
    return ""


ATTACHABLE = Q(validated_at__isnull=False)


def structure_search(criteria: dict) -> QuerySet[Structure]:
    """« Demander un rattachement à une structure »: validated structures matching every
    criterion given (text criteria are contained, case-insensitive)."""
    queryset = Structure.objects.filter(ATTACHABLE)
    text_filters = {
        "company_name": "company_name__icontains",
        "identifier": "identifier__icontains",
        "label": "label__icontains",
        "postal_code": "postal_code__startswith",
        "city": "city__icontains",
    }
    for key, lookup in text_filters.items():
        if criteria.get(key):
            queryset = queryset.filter(**{lookup: criteria[key].strip()})
    if criteria.get("identifier_type"):
        queryset = queryset.filter(identifier_type=criteria["identifier_type"])
    if criteria.get("kind") in ("public", "private"):
        queryset = queryset.filter(is_private=criteria["kind"] == "private")
    if criteria.get("status") in ("active", "inactive"):
        queryset = queryset.filter(is_active=criteria["status"] == "active")
    if criteria.get("country"):
        queryset = queryset.filter(country=criteria["country"])
    if criteria.get("last_name"):
        queryset = queryset.filter(
            memberships__user__last_name__icontains=criteria["last_name"].strip()
        )
    if criteria.get("first_name"):
        queryset = queryset.filter(
            memberships__user__first_name__icontains=criteria["first_name"].strip()
        )
    return queryset.distinct()


@dataclass(frozen=True)
class SiretLookup:
    """What the register says of a SIRET, for the pre-fill of « Saisie nouvelle structure »."""

    siret: str
    error: str = ""
    company_name: str = ""
    address_line1: str = ""
    address_line2: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    is_head_office: bool = False
    is_partially_diffusible: bool = False
    legal_category: str = ""

    @property
    def found(self) -> bool:
        return not self.error


def sirene_siret_lookup(value: str) -> SiretLookup:
    """Look a SIRET up in the locally imported register; `error` says in French what is wrong."""
    siret = "".join((value or "").split())
    if not siret_is_valid(siret):
        return SiretLookup(
            siret, error=gettext("Le numéro SIRET doit comporter 14 chiffres et être valide.")
        )
    establishment = SireneEstablishment.objects.filter(siret=siret).first()
    if establishment is None and settings.SIRENE_API_KEY:
        try:
            if fetch_siret(siret):
                establishment = SireneEstablishment.objects.filter(siret=siret).first()
        except LiveLookupUnavailable:
            return SiretLookup(
                siret,
                error=gettext(
                    "Ce SIRET est absent de la base SIRENE locale et le service "
                    "de l'INSEE ne répond pas : réessayez plus tard."
                ),
            )
    if establishment is None:
        return SiretLookup(
            siret, error=gettext("Ce SIRET est inconnu de la base SIRENE de l'INSEE.")
        )
    if not establishment.is_open:
        return SiretLookup(
            siret, error=gettext("Cet établissement est fermé dans la base SIRENE de l'INSEE.")
        )
    unit = SireneUnit.objects.filter(siren=establishment.siren).first()
    return SiretLookup(
        siret,
        company_name=unit.name if unit else establishment.sign,
        address_line1=establishment.address_line1,
        address_line2=establishment.address_line2,
        postal_code=establishment.postal_code,
        city=establishment.city,
        country=establishment.country,
        is_head_office=establishment.is_head_office,
        is_partially_diffusible=establishment.is_partially_diffusible
        or bool(unit and unit.is_partially_diffusible),
        legal_category=unit.legal_category if unit else "",
    )
