"""Transverses look-ups of the caller's own world: its structures, itself, its bank details,
its pièces jointes, the sollicitation categories, and the request-type lists."""

from rest_framework import serializers

from .common import Envelope, Input, Integer, Paging, PagingOut, text


class StructureActiveOut(serializers.Serializer):
    idStructureCPP = Integer()
    identifiant = serializers.CharField()
    designationStructure = serializers.CharField()


class StructuresActivesOut(Envelope):
    listeStructures = StructureActiveOut(many=True)


class StructuresPourUtilisateurIn(Input):
    aliases = {"espace": "espaceFo"}
    espaceFo = text()


class StructurePourUtilisateurOut(serializers.Serializer):
    idStructure = Integer()
    identifiantStructure = serializers.CharField()
    typeIdentifiantStructure = serializers.CharField()
    designationStructure = serializers.CharField()
    listeEspaces = serializers.ListField(child=serializers.CharField())


class StructuresPourUtilisateurOut(Envelope):
    listeStructures = StructurePourUtilisateurOut(many=True)


class UtilisateurCourantOut(Envelope):
    idUtilisateur = Integer()
    login = serializers.CharField()
    adresseEmail = serializers.CharField(allow_blank=True)
    nom = serializers.CharField(allow_blank=True)
    prenom = serializers.CharField(allow_blank=True)
    telephone = serializers.CharField(allow_blank=True)
    statutUtilisateur = serializers.CharField()
    idStructureCompteTechnique = Integer()


class CoordonneesBancairesIn(Input):
    aliases = {"idStructureCPP": "idStructure"}
    idStructure = Integer()


class CoordonneeBancaireOut(serializers.Serializer):
    idCoordonneeBancaire = Integer()
    nomCoordonneeBancaire = serializers.CharField()
    titulaire = serializers.CharField()
    iban = serializers.CharField()
    bic = serializers.CharField()


class CoordonneesBancairesOut(Envelope):
    listeCoordonneeBancaire = CoordonneeBancaireOut(many=True)


class EtatTypeDpIn(Input):
    typeDemandePaiement = text()


class EtatDemandePaiementOut(serializers.Serializer):
    etatDemandePaiement = serializers.CharField()
    libelleEtatDemandePaiement = serializers.CharField()


class EtatTypeDpOut(Envelope):
    listeEtatDemandePaiement = EtatDemandePaiementOut(many=True)


class TypeDemandePaiementOut(serializers.Serializer):
    typeDemandePaiement = serializers.CharField()
    libelleTypeDemandePaiement = serializers.CharField()


class TypeDpOut(Envelope):
    listeTypeDemandePaiement = TypeDemandePaiementOut(many=True)


class CategorieIn(Input):
    aliases = {"idCategorie": "idCategorieSollicitation"}
    idCategorieSollicitation = Integer(required=False, allow_null=True)
    parametresRecherche = Paging(required=False)


class CategorieOut(serializers.Serializer):
    idCategorieSollicitation = Integer()
    libelleCategorieSollicitation = serializers.CharField()
    idCategorieParente = Integer(allow_null=True)


class CategoriesOut(Envelope):
    listeCategories = CategorieOut(many=True)
    parametresRetour = PagingOut()


class PiecesJointesIn(Input):
    aliases = {"idStructureCPP": "idStructure"}
    idStructure = Integer(required=False, allow_null=True)
    pieceJointeNom = text()
    parametresRecherche = Paging(required=False)


class FichierEnvoyeOut(serializers.Serializer):
    pieceJointeId = Integer()
    pieceJointeNom = serializers.CharField()
    pieceJointeTypeMime = serializers.CharField(allow_blank=True)
    pieceJointeTaille = Integer()
    pieceJointeDateAjout = serializers.CharField()
    idStructure = Integer()


class PiecesJointesOut(Envelope):
    listePiecesJointes = FichierEnvoyeOut(many=True)
    parametresRetour = PagingOut()


class TelechargerPieceJointeIn(Input):
    aliases = {"idFacture": "idObjet", "idSollicitation": "idObjet"}
    objetPieceJointe = serializers.ChoiceField(["DEMANDE_PAIEMENT", "SOLLICITATION", "FICHIER"])
    idObjet = Integer(required=False, allow_null=True)
    pieceJointeId = Integer()


class TelechargerPieceJointeOut(Envelope):
    pieceJointeNom = serializers.CharField()
    pieceJointeTypeMime = serializers.CharField(allow_blank=True)
    pieceJointeFichier = serializers.CharField()


class MotifsRefusIn(Input):
    codeCadreFacturationAValider = serializers.CharField(max_length=80)


class MotifRefusOut(serializers.Serializer):
    idMotif = Integer()
    codeMotif = serializers.CharField()
    libelleMotif = serializers.CharField()


class MotifsRefusOut(Envelope):
    listeMotifRefusFactureAValider = MotifRefusOut(many=True)
