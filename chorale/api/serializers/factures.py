"""Factures: deposits, submission, searches, consultation, processing, downloads."""

from rest_framework import serializers

from .common import (
    Base64File,
    Envelope,
    Input,
    Integer,
    OneOrMany,
    Paging,
    PagingOut,
    amount,
    boolean,
    day,
    integer,
    moment,
    out,
    text,
    texts,
)

# deposer/flux, deposer/pdf -----------------------------------------------------------------


class DeposerFluxIn(Input):
    fichierFlux = Base64File()
    nomFichier = serializers.CharField(max_length=255)
    syntaxeFlux = text(max_length=60)
    avecSignature = boolean()
    idUtilisateurCourant = integer()


class DeposerFluxOut(Envelope):
    numeroFluxDepot = serializers.CharField()
    dateDepot = serializers.DateField()
    syntaxeFlux = serializers.CharField(allow_null=True)


class DeposerPdfIn(Input):
    fichierFacture = Base64File()
    nomFichier = serializers.CharField(max_length=255)
    formatDepot = text()
    idUtilisateurCourant = integer()


class DeposerPdfOut(Envelope):
    pieceJointeId = Integer()
    numeroFacture = serializers.CharField(allow_null=True)
    dateFacture = serializers.CharField(allow_null=True)
    codeDestinataire = serializers.CharField(allow_null=True)
    codeServiceExecutant = serializers.CharField(allow_null=True)
    codeFournisseur = serializers.CharField(allow_null=True)
    codeDeviseFacture = serializers.CharField(allow_null=True)
    typeFacture = serializers.CharField(allow_null=True)
    typeTva = serializers.CharField(allow_null=True)
    numeroBonCommande = serializers.CharField(allow_null=True)
    montantTtcAvantRemiseGlobalTTC = amount()
    montantAPayer = amount()
    montantHtTotal = amount()
    montantTVA = amount()


# soumettre ---------------------------------------------------------------------------------


class Destinataire(Input):
    codeDestinataire = serializers.CharField()
    codeServiceExecutant = text()


class Fournisseur(Input):
    aliases = {"idStructureCPP": "idFournisseur"}
    idFournisseur = integer()
    idServiceFournisseur = integer()
    codeCoordonneesBancairesFournisseur = integer()


class Cadre(Input):
    codeCadreFacturation = text()
    codeServiceValideur = text()
    codeStructureValideur = text()


class References(Input):
    deviseFacture = text(max_length=3)
    typeFacture = text()
    typeTva = text()
    modePaiement = text()
    motifExonerationTva = text(max_length=250)
    numeroMarche = text()
    numeroBonCommande = text(max_length=50)
    numeroFactureOrigine = text(max_length=100)


class LignePoste(Input):
    lignePosteNumero = integer()
    lignePosteReference = text()
    lignePosteDenomination = serializers.CharField(max_length=250)
    lignePosteQuantite = amount(min_value=0)
    lignePosteUnite = text()
    lignePosteMontantUnitaireHT = amount(min_value=0)
    lignePosteMontantRemiseHT = amount(min_value=0)
    lignePosteTauxTva = text()
    lignePosteTauxTvaManuel = amount(min_value=0)


class LigneTva(Input):
    """One VAT rate's line, its rate in any of the forms clients send: a code (TVA20) or a rate
    in ligneTvaTaux, the reference code, id or value (recuperer/tauxtva), or a manual rate."""

    ligneTvaTaux = text()
    ligneTvaTauxRefCode = text()
    ligneTvaTauxRefId = integer(min_value=1)
    ligneTvaTauxRefValeur = amount(min_value=0)
    ligneTvaTauxManuel = amount(min_value=0)
    ligneTvaMontantBaseHtParTaux = amount()
    ligneTvaMontantTvaParTaux = amount()


class MontantTotal(Input):
    montantHtTotal = amount()
    montantTVA = amount()
    montantTtcTotal = amount()
    montantRemiseGlobaleTTC = amount()
    motifRemiseGlobaleTTC = text()
    montantAPayer = amount()


class PieceJointePrincipale(Input):
    pieceJointePrincipaleDesignation = text()
    pieceJointePrincipaleId = Integer()


class PieceJointeComplementaire(Input):
    pieceJointeComplementaireDesignation = text()
    pieceJointeComplementaireId = Integer()
    pieceJointeComplementaireIdLiaison = integer()
    pieceJointeComplementaireNumeroLigneFacture = integer()
    pieceJointeComplementaireType = text()


class SoumettreIn(Input):
    modeDepot = serializers.ChoiceField(["SAISIE_API", "DEPOT_PDF_API", "DEPOT_PDF_SIGNE_API"])
    numeroFactureSaisi = text(max_length=100)
    dateFacture = day()
    idUtilisateurCourant = integer()
    commentaire = text(max_length=1024)
    destinataire = Destinataire()
    fournisseur = Fournisseur()
    cadreDeFacturation = Cadre(required=False)
    references = References()
    lignePoste = OneOrMany(child=LignePoste(), required=False)
    ligneTva = OneOrMany(child=LigneTva(), required=False)
    montantTotal = MontantTotal(required=False)
    pieceJointePrincipale = OneOrMany(child=PieceJointePrincipale(), required=False)
    pieceJointeComplementaire = OneOrMany(child=PieceJointeComplementaire(), required=False)


class SoumettreOut(Envelope):
    identifiantFactureCPP = Integer()
    numeroFacture = serializers.CharField()
    dateDepot = serializers.DateField()
    statutFacture = serializers.CharField()
    identifiantStructure = serializers.CharField()
    numeroFluxDepot = serializers.CharField()
    empreinteCertificatDepot = serializers.CharField()


class SoumettreRefusOut(Envelope):
    message = serializers.CharField()
    listeErreurs = serializers.ListField(child=serializers.DictField())


# completer, recycler, traiterRejet, traiter/recue -------------------------------------------


class PieceJointeCompleter(Input):
    pieceJointeId = Integer()
    pieceJointeDesignation = text()


class InvoiceActionIn(Input):
    """A call on one invoice: idFacture (or identifiantFactureCPP)."""

    aliases = {"identifiantFactureCPP": "idFacture"}
    idFacture = Integer()
    idUtilisateurCourant = integer()


class CompleterIn(InvoiceActionIn):
    commentaire = serializers.CharField(max_length=2000)
    listePiecesJointes = OneOrMany(child=PieceJointeCompleter(), required=False)


class CompleterOut(Envelope):
    idFacture = Integer()
    numeroFacture = serializers.CharField()
    statutFacture = serializers.CharField()
    dateTraitement = serializers.DateField()


class RecyclerIn(InvoiceActionIn):
    idDestinataire = integer()
    codeDestinataire = text()
    codeServiceExecutant = text()
    idServiceExecutant = integer()
    numeroEngagement = text(max_length=50)


class TraiterRejetIn(Input):
    aliases = {"idFacture": "listeIdFacture", "listeFactures": "listeIdFacture"}
    listeIdFacture = serializers.ListField(child=serializers.JSONField())
    idUtilisateurCourant = integer()


class TraiterRejetOut(Envelope):
    listeIdFacture = serializers.ListField(child=Integer())


class TraiterRecueIn(InvoiceActionIn):
    nouveauStatut = serializers.CharField()
    motif = text(max_length=2000)
    numeroDPMandat = text(max_length=50)


class TraiterRecueOut(Envelope):
    idFacture = Integer()
    numeroFacture = serializers.CharField()
    dateTraitement = serializers.DateField()
    nouveauStatut = serializers.CharField()


# rechercher -----------------------------------------------------------------------------------


class InvoiceSearch(Input):
    """The criteria both searches share (lifecycle.selectors.InvoiceFilters reads them)."""

    numeroFacture = text()
    numeroBonCommande = text()
    periodeDateDepotDu = day()
    periodeDateDepotAu = day()
    periodeDateFactureDu = day()
    periodeDateFactureAu = day()
    periodeDateHeureEtatCourantDu = moment()
    periodeDateHeureEtatCourantAu = moment()
    montantHTMin = amount()
    montantHTMax = amount()
    montantTTCMin = amount()
    montantTTCMax = amount()
    montantApayerMin = amount()
    montantApayerMax = amount()


class DestinataireFiltre(Input):
    idDestinataire = integer()
    listeIdServiceExecutant = serializers.ListField(child=Integer(), required=False)


class RechercherFournisseurIn(InvoiceSearch):
    aliases = {"pagination": "rechercheFactureParFournisseur"}
    numeroFluxDepot = text()
    typeFacture = text()
    typeDemandePaiement = text()
    idFournisseur = integer()
    idServiceFournisseur = integer()
    listeDestinataire = serializers.ListField(child=DestinataireFiltre(), required=False)
    statutCourant = texts()
    rejetTraite = boolean()
    rechercheFactureParFournisseur = Paging(required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict) and isinstance(data.get("statutCourant"), str):
            data = {**data, "statutCourant": [data["statutCourant"]]}
        return super().to_internal_value(data)


class InvoiceRowOut(serializers.Serializer):
    """The columns both searches share (present._common)."""

    numeroFacture = serializers.CharField()
    typeDemandePaiement = serializers.CharField()
    typeFacture = serializers.CharField()
    statut = serializers.CharField()
    dateFacture = serializers.DateField()
    dateDepot = serializers.DateField()
    dateHeureEtatCourant = serializers.CharField()
    commentaireEtatCourant = serializers.CharField(allow_null=True)
    codeFournisseur = serializers.CharField()
    typeIdentifiantFournisseur = serializers.CharField()
    designationFournisseur = serializers.CharField()
    idDestinataire = Integer(allow_null=True)
    codeDestinataire = serializers.CharField()
    designationDestinataire = serializers.CharField()
    idServiceExecutant = Integer(allow_null=True)
    codeServiceExecutant = serializers.CharField(allow_null=True)
    nomServiceExecutant = serializers.CharField(allow_null=True)
    montantHT = amount()
    montantTTC = amount()
    montantAPayer = amount()
    devise = serializers.CharField()
    numeroBonCommande = serializers.CharField(allow_null=True)


class FactureFournisseurOut(InvoiceRowOut):
    identifiantFactureCPP = Integer()
    numeroFluxDepot = serializers.CharField(allow_null=True)
    modeDepot = serializers.CharField()
    nomPrenomUtilisateurCreateur = serializers.CharField(allow_null=True)
    taille = Integer(allow_null=True)
    rejetTraite = serializers.BooleanField()
    numeroFactureOrigine = serializers.CharField(allow_null=True)


class RechercherFournisseurOut(Envelope):
    listeFactures = out(FactureFournisseurOut, many=True)
    parametresRetour = PagingOut()


class FournisseurFiltre(Input):
    idFournisseur = integer()
    listeIdService = serializers.ListField(child=Integer(), required=False)


class RechercherRecipiendaireIn(InvoiceSearch):
    aliases = {"pagination": "paramRecherche"}
    typeDemandePaiement = text()
    idDestinataire = integer()
    idServiceExecutant = integer()
    listeFournisseurs = serializers.ListField(child=FournisseurFiltre(), required=False)
    statutCourant = text()
    listeTypeFacture = texts()
    factureTelechargeeParDestinataire = boolean()
    paramRecherche = Paging(required=False)


class FactureRecueOut(InvoiceRowOut):
    idFacture = Integer()
    idFournisseur = Integer()
    factureTelechargeeParDestinataire = serializers.BooleanField()


class RechercherRecipiendaireOut(Envelope, PagingOut):
    listeFactures = out(FactureRecueOut, many=True)


# consulter --------------------------------------------------------------------------------


class ConsulterIn(Input):
    aliases = {"idFacture": "identifiantFactureCPP"}
    identifiantFactureCPP = Integer()
    idUtilisateurCourant = integer()
    codeLangue = text()


class LignePosteOut(serializers.Serializer):
    lignePosteNumero = Integer()
    lignePosteReference = serializers.CharField(allow_null=True)
    lignePosteDenomination = serializers.CharField()
    lignePosteQuantite = amount()
    lignePosteUnite = serializers.CharField(allow_null=True)
    lignePosteMontantUnitaireHT = amount()
    lignePosteMontantRemiseHT = amount()
    lignePosteMontantHtApresRemise = amount()
    lignePosteTauxTva = serializers.CharField(allow_null=True)
    lignePosteTauxTvaManuel = amount()


class LigneTvaOut(serializers.Serializer):
    ligneTvaTauxRefCode = serializers.CharField(allow_null=True)
    ligneTvaTauxRefValeur = amount()
    ligneTvaCategorie = serializers.CharField()
    ligneTvaMontantBaseHtParTaux = amount()
    ligneTvaMontantTvaParTaux = amount()


class PieceJointeOut(serializers.Serializer):
    pieceJointeId = Integer()
    pieceJointeDesignation = serializers.CharField()
    pieceJointeExtension = serializers.CharField(allow_null=True)
    pieceJointeTypeCode = serializers.CharField()


class FactureDetailOut(serializers.Serializer):
    identifiantFactureCPP = Integer()
    numeroFacture = serializers.CharField()
    statutFacture = serializers.CharField()
    modeDepot = serializers.CharField()
    commentaire = serializers.CharField(allow_null=True)
    numeroFluxDepot = serializers.CharField(allow_null=True)
    cadreDeFacturation = serializers.DictField()
    destinataire = serializers.DictField()
    fournisseur = serializers.DictField()
    references = serializers.DictField()
    montantTotal = serializers.DictField()
    lignesDePoste = serializers.DictField(child=LignePosteOut(many=True))
    recapitulatifDeTva = serializers.DictField(child=LigneTvaOut(many=True))
    listeDesPiecesJointes = serializers.DictField(child=PieceJointeOut(many=True))


class ConsulterOut(Envelope):
    facture = FactureDetailOut()


class HistoriqueIn(InvoiceActionIn):
    idEspace = integer()
    nbResultatsMaximum = integer(min_value=1)


class HistoStatutOut(serializers.Serializer):
    histoStatutId = Integer()
    histoStatutCode = serializers.CharField()
    histoStatutDatePassage = serializers.CharField()
    histoStatutCommentaire = serializers.CharField(allow_null=True)
    histoStatutCodeReforme = Integer(allow_null=True)
    histoStatutUtilisateurNom = serializers.CharField(allow_null=True)
    histoStatutUtilisateurPrenom = serializers.CharField(allow_null=True)
    histoStatutUtilisateurEmail = serializers.CharField(allow_null=True)


class HistoriqueStatutsOut(serializers.Serializer):
    histoStatut = HistoStatutOut(many=True)
    nbResultatsParPage = Integer()
    pageCourante = Integer()
    pages = Integer()
    total = Integer()


class HistoriqueOut(Envelope):
    idFacture = Integer()
    numeroFacture = serializers.CharField()
    modeDepot = serializers.CharField()
    statutCourantCode = serializers.CharField()
    historiquesDesStatuts = HistoriqueStatutsOut()
    historiquesDesActionsUtilisateurs = serializers.DictField()
    historiquesDesEvenementsComplementaires = serializers.DictField()


# telecharger/groupe ---------------------------------------------------------------------------


class FactureRef(Input):
    aliases = {"identifiantFactureCPP": "idFacture"}
    idFacture = Integer()


class TelechargerGroupeIn(Input):
    listeFacture = serializers.ListField(child=FactureRef(), min_length=1, max_length=1000)
    format = serializers.ChoiceField(["PDF", "PIVOT", "XML"], required=False, allow_null=True)
    avecPiecesJointesComplementaires = text()
    idEspace = integer()
    idUtilisateurCourant = integer()


class TelechargerGroupeOut(Envelope):
    fichierResultat = serializers.CharField()
    nomFichier = serializers.CharField()
