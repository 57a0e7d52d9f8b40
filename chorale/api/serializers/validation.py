"""Factures à valider (cadres A9, A12): rechercher/valideur, consulter/valideur,
traiter/factureAValider, corriger/valideur/facture, recuperer/statutsFactureVisibles/valideur
(procurement.md §1.4). Zero values of the filters mean « no filter »."""

from rest_framework import serializers

from .common import (
    Envelope,
    Input,
    Integer,
    Paging,
    PagingOut,
    amount,
    integer,
    out,
    text,
    texts,
)


class RechercherValideurIn(Input):
    numeroFacture = text()
    statutCourant = texts()
    cadreFacturation = text()
    idFournisseur = integer()
    idDestinataire = integer()
    idStructureValideur = integer()
    idUtilisateurCourant = integer()
    pagination = Paging(required=False)


class FactureAValiderOut(serializers.Serializer):
    idFacture = Integer()
    numeroFacture = serializers.CharField()
    statut = serializers.CharField()
    dateDepot = serializers.DateField()
    dateFacture = serializers.DateField()
    typeDemandePaiement = serializers.CharField()
    cadreFacturation = serializers.CharField()
    devise = serializers.CharField()
    montantHT = amount()
    montantTTC = amount()
    montantAPayer = amount()
    idFournisseur = Integer()
    identifiantFournisseur = serializers.CharField()
    designationFournisseur = serializers.CharField()
    idDestinataire = Integer(allow_null=True)
    identifiantDestinataire = serializers.CharField()
    designationDestinataire = serializers.CharField()
    idValideur = Integer(allow_null=True)
    identifiantValideur = serializers.CharField(allow_null=True)
    typeIdentifiantValideur = serializers.CharField()
    designationValideur = serializers.CharField(allow_null=True)


class RechercherValideurOut(Envelope):
    listeFactures = out(FactureAValiderOut, many=True)
    parametresRetour = PagingOut()


class TraiterAValiderIn(Input):
    aliases = {"identifiantFactureCPP": "idFacture"}
    idFacture = Integer()
    action = serializers.CharField()
    motifRefus = text()
    complementInfo = text(max_length=2000)
    idPieceJointe = integer()
    idValideur = integer()
    typeValideur = text()
    idUtilisateurCourant = integer()


class TraiterAValiderOut(Envelope):
    idFacture = Integer()
    numeroFacture = serializers.CharField()
    dateTraitement = serializers.DateField()
    statutFacture = serializers.CharField()


class CorrigerValideurIn(Input):
    idFacture = Integer()
    idStructure = integer()
    identifiantStructure = text()
    typeIdentifiantStructure = text()
    idUtilisateurCourant = integer()


class CorrigerValideurOut(Envelope):
    idFacture = Integer()


class StatutsVisiblesIn(Input):
    idUtilisateurCourant = integer()


class StatutVisible(serializers.Serializer):
    codeStatutFacture = serializers.CharField()


class StatutsVisiblesOut(Envelope):
    listeStatutFacture = out(StatutVisible, many=True)
