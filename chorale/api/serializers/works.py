"""Factures de travaux: facturesTravaux/v1/rechercher (roles FOURNISSEUR, MOE, MOA), consulter,
traiter (the MOE's or MOA's decision), suspendre/demander/completer and demander/recyclage (what
they ask of the company), completer and recycler (its answers), signer/decompteGeneral (its
answer to the décompte général) and engager/procedureTacite (CCAG 12.4.4) — procurement.md
§2.5."""

from rest_framework import serializers

from .common import (
    Envelope,
    Input,
    Integer,
    Paging,
    PagingOut,
    amount,
    boolean,
    integer,
    moment,
    out,
    text,
    texts,
)


class RechercherTravauxIn(Input):
    aliases = {"pagination": "rechercheFactureTravaux"}
    roleUtilisateur = text()
    rechercheFactureTravaux = Paging(required=False)
    idDestinataire = integer()
    idServiceExecutant = integer()
    periodeDateHeureEtatCourantDu = moment()
    periodeDateHeureEtatCourantAu = moment()
    listeStatutCourant = texts()
    numeroFactureTravaux = text()
    numeroMarche = text()
    cadreFacturation = text()
    listeTypeFactureTravaux = texts()
    uniquementATraiter = boolean()


class PieceTravauxOut(serializers.Serializer):
    idFactureTravaux = Integer()
    numeroFactureTravaux = serializers.CharField()
    statutFactureTravaux = serializers.CharField()
    typeFactureTravaux = serializers.CharField()
    cadreFacturation = serializers.CharField()
    dateFactureTravaux = serializers.DateField()
    dateDepot = serializers.DateField()
    dateHeureEtatCourant = serializers.DateTimeField()
    numeroMarche = serializers.CharField()
    idFournisseur = Integer()
    identifiantFournisseur = serializers.CharField()
    designationFournisseur = serializers.CharField()
    idMoe = Integer()
    designationMoe = serializers.CharField()
    idMoa = Integer()
    designationMoa = serializers.CharField()
    idDestinataire = Integer(allow_null=True)
    designationDestinataire = serializers.CharField()
    montantHT = amount()
    montantTTC = amount()
    montantAdmis = amount()
    devise = serializers.CharField()


class RechercherTravauxOut(Envelope):
    listeFacturesTravaux = out(PieceTravauxOut, many=True)
    parametresRetour = PagingOut()


class ConsulterTravauxIn(Input):
    aliases = {"idFacture": "idFactureTravaux"}
    idFactureTravaux = Integer()


class EtapeTravauxOut(serializers.Serializer):
    acteur = serializers.CharField()
    pieceEtablie = serializers.CharField(allow_null=True)
    decision = serializers.CharField()
    dateDecision = serializers.DateTimeField()
    montantAdmis = amount()
    motifRefus = serializers.CharField(allow_null=True)
    commentaire = serializers.CharField(allow_null=True)


class ConsulterTravauxOut(Envelope):
    factureTravaux = out(PieceTravauxOut)
    etapes = out(EtapeTravauxOut, many=True)
    actionsPossibles = serializers.ListField(child=serializers.CharField())


class TraiterTravauxIn(Input):
    aliases = {"idFacture": "idFactureTravaux", "motif": "motifRefus"}
    idFactureTravaux = Integer()
    roleUtilisateur = serializers.CharField()
    action = serializers.CharField()
    montantAdmis = amount()
    motifRefus = text()
    commentaire = text(max_length=2000)


class SignerDecompteIn(Input):
    aliases = {"idFacture": "idFactureTravaux"}
    idFactureTravaux = Integer()
    action = serializers.CharField()
    motif = text(max_length=4000)


class ProcedureTaciteIn(Input):
    aliases = {"idFacture": "idFactureTravaux", "montantTTC": "montant"}
    idFactureTravaux = Integer()
    montant = amount()
    commentaire = text(max_length=2000)


class TraiterTravauxOut(Envelope):
    idFactureTravaux = Integer()
    statutFactureTravaux = serializers.CharField()


class DemandeTravauxIn(Input):
    aliases = {"idFacture": "idFactureTravaux", "motif": "commentaire"}
    idFactureTravaux = Integer()
    roleUtilisateur = serializers.CharField()
    commentaire = serializers.CharField(max_length=2000)


class DemanderRecyclageOut(Envelope):
    idFactureTravaux = Integer()
    idPiecePrecedente = Integer()
    statutFactureTravaux = serializers.CharField()


class CompleterTravauxIn(Input):
    aliases = {"idFacture": "idFactureTravaux"}
    idFactureTravaux = Integer()
    commentaire = serializers.CharField(max_length=2000)


class RecyclerTravauxIn(Input):
    aliases = {"idFacture": "idFactureTravaux"}
    idFactureTravaux = Integer()
    identifiantDestinataire = serializers.CharField(max_length=17)
    codeServiceExecutant = text(max_length=100)
    numeroBonCommande = text(max_length=50)
    numeroMarche = serializers.CharField(max_length=50)


class RecyclerTravauxOut(Envelope):
    dateDepotFactureTravaux = serializers.DateField()
    idFactureTravaux = Integer()
    numeroFactureTravaux = serializers.CharField()
    statutFactureTravaux = serializers.CharField()
