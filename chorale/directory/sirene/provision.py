"""Public structures pre-provisioned from the imported register: without members, their
first gestionnaire principal is appointed by an operator (as on Chorus Pro)."""

from django.db import transaction
from django.utils import timezone

from chorale.core.models import search_key
from chorale.structures.models import IdentifierType, Structure

from ..models import SireneEstablishment, SireneUnit


def provision_public_structures(*, department: str | None = None, batch_size: int = 2000) -> int:
    """Create a validated public structure, without members, for each open establishment of
    a public-law unit (catégorie juridique 7xxx) that the platform does not have yet. Existing
    structures are never touched. Returns how many were created."""
    public = SireneUnit.objects.filter(legal_category__startswith="7")
    units = {
        siren: (category, name)
        for siren, category, name in public.values_list("siren", "legal_category", "name")
    }
    establishments = SireneEstablishment.objects.filter(
        is_open=True, siren__in=public.values("siren")
    )
    if department:
        establishments = establishments.filter(department=department)
    created, now, batch = 0, timezone.now(), []
    for establishment in establishments.order_by("siret").iterator(chunk_size=batch_size):
        category, unit_name = units[establishment.siren]
        name = (unit_name or establishment.sign or establishment.siret)[:250]
        batch.append(
            Structure(
                identifier_type=IdentifierType.SIRET,
                identifier=establishment.siret,
                company_name=name,
                search_name=search_key(name),
                legal_category=category,
                is_private=False,
                is_non_diffusible=establishment.is_partially_diffusible,
                validated_at=now,
                address=establishment.address_line1,
                address_complement=establishment.address_line2,
                postal_code=establishment.postal_code,
                city=establishment.city,
            )
        )
        if len(batch) >= batch_size:
            created += _create(batch)
            batch = []
    return created + _create(batch)


def _create(batch: list[Structure]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        before = Structure.objects.count()
        Structure.objects.bulk_create(batch, ignore_conflicts=True)
        return Structure.objects.count() - before
