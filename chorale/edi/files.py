"""Each connection's tree under CHORALE_EDI_ROOT/<partner code>/: `depot/` (what it sends),
`retour/` (reports, statuses, invoices received) and `annuaire/`. A file in `depot/` is taken
once complete — closed, or renamed from a temporary name — and exactly once: the same name and
SHA-256 is recorded in the same transaction as its flow; the file leaves `depot/` only after
that commit, and a sweep at start takes what a crash left (edi.md §5.3)."""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, override
from lxml import etree

from chorale.core.errors import BusinessError
from chorale.flows.models import Channel, Flow
from chorale.flows.services import flow_deposit, flow_report
from chorale.invoicing.formats.errors import FormatError

from . import cdar
from .models import Connection, ReceivedFile, Stage
from .outbox import deliver
from .returns import statuses_apply

logger = logging.getLogger(__name__)
TEMPORARY = (".tmp", ".part", ".filepart", ".partial")
REPORT_NS = "urn:chorale:edi:compte-rendu:1"


def is_temporary(name: str) -> bool:
    return name.startswith(".") or name.lower().endswith(TEMPORARY)


def _report(fields: tuple[tuple[str, str], ...]) -> etree._Element:
    """A compte rendu's root with its simple fields, in order."""
    root = etree.Element(f"{{{REPORT_NS}}}CompteRenduIntegration", nsmap={None: REPORT_NS})
    for tag, value in fields:
        etree.SubElement(root, f"{{{REPORT_NS}}}{tag}").text = value
    return root


def _report_send(connection: Connection, name: str, root: etree._Element) -> None:
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    deliver(connection, "retour", f"CR_{name}.xml", content)


def _refusal(connection: Connection, name: str, reason: str) -> None:
    root = _report((("NomFichier", name), ("Etat", "IN_REJETE"), ("Motif", reason)))
    _report_send(connection, name, root)


def _too_large(connection: Connection, name: str) -> None:
    with override(connection.declared_by.language):
        reason = gettext("Le fichier dépasse la taille maximale d'un dépôt (%(mb)s Mo).") % {
            "mb": settings.CHORALE_MAX_DEPOSIT_BYTES // (1024 * 1024)
        }
        _refusal(connection, name, reason)


def receive(
    connection: Connection, name: str, content: bytes, *, trial: bool = False
) -> ReceivedFile | None:
    """Take one complete file a connection sent: a flow for it (a trial flow in qualification
    or when `trial`), or a refusal report. None when the same name and content were already
    taken (a retried upload): nothing more happens."""
    if len(content) > settings.CHORALE_MAX_DEPOSIT_BYTES:
        _too_large(connection, name)
        return None
    with override(connection.declared_by.language):
        digest = hashlib.sha256(content).hexdigest()
        try:
            with transaction.atomic():
                received = ReceivedFile.objects.create(
                    connection=connection, name=name, sha256=digest
                )
                if not connection.may_exchange:
                    received.refusal = gettext(
                        "Le raccordement %(code)s n'est pas ouvert aux échanges (étape : "
                        "%(stage)s)."
                    ) % {"code": connection.partner_code, "stage": Stage(connection.stage).label}
                elif cdar.is_cdar(content):
                    received.refusal = _statuses_take(connection, name, content, trial)
                else:
                    try:
                        flow = flow_deposit(
                            user=connection.declared_by,
                            supplier=connection.structure,
                            filename=name,
                            content=content,
                            channel=Channel.EDI,
                            syntax=connection.flow_syntax,
                            trial=trial or connection.stage == Stage.QUALIFICATION,
                            mandated=list(
                                connection.mandates.filter(revoked_at=None).values_list(
                                    "supplier_id", flat=True
                                )
                            ),
                        )
                        received.flow_number = flow.number
                    except BusinessError as error:
                        received.refusal = error.message
                received.save(update_fields=["flow_number", "refusal"])
                if received.refusal:
                    _refusal(connection, name, received.refusal)
        except IntegrityError:  # the same file again: already taken
            logger.info("EDI %s: %s already taken", connection.partner_code, name)
            return None
    logger.info(
        "EDI %s: %s taken (flow %s)", connection.partner_code, name, received.flow_number or "—"
    )
    return received


def _statuses_take(connection: Connection, name: str, content: bytes, trial: bool) -> str:
    """A recipient's statuses (CDAR): applied, and a compte rendu line by line; the reason of
    a refusal of the whole file."""
    if not connection.receives:
        return gettext(
            "Le raccordement %(code)s n'est pas déclaré pour la réception de factures : il ne "
            "peut pas en envoyer les statuts."
        ) % {"code": connection.partner_code}
    trial = trial or connection.stage == Stage.QUALIFICATION
    try:
        lines = statuses_apply(connection, content, trial=trial)
    except FormatError as error:
        return error.message
    refused = sum(1 for line in lines if line.problem)
    state = (
        "IN_REJETE" if refused == len(lines) else "IN_INTEGRE_PARTIEL" if refused else "IN_INTEGRE"
    )
    root = _report(
        (
            ("NomFichier", name),
            ("Etat", state),
            ("Qualification", "true" if trial else "false"),
            ("NombreStatutsIntegres", str(len(lines) - refused)),
            ("NombreStatutsRejetes", str(refused)),
        )
    )
    for line in lines:
        etree.SubElement(
            root,
            f"{{{REPORT_NS}}}Statut",
            rang=str(line.rank),
            numeroFacture=line.number,
            code=str(line.code or ""),
            resultat="REJETE" if line.problem else "INTEGRE",
        ).text = line.problem
    _report_send(connection, name, root)
    return ""


def incomplete(partner_code: str, path: Path) -> None:
    """A file whose session ended before the client closed it: removed, with a report."""
    connection = Connection.objects.select_related("declared_by").get(partner_code=partner_code)
    path.unlink(missing_ok=True)
    with override(connection.declared_by.language):
        _refusal(
            connection,
            path.name,
            gettext(
                "Fichier incomplet : la session s'est terminée avant la fin de l'envoi. "
                "Déposez-le à nouveau."
            ),
        )


def oversized(partner_code: str, path: Path) -> None:
    """A file cut at the largest deposit: removed, with a report."""
    connection = Connection.objects.select_related("declared_by").get(partner_code=partner_code)
    path.unlink(missing_ok=True)
    _too_large(connection, path.name)


def take(partner_code: str, path: Path) -> ReceivedFile | None:
    """Take one complete file of `depot/` (see `receive`); the file then leaves `depot/`."""
    if is_temporary(path.name) or not path.is_file():
        return None
    connection = Connection.objects.select_related("structure", "declared_by").get(
        partner_code=partner_code
    )
    if path.stat().st_size > settings.CHORALE_MAX_DEPOSIT_BYTES:  # never read a huge file
        _too_large(connection, path.name)
        received = None
    else:
        received = receive(connection, path.name, path.read_bytes())
    path.unlink(missing_ok=True)
    return received


def sweep() -> int:
    """Take the complete files a crash left in every `depot/` (at start, then now and then)."""
    taken = 0
    base = Path(settings.CHORALE_EDI_ROOT)
    for connection in Connection.objects.filter(protocol="SFTP"):
        depot = base / connection.partner_code / "depot"
        if depot.is_dir():
            for path in sorted(depot.iterdir()):
                if take(connection.partner_code, path) is not None:
                    taken += 1
    return taken


def report_write(flow: Flow) -> None:
    """The compte rendu d'intégration of a flow a connection sent, in its `retour/`: the same
    content as consulterCRDetaille, as XML (namespace urn:chorale:edi:compte-rendu:1)."""
    received = (
        ReceivedFile.objects.filter(flow_number=flow.number).select_related("connection").first()
    )
    if received is None:
        return
    report = flow_report(flow)
    ns = f"{{{REPORT_NS}}}"
    root = _report(
        (
            ("NumeroFluxDepot", flow.number),
            ("NomFichier", flow.original_name),
            ("EmpreinteSha256", flow.sha256),
            ("Etat", flow.status),
            ("Qualification", "true" if flow.trial else "false"),
            ("DateDepot", flow.created_at.isoformat()),
            ("DateTraitement", (flow.processed_at or timezone.now()).isoformat()),
            ("NombreFacturesAcceptees", str(flow.accepted_count)),
            ("NombreFacturesRejetees", str(flow.rejected_count)),
        )
    )
    for item in report["documents"]:
        document = etree.SubElement(
            root,
            ns + "Document",
            rang=str(item["rang"]),
            nom=item["nom"],
            resultat=item["resultat"],
            numeroFacture=item["numeroFacture"] or "",
        )
        for error in item["erreurs"]:
            etree.SubElement(
                document,
                ns + "Erreur",
                regle=str(error.get("rule", "")),
                gravite=str(error.get("severity", "")),
                donnee=str(error.get("term", "")),
            ).text = str(error.get("message", ""))
    _report_send(received.connection, flow.number, root)
