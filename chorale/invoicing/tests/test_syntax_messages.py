"""The syntax rules speak French: each official sentence shape is translated once."""

import re

from chorale.invoicing.validation import official, structure
from chorale.invoicing.validation.syntax_messages import french

ENGLISH = re.compile(r"\b(shall|should|must|may|is|are)\b")


def test_each_sentence_shape_has_its_french():
    assert french("Element 'ram:SellerTradeParty' must occur exactly 1 times.") == (
        "L'élément « ram:SellerTradeParty » doit figurer exactement 1 fois."
    )
    assert french(
        "[UBL-CR-002]-A UBL invoice should not include the UBLVersionID or it should be 2.1"
    ) == ("Une facture UBL ne devrait pas contenir « UBLVersionID » (ou alors il vaut 2.1).")
    assert french(
        "[UBL-SR-42]-Party tax scheme shall occur maximum twice in accounting supplier party"
    ) == (
        "« Party tax scheme » ne doit figurer que deux fois au plus dans "
        "« accounting supplier party »."
    )
    assert french("[CII-DT-013] - languageID should not be present") == (
        "« languageID » ne devrait pas être présent."
    )
    assert french(
        "[UBL-CR-650]-A UBL invoice shall not include the Invoice ID scheme identifier"
    ) == ("Une facture UBL ne doit pas contenir « Invoice ID scheme identifier ».")
    assert french(
        "[UBL-SR-19]-Payee name shall occur maximum once, if the Payee is different from the Seller"
    ) == (
        "« Payee name » ne doit figurer qu'une fois au plus, "
        "si le bénéficiaire n'est pas le vendeur."
    )
    assert french("Element 'ram:BasisAmount' is marked as not used in the given context.") == (
        "L'élément « ram:BasisAmount » n'est pas employé dans ce contexte."
    )
    assert french(
        "Element variant 'ram:ReasonCode[ not(@listID=\"5153\")]' is marked as not used in the "
        "given context."
    ) == (
        "« ram:ReasonCode » n'est pas employé dans ce contexte sous la forme "
        '« ram:ReasonCode[ not(@listID="5153")] ».'
    )
    assert french("Something no rule set says.") is None


def test_almost_every_syntax_rule_of_every_rule_set_has_a_french_message():
    messages, unnamed = {}, set()  # the unnamed structural assertions share one id
    for stylesheet in {*official.CII_STYLESHEETS.values(), official.UBL_STYLESHEET}:
        for pattern in structure.ruleset(stylesheet).patterns:
            for template in pattern.templates:
                for assertion in template.assertions.values():
                    messages[assertion.rule] = assertion.message
                    if assertion.rule == official.UNNAMED:
                        unnamed.add(assertion.message)
    english = [rule for rule, message in messages.items() if ENGLISH.search(message)]
    assert len(messages) > 2000
    syntax = [rule for rule in english if not rule.startswith("BR-")]
    assert len(syntax) <= 10, syntax  # 10 rare sentences keep their official English
    assert not [message for message in unnamed if ENGLISH.search(message)]
    # The business rules the XML rules say (BR-DEC-*, BR-CO-05…) speak French in EN 16931;
    # those of the EXTENDED profiles keep their official English after a French heading.
    business = [rule for rule in english if rule.startswith("BR-") and "EXT-" not in rule]
    assert business == []


def test_an_assertion_without_an_id_is_named_by_the_rule_its_text_names_as_officially():
    """EXTENDED-CTC-FR's « [BR-FXEXT-04]-… » has no id attribute: both engines call it
    BR-FXEXT-04 (the official report is read so), not the unnamed structure rule."""
    stylesheet = official.CII_STYLESHEETS["EXTENDED_CTC_FR"]
    rules = {
        assertion.rule: assertion.message
        for pattern in structure.ruleset(stylesheet, True).patterns
        for template in pattern.templates
        for assertion in template.assertions.values()
    }
    assert "BR-FXEXT-04" in rules
    assert "BR-FXEXT-04" not in rules.get(official.UNNAMED, "")
