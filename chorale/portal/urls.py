from django.urls import path

from . import views
from .views import dashboards, engagements, invoices, validation, works

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("accueil/", views.dashboard, name="dashboard"),
    path("aide/", views.help_page, name="help"),
    path("aide/questions/", views.help_questions, name="help_questions"),
    path("aide/<slug:slug>/", views.help_article_page, name="help_article"),
    path("tableau-de-bord/", dashboards.structure_dashboard, name="structure_dashboard"),
    path(
        "tableau-de-bord/delais-<str:side>.<str:fmt>",
        dashboards.delays_export,
        name="delays_export",
    ),
    path("evenements/", views.events, name="events"),
    path("evenements/recents/", views.events_recent, name="events_recent"),
    path("factures/<int:pk>/", invoices.invoice_open, name="invoice"),
    path(
        "factures/<int:pk>/pieces-jointes/<int:attachment_id>/",
        invoices.attachment_download,
        name="invoice_attachment",
    ),
    path(
        "factures/<int:pk>/documents/<int:index>/",
        invoices.supporting_document,
        name="invoice_supporting_document",
    ),
    path("factures-de-travaux/", works.works_list, name="works"),
    path("factures-de-travaux/marches/", works.works_contracts, name="works_contracts"),
    path(
        "factures-de-travaux/marches/nouveau/<int:structure_id>/",
        works.works_contract_create,
        name="works_contract_create",
    ),
    path("factures-de-travaux/<int:pk>/", works.works_detail, name="works_piece"),
    path(
        "factures-de-travaux/<int:pk>/prendre-en-compte/",
        works.works_take_view,
        name="works_take",
    ),
    path("factures-de-travaux/<int:pk>/decider/", works.works_decide_view, name="works_decide"),
    path("factures-de-travaux/<int:pk>/signer/", works.works_sign_view, name="works_sign"),
    path(
        "factures-de-travaux/<int:pk>/completer/",
        works.works_complete_view,
        name="works_complete",
    ),
    path("factures-de-travaux/<int:pk>/recycler/", works.works_recycle_view, name="works_recycle"),
    path(
        "factures-de-travaux/<int:pk>/procedure-tacite/",
        works.works_tacit_view,
        name="works_tacit",
    ),
    path("engagements/", engagements.engagement_list, name="engagements"),
    path(
        "engagements/nouveau/<int:structure_id>/",
        engagements.engagement_create,
        name="engagement_create",
    ),
    path(
        "engagements/importer/<int:structure_id>/",
        engagements.engagement_import,
        name="engagement_import",
    ),
    path("engagements/<int:pk>/", engagements.engagement_detail, name="engagement"),
    path("engagements/<int:pk>/modifier/", engagements.engagement_edit, name="engagement_edit"),
    path("engagements/<int:pk>/etat/", engagements.engagement_state, name="engagement_state"),
    # Factures émises (supplier side)
    path("factures-a-valider/", validation.to_validate_list, name="invoices_to_validate"),
    path(
        "factures-a-valider/<int:pk>/",
        validation.to_validate_detail,
        name="invoice_to_validate",
    ),
    path(
        "factures-a-valider/<int:pk>/decider/",
        validation.to_validate_process,
        name="invoice_validate",
    ),
    path(
        "factures-emises/<int:pk>/valideur/",
        validation.sent_correct_validator,
        name="invoice_correct_validator",
    ),
    path("factures-emises/", invoices.sent_list, name="invoices_sent"),
    path("factures-emises/export.<str:fmt>", invoices.sent_export, name="invoices_sent_export"),
    path("factures-emises/selection/", invoices.sent_bulk, name="invoices_sent_bulk"),
    path("factures-emises/<int:pk>/", invoices.sent_detail, name="invoice_sent"),
    path(
        "factures-emises/<int:pk>/fichier.<str:fmt>",
        invoices.sent_download,
        name="invoice_sent_download",
    ),
    path("factures-emises/<int:pk>/completer/", invoices.sent_complete, name="invoice_complete"),
    path("factures-emises/<int:pk>/recycler/", invoices.sent_recycle, name="invoice_recycle"),
    path(
        "factures-emises/<int:pk>/rejet-traite/",
        invoices.sent_acknowledge,
        name="invoice_acknowledge",
    ),
    # Factures reçues (recipient side)
    path("factures-recues/", invoices.received_list, name="invoices_received"),
    path(
        "factures-recues/export.<str:fmt>",
        invoices.received_export,
        name="invoices_received_export",
    ),
    path("factures-recues/selection/", invoices.received_bulk, name="invoices_received_bulk"),
    path("factures-recues/<int:pk>/", invoices.received_detail, name="invoice_received"),
    path(
        "factures-recues/<int:pk>/fichier.<str:fmt>",
        invoices.received_download,
        name="invoice_received_download",
    ),
    path("factures-recues/<int:pk>/traiter/", invoices.received_process, name="invoice_process"),
]
