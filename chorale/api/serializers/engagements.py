"""Engagements juridiques: engagementsJuridiques/v1/rechercher and consulter (procurement.md
§3). In the EJ vocabulary the « structure réceptrice » is the supplier."""

from rest_framework import serializers

from .common import Envelope, Input, Integer, Paging, PagingOut, amount, day, integer, out, text


class RechercherEJIn(Input):
    aliases = {"parametres": "parametresRecherche", "pagination": "parametresRecherche"}
    structureReceptriceEngagementJuridique = text()
    idStructureEmettrice = integer()
    numeroEngagementJuridique = text()
    codeEngagementJuridique = text()
    etatCourantEngagementJuridique = text()
    numeroMarcheEngagementJuridique = text()
    periodeDateNotificationEJDu = day()
    periodeDateNotificationEJAu = day()
    montantTTCMin = amount()
    montantTTCMax = amount()
    parametresRecherche = Paging(required=False)


class EngagementItemOut(serializers.Serializer):
    idEngagementJuridique = Integer()
    numeroEngagementJuridique = serializers.CharField()
    libelleTypeEngagementJuridique = serializers.CharField()
    typeEngagementJuridique = serializers.CharField()
    structureReceptrice = Integer(allow_null=True)
    identifiantStructureReceptrice = serializers.CharField()
    libelleStructureReceptrice = serializers.CharField()
    idStructureEmettrice = Integer()
    identifiantStructureEmettrice = serializers.CharField()
    libelleStructureEmettrice = serializers.CharField()
    codeServiceExecutant = serializers.CharField(allow_null=True)
    libelleServiceExecutant = serializers.CharField(allow_null=True)
    numeroMarche = serializers.CharField()
    dateNotificationEJ = serializers.DateField()
    etatCourantEJ = serializers.CharField()
    libelleEtatCourantEJ = serializers.CharField()
    montantTotalTtc = amount()
    montantFacture = amount()
    deviseEngagement = serializers.CharField()
    taillePJ = Integer()


class RechercherEJOut(Envelope):
    listeEngagementJuridique = out(EngagementItemOut, many=True)
    parametresRetour = PagingOut()


class ConsulterEJIn(Input):
    aliases = {"idEngagement": "idEngagementJuridique"}
    idEngagementJuridique = integer()
    numeroEngagementJuridique = text()
    idStructureEmettrice = integer()


class PartieEngagementOut(serializers.Serializer):
    idStructure = Integer(allow_null=True)
    identifiant = serializers.CharField()
    typeIdentifiant = serializers.CharField()
    designation = serializers.CharField()
    codeServiceExecutant = serializers.CharField(allow_null=True, required=False)
    libelleServiceExecutant = serializers.CharField(allow_null=True, required=False)
    adresse = serializers.CharField(required=False)
    codePostal = serializers.CharField(required=False)
    ville = serializers.CharField(required=False)
    codePays = serializers.CharField(required=False)


class PosteEngagementOut(serializers.Serializer):
    numeroDePoste = Integer()
    libellePoste = serializers.CharField()
    montantTtcPoste = amount()
    statutPoste = serializers.CharField()


class DemandePaiementEJOut(serializers.Serializer):
    idDemandePaiement = Integer()
    numeroDemandePaiement = serializers.CharField()
    typeDemandePaiement = serializers.CharField()
    sousType = serializers.CharField()
    dateFournisseur = serializers.DateField()
    montantTtcDemandePaiement = amount()
    etatCourantDemandePaiement = serializers.CharField()


class ConsulterEJOut(Envelope):
    idEngagement = Integer()
    numeroEngagementJuridique = serializers.CharField()
    typeEngagement = serializers.CharField()
    objet = serializers.CharField()
    numeroMarche = serializers.CharField()
    etatCourantEngagement = serializers.CharField()
    dateNotification = serializers.DateField()
    dateFin = serializers.DateField(allow_null=True)
    montantTotalTtc = amount()
    montantFacture = amount()
    montantRestant = amount()
    devise = serializers.CharField()
    emetteur = out(PartieEngagementOut)
    recepteur = out(PartieEngagementOut)
    lignePoste = out(PosteEngagementOut, many=True)
    demandePaiement = out(DemandePaiementEJOut, many=True)
