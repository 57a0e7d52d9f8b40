"""Factures: deposits (flux, PDF), submission of a typed invoice, and the supplier's answers
(completer, recycler, traiterRejet). All go through the same services as the portal."""

import base64
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.flows.entry import UNITS, EntryLine, invoice_enter
from chorale.flows.models import Channel, DepositMode, ItemResult
from chorale.flows.processing import flow_process
from chorale.flows.services import flow_deposit
from chorale.invoicing.formats import read_invoice
from chorale.invoicing.formats.errors import FormatError
from chorale.lifecycle.services import invoice_acknowledge_rejection, invoice_complete
from chorale.lifecycle.statuses import DIRECT_WORKS_FRAMES, WORKS_FRAMES
from chorale.routing.services import invoice_recycle, public_recipient
from chorale.structures.models import Space, Structure
from chorale.structures.selectors import structures_with_space

from .. import present, references, services
from ..codes import BUSINESS_CODES
from ..errors import ApiError
from ..models import ApiFile
from ..serializers import factures as s
from . import chorus

TAG = "Factures"


def _field_error(field: str, message: str):
    raise ApiError(
        400,
        "REQUETE_INVALIDE",
        gettext("Requête invalide : %(field)s : %(message)s")
        % {
            "field": field,
            "message": message,
        },
        erreurs=[{"champ": field, "message": message}],
    )


@chorus(
    tag=TAG,
    operation="deposerFluxFacture",
    request=s.DeposerFluxIn,
    response=s.DeposerFluxOut,
    idempotent_key=True,
)
def deposer_flux(request, data):
    """Dépose un flux (XML UBL/CII, Factur-X, ou une archive zip/tar.gz de plusieurs factures)
    pour la structure du compte technique. Répond tout de suite avec numeroFluxDepot; le flux
    passe ensuite par les états IN_* (consulterCR, consulterCRDetaille)."""
    syntax = data.get("syntaxeFlux") or None
    if syntax and syntax not in references.FLOW_SYNTAXES:
        _field_error(
            "syntaxeFlux",
            gettext("« %(syntax)s » n'est pas une syntaxe de flux connue.")
            % {
                "syntax": syntax,
            },
        )
    content = data["fichierFlux"]
    flow = flow_deposit(
        user=request.user,
        supplier=request.api_account.structure,
        filename=data["nomFichier"],
        content=content,
        channel=Channel.API,
        syntax=syntax or "",
    )
    return {
        "numeroFluxDepot": flow.number,
        "dateDepot": present.day(flow.created_at),
        "syntaxeFlux": syntax,
    }


def _pdf_key_data(content: bytes) -> dict:
    """What deposer/pdf returns pre-filled: the data of a Factur-X PDF, none for a plain one."""
    try:
        invoice = read_invoice(content)[1]
    except (FormatError, ValueError):
        return {}
    totals = invoice.totals
    return {
        "numeroFacture": invoice.number or None,
        "dateFacture": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "codeDestinataire": invoice.buyer.legal_id.value if invoice.buyer.legal_id else None,
        "codeServiceExecutant": invoice.buyer_reference or None,
        "codeFournisseur": invoice.seller.legal_id.value if invoice.seller.legal_id else None,
        "codeDeviseFacture": invoice.currency or None,
        "typeFacture": present.INVOICE_TYPES.get(invoice.type_code, "FACTURE"),
        "typeTva": "TVA_SUR_DEBIT",
        "numeroBonCommande": invoice.purchase_order_reference or None,
        "montantTtcAvantRemiseGlobalTTC": str(totals.tax_inclusive)
        if totals.tax_inclusive is not None
        else None,
        "montantAPayer": str(totals.payable) if totals.payable is not None else None,
        "montantHtTotal": str(totals.tax_exclusive) if totals.tax_exclusive is not None else None,
        "montantTVA": str(totals.vat_total) if totals.vat_total is not None else None,
    }


@chorus(
    tag=TAG,
    operation="deposerPDFFacture",
    request=s.DeposerPdfIn,
    response=s.DeposerPdfOut,
    idempotent_key=True,
)
def deposer_pdf(request, data):
    """Dépose le PDF d'une facture (10 Mo au plus, sinon 413) et rend pieceJointeId avec les
    données lues dans le PDF quand c'est un Factur-X; la facture est ensuite envoyée par
    soumettre (modeDepot DEPOT_PDF_API, pieceJointePrincipale)."""
    content = data["fichierFacture"]
    if len(content) > settings.CHORALE_API_MAX_FILE_BYTES:
        raise ApiError(413, "FICHIER_TROP_VOLUMINEUX", gettext("Le PDF dépasse 10 Mo."))
    if not content.startswith(b"%PDF-"):
        _field_error("fichierFacture", gettext("le fichier n'est pas un PDF."))
    extracted = _pdf_key_data(content)
    api_file = services.api_file_store(
        account=request.api_account,
        name=data["nomFichier"],
        content=content,
        mime="application/pdf",
        extracted=extracted,
    )
    return {"pieceJointeId": api_file.pk, **extracted}


def _own_files(request, ids) -> list[ApiFile]:
    """Files sent by this structure's technical accounts, in the order asked."""
    found = {
        f.pk: f for f in ApiFile.objects.filter(pk__in=ids, structure=request.api_account.structure)
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise BusinessError(
            gettext(
                "Pièces jointes introuvables : %(join)s (ajouter/fichier ou "
                "deposer/pdf les donnent)."
            )
            % {
                "join": ", ".join(map(str, missing)),
            },
            "attachment_unknown",
        )
    return [found[i] for i in ids]


def _supplier(request, data) -> Structure:
    structures = structures_with_space(request.user, Space.INVOICES_SENT)
    wanted = (data.get("fournisseur") or {}).get(
        "idFournisseur"
    ) or request.api_account.structure.pk
    supplier = structures.filter(pk=wanted).first()
    if supplier is None:
        raise BusinessError(
            gettext("Le compte technique n'est pas rattaché à cette structure fournisseur."),
            "not_member",
        )
    return supplier


def _rate(entry: dict, prefix: str, where: str) -> Decimal:
    """A line's VAT rate, in the first form given: manual rate, reference value, id or code,
    then the plain field (a code such as TVA20, or a rate written as a number or a string)."""
    for rate in (
        entry.get(f"{prefix}Manuel"),
        entry.get(f"{prefix}RefValeur"),
        references.vat_rate_by_id(entry.get(f"{prefix}RefId")),
        references.vat_rate(entry.get(f"{prefix}RefCode")),
        references.vat_rate(entry.get(prefix)),
    ):
        if rate is not None:
            return rate
    given = entry.get(prefix) or entry.get(f"{prefix}RefCode") or entry.get(f"{prefix}RefId")
    _field_error(
        where,
        (
            gettext("« %(given)s » n'est pas un taux de TVA connu ; ")
            % {
                "given": given,
            }
            if given
            else ""
        )
        + gettext(
            "indiquez le taux (code TVA20…, identifiant de recuperer/tauxtva ou taux manuel)."
        ),
    )


def _lines(data, exemption: str) -> list[EntryLine]:
    lines = []
    for index, line in enumerate(data.get("lignePoste") or []):
        where = f"lignePoste[{index}]"
        if (
            line.get("lignePosteQuantite") is None
            or line.get("lignePosteMontantUnitaireHT") is None
        ):
            _field_error(where, gettext("quantité et montant unitaire HT sont obligatoires."))
        unit = (line.get("lignePosteUnite") or "C62").upper()
        lines.append(
            EntryLine(
                designation=line["lignePosteDenomination"],
                quantity=line["lignePosteQuantite"],
                unit=unit if unit in UNITS else "C62",
                unit_price=line["lignePosteMontantUnitaireHT"],
                discount=line.get("lignePosteMontantRemiseHT") or Decimal(0),
                vat_rate=_rate(line, "lignePosteTauxTva", f"{where}.lignePosteTauxTva"),
                exemption_reason=exemption,
            )
        )
    return lines or _lines_of_vat(data, exemption)


def _lines_of_vat(data, exemption: str) -> list[EntryLine]:
    """Without lignePoste (a deposited PDF): one line per VAT rate, its base from the VAT line,
    or the total without VAT when there is a single rate."""
    net = (data.get("montantTotal") or {}).get("montantHtTotal")
    vat_lines = data.get("ligneTva") or []
    if not vat_lines or (len(vat_lines) == 1 and net is None and
                         vat_lines[0].get("ligneTvaMontantBaseHtParTaux") is None):  # fmt: skip
        _field_error(
            "lignePoste", gettext("donnez les lignes, ou montantTotal.montantHtTotal et ligneTva.")
        )
    lines = []
    for index, vat in enumerate(vat_lines):
        base = vat.get("ligneTvaMontantBaseHtParTaux")
        if base is None and len(vat_lines) == 1:
            base = net
        if base is None:
            _field_error(
                f"ligneTva[{index}].ligneTvaMontantBaseHtParTaux",
                gettext("la base HT de chaque taux est obligatoire quand il y a plusieurs taux."),
            )
        rate = _rate(vat, "ligneTvaTaux", f"ligneTva[{index}].ligneTvaTaux")
        lines.append(
            EntryLine(
                designation=f"Facture {data.get('numeroFactureSaisi')} (voir le PDF joint)"
                + (f", TVA {rate} %" if len(vat_lines) > 1 else ""),
                quantity=Decimal(1),
                unit="C62",
                unit_price=base,
                discount=Decimal(0),
                vat_rate=rate,
                exemption_reason=exemption,
            )
        )
    return lines


def _header(request, data) -> dict:
    references_ = data.get("references") or {}
    cadre = data.get("cadreDeFacturation") or {}
    frame = (cadre.get("codeCadreFacturation") or "A1").split("_")[0]
    works = frame in (*WORKS_FRAMES, *DIRECT_WORKS_FRAMES)
    if frame not in ("A1", "A2", "A9", "A12") and not works:
        raise BusinessError(
            gettext(
                "Seuls les cadres A1 (facture fournisseur), A2 (déjà payée), A9 (sous-traitant), "
                "A12 (cotraitant) et les pièces de travaux des entreprises (A4 à A8, A10, A11, "
                "A13, A14) sont acceptés."
            ),
            "frame_unsupported",
        )
    if works and not (references_.get("numeroMarche") or "").strip():
        _field_error(
            "references.numeroMarche",
            gettext("le numéro de marché est obligatoire pour une pièce de travaux."),
        )
    validators = []
    if frame in ("A9", "A12"):
        if not cadre.get("codeStructureValideur"):
            _field_error(
                "cadreDeFacturation.codeStructureValideur",
                gettext("le valideur (SIRET du titulaire ou du mandataire) est obligatoire."),
            )
        validators = [
            {
                "siret": str(cadre["codeStructureValideur"]).replace(" ", ""),
                "service": str(cadre.get("codeServiceValideur") or "").strip().upper(),
            }
        ]
    if not data.get("numeroFactureSaisi"):
        _field_error("numeroFactureSaisi", gettext("le numéro de la facture est obligatoire."))
    kind = references_.get("typeFacture") or "FACTURE"
    if kind not in present.TYPE_CODES:
        _field_error("references.typeFacture", f"« {kind} » : FACTURE, AVOIR ou ACOMPTE.")
    main = [p["pieceJointePrincipaleId"] for p in data.get("pieceJointePrincipale") or []]
    extra = [p["pieceJointeComplementaireId"] for p in data.get("pieceJointeComplementaire") or []]
    if data["modeDepot"] != "SAISIE_API" and not main:
        _field_error(
            "pieceJointePrincipale", gettext("le PDF déposé (deposer/pdf) est obligatoire.")
        )
    files = _own_files(request, main + extra)
    return {
        "number": data["numeroFactureSaisi"].strip(),
        "issue_date": data.get("dateFacture") or timezone.localdate(),
        "type_code": present.TYPE_CODES[kind],
        "currency": (references_.get("deviseFacture") or "EUR").upper(),
        "cadre": frame,
        "validators": validators,
        "service_code": ((data.get("destinataire") or {}).get("codeServiceExecutant") or "")
        .strip()
        .upper(),
        "engagement_number": (references_.get("numeroBonCommande") or "").strip(),
        "market_number": (references_.get("numeroMarche") or "").strip()[:50],
        "comment": data.get("commentaire") or "",
        "preceding": references_.get("numeroFactureOrigine") or "",
        "attachments": [
            (f.name[-50:], f.mime_type or "application/pdf", f.file.read()) for f in files
        ],
    }


@chorus(
    tag=TAG,
    operation="soumettreFacture",
    request=s.SoumettreIn,
    response=s.SoumettreOut,
    idempotent_key=True,
)
def soumettre(request, data):
    """Envoie une facture saisie (SAISIE_API: lignes, TVA, montants) ou un PDF déposé
    (DEPOT_PDF_API). La plateforme l'émet en Factur-X (mandat de facturation requis), la
    contrôle comme tout dépôt et rend son identifiantFactureCPP, ou les erreurs trouvées."""
    supplier = _supplier(request, data)
    header = _header(request, data)
    lines = _lines(data, (data.get("references") or {}).get("motifExonerationTva") or "")
    bank = None
    bank_id = (data.get("fournisseur") or {}).get("codeCoordonneesBancairesFournisseur")
    if bank_id:
        bank = supplier.bank_accounts.filter(pk=bank_id, is_active=True).first()
        if bank is None:
            raise BusinessError(
                gettext("Coordonnées bancaires inconnues pour ce fournisseur."), "bank_unknown"
            )
    flow = invoice_enter(
        user=request.user,
        supplier=supplier,
        recipient=public_recipient(data["destinataire"]["codeDestinataire"]),
        header=header,
        lines=lines,
        bank_account=bank,
        mode=DepositMode.API_ENTRY if data["modeDepot"] == "SAISIE_API" else DepositMode.API_PDF,
    )
    flow_process(flow.pk)  # judged now, as the real service answers at once (the queued task
    # finds it done)
    item = flow.items.select_related("invoice").first()
    if item is None or item.result != ItemResult.ACCEPTED:
        errors = item.errors if item else []
        code, libelle = BUSINESS_CODES["invoice_rejected"]
        return s.SoumettreRefusOut(
            instance={
                "codeRetour": code,
                "libelle": libelle,
                "message": gettext("La facture est rejetée : ")
                + "; ".join(e.get("message", "") for e in errors[:5]),
                "listeErreurs": errors,
            }
        ).data
    invoice = item.invoice
    return {
        "identifiantFactureCPP": invoice.pk,
        "numeroFacture": invoice.number,
        "dateDepot": present.day(invoice.created_at),
        "statutFacture": invoice.status,
        "identifiantStructure": supplier.identifier,
        "numeroFluxDepot": flow.number,
        "empreinteCertificatDepot": base64.b64encode(bytes.fromhex(invoice.sha256)).decode(),
    }


@chorus(tag=TAG, operation="completerFacture", request=s.CompleterIn, response=s.CompleterOut)
def completer(request, data):
    """Le fournisseur complète une facture suspendue (commentaire, pièces jointes envoyées par
    ajouter/fichier): elle passe à COMPLETEE."""
    files = _own_files(request, [p["pieceJointeId"] for p in data.get("listePiecesJointes") or []])
    with transaction.atomic():
        invoice = invoice_complete(
            user=request.user,
            invoice_id=data["idFacture"],
            comment=data["commentaire"],
            attachments=[ContentFile(f.file.read(), name=f.name) for f in files],
        )
    return {
        "idFacture": invoice.pk,
        "numeroFacture": invoice.number,
        "statutFacture": invoice.status,
        "dateTraitement": present.day(invoice.status_changed_at),
    }


@chorus(tag=TAG, operation="recyclerFacture", request=s.RecyclerIn, response=s.CompleterOut)
def recycler(request, data):
    """Le fournisseur corrige l'acheminement d'une facture « À recycler » (destinataire, service,
    engagement): elle est acheminée de nouveau."""
    siret = data.get("codeDestinataire") or ""
    if not siret and data.get("idDestinataire"):
        siret = (
            Structure.objects.filter(pk=data["idDestinataire"])
            .values_list("identifier", flat=True)
            .first()
            or ""
        )
    if not siret:
        _field_error("codeDestinataire", gettext("le SIRET du destinataire est obligatoire."))
    service_code = data.get("codeServiceExecutant") or ""
    invoice = invoice_recycle(
        user=request.user,
        invoice_id=data["idFacture"],
        recipient_siret=siret,
        service_code=service_code,
        engagement_number=data.get("numeroEngagement") or "",
    )
    return {
        "idFacture": invoice.pk,
        "numeroFacture": invoice.number,
        "statutFacture": invoice.status,
        "dateTraitement": present.day(invoice.status_changed_at),
    }


@chorus(
    tag=TAG,
    operation="traiterFacturesRejetees",
    request=s.TraiterRejetIn,
    response=s.TraiterRejetOut,
)
def traiter_rejet(request, data):
    """Marque des factures rejetées comme traitées par le fournisseur (rejetTraite)."""
    ids = []
    for value in data["listeIdFacture"]:
        raw = value.get("idFacture") if isinstance(value, dict) else value
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            _field_error(
                "listeIdFacture",
                gettext("« %(raw)s » n'est pas un identifiant de facture.")
                % {
                    "raw": raw,
                },
            )
    with transaction.atomic():
        done = [invoice_acknowledge_rejection(user=request.user, invoice_id=i).pk for i in ids]
    return {"listeIdFacture": done}
