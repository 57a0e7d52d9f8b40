"""Transverses look-ups of the caller's own world: the structures it may invoice from or receive
for, itself, its structures' bank details, the files it sent, the sollicitation categories, the
request types and their states, and the download of one pièce jointe. Each answers only what
the technical user's memberships and espaces open to it."""

import base64

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.invoicing.formats import read_invoice
from chorale.invoicing.models import Status
from chorale.structures.models import BankAccount, Space, Structure
from chorale.structures.selectors import (
    memberships_for_user,
    spaces_for_user,
    structures_with_space,
)
from chorale.support.models import Category, MessageAttachment
from chorale.support.selectors import requests_received, requests_sent

from .. import present, references
from ..models import ApiFile
from ..rest import OK_TRANSVERSES, page_of
from ..serializers import lookups as s
from ..serializers.transverses import LangueIn
from . import chorus
from .invoices import visible_invoice

TAG = "Transverses"
# The kinds of demande de paiement Chorale receives (FACTURE_TRAVAUX comes with works invoices).
REQUEST_TYPES = {"FACTURE": "Facture"}


def _active(structures) -> list[dict]:
    chosen = structures.filter(is_active=True, validated_at__isnull=False).order_by(
        "company_name", "pk"
    )
    return [
        {
            "idStructureCPP": st.pk,
            "identifiant": st.identifier,
            "designationStructure": st.company_name,
        }
        for st in chosen
    ]


def _actives_view(operation: str, space: str, doc: str):
    @chorus(
        tag=TAG,
        operation=operation,
        request=LangueIn,
        response=s.StructuresActivesOut,
        libelle=OK_TRANSVERSES,
        summary=doc,
    )
    def actives(request, data):
        return {"listeStructures": _active(structures_with_space(request.user, space))}

    actives.__doc__ = doc
    return actives


actives_fournisseur = _actives_view(
    "recupererStructuresActivesFournisseur",
    Space.INVOICES_SENT,
    "Les structures actives pour lesquelles le compte technique émet des factures.",
)
actives_destinataire = _actives_view(
    "recupererStructuresActivesDestinataire",
    Space.INVOICES_RECEIVED,
    "Les structures actives pour lesquelles le compte technique reçoit des factures.",
)
actives_facture_travaux = _actives_view(
    "recupererStructuresActivesFactureTravaux",
    Space.WORKS,
    "Les structures actives du compte technique qui peuvent émettre des factures de travaux.",
)


@chorus(
    tag=TAG,
    operation="recupererStructuresPourUtilisateur",
    request=s.StructuresPourUtilisateurIn,
    response=s.StructuresPourUtilisateurOut,
    libelle=OK_TRANSVERSES,
)
def structures_pour_utilisateur(request, data):
    """Les structures du compte technique et ses espaces ouverts sur chacune ; espaceFo
    (FACTURES_EMISES, FACTURES_RECUES…) ne garde que celles où cet espace est ouvert."""
    wanted = (data.get("espaceFo") or "").strip().upper()
    if wanted and wanted not in Space.values:
        raise BusinessError(
            gettext("« %(wanted)s » n'est pas un espace (%(join)s).")
            % {
                "wanted": wanted,
                "join": ", ".join(Space.values),
            },
            "unknown_space",
        )
    spaces: dict[int, list[str]] = {}
    for sub in spaces_for_user(request.user):
        spaces.setdefault(sub.membership.structure_id, []).append(sub.space)
    listed = []
    for membership in memberships_for_user(request.user):
        opened = sorted(spaces.get(membership.structure_id, []))
        if wanted and wanted not in opened:
            continue
        structure = membership.structure
        listed.append(
            {
                "idStructure": structure.pk,
                "identifiantStructure": structure.identifier,
                "typeIdentifiantStructure": structure.identifier_type,
                "designationStructure": structure.company_name,
                "listeEspaces": opened,
            }
        )
    return {"listeStructures": listed}


@chorus(
    tag=TAG,
    operation="recupererUtilisateurCourant",
    request=LangueIn,
    response=s.UtilisateurCourantOut,
    libelle=OK_TRANSVERSES,
)
def utilisateur_courant(request, data):
    """Le compte technique qui appelle : son identifiant, son login et sa structure."""
    user = request.user
    return {
        "idUtilisateur": user.pk,
        "login": request.api_account.login,
        "adresseEmail": user.contact_email or "",
        "nom": user.last_name,
        "prenom": user.first_name,
        "telephone": user.phone,
        "statutUtilisateur": "ACTIF" if user.is_active else "INACTIF",
        "idStructureCompteTechnique": request.api_account.structure_id,
    }


def _member_structure(request, structure_id: int | None) -> Structure:
    """A structure of the caller (its own by default); another one is « introuvable »."""
    wanted = structure_id or request.api_account.structure_id
    membership = memberships_for_user(request.user).filter(structure_id=wanted).first()
    if membership is None:
        raise BusinessError(gettext("Structure introuvable pour ce compte technique."), "not_found")
    return membership.structure


@chorus(
    tag=TAG,
    operation="recupererCoordonneesBancairesValides",
    request=s.CoordonneesBancairesIn,
    response=s.CoordonneesBancairesOut,
    libelle=OK_TRANSVERSES,
)
def coordonnees_bancaires(request, data):
    """Les coordonnées bancaires actives d'une structure du compte technique (pour
    fournisseur.codeCoordonneesBancairesFournisseur de soumettre)."""
    structure = _member_structure(request, data.get("idStructure"))
    accounts = BankAccount.objects.filter(structure=structure, is_active=True).order_by("pk")
    return {
        "listeCoordonneeBancaire": [
            {
                "idCoordonneeBancaire": account.pk,
                "nomCoordonneeBancaire": account.label,
                "titulaire": account.holder,
                "iban": account.iban,
                "bic": account.bic,
            }
            for account in accounts
        ]
    }


def _request_type(data) -> str:
    kind = (data.get("typeDemandePaiement") or "FACTURE").strip().upper()
    if kind not in REQUEST_TYPES:
        raise BusinessError(
            gettext("Type de demande de paiement « %(kind)s » inconnu (%(join)s).")
            % {
                "kind": kind,
                "join": ", ".join(REQUEST_TYPES),
            },
            "unknown_request_type",
        )
    return kind


@chorus(
    tag=TAG,
    operation="recupererEtatParTypeDemandePaiement",
    request=s.EtatTypeDpIn,
    response=s.EtatTypeDpOut,
    libelle=OK_TRANSVERSES,
)
def etats_type_dp(request, data):
    """Les statuts possibles d'un type de demande de paiement (FACTURE par défaut)."""
    _request_type(data)
    return {
        "listeEtatDemandePaiement": [
            {"etatDemandePaiement": status.value, "libelleEtatDemandePaiement": status.label}
            for status in Status
        ]
    }


@chorus(
    tag=TAG,
    operation="recupererTypeDemandePaiement",
    request=LangueIn,
    response=s.TypeDpOut,
    libelle=OK_TRANSVERSES,
)
def types_dp(request, data):
    """Les types de demande de paiement que la plateforme reçoit."""
    return {
        "listeTypeDemandePaiement": [
            {"typeDemandePaiement": code, "libelleTypeDemandePaiement": label}
            for code, label in REQUEST_TYPES.items()
        ]
    }


def _categories(data, parents: bool):
    chosen = Category.objects.filter(is_active=True, parent__isnull=parents)
    if not parents and data.get("idCategorieSollicitation"):
        chosen = chosen.filter(parent_id=data["idCategorieSollicitation"])
    items, returned = page_of(chosen.order_by("position", "name"), data.get("parametresRecherche"))
    return {
        "listeCategories": [
            {
                "idCategorieSollicitation": c.pk,
                "libelleCategorieSollicitation": c.name,
                "idCategorieParente": c.parent_id,
            }
            for c in items
        ],
        "parametresRetour": returned,
    }


@chorus(
    tag=TAG,
    operation="rechercherCategorieSollicitation",
    request=s.CategorieIn,
    response=s.CategoriesOut,
    libelle=OK_TRANSVERSES,
)
def categories_sollicitation(request, data):
    """Les catégories de sollicitation proposées."""
    return _categories(data, parents=True)


@chorus(
    tag=TAG,
    operation="rechercherSousCategorieSollicitation",
    request=s.CategorieIn,
    response=s.CategoriesOut,
    libelle=OK_TRANSVERSES,
)
def sous_categories_sollicitation(request, data):
    """Les sous-catégories de sollicitation (d'une catégorie : idCategorieSollicitation)."""
    return _categories(data, parents=False)


def _files(files, data):
    name = (data.get("pieceJointeNom") or "").strip()
    if name:
        files = files.filter(name__icontains=name)
    items, returned = page_of(files.order_by("-created_at", "-pk"), data.get("parametresRecherche"))
    return {
        "listePiecesJointes": [
            {
                "pieceJointeId": f.pk,
                "pieceJointeNom": f.name,
                "pieceJointeTypeMime": f.mime_type,
                "pieceJointeTaille": f.size,
                "pieceJointeDateAjout": present.moment(f.created_at),
                "idStructure": f.structure_id,
            }
            for f in items
        ],
        "parametresRetour": returned,
    }


@chorus(
    tag=TAG,
    operation="rechercherPieceJointeMonCompte",
    request=s.PiecesJointesIn,
    response=s.PiecesJointesOut,
    libelle=OK_TRANSVERSES,
)
def pieces_jointes_mon_compte(request, data):
    """Les fichiers que ce compte technique a envoyés (ajouter/fichier, deposer/pdf)."""
    return _files(ApiFile.objects.filter(created_by=request.user), data)


@chorus(
    tag=TAG,
    operation="rechercherPieceJointeStructure",
    request=s.PiecesJointesIn,
    response=s.PiecesJointesOut,
    libelle=OK_TRANSVERSES,
)
def pieces_jointes_structure(request, data):
    """Les fichiers envoyés par l'API pour une structure du compte technique."""
    structure = _member_structure(request, data.get("idStructure"))
    return _files(ApiFile.objects.filter(structure=structure), data)


def _invoice_attachment(request, invoice_id, number: int) -> dict:
    invoice = visible_invoice(request, invoice_id)
    attachments = read_invoice(bytes(invoice.structured_data))[1].attachments
    if not 0 < number <= len(attachments) or not attachments[number - 1].content:
        raise BusinessError(
            gettext(
                "La facture n'a pas de pièce jointe n° %(number)s (voir listeDesPiecesJointes)."
            )
            % {
                "number": number,
            },
            "not_found",
        )
    item = attachments[number - 1]
    return {
        "pieceJointeNom": item.filename or item.reference or f"piece-jointe-{number}",
        "pieceJointeTypeMime": item.mime_code,
        "pieceJointeFichier": "".join(item.content.split()),
    }


def _request_attachment(request, request_id, attachment_id: int) -> dict:
    """A pièce jointe of a sollicitation the caller sees, from either side."""
    visible = Q(message__request__in=requests_sent(request.user).order_by().values("pk")) | Q(
        message__request__in=requests_received(request.user).order_by().values("pk")
    )
    found = MessageAttachment.objects.filter(visible, pk=attachment_id)
    if request_id:
        found = found.filter(message__request_id=request_id)
    return _stored(found.first(), "")


def _stored(attachment, mime: str) -> dict:
    """A stored pièce jointe in base64, or « introuvable »."""
    if attachment is None:
        raise BusinessError(
            gettext("Pièce jointe introuvable pour ce compte technique."), "not_found"
        )
    with attachment.file.open("rb") as stored:
        content = stored.read()
    return {
        "pieceJointeNom": attachment.name,
        "pieceJointeTypeMime": mime,
        "pieceJointeFichier": base64.b64encode(content).decode("ascii"),
    }


def _sent_file(request, file_id: int) -> dict:
    found = ApiFile.objects.filter(
        pk=file_id,
        structure__in=memberships_for_user(request.user).values("structure_id"),
    ).first()
    return _stored(found, found.mime_type if found else "")


@chorus(
    tag=TAG,
    operation="telechargerPieceJointe",
    request=s.TelechargerPieceJointeIn,
    response=s.TelechargerPieceJointeOut,
    libelle=OK_TRANSVERSES,
)
def telecharger_piece_jointe(request, data):
    """Une pièce jointe en base64 : d'une facture (DEMANDE_PAIEMENT, idObjet = idFacture,
    pieceJointeId = son numéro dans listeDesPiecesJointes), d'une sollicitation (SOLLICITATION)
    ou un fichier envoyé par l'API (FICHIER)."""
    kind, number = data["objetPieceJointe"], data["pieceJointeId"]
    try:
        if kind == "DEMANDE_PAIEMENT":
            if not data.get("idObjet"):
                raise BusinessError(gettext("idObjet (l'idFacture) est obligatoire."), "not_found")
            return _invoice_attachment(request, data["idObjet"], number)
        if kind == "SOLLICITATION":
            return _request_attachment(request, data.get("idObjet"), number)
        return _sent_file(request, number)
    except Http404 as error:
        raise BusinessError(gettext("Pièce jointe introuvable."), "not_found") from error


@chorus(
    tag=TAG,
    operation="recupererMotifsRefusFactureAValider",
    request=s.MotifsRefusIn,
    response=s.MotifsRefusOut,
    libelle=OK_TRANSVERSES,
)
def motifs_refus(request, data):
    """Les motifs de refus d'une pièce à valider, selon son cadre de facturation
    (codeCadreFacturationAValider : A9, A12, ou un cadre de travaux)."""
    reasons = references.refusal_reasons(data["codeCadreFacturationAValider"])
    if not reasons:
        raise BusinessError(
            f"Le cadre « {data['codeCadreFacturationAValider']} » ne passe par aucune "
            "validation : il n'a pas de motif de refus.",
            "not_found",
        )
    return {"listeMotifRefusFactureAValider": reasons}
