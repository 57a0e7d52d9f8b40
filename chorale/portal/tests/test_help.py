"""« Aide en ligne » and the question box: the shipped articles, their rendering, and the
full-text answers (French stems, no accents) on the engine the suite runs on."""

import pytest
from django.urls import reverse

from chorale.portal.help import excerpt, render, sections, terms
from chorale.portal.models import HelpArticle, HelpPassage, HelpTopic
from chorale.portal.selectors import help_answers
from chorale.portal.services import help_article_index, help_articles_load
from conftest import make_user


@pytest.fixture
def shipped(db):
    help_articles_load()


def test_terms_are_french_stems_without_accents_or_stop_words():
    assert terms("Comment créer une structure ?") == ["cre", "structur"]
    assert terms("creer des STRUCTURES") == ["cre", "structur"]
    assert terms("factures rejetées") == terms("facture rejetée") == ["factur", "rejet"]


def test_markdown_is_rendered_without_raw_html_or_unsafe_links():
    html = render("Texte <script>alert(1)</script> [lien](javascript:alert(1)) **gras**")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<strong>gras</strong>" in html


def test_an_article_is_cut_into_passages_at_its_second_level_headings():
    found = sections("Titre", "Intro.\n\n## Première partie\nA.\n\n## Seconde partie\nB.")
    assert [(s.heading, s.anchor) for s in found] == [
        ("Titre", ""),
        ("Première partie", "premiere-partie"),
        ("Seconde partie", "seconde-partie"),
    ]


def test_the_shipped_articles_cover_what_users_need(shipped):
    slugs = set(HelpArticle.objects.values_list("slug", flat=True))
    assert {
        "creer-votre-compte",
        "structure-et-rattachement",
        "mandat-de-facturation",
        "saisir-une-facture",
        "deposer-une-facture",
        "deposer-une-facture-pdf",
        "compte-rendu-et-rejets",
        "cycle-de-vie",
        "api-et-webhooks",
        "raccordement-edi",
        "sollicitations",
    } <= slugs
    # Every rejection rule of the Chorus checks, and each warning, is explained in the article.
    body = HelpArticle.objects.get(slug="compte-rendu-et-rejets").body
    for rule in (
        "CHORALE-FORMAT",
        "CHORALE-FOURNISSEUR-NON-AUTORISE",
        "CHORALE-FOURNISSEUR-SANS-MANDAT",
        "CHORALE-VALIDEUR",
        "CHORALE-DESTINATAIRE-INCONNU",
        "CHORALE-DESTINATAIRE-INACTIF",
        "CHORALE-SERVICE-INCONNU",
        "CHORALE-SERVICE-OBLIGATOIRE",
        "CHORALE-ENGAGEMENT-OBLIGATOIRE",
        "CHORALE-SERVICE-OU-ENGAGEMENT",
        "CHORALE-DOUBLON",
        "CHORALE-AVOIR-SANS-FACTURE",
        "CHORALE-LOT",
        "CHORALE-MONTANT-LIGNE",
        "CHORALE-REGLES-NON-EVALUEES",
    ):
        assert rule in body, rule
    # Loading again keeps operators' edits; --update restores the shipped text.
    HelpArticle.objects.filter(slug="cycle-de-vie").update(title="Édité")
    assert help_articles_load() == 0
    assert HelpArticle.objects.get(slug="cycle-de-vie").title == "Édité"
    assert help_articles_load(update=True) == len(slugs)
    assert HelpArticle.objects.get(slug="cycle-de-vie").title != "Édité"


@pytest.mark.parametrize(
    ("question", "slug", "anchor"),
    [
        (
            "comment créer une structure ?",
            "structure-et-rattachement",
            "creer-une-nouvelle-structure",
        ),
        ("mot de passe oublie", "creer-votre-compte", "mot-de-passe-oublie"),
        ("ma facture est rejetée pour doublon", "compte-rendu-et-rejets", "doublon"),
        ("CHORALE-SERVICE-OBLIGATOIRE", "compte-rendu-et-rejets", None),
        ("que veut dire le statut mandatée", "cycle-de-vie", None),
        ("signature des webhooks", "api-et-webhooks", "webhooks"),
        ("mandat de facturation", "mandat-de-facturation", None),
    ],
)
def test_the_question_box_puts_the_right_passage_first(shipped, question, slug, anchor):
    answers = help_answers(question)
    assert answers[0].passage.article.slug == slug, [a.passage for a in answers]
    if anchor:  # the section that answers is among the first two passages
        assert anchor in [a.passage.anchor for a in answers[:2]]


def test_nothing_matches_a_question_outside_the_help(shipped):
    assert help_answers("xylophone zèbre") == []
    assert help_answers("le la les ?") == []


def test_an_unpublished_article_is_never_an_answer_and_an_edit_is_searchable_at_once(shipped):
    HelpArticle.objects.filter(slug="mandat-de-facturation").update(is_published=False)
    assert all(
        a.passage.article.slug != "mandat-de-facturation"
        for a in help_answers("mandat de facturation")
    )
    article = HelpArticle.objects.get(slug="cycle-de-vie")
    article.body += "\n## Hippopotame\nUn mot rare : hippopotame.\n"
    article.save()
    help_article_index(article)
    assert help_answers("hippopotames")[0].passage.anchor == "hippopotame"
    # Deleting an article removes its passages from the index as well.
    article.delete()
    assert help_answers("hippopotame") == []
    assert not HelpPassage.objects.filter(article_id=article.pk).exists()


def test_the_excerpt_marks_the_searched_words_and_escapes_the_rest():
    text = "Première phrase sans rapport. Créez votre structure <ici>. Autre chose."
    shown = excerpt(text, set(terms("créer structure")), length=40)
    assert "<mark>Créez</mark>" in shown and "<mark>structure</mark>" in shown
    assert "&lt;ici&gt;" in shown


def test_the_help_pages_and_the_question_box_answer_anyone(client, shipped):
    index = client.get(reverse("portal:help"))
    assert index.status_code == 200
    assert "Créer une structure ou s&#x27;y rattacher" in index.text or (
        "Créer une structure ou s'y rattacher" in index.text
    )
    article = client.get(reverse("portal:help_article", args=["structure-et-rattachement"]))
    assert 'id="creer-une-nouvelle-structure"' in article.text
    page = client.get(reverse("portal:help_questions"), {"q": "comment créer une structure ?"})
    assert page.status_code == 200
    first = page.context["answers"][0]
    assert first.url.startswith("/aide/structure-et-rattachement/")
    assert "Source" in page.text
    fragment = client.get(reverse("portal:help_questions"), {"q": "xylophone", "fragment": 1})
    assert "<html" not in fragment.text
    assert "Aucun article de l'aide en ligne ne répond" in fragment.text
    assert "Connectez-vous" in fragment.text
    client.force_login(make_user())
    fragment = client.get(reverse("portal:help_questions"), {"q": "xylophone", "fragment": 1})
    assert reverse("support:new") + "?objet=xylophone" in fragment.text
    assert client.get(reverse("portal:help_article", args=["inconnu"])).status_code == 404


def test_every_page_carries_the_question_box(client, db):
    home = client.get(reverse("portal:home"))
    assert 'aria-controls="question-box"' in home.text
    assert "Posez-moi vos questions" in home.text and ">Demander<" in home.text


def test_operators_write_articles_in_the_admin_and_they_are_searchable(client, db):
    operator = make_user("operateur@example.test", is_staff=True, is_superuser=True)
    client.force_login(operator)
    topic = HelpTopic.objects.create(title="Divers", slug="divers")
    response = client.post(
        reverse("admin:portal_helparticle_add"),
        {
            "topic": topic.pk,
            "title": "Les ornithorynques",
            "slug": "ornithorynques",
            "summary": "",
            "body": "## Où vivent-ils ?\nEn Australie.",
            "position": 0,
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].errors
    assert help_answers("ornithorynque australie")[0].passage.heading == "Où vivent-ils ?"
