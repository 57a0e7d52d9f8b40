"""« Raccordements EDI »: a gestionnaire declares an SFTP or AS2 connection with checked keys;
operators move it to qualification then production; suppliers give operators' connections a
mandate to deposit for them. Nobody of another structure sees or changes any of it."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from django.urls import reverse

from chorale.core.errors import BusinessError
from chorale.core.models import Event
from chorale.edi import as2, services
from chorale.edi.models import Connection, Mandate, Stage
from chorale.edi.selectors import may_deposit_for
from chorale.structures.models import Role
from conftest import add_member, make_structure, make_user


def ssh_key(kind="ed25519") -> str:
    private = {
        "ed25519": ed25519.Ed25519PrivateKey.generate,
        "ecdsa": lambda: ec.generate_private_key(ec.SECP256R1()),
        "rsa1024": lambda: rsa.generate_private_key(public_exponent=65537, key_size=1024),  # noqa: S505
    }[kind]()
    line = private.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    return line.decode() + " erp@acme"


def certificate(days: int = 365) -> str:
    """A partner's self-signed certificate (PEM), expired when `days` is negative."""
    return as2.self_signed("as2.acme.example", days=days, key_size=2048)[1].decode()


@pytest.fixture
def erp(client, db):
    manager = make_user("gestionnaire@example.test")
    structure = make_structure(manager, identifier="98765432400019", company_name="ACME")
    client.force_login(manager)
    client.structure = structure
    return client


def declare(client, **fields):
    data = {
        "label": "ERP Acme",
        "protocol": "SFTP",
        "direction": "EMISSION",
        "syntaxes": ["IN_DP_E1_UBL_INVOICE"],
        "returns": ["CR", "CDV"],
        "ssh_public_key": ssh_key(),
        **fields,
    }
    return client.post(reverse("edi:connections", args=[client.structure.pk]), data)


def test_a_gestionnaire_declares_an_sftp_connection_that_waits_for_the_operators(erp):
    answer = declare(erp)
    assert answer.status_code == 302
    connection = Connection.objects.get()
    assert connection.stage == Stage.DECLARED and not connection.may_exchange
    assert len(connection.partner_code) == 6 and connection.partner_code[:3].isalpha()
    assert connection.ssh_public_key.startswith("ssh-ed25519 ")
    assert connection.syntaxes == ["IN_DP_E1_UBL_INVOICE"] and connection.returns == ["CR", "CDV"]
    page = erp.get(reverse("edi:connections", args=[erp.structure.pk])).text
    assert connection.partner_code in page and "en attente des opérateurs" in page
    assert Event.objects.filter(kind="structure.edi_declared").exists()
    # the platform's addresses: SFTP, AS2 (both names) and its certificate to encrypt with
    assert "127.0.0.1:2222" in page and "/edi/as2/" in page and "CHORALE_QUALIF" in page
    assert reverse("edi:as2_certificate") in page


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"ssh_public_key": "ssh-ed25519 notbase64!"}, "pas une clé publique SSH lisible"),
        ({"ssh_public_key": ""}, "Collez la clé publique SSH"),
        ({"syntaxes": []}, "au moins une syntaxe"),
        ({"protocol": "AS2", "as2_identifier": "ACME", "as2_url": "https://as2.acme.example/as2",
          "as2_certificate": "-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----"},
         "pas un certificat X.509 lisible"),
        ({"protocol": "AS2", "as2_identifier": "", "as2_url": "",
          "as2_certificate": ""}, "Obligatoire pour un raccordement AS2"),
    ],
)  # fmt: skip
def test_a_bad_declaration_says_what_is_wrong_and_keeps_nothing(erp, fields, error):
    answer = declare(erp, **fields)
    assert answer.status_code == 400 and error in answer.text.replace("&#x27;", "'")
    assert not Connection.objects.exists()


def test_keys_too_weak_and_expired_certificates_are_refused(erp):
    assert "au moins 2048 bits" in declare(erp, ssh_public_key=ssh_key("rsa1024")).text
    expired = declare(
        erp,
        protocol="AS2",
        as2_identifier="ACME",
        as2_url="https://as2.acme.example/as2",
        as2_certificate=certificate(days=-1),
    )
    assert "Ce certificat a expiré" in expired.text
    assert declare(erp, ssh_public_key=ssh_key("ecdsa")).status_code == 302
    as2 = declare(
        erp,
        protocol="AS2",
        as2_identifier="ACME-AS2",
        as2_url="https://as2.acme.example/as2",
        as2_certificate=certificate(),
    )
    assert as2.status_code == 302
    kept = Connection.objects.get(protocol="AS2")
    assert kept.certificate_expires_at is not None and kept.ssh_public_key == ""


@pytest.mark.parametrize("who", ["other structure", "simple member", "anonymous"])
def test_nobody_else_sees_or_declares(erp, client, who):
    declare(erp)
    url = reverse("edi:connections", args=[erp.structure.pk])
    client.logout()
    if who == "other structure":
        stranger = make_user("autre@example.test")
        make_structure(stranger, identifier="11122233300013")
        client.force_login(stranger)
    elif who == "simple member":
        member = make_user("membre@example.test")
        add_member(erp.structure, member, role=Role.USER)
        client.force_login(member)
    page = client.get(url)
    assert page.status_code in (302, 404)
    assert Connection.objects.get().partner_code not in page.content.decode()
    client.post(url, {"label": "x", "protocol": "SFTP", "direction": "RECEPTION",
                      "ssh_public_key": ssh_key()})  # fmt: skip
    assert Connection.objects.count() == 1


def test_operators_move_a_connection_to_qualification_then_production(erp):
    declare(erp)
    connection = Connection.objects.get()
    operator = make_user("operateur@example.test", is_staff=True, is_superuser=True)
    with pytest.raises(BusinessError):  # production only after qualification
        services.connection_stage_set(
            operator=operator, connection_id=connection.pk, stage=Stage.PRODUCTION
        )
    with pytest.raises(BusinessError):  # only operators decide
        services.connection_stage_set(
            operator=erp.structure.memberships.get().user,
            connection_id=connection.pk,
            stage=Stage.QUALIFICATION,
        )
    erp.force_login(operator)
    changelist = reverse("admin:edi_connection_changelist")
    erp.post(changelist, {"action": "to_qualification", "_selected_action": [connection.pk]})
    connection.refresh_from_db()
    assert connection.stage == Stage.QUALIFICATION and connection.may_exchange
    erp.post(changelist, {"action": "to_production", "_selected_action": [connection.pk]})
    connection.refresh_from_db()
    assert connection.stage == Stage.PRODUCTION and connection.production_at is not None
    assert Event.objects.filter(kind="structure.edi_stage").count() == 2
    for name in ("edi_outgoing_changelist", "edi_as2message_changelist"):  # read in French
        assert erp.get(reverse(f"admin:{name}")).status_code == 200


def test_an_operator_deposits_only_for_suppliers_that_gave_it_a_mandate(erp, client):
    declare(erp, label="Plateforme de dématérialisation")
    operator_connection = Connection.objects.get()
    supplier_manager = make_user("fournisseur@example.test")
    supplier = make_structure(supplier_manager, identifier="44306184100047", company_name="DUPONT")
    staff = make_user("operateur@example.test", is_staff=True)
    services.connection_stage_set(
        operator=staff, connection_id=operator_connection.pk, stage=Stage.QUALIFICATION
    )
    operator_connection.refresh_from_db()
    assert may_deposit_for(operator_connection, erp.structure)  # its own structure
    assert not may_deposit_for(operator_connection, supplier)
    client.force_login(supplier_manager)
    grant = reverse("edi:mandate_grant", args=[supplier.pk])
    unknown = client.post(grant, {"partner_code": "ZZZ999"}, follow=True).text
    assert "Aucun raccordement EDI ne porte le code partenaire" in unknown
    client.post(grant, {"partner_code": operator_connection.partner_code.lower()})
    assert may_deposit_for(operator_connection, supplier)
    again = client.post(grant, {"partner_code": operator_connection.partner_code}, follow=True)
    assert "a déjà un mandat" in again.text.replace("&#x27;", "'")
    mandate = Mandate.objects.get()
    # Another structure cannot revoke the supplier's mandate.
    erp.post(reverse("edi:mandate_revoke", args=[erp.structure.pk, mandate.pk]))
    assert may_deposit_for(operator_connection, supplier)
    client.post(reverse("edi:mandate_revoke", args=[supplier.pk, mandate.pk]))
    assert not may_deposit_for(operator_connection, supplier)
    # A suspended connection deposits for nobody.
    services.connection_stage_set(
        operator=staff, connection_id=operator_connection.pk, stage=Stage.SUSPENDED
    )
    operator_connection.refresh_from_db()
    assert not may_deposit_for(operator_connection, erp.structure)


def test_a_connection_sends_invoices_or_works_pieces_not_both(erp):
    mixed = declare(erp, syntaxes=["IN_DP_E1_UBL_INVOICE", "IN_DP_E4_CII_16B"])
    assert mixed.status_code == 400 and "déclarez un raccordement pour chacun" in mixed.text
    assert not Connection.objects.exists()
    assert declare(erp, syntaxes=["IN_DP_E4_CII_16B", "IN_DP_E5_CII_FACTURX"]).status_code == 302
