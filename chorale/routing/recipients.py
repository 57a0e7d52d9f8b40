"""Where an invoice goes: its recipient structure, its service, and what that recipient
requires (a service code, an engagement number, or one of the two). One home for the rules,
used by the deposit checks (a finding per problem) and by « Recycler » (a refusal)."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from chorale.structures.models import IdentifierType, Service, Structure


@dataclass(frozen=True)
class Problem:
    rule: str  # the compte rendu's stable id (CHORALE-…)
    code: str  # the business code of a refusal (recipient_unknown…)
    message: str  # French, for the person who deposits
    term: str  # the business term concerned (BT-10…)
    value: str = ""


@dataclass
class Resolution:
    recipient: Structure | None = None
    service: Service | None = None
    problems: list[Problem] = field(default_factory=list)


def _recipient(sirets: list[str], lookups: dict[Any, Any]) -> Structure | None:
    key = ("recipient", *sirets)
    if key not in lookups:
        lookups[key] = Structure.objects.filter(
            identifier_type=IdentifierType.SIRET,
            identifier__in=sirets,
            validated_at__isnull=False,
        ).first()
    found: Structure | None = lookups[key]
    return found


def _service(recipient: Structure, code: str, lookups: dict[Any, Any]) -> Service | None:
    key = ("service", recipient.pk, code.upper())
    if key not in lookups:
        lookups[key] = recipient.services.filter(code=code.upper(), is_active=True).first()
    found: Service | None = lookups[key]
    return found


def recipient_resolve(
    sirets: list[str],
    service_code: str = "",
    engagement: str = "",
    lookups: dict[Any, Any] | None = None,
) -> Resolution:
    """The recipient among these SIRETs, the service its code names, and every problem with
    them. `lookups` keeps what was found for the next invoices of the same batch."""
    lookups = {} if lookups is None else lookups
    sirets = [s.replace(" ", "") for s in sirets if s and s.strip()]
    resolution = Resolution()
    problems = resolution.problems
    recipient = _recipient(sirets, lookups) if sirets else None
    if recipient is None:
        problems.append(
            Problem(
                "CHORALE-DESTINATAIRE-INCONNU",
                "recipient_unknown",
                gettext(
                    "Destinataire introuvable : le SIRET de l'acheteur (BT-46 ou "
                    "BT-47, schéma 0009) ne désigne aucune structure publique "
                    "active de la plateforme ; cherchez-le dans l'annuaire des "
                    "structures publiques."
                ),
                "BT-47",
                ", ".join(sirets),
            )
        )
        return resolution
    name = recipient.company_name
    if not recipient.is_active or recipient.is_private:
        problems.append(
            Problem(
                "CHORALE-DESTINATAIRE-INACTIF",
                "recipient_unknown",
                gettext("La structure %(name)s n'est pas un destinataire public actif.")
                % {
                    "name": name,
                },
                "BT-47",
                recipient.identifier,
            )
        )
    if recipient.is_moa_only:
        problems.append(
            Problem(
                "CHORALE-DESTINATAIRE-MOA",
                "inactive_recipient",
                gettext(
                    "%(name)s est une structure de maîtrise d'ouvrage uniquement : elle ne reçoit "
                    "pas de factures ; adressez-la à l'acheteur qui paie."
                )
                % {"name": name},
                "BT-47",
                recipient.identifier,
            )
        )
    resolution.recipient = recipient
    code, engagement = service_code.strip(), engagement.strip()
    if code:
        resolution.service = _service(recipient, code, lookups)
        if resolution.service is None:
            problems.append(
                Problem(
                    "CHORALE-SERVICE-INCONNU",
                    "service_unknown",
                    gettext(
                        "Le code service « %(code)s » ne désigne aucun service actif de %(name)s."
                    )
                    % {
                        "code": code,
                        "name": name,
                    },
                    "BT-10",
                    code,
                )
            )
    if recipient.requires_service_code and not code:
        problems.append(
            Problem(
                "CHORALE-SERVICE-OBLIGATOIRE",
                "service_required",
                gettext("%(name)s exige un code service (BT-10).")
                % {
                    "name": name,
                },
                "BT-10",
            )
        )
    service = resolution.service
    if (recipient.requires_engagement or (service and service.requires_engagement)) and (
        not engagement
    ):
        problems.append(
            Problem(
                "CHORALE-ENGAGEMENT-OBLIGATOIRE",
                "engagement_required",
                gettext("Le destinataire exige un numéro d'engagement (BT-13)."),
                "BT-13",
            )
        )
    if recipient.requires_service_or_engagement and not (code or engagement):
        problems.append(
            Problem(
                "CHORALE-SERVICE-OU-ENGAGEMENT",
                "service_or_engagement_required",
                gettext("%(name)s exige un code service (BT-10) ou un numéro d'engagement (BT-13).")
                % {
                    "name": name,
                },
                "BT-10",
            )
        )
    return resolution
