"""Structures and utilisateurs: search, consultation, services, the technical user's attachments."""

from rest_framework import serializers

from .common import Envelope, Input, Integer, Paging, PagingOut, boolean, integer, out, text


class StructureFiltre(Input):
    identifiantStructure = text()
    typeIdentifiantStructure = text()
    libelleStructure = text()
    raisonSocialeStructure = text()
    nomStructure = text()
    prenomStructure = text()
    statutStructure = text()
    typeStructure = text()
    adresseCodePostal = text()
    adresseVille = text()
    adresseCodePays = text()
    estMOA = boolean()
    estMOAUniquement = boolean()


class RechercherStructuresIn(Input):
    aliases = {"pagination": "parametres"}
    structure = StructureFiltre(required=False)
    restreindreStructuresPrivees = boolean()
    parametres = Paging(required=False)


class StructureOut(serializers.Serializer):
    idStructureCPP = Integer()
    identifiantStructure = serializers.CharField()
    typeIdentifiantStructure = serializers.CharField()
    designationStructure = serializers.CharField()
    statut = serializers.CharField()


class RechercherStructuresOut(Envelope):
    listeStructures = out(StructureOut, many=True)
    parametresRetour = PagingOut()


class ConsulterStructureIn(Input):
    aliases = {"idStructure": "idStructureCPP"}
    idStructureCPP = Integer()
    codeLangue = text()


class AdresseOut(serializers.Serializer):
    adresse = serializers.CharField(allow_null=True)
    complementAdresse1 = serializers.CharField(allow_null=True)
    complementAdresse2 = serializers.CharField(allow_null=True)
    codePostal = serializers.CharField(allow_null=True)
    ville = serializers.CharField(allow_null=True)
    pays = serializers.CharField(allow_null=True)
    telephone = serializers.CharField(allow_null=True)
    indicatifTelephone = serializers.CharField(allow_null=True)
    fax = serializers.CharField(allow_null=True)
    indicatifFax = serializers.CharField(allow_null=True)


class InformationsGeneralesOut(serializers.Serializer):
    idStructureCPP = Integer()
    identifiantStructure = serializers.CharField()
    typeIdentifiantStructure = serializers.CharField()
    libelleStructure = serializers.CharField(allow_null=True)
    raisonSocialeStructure = serializers.CharField()
    nomStructure = serializers.CharField(allow_null=True)
    prenomStructure = serializers.CharField(allow_null=True)
    emailStructure = serializers.CharField(allow_null=True)
    numeroTVA = serializers.CharField(allow_null=True)
    numeroRcsStructure = serializers.CharField(allow_null=True)
    structurePriveePublique = serializers.CharField()
    estValideurDeleguee = serializers.BooleanField()
    idStructureOrigine = Integer(allow_null=True)
    listeStructureDupliquees = serializers.ListField(child=serializers.DictField())
    dateExpirationMotPasseCompteTech = serializers.DateField(allow_null=True)


class ParametresStructureOut(serializers.Serializer):
    codeServiceDoitEtreRenseigne = serializers.BooleanField()
    numeroEJDoitEtreRenseigne = serializers.BooleanField()
    gestionNumeroEJOuCodeService = serializers.BooleanField()
    statutMiseEnPaiementNestPasRemonte = serializers.BooleanField()
    connexionEDI = serializers.BooleanField()
    recevoirDonneesViaEDI = serializers.BooleanField()
    estMoaUniquement = serializers.BooleanField()
    aMoa = serializers.BooleanField()
    estValideurDelegue = serializers.BooleanField()
    nonDiffusibleInsee = serializers.BooleanField()


class ConsulterStructureOut(Envelope):
    adressePostaleDuSiege = AdresseOut()
    informationGenerales = InformationsGeneralesOut()
    parametres = ParametresStructureOut()


class RechercherServicesIn(Input):
    aliases = {
        "idStructureCPP": "idStructure",
        "pagination": "parametresRechercherServicesStructure",
    }
    idStructure = Integer()
    parametresRechercherServicesStructure = Paging(required=False)


class ServiceOut(serializers.Serializer):
    idService = Integer()
    codeService = serializers.CharField()
    libelleService = serializers.CharField()
    estActif = serializers.BooleanField()
    statutService = serializers.CharField()
    dateDbtService = serializers.CharField(allow_null=True)
    dateFinService = serializers.CharField(allow_null=True)


class RechercherServicesOut(Envelope):
    listeServices = out(ServiceOut, many=True)
    parametresRetour = PagingOut()


class ConsulterServiceIn(Input):
    aliases = {"idStructureCPP": "idStructure"}
    idStructure = Integer()
    idService = Integer()
    codeLangue = text()


class InformationsServiceOut(serializers.Serializer):
    codeService = serializers.CharField()
    nomService = serializers.CharField()
    descriptionService = serializers.CharField(allow_null=True)


class ParametresServiceOut(serializers.Serializer):
    numeroEngagement = serializers.BooleanField()
    miseEnPaiement = serializers.BooleanField()
    dateCreation = serializers.DateField()
    dateModification = serializers.DateField()
    dateDebutValidite = serializers.DateField(allow_null=True)
    dateFinValidite = serializers.DateField(allow_null=True)


class ConsulterServiceOut(Envelope):
    informationsGenerales = InformationsServiceOut()
    adressePostale = AdresseOut()
    parametres = ParametresServiceOut()


class RattachementsIn(Input):
    aliases = {"pagination": "parametresRecherche"}
    parametresRecherche = Paging(required=False)
    idUtilisateurCourant = integer()


class RattachementOut(serializers.Serializer):
    idStructure = Integer()
    identifiantStructure = serializers.CharField()
    designationStructure = serializers.CharField()
    typeIdentifiantStructure = serializers.CharField()
    role = serializers.CharField()
    statut = serializers.CharField()
    listeEspaces = serializers.ListField(child=serializers.CharField())


class RattachementsOut(Envelope):
    listeRattachements = out(RattachementOut, many=True)
    parametresRetour = PagingOut()
