"""Transverses: health check, comptes rendus of flows, files, reference lists, the directory of
public recipients and the SIRENE register."""

import base64

from django.conf import settings
from django.db import connection
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from chorale.core.errors import BusinessError
from chorale.directory.annuaire import recipients_directory_zip
from chorale.directory.selectors import (
    public_structure_search,
    sirene_siret_lookup,
)
from chorale.flows.models import FlowStatus
from chorale.flows.selectors import flow_for_user
from chorale.flows.services import flow_report_pdf

from .. import present, services
from ..references import reference_lists
from ..rest import OK_TRANSVERSES, page_of
from ..serializers import transverses as s
from . import chorus

TAG = "Transverses"


@chorus(
    tag=TAG,
    operation="healthCheck",
    response=s.HealthCheckOut,
    method="GET",
    libelle=OK_TRANSVERSES,
)
def health_check(request, data):
    """Disponibilité de l'API (la base de données répond)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"body": "OK", "statusCode": "OK", "statusCodeValue": 200}


def _flow(request, number: str):
    try:
        return flow_for_user(request.user, number.strip().upper())
    except Http404 as error:
        raise BusinessError(
            gettext("Flux introuvable pour ce compte technique."), "not_found"
        ) from error


def _interface(flow) -> str:
    """codeInterfaceFlux: FSO1110A for Factur-X (PDF), FSO1100A for UBL, FSO1106A for CII."""
    name = flow.original_name.lower()
    if name.endswith(".pdf"):
        return "FSO1110A"
    return "FSO1100A" if "ubl" in name else "FSO1106A"


def _state(flow) -> str:
    return flow.status if flow.status != FlowStatus.QUEUED else FlowStatus.QUEUED.value


@chorus(
    tag=TAG,
    operation="consulterCR",
    request=s.FluxIn,
    response=s.ConsulterCROut,
    libelle=OK_TRANSVERSES,
)
def consulter_cr(request, data):
    """L'état d'un flux déposé et son compte rendu de traitement en PDF (base64)."""
    flow = _flow(request, data["numeroFluxDepot"])
    return {
        "numeroFluxDepot": flow.number,
        "nomFichierFlux": flow.original_name,
        "dateDepotFlux": present.moment(flow.created_at),
        "etatCourantFlux": _state(flow),
        "dateHeureEtatCourantFlux": present.moment(flow.processed_at or flow.created_at),
        "codeInterfaceFlux": _interface(flow),
        "codeAppliPartenaire": None,
        "designationPartenaire": None,
        "fichierCR": base64.b64encode(flow_report_pdf(flow)).decode("ascii"),
    }


TECHNICAL_RULES = ("CHORALE-LOT", "CHORALE-ERREUR-INTERNE", "CHORALE-FORMAT")


@chorus(
    tag=TAG,
    operation="consulterCRDetaille",
    request=s.FluxIn,
    response=s.ConsulterCRDetailleOut,
    libelle=OK_TRANSVERSES,
)
def consulter_cr_detaille(request, data):
    """L'état d'un flux et chaque erreur de chaque facture rejetée (listeErreurDP: règle,
    message en français, terme métier concerné), les erreurs techniques à part."""
    flow = _flow(request, data["numeroFluxDepot"])
    business, technical = [], []
    for item in flow.items.all():
        for error in item.errors:
            if error.get("severity") == "warning":
                continue
            rule = error.get("rule", "")
            if rule.startswith(TECHNICAL_RULES):
                technical.append(
                    {
                        "codeErreur": rule,
                        "libelleErreur": error.get("message", ""),
                        "natureErreur": "TECHNIQUE",
                    }
                )
                continue
            business.append(
                {
                    "numeroDP": item.invoice_number or None,
                    "identifiantFournisseur": flow.supplier.identifier,
                    "identifiantDestinataire": None,
                    "libelleErreurDP": f"{rule} : {error.get('message', '')}",
                    "codeErreurDP": rule,
                    "champ": error.get("term") or None,
                    "cheminXPath": error.get("path") or None,
                    "rangDocument": item.position + 1,
                }
            )
    return {
        "numeroFluxDepot": flow.number,
        "nomFichier": flow.original_name,
        "dateDepotFlux": present.moment(flow.created_at),
        "codeInterfaceDepotFlux": _interface(flow),
        "etatCourantDepotFlux": _state(flow),
        "dateHeureEtatCourantFlux": present.moment(flow.processed_at or flow.created_at),
        "listeErreurDP": business,
        "listeErreurTechnique": technical,
    }


@chorus(
    tag=TAG,
    operation="ajouterFichierDansSysteme",
    request=s.AjouterFichierIn,
    response=s.AjouterFichierOut,
    libelle="GCU_MSG_01_000",
)
def ajouter_fichier(request, data):
    """Ajoute une pièce jointe (10 Mo au plus, nom de 50 caractères au plus) à utiliser ensuite
    dans soumettre ou completer (pieceJointeId)."""
    content = data["pieceJointeFichier"]
    if len(content) > settings.CHORALE_API_MAX_FILE_BYTES:
        raise BusinessError(gettext("La pièce jointe dépasse 10 Mo."), "attachment_too_large")
    api_file = services.api_file_store(
        account=request.api_account,
        name=data["pieceJointeNom"],
        content=content,
        mime=data.get("pieceJointeTypeMime") or "",
    )
    return {"pieceJointeId": api_file.pk}


def _reference_view(path: str, key: str):
    entries_of = reference_lists

    @chorus(
        tag=TAG,
        operation="recuperer_" + path.replace("/", "_"),
        request=s.LangueIn,
        response=s.ReferenceListOut,
        libelle=OK_TRANSVERSES,
        summary=gettext("Liste de référence « %(path)s » (clé %(key)s).")
        % {
            "path": path,
            "key": key,
        },
    )
    def reference(request, data):
        return Response({"codeRetour": 0, "libelle": OK_TRANSVERSES, key: entries_of()[path][1]})

    return reference


REFERENCE_VIEWS = {path: _reference_view(path, key) for path, (key, _) in reference_lists().items()}


@chorus(
    tag=TAG,
    operation="rechercherDestinataire",
    request=s.DestinataireIn,
    response=s.RechercherDestinataireOut,
    libelle=OK_TRANSVERSES,
)
def rechercher_destinataire(request, data):
    """Les destinataires publics par SIRET (identifiant), nom, ville ou code postal
    (nomVilleCodePostal)."""
    words = (data.get("nomVilleCodePostal") or "").strip()
    queryset = public_structure_search(siret=data.get("identifiant") or "")
    if words:
        by_name = public_structure_search(name=words).values("pk")
        by_code = public_structure_search(postal_code=words).values("pk")
        by_city = public_structure_search(city=words).values("pk")
        queryset = queryset.filter(pk__in=by_name.union(by_code, by_city))
    items, returned = page_of(queryset, data.get("parametresRecherche"))
    return {
        "listeDestinataires": [
            {
                "idStructureCPP": st.pk,
                "siret": st.identifier,
                "nomDestinataire": st.company_name,
                "adresseCodePostal": st.postal_code or None,
                "adresseVille": st.city or None,
            }
            for st in items
        ],
        "parametresRetour": returned,
    }


@chorus(
    tag=TAG,
    operation="telechargerAnnuaireDestinataire",
    response=s.AnnuaireOut,
    libelle=OK_TRANSVERSES,
)
def annuaire_destinataire(request, data):
    """L'annuaire des destinataires publics et de leurs services: un zip (base64) d'un CSV."""
    archive = recipients_directory_zip()
    return {"fichierResultat": base64.b64encode(archive).decode("ascii")}


@chorus(
    tag=TAG,
    operation="consulterInformationSiret",
    request=s.InformationSiretIn,
    response=s.InformationSiretOut,
    libelle=OK_TRANSVERSES,
)
def information_siret(request, data):
    """Ce que le répertoire SIRENE de l'INSEE dit d'un SIRET."""
    found = sirene_siret_lookup(data["siretStructure"])
    if not found.found:
        raise BusinessError(found.error, "not_found")
    return {
        "siren": found.siret[:9],
        "siret": found.siret,
        "raisonSociale": found.company_name,
        "estActif": True,
        "siege": found.is_head_office,
        "categorieJuridique": found.legal_category or None,
        "categorieEntreprise": None,
        "adresse": " ".join(
            filter(None, [found.address_line1, found.address_line2, found.postal_code, found.city])
        )
        or None,
        "nonDiffusibleInsee": found.is_partially_diffusible,
        "dateCreationEtablissement": None,
    }


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(request, path=""):
    """Any other path under /cpro/: a JSON 404 that names it."""
    return Response(
        {
            "codeRetour": 404,
            "libelle": "SERVICE_INCONNU",
            "message": gettext("Aucun service à l'adresse %(path)s.")
            % {
                "path": request.path,
            },
        },
        status=404,
    )
