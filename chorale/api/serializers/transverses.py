"""Transverses: health check, comptes rendus of flows, files, reference lists, directory."""

from rest_framework import serializers

from .common import Base64File, Envelope, Input, Integer, Paging, PagingOut, text


class HealthCheckOut(serializers.Serializer):
    body = serializers.CharField()
    statusCode = serializers.CharField()
    statusCodeValue = Integer()


class FluxIn(Input):
    numeroFluxDepot = serializers.CharField(max_length=25)
    dateDepot = text()
    syntaxeFlux = text()


class ConsulterCROut(Envelope):
    numeroFluxDepot = serializers.CharField()
    nomFichierFlux = serializers.CharField()
    dateDepotFlux = serializers.CharField()
    etatCourantFlux = serializers.CharField()
    dateHeureEtatCourantFlux = serializers.CharField()
    codeInterfaceFlux = serializers.CharField()
    codeAppliPartenaire = serializers.CharField(allow_null=True)
    designationPartenaire = serializers.CharField(allow_null=True)
    fichierCR = serializers.CharField(allow_null=True)


class ErreurDPOut(serializers.Serializer):
    numeroDP = serializers.CharField(allow_null=True)
    identifiantFournisseur = serializers.CharField(allow_null=True)
    identifiantDestinataire = serializers.CharField(allow_null=True)
    libelleErreurDP = serializers.CharField()
    codeErreurDP = serializers.CharField()
    champ = serializers.CharField(allow_null=True)
    cheminXPath = serializers.CharField(allow_null=True)  # where the rule is broken
    rangDocument = Integer()


class ErreurTechniqueOut(serializers.Serializer):
    codeErreur = serializers.CharField()
    libelleErreur = serializers.CharField()
    natureErreur = serializers.CharField()


class ConsulterCRDetailleOut(Envelope):
    numeroFluxDepot = serializers.CharField()
    nomFichier = serializers.CharField()
    dateDepotFlux = serializers.CharField()
    codeInterfaceDepotFlux = serializers.CharField()
    etatCourantDepotFlux = serializers.CharField()
    dateHeureEtatCourantFlux = serializers.CharField()
    listeErreurDP = ErreurDPOut(many=True)
    listeErreurTechnique = ErreurTechniqueOut(many=True)


class AjouterFichierIn(Input):
    pieceJointeFichier = Base64File()
    pieceJointeNom = serializers.CharField(max_length=50)
    pieceJointeTypeMime = text(max_length=255)
    pieceJointeExtension = text(max_length=10)


class AjouterFichierOut(Envelope):
    pieceJointeId = Integer()


class EtatsTraitementIn(Input):
    aliases = {"statut": "statutCourant"}
    statutCourant = serializers.CharField()
    idFacture = Integer(required=False, allow_null=True)


class StatutPossibleOut(serializers.Serializer):
    statutPossiblePourTraitement = serializers.CharField()


class EtatsTraitementOut(Envelope):
    listeStatutsPossiblesPourTraitement = StatutPossibleOut(many=True)


class LangueIn(Input):
    codeLangue = text()


class ReferenceListOut(Envelope):
    """A reference list: its key (listeTauxTva, listeDevises…) holds an array of entries."""


class DestinataireIn(Input):
    identifiant = text()
    nomVilleCodePostal = text()
    typeStructure = text()
    parametresRecherche = Paging(required=False)


class DestinataireOut(serializers.Serializer):
    idStructureCPP = Integer()
    siret = serializers.CharField()
    nomDestinataire = serializers.CharField()
    adresseCodePostal = serializers.CharField(allow_null=True)
    adresseVille = serializers.CharField(allow_null=True)


class RechercherDestinataireOut(Envelope):
    listeDestinataires = DestinataireOut(many=True)
    parametresRetour = PagingOut()


class AnnuaireOut(Envelope):
    fichierResultat = serializers.CharField()


class InformationSiretIn(Input):
    aliases = {"siret": "siretStructure"}
    siretStructure = serializers.CharField(max_length=14)


class InformationSiretOut(Envelope):
    siren = serializers.CharField()
    siret = serializers.CharField()
    raisonSociale = serializers.CharField()
    estActif = serializers.BooleanField()
    siege = serializers.BooleanField()
    categorieJuridique = serializers.CharField(allow_null=True)
    categorieEntreprise = serializers.CharField(allow_null=True)
    adresse = serializers.CharField(allow_null=True)
    nonDiffusibleInsee = serializers.BooleanField()
    dateCreationEtablissement = serializers.CharField(allow_null=True)
