"""Who sees and who records engagements juridiques, and the writes: typed, imported (all the
table or nothing), closed, deactivated or reopened."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from chorale.core.errors import BusinessError
from chorale.structures.models import Space, Structure
from chorale.structures.selectors import structures_with_space

from .forms import COLUMNS, EngagementForm, plain_amount
from .models import Engagement, EngagementState, WorksContract, supplier_names
from .table import table_rows


def issuing_structures(user, space: str = Space.ENGAGEMENTS) -> QuerySet[Structure]:
    """The public structures whose engagements (or works contracts) this user records."""
    return structures_with_space(user, space).filter(is_private=False)


def supplier_identifiers(user) -> set[str]:
    """The identifiers engagements name this user's structures by (SIRET, and its SIREN)."""
    mine = structures_with_space(user, Space.ENGAGEMENTS).values_list("identifier", flat=True)
    return {name for identifier in mine for name in supplier_names(identifier)}


def engagements_visible(user) -> QuerySet[Engagement]:
    """Those the user's public structures issued, and those addressed to its structures
    (the supplier side calls them « commandes »)."""
    return Engagement.objects.filter(
        Q(structure__in=issuing_structures(user))
        | Q(supplier_identifier__in=supplier_identifiers(user))
    ).select_related("structure", "service")


def engagement_for(user, pk: int, *, manage: bool = False) -> Engagement:
    """One engagement this user may see (404 otherwise), or change when `manage`."""
    engagement = engagements_visible(user).filter(pk=pk).first()
    if engagement is None:
        raise Http404
    if manage and not issuing_structures(user).filter(pk=engagement.structure_id).exists():
        raise PermissionDenied
    return engagement


def issuer_for(user, structure_id: int, space: str = Space.ENGAGEMENTS) -> Structure:
    structure = issuing_structures(user, space).filter(pk=structure_id).first()
    if structure is None:
        raise PermissionDenied
    return structure


def works_contracts_visible(user) -> QuerySet[WorksContract]:
    """The works contracts one of the user's structures (espace « Factures de travaux ») is
    party to: as buyer, MOA, MOE or company."""
    mine = structures_with_space(user, Space.WORKS).values("pk")
    return (
        WorksContract.objects.filter(
            Q(buyer__in=mine) | Q(moa__in=mine) | Q(moe__in=mine) | Q(suppliers__in=mine)
        )
        .select_related("buyer", "moa", "moe")
        .distinct()
    )


def engagement_state_set(*, user, engagement_id: int, state: str) -> Engagement:
    if state not in EngagementState.values:
        raise BusinessError(gettext("État d'engagement inconnu."), "engagement_state_unknown")
    engagement = engagement_for(user, engagement_id, manage=True)
    engagement.state = state
    engagement.save(update_fields=["state", "updated_at"])
    return engagement


def _row_data(row: dict[str, str]) -> dict[str, str]:
    data = {field: row.get(column, "") for column, field in COLUMNS.items()}
    data["amount"] = plain_amount(data["amount"])
    kind = data["kind"].strip().upper().replace(" ", "_")
    data["kind"] = kind or "BON_DE_COMMANDE"
    return data


@transaction.atomic
def engagements_import(*, user, structure: Structure, name: str, content: bytes) -> dict:
    """Every line of the table recorded — a known number updated, a new one created — or, when
    a line is wrong, nothing at all and each mistake with its line and column."""
    rows = table_rows(name, content)
    missing = {"numero", "siret_fournisseur", "montant_ttc", "date_notification"} - set(
        rows[0] if rows else {}
    )
    if rows and missing:
        raise BusinessError(
            gettext("Colonnes manquantes dans l'en-tête : %(columns)s.")
            % {"columns": ", ".join(sorted(missing))},
            "table_columns",
        )
    existing = {e.number: e for e in Engagement.objects.filter(structure=structure)}
    errors: list[str] = []
    forms: list[EngagementForm] = []
    seen: set[str] = set()
    for row in rows:
        data = _row_data(row)
        form = EngagementForm(data, structure=structure, instance=existing.get(data["number"]))
        if data["number"] in seen:
            form.add_error("number", gettext("Ce numéro figure deux fois dans le fichier."))
        seen.add(data["number"])
        if not form.is_valid():
            columns = {field: column for column, field in COLUMNS.items()}
            for field, messages in form.errors.items():
                for message in messages:
                    errors.append(
                        gettext("Ligne %(line)s, colonne %(column)s : %(message)s")
                        % {
                            "line": row["_line"],
                            "column": columns.get(field, "—"),
                            "message": message,
                        }
                    )
        forms.append(form)
    if errors:
        raise BusinessError("\n".join(errors[:50]), "table_invalid")
    created = updated = 0
    for form in forms:
        is_new = form.instance.pk is None
        engagement = form.save(commit=False)
        if is_new:
            engagement.created_by = user
        engagement.save()
        created, updated = created + is_new, updated + (not is_new)
    return {"created": created, "updated": updated}
