"""Every business refusal the API answers, with its stable `codeRetour` and `libelle`: Chorus
Pro's own message codes where the reference service has one (chorus-api.md §1.4), otherwise a
label in French words in the same style (« NUMERO_MANDAT_OBLIGATOIRE »). The French `message`
beside it says what is wrong; a test proves every code raised by the services is here."""

BUSINESS_CODES: dict[str, tuple[int, str]] = {
    # Chorus Pro's own codes.
    "not_found": (20000, "GDP_MSG_11.008"),
    "not_member": (20001, "GDP_MSG_11.005"),
    "file_too_large": (20001, "GDP_MSG_11.022"),
    "not_suspended": (20002, "GDP_MSG_11.033"),
    "works_none": (20007, "GFT_MSG_01.075"),  # facturesTravaux/v1/rechercher: no result
    "transition_not_allowed": (20010, "GDP_MSG_11.001"),
    # Invoices and their life cycle.
    "payment_order_required": (20011, "NUMERO_MANDAT_OBLIGATOIRE"),
    "conflict": (20012, "FACTURE_MODIFIEE_ENTRE_TEMPS"),
    "invoice_rejected": (20013, "FACTURE_REJETEE"),  # soumettre, with listeErreurs
    "not_rejected": (20021, "FACTURE_NON_REJETEE"),
    "not_to_recycle": (20014, "FACTURE_NON_A_RECYCLER"),
    "no_lines": (20015, "FACTURE_SANS_LIGNE"),
    "frame_unsupported": (20016, "CADRE_FACTURATION_NON_PRIS_EN_CHARGE"),
    "bank_unknown": (20017, "COORDONNEES_BANCAIRES_INCONNUES"),
    "attachment_unknown": (20018, "PIECE_JOINTE_INCONNUE"),
    "attachment_too_large": (20019, "PIECE_JOINTE_TROP_VOLUMINEUSE"),
    "empty_file": (20020, "FICHIER_VIDE"),
    # Routing to the recipient.
    "recipient_unknown": (20030, "DESTINATAIRE_INCONNU"),
    "inactive_recipient": (20031, "DESTINATAIRE_INACTIF"),
    "service_unknown": (20032, "SERVICE_INCONNU"),
    "service_required": (20033, "CODE_SERVICE_OBLIGATOIRE"),
    "engagement_required": (20034, "NUMERO_ENGAGEMENT_OBLIGATOIRE"),
    "service_or_engagement_required": (20035, "CODE_SERVICE_OU_ENGAGEMENT_OBLIGATOIRE"),
    "engagement_unknown": (20036, "ENGAGEMENT_INCONNU"),
    "engagement_other_supplier": (20037, "ENGAGEMENT_AUTRE_FOURNISSEUR"),
    "engagement_closed": (20038, "ENGAGEMENT_CLOS"),
    "engagement_exhausted": (20039, "ENGAGEMENT_EPUISE"),
    # Structures, memberships and espaces.
    "supplier_inactive": (20040, "FOURNISSEUR_INACTIF"),
    "structure_inactive": (20041, "STRUCTURE_INACTIVE"),
    "structure_draft": (20042, "STRUCTURE_NON_VALIDEE"),
    "structure_exists": (20043, "STRUCTURE_EXISTANTE"),
    "unknown_structure": (20044, "STRUCTURE_INCONNUE"),
    "forbidden": (20045, "ACTION_NON_AUTORISEE"),
    "forbidden_structure": (20046, "STRUCTURE_NON_AUTORISEE"),
    "already_member": (20047, "DEJA_RATTACHE"),
    "already_principal": (20048, "DEJA_GESTIONNAIRE_PRINCIPAL"),
    "principal_active": (20049, "GESTIONNAIRE_PRINCIPAL_ACTIF"),
    "principal_cannot_leave": (20050, "GESTIONNAIRE_PRINCIPAL_NON_DETACHABLE"),
    "principal_transfer_only": (20051, "GESTIONNAIRE_PRINCIPAL_PAR_TRANSFERT"),
    "inactive_user": (20052, "UTILISATEUR_INACTIF"),
    "invalid_role": (20053, "ROLE_INVALIDE"),
    "invalid_action": (20054, "ACTION_INVALIDE"),
    "evidence_required": (20055, "JUSTIFICATIF_OBLIGATOIRE"),
    "reason_required": (20056, "MOTIF_OBLIGATOIRE"),
    "request_pending": (20057, "DEMANDE_EN_COURS"),
    "request_decided": (20058, "DEMANDE_DEJA_INSTRUITE"),
    "space_exists": (20059, "ESPACE_DEJA_OUVERT"),
    "unknown_space": (20060, "ESPACE_INCONNU"),
    "mandate_active": (20061, "MANDAT_FACTURATION_DEJA_ACTIF"),
    "no_mandate": (20062, "MANDAT_FACTURATION_ABSENT"),
    # Sollicitations.
    "empty_message": (20070, "MESSAGE_VIDE"),
    "empty_subject": (20071, "OBJET_VIDE"),
    "unknown_category": (20072, "CATEGORIE_INCONNUE"),
    "unknown_subcategory": (20073, "SOUS_CATEGORIE_INCONNUE"),
    "unknown_invoice": (20074, "FACTURE_INCONNUE"),
    "unknown_flow": (20075, "FLUX_INCONNU"),
    "unknown_assignee": (20076, "DESTINATAIRE_SOLLICITATION_INCONNU"),
    "unknown_request_type": (20077, "TYPE_DEMANDE_INCONNU"),
    "same_structure": (20078, "MEME_STRUCTURE"),
    "request_closed": (20079, "SOLLICITATION_CLOSE"),
    "request_not_closed": (20080, "SOLLICITATION_NON_CLOSE"),
    # API accounts and webhooks.
    "revoked": (20090, "ACCES_REVOQUE"),
    "webhook_url": (20091, "ADRESSE_WEBHOOK_INVALIDE"),
    # EDI connections.
    "unknown_connection": (20092, "RACCORDEMENT_INCONNU"),
    # Validation circuits (cadres A9, A12).
    "validator_unknown": (20093, "VALIDEUR_INCONNU"),
    "validator_service_unknown": (20094, "SERVICE_VALIDEUR_INCONNU"),
    "validator_is_supplier": (20095, "VALIDEUR_EST_FOURNISSEUR"),
    "not_awaited": (20096, "FACTURE_NON_A_VALIDER"),
    "reason_unknown": (20097, "MOTIF_REFUS_INCONNU"),
    "action_unknown": (20098, "ACTION_INCONNUE"),
    # Engagements juridiques and their import.
    "engagement_state_unknown": (20081, "ETAT_ENGAGEMENT_INCONNU"),
    "table_too_large": (20082, "FICHIER_TROP_VOLUMINEUX"),
    "table_unreadable": (20083, "FICHIER_ILLISIBLE"),
    "table_empty": (20084, "FICHIER_VIDE_SANS_EN_TETE"),
    "table_columns": (20085, "COLONNES_MANQUANTES"),
    "table_invalid": (20086, "LIGNES_INVALIDES"),
    # Works pieces (« Factures de travaux »).
    "amount_invalid": (20063, "MONTANT_ADMIS_INVALIDE"),
    "amount_not_a_refusal": (20064, "REFUS_POUR_MONTANT_IMPOSSIBLE"),
    "role_unknown": (20065, "ROLE_INCONNU"),
    "works_contract_unknown": (20066, "MARCHE_TRAVAUX_INCONNU"),
}
UNLISTED = (20099, "REFUS_METIER")  # never answered while the table is complete (tested)
