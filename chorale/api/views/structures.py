"""Structures and utilisateurs: search, consultation, services; the technical user's
attachments. Public structures are public information; a private structure is visible only
to its own members."""

from django.db.models import Q
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.directory.selectors import public_services
from chorale.structures.models import Structure
from chorale.structures.selectors import memberships_for_user, spaces_for_user

from .. import present
from ..rest import OK_TRANSVERSES, page_of
from ..serializers import structures as s
from . import chorus

TAG = "Structures"


def _visible_structures(request):
    """Public structures and the caller's own (as the real service's restreindreStructuresPrivees
    default)."""
    own = memberships_for_user(request.user).values("structure_id")
    return Structure.objects.filter(Q(is_private=False, validated_at__isnull=False) | Q(pk__in=own))


def _structure(request, structure_id: int) -> Structure:
    structure = _visible_structures(request).filter(pk=structure_id).first()
    if structure is None:
        raise BusinessError(gettext("Structure introuvable pour ce compte technique."), "not_found")
    return structure


@chorus(
    tag=TAG,
    operation="rechercherStructure",
    request=s.RechercherStructuresIn,
    response=s.RechercherStructuresOut,
    libelle=OK_TRANSVERSES,
)
def rechercher(request, data):
    """Les structures publiques et celles du compte technique, par identifiant, type, nom,
    code postal ou ville."""
    found = data.get("structure") or {}
    structures = _visible_structures(request)
    if found.get("identifiantStructure"):
        structures = structures.filter(identifier=found["identifiantStructure"].replace(" ", ""))
    if found.get("typeIdentifiantStructure"):
        structures = structures.filter(identifier_type=found["typeIdentifiantStructure"])
    name = (
        found.get("raisonSocialeStructure")
        or found.get("libelleStructure")
        or found.get("nomStructure")
    )
    if name:
        structures = structures.filter(Q(company_name__icontains=name) | Q(label__icontains=name))
    if found.get("adresseCodePostal"):
        structures = structures.filter(postal_code__startswith=found["adresseCodePostal"].strip())
    if found.get("adresseVille"):
        structures = structures.filter(city__icontains=found["adresseVille"].strip())
    if found.get("statutStructure") in ("ACTIF", "INACTIF"):
        structures = structures.filter(is_active=found["statutStructure"] == "ACTIF")
    if found.get("typeStructure") in ("PUBLIQUE", "PRIVEE"):
        structures = structures.filter(is_private=found["typeStructure"] == "PRIVEE")
    for flag, field in (("estMOA", "is_moa"), ("estMOAUniquement", "is_moa_only")):
        if found.get(flag) is not None:
            structures = structures.filter(**{field: found[flag]})
    items, returned = page_of(structures.order_by("company_name", "pk"), data.get("parametres"))
    return {
        "listeStructures": [
            {
                "idStructureCPP": st.pk,
                "identifiantStructure": st.identifier,
                "typeIdentifiantStructure": st.identifier_type,
                "designationStructure": st.company_name,
                "statut": "ACTIF" if st.is_active else "INACTIF",
            }
            for st in items
        ],
        "parametresRetour": returned,
    }


def _address(st) -> dict:
    return {
        "adresse": st.address or None,
        "complementAdresse1": st.address_complement or None,
        "complementAdresse2": None,
        "codePostal": st.postal_code or None,
        "ville": st.city or None,
        "pays": str(st.country) or "FR",
        "telephone": None,
        "indicatifTelephone": None,
        "fax": None,
        "indicatifFax": None,
    }


@chorus(
    tag=TAG,
    operation="consulterStructure",
    request=s.ConsulterStructureIn,
    response=s.ConsulterStructureOut,
    libelle=OK_TRANSVERSES,
)
def consulter(request, data):
    """Une structure: adresse du siège, informations générales (dont l'expiration du mot de
    passe du compte technique pour la sienne) et paramètres de facturation."""
    st = _structure(request, data["idStructureCPP"])
    account = request.api_account
    return {
        "adressePostaleDuSiege": _address(st),
        "informationGenerales": {
            "idStructureCPP": st.pk,
            "identifiantStructure": st.identifier,
            "typeIdentifiantStructure": st.identifier_type,
            "libelleStructure": st.label or None,
            "raisonSocialeStructure": st.company_name,
            "nomStructure": None,
            "prenomStructure": None,
            "emailStructure": st.email or None,
            "numeroTVA": None,
            "numeroRcsStructure": st.rcs_number or None,
            "structurePriveePublique": "PRIVEE" if st.is_private else "PUBLIQUE",
            "estValideurDeleguee": False,
            "idStructureOrigine": None,
            "listeStructureDupliquees": [],
            "dateExpirationMotPasseCompteTech": present.day(account.password_expires_at)
            if account.structure_id == st.pk
            else None,
        },
        "parametres": {
            "codeServiceDoitEtreRenseigne": st.requires_service_code,
            "numeroEJDoitEtreRenseigne": st.requires_engagement,
            "gestionNumeroEJOuCodeService": st.requires_service_or_engagement,
            "statutMiseEnPaiementNestPasRemonte": st.payment_status_not_reported,
            "connexionEDI": st.is_edi_sender,
            "recevoirDonneesViaEDI": st.receives_lifecycle_edi,
            "estMoaUniquement": st.is_moa_only,
            "aMoa": st.is_moa,
            "estValideurDelegue": False,
            "nonDiffusibleInsee": st.is_non_diffusible,
        },
    }


def _services(request, st):
    if st.is_private or not st.validated_at:
        return st.services.all()  # the caller's own structure: all its services
    return public_services(st)


@chorus(
    tag=TAG,
    operation="rechercherServicesStructure",
    request=s.RechercherServicesIn,
    response=s.RechercherServicesOut,
    libelle=OK_TRANSVERSES,
)
def rechercher_services(request, data):
    """Les services d'une structure (pour une structure publique: ceux qui reçoivent des
    factures aujourd'hui)."""
    st = _structure(request, data["idStructure"])
    services = _services(request, st).order_by("code")
    items, returned = page_of(services, data.get("parametresRechercherServicesStructure"))
    return {
        "listeServices": [
            {
                "idService": sv.pk,
                "codeService": sv.code,
                "libelleService": sv.label,
                "estActif": sv.is_active,
                "statutService": "ACTIF" if sv.is_active else "INACTIF",
                "dateDbtService": sv.valid_from.isoformat() if sv.valid_from else None,
                "dateFinService": sv.valid_until.isoformat() if sv.valid_until else None,
            }
            for sv in items
        ],
        "parametresRetour": returned,
    }


@chorus(
    tag=TAG,
    operation="consulterServiceStructure",
    request=s.ConsulterServiceIn,
    response=s.ConsulterServiceOut,
    libelle=OK_TRANSVERSES,
)
def consulter_service(request, data):
    """Un service: code, nom, et s'il exige un numéro d'engagement."""
    st = _structure(request, data["idStructure"])
    service = st.services.filter(pk=data["idService"]).first()
    if service is None:
        raise BusinessError(gettext("Service introuvable pour cette structure."), "not_found")
    return {
        "informationsGenerales": {
            "codeService": service.code,
            "nomService": service.label,
            "descriptionService": None,
        },
        "adressePostale": _address(st),
        "parametres": {
            "numeroEngagement": service.requires_engagement,
            "miseEnPaiement": not st.payment_status_not_reported,
            "dateCreation": present.day(service.created_at),
            "dateModification": present.day(service.updated_at),
            "dateDebutValidite": service.valid_from,
            "dateFinValidite": service.valid_until,
        },
    }


@chorus(
    tag="Utilisateurs",
    operation="recupererRattachementsMonCompte",
    request=s.RattachementsIn,
    response=s.RattachementsOut,
    libelle=OK_TRANSVERSES,
)
def rattachements(request, data):
    """Les structures auxquelles le compte technique est rattaché, avec ses espaces."""
    spaces: dict[int, list[str]] = {}
    for sub in spaces_for_user(request.user):
        spaces.setdefault(sub.membership.structure_id, []).append(sub.space)
    items, returned = page_of(memberships_for_user(request.user), data.get("parametresRecherche"))
    return {
        "listeRattachements": [
            {
                "idStructure": m.structure_id,
                "identifiantStructure": m.structure.identifier,
                "designationStructure": m.structure.company_name,
                "typeIdentifiantStructure": m.structure.identifier_type,
                "role": m.role,
                "statut": "ACTIF",
                "listeEspaces": sorted(spaces.get(m.structure_id, [])),
            }
            for m in items
        ],
        "parametresRetour": returned,
    }
