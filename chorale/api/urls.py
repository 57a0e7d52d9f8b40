"""The API's addresses: the token at /api/oauth/token, the Chorus Pro paths from the site root
(/cpro/…), so that a client only swaps its two base URLs; the OpenAPI document and its pages."""

from django.urls import path, re_path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import pages
from .views import (
    deposits,
    engagements,
    invoices,
    lookups,
    structures,
    token,
    transverses,
    validation,
    works,
)

FACTURES = "cpro/factures/v1/"
STRUCTURES = "cpro/structures/v1/"
TRANSVERSES = "cpro/transverses/v1/"
ENGAGEMENTS = "cpro/engagementsJuridiques/v1/"
WORKS = "cpro/facturesTravaux/v1/"

api_patterns = [
    path("api/oauth/token", token.token, name="token"),
    path(FACTURES + "deposer/flux", deposits.deposer_flux),
    path(FACTURES + "deposer/pdf", deposits.deposer_pdf),
    path(FACTURES + "soumettre", deposits.soumettre),
    path(FACTURES + "completer", deposits.completer),
    path(FACTURES + "recycler", deposits.recycler),
    path(FACTURES + "traiterRejet", deposits.traiter_rejet),
    path(FACTURES + "consulter/fournisseur", invoices.consulter_fournisseur),
    path(FACTURES + "consulter/recipiendaire", invoices.consulter_recipiendaire),
    path(FACTURES + "consulter/historique", invoices.consulter_historique),
    path(FACTURES + "rechercher/fournisseur", invoices.rechercher_fournisseur),
    path(FACTURES + "rechercher/recipiendaire", invoices.rechercher_recipiendaire),
    path(FACTURES + "traiter/recue", invoices.traiter_recue),
    path(FACTURES + "rechercher/valideur", validation.rechercher_valideur),
    path(FACTURES + "consulter/valideur", validation.consulter_valideur),
    path(FACTURES + "traiter/factureAValider", validation.traiter_a_valider),
    path(FACTURES + "corriger/valideur/facture", validation.corriger_valideur),
    path(
        FACTURES + "recuperer/statutsFactureVisibles/valideur",
        validation.statuts_visibles_valideur,
    ),
    path(FACTURES + "telecharger/groupe", invoices.telecharger_groupe),
    path(WORKS + "rechercher", works.rechercher),
    path(WORKS + "consulter", works.consulter),
    path(WORKS + "traiter", works.traiter),
    path(WORKS + "signer/decompteGeneral", works.signer),
    path(WORKS + "engager/procedureTacite", works.procedure_tacite),
    path(WORKS + "suspendre/demander/completer", works.demander_complement),
    path(WORKS + "demander/recyclage", works.demander_recyclage),
    path(WORKS + "completer", works.completer),
    path(WORKS + "recycler", works.recycler),
    path(ENGAGEMENTS + "rechercher", engagements.rechercher),
    path(ENGAGEMENTS + "consulter", engagements.consulter),
    path(STRUCTURES + "rechercher", structures.rechercher),
    path(STRUCTURES + "consulter", structures.consulter),
    path(STRUCTURES + "rechercher/services", structures.rechercher_services),
    path(STRUCTURES + "consulter/service", structures.consulter_service),
    path(
        "cpro/utilisateurs/v1/monCompte/recuperer/rattachements",
        structures.rattachements,
    ),
    path(TRANSVERSES + "health-check", transverses.health_check),
    path(TRANSVERSES + "consulterCR", transverses.consulter_cr),
    path(TRANSVERSES + "consulterCRDetaille", transverses.consulter_cr_detaille),
    path(TRANSVERSES + "ajouter/fichier", transverses.ajouter_fichier),
    path(TRANSVERSES + "recuperer/etats/traitement", invoices.etats_traitement),
    path(TRANSVERSES + "rechercher/destinataire", transverses.rechercher_destinataire),
    path(TRANSVERSES + "telecharger/annuaire/destinataire", transverses.annuaire_destinataire),
    path(TRANSVERSES + "consulter/information/siret", transverses.information_siret),
    path(TRANSVERSES + "recuperer/structures/actives/fournisseur", lookups.actives_fournisseur),
    path(TRANSVERSES + "recuperer/structures/actives/destinataire", lookups.actives_destinataire),
    path(
        TRANSVERSES + "recuperer/structures/actives/facturetravaux",
        lookups.actives_facture_travaux,
    ),
    path(TRANSVERSES + "recuperer/structuresPourUtilisateur", lookups.structures_pour_utilisateur),
    path(TRANSVERSES + "recuperer/utilisateurCourant", lookups.utilisateur_courant),
    path(TRANSVERSES + "recuperer/coordbanc/valides", lookups.coordonnees_bancaires),
    path(TRANSVERSES + "recuperer/etat/typedp", lookups.etats_type_dp),
    path(TRANSVERSES + "recuperer/typedp", lookups.types_dp),
    path(TRANSVERSES + "recuperer/motifs/refus/Facture/AValider", lookups.motifs_refus),
    path(TRANSVERSES + "rechercher/categorieSollicitation", lookups.categories_sollicitation),
    path(
        TRANSVERSES + "rechercher/sousCategorieSollicitation", lookups.sous_categories_sollicitation
    ),
    path(TRANSVERSES + "rechercher/pj/moncompte", lookups.pieces_jointes_mon_compte),
    path(TRANSVERSES + "rechercher/pj/structure", lookups.pieces_jointes_structure),
    path(TRANSVERSES + "telecharger/pieceJointe", lookups.telecharger_piece_jointe),
    *[
        path(f"{TRANSVERSES}recuperer/{name}", view)
        for name, view in transverses.REFERENCE_VIEWS.items()
    ],
    re_path(r"^cpro/(?P<path>.*)$", transverses.unknown),
]

# Swagger UI and Redoc start from an inline script (files served by the site itself).
DOCS_CSP = csp_override(
    {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "img-src": [CSP.SELF, "data:"],
        "worker-src": [CSP.SELF, "blob:"],
        "frame-ancestors": [CSP.NONE],
    }
)

urlpatterns = [
    *api_patterns,
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        DOCS_CSP(SpectacularSwaggerView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("api/redoc/", DOCS_CSP(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path("structures/<int:pk>/raccordements/", pages.connections, name="connections"),
    path(
        "structures/<int:pk>/raccordements/<int:account_id>/",
        pages.connection_action,
        name="connection_action",
    ),
    path("structures/<int:pk>/webhooks/", pages.webhook_add, name="webhook_add"),
    path(
        "structures/<int:pk>/webhooks/<int:webhook_id>/",
        pages.webhook_action,
        name="webhook_action",
    ),
]

app_name = "api"
