"""The directory of public recipients (structures, services and their parameters), as Chorus
Pro gives it (`telecharger/annuaire/destinataire`, and daily in the EDI connections'
`annuaire/`): a zip holding one CSV for a French spreadsheet."""

import csv
import io
import zipfile

from chorale.core.export import spreadsheet_safe

from .selectors import public_structure_queryset


def recipients_directory_zip() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            "idStructureCPP",
            "siret",
            "raisonSociale",
            "codePostal",
            "ville",
            "codeServiceDoitEtreRenseigne",
            "numeroEJDoitEtreRenseigne",
            "codeService",
            "libelleService",
            "serviceNumeroEJ",
        ]
    )
    structures = public_structure_queryset().prefetch_related("services").order_by("identifier")
    for st in structures.iterator(chunk_size=2000):
        head = [
            st.pk,
            st.identifier,
            st.company_name,
            st.postal_code,
            st.city,
            int(st.requires_service_code),
            int(st.requires_engagement),
        ]
        services = [sv for sv in st.services.all() if sv.is_active]
        for service in services or [None]:
            writer.writerow(
                spreadsheet_safe(value)
                for value in head
                + (
                    [service.code, service.label, int(service.requires_engagement)]
                    if service
                    else ["", "", ""]
                )
            )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("annuaire-destinataires.csv", "\ufeff" + buffer.getvalue())
    return archive.getvalue()
