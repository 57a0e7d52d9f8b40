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

from .models import Connection, ReceivedFile, Stage

logger = logging.getLogger(__name__)
TREE = ("depot", "retour", "annuaire")
TEMPORARY = (".tmp", ".part", ".filepart", ".partial")
REPORT_NS = "urn:chorale:edi:compte-rendu:1"


def root_of(partner_code: str) -> Path:
    root = Path(settings.CHORALE_EDI_ROOT) / partner_code
    for name in TREE:
        (root / name).mkdir(parents=True, exist_ok=True)
    return root


def is_temporary(name: str) -> bool:
    return name.startswith(".") or name.lower().endswith(TEMPORARY)


def _write(path: Path, content: bytes) -> None:
    """Whole or not at all: a client listing `retour/` never reads half a report."""
    part = path.with_name(f".{path.name}.part")
    part.write_bytes(content)
    part.replace(path)


def _report(fields: tuple[tuple[str, str], ...]) -> etree._Element:
    """A compte rendu's root with its simple fields, in order."""
    root = etree.Element(f"{{{REPORT_NS}}}CompteRenduIntegration", nsmap={None: REPORT_NS})
    for tag, value in fields:
        etree.SubElement(root, f"{{{REPORT_NS}}}{tag}").text = value
    return root


def _report_write(partner_code: str, name: str, root: etree._Element) -> None:
    _write(
        root_of(partner_code) / "retour" / f"CR_{name}.xml",
        etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True),
    )


def _refusal(connection: Connection, name: str, reason: str) -> None:
    root = _report((("NomFichier", name), ("Etat", "IN_REJETE"), ("Motif", reason)))
    _report_write(connection.partner_code, name, root)


def take(partner_code: str, path: Path) -> ReceivedFile | None:
    """Take one complete file of `depot/`: a flow for it (in qualification, a trial flow),
    or a refusal report in `retour/`; the file then leaves `depot/`."""
    connection = Connection.objects.select_related("structure", "declared_by").get(
        partner_code=partner_code
    )
    name = path.name
    if is_temporary(name) or not path.is_file():
        return None
    size = path.stat().st_size
    with override(connection.declared_by.language):
        if size > settings.CHORALE_MAX_DEPOSIT_BYTES:
            reason = gettext("Le fichier dépasse la taille maximale d'un dépôt (%(mb)s Mo).") % {
                "mb": settings.CHORALE_MAX_DEPOSIT_BYTES // (1024 * 1024)
            }
            _refusal(connection, name, reason)
            path.unlink(missing_ok=True)
            return None
        content = path.read_bytes()
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
                    ) % {"code": partner_code, "stage": Stage(connection.stage).label}
                else:
                    try:
                        flow = flow_deposit(
                            user=connection.declared_by,
                            supplier=connection.structure,
                            filename=name,
                            content=content,
                            channel=Channel.EDI,
                            trial=connection.stage == Stage.QUALIFICATION,
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
        except IntegrityError:  # the same file again: already taken
            logger.info("EDI %s: %s already taken", partner_code, name)
            path.unlink(missing_ok=True)
            return None
        if received.refusal:
            _refusal(connection, name, received.refusal)
    path.unlink(missing_ok=True)
    logger.info("EDI %s: %s taken (flow %s)", partner_code, name, received.flow_number or "—")
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
    _report_write(received.connection.partner_code, flow.number, root)
