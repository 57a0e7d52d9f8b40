"""Benchmark of the question box (« Posez-moi vos questions »): median and p95 latency of the
whole request (`/aide/questions/?q=…&fragment=1`, the box's call) and of the search alone,
over 500 help articles (the eleven shipped ones and generated ones) and 50 questions.

    .venv/bin/python bench/help_search.py [--articles 500] [--database-url URL]

Without --database-url it builds a SQLite file in a temporary folder (FTS5); with a PostgreSQL
URL it uses that database (GIN tsvector).
"""

import argparse
import random
import sys
import time
from pathlib import Path

from serving import django_on, percentiles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOUNS = [
    "facture",
    "avoir",
    "structure",
    "service",
    "fournisseur",
    "destinataire",
    "flux",
    "dépôt",
    "compte",
    "rendu",
    "statut",
    "paiement",
    "mandat",
    "engagement",
    "rattachement",
    "gestionnaire",
    "espace",
    "sollicitation",
    "pièce",
    "jointe",
    "adresse",
    "mot",
    "de",
    "passe",
    "question",
    "secrète",
    "jeton",
    "webhook",
    "signature",
    "archive",
    "profil",
    "format",
    "montant",
    "taxe",
    "devise",
    "ligne",
    "remise",
    "acompte",
    "échéance",
    "virement",
    "coordonnées",
    "bancaires",
    "SIRET",
    "SIREN",
    "TVA",
    "code",
    "libellé",
    "commune",
    "hôpital",
    "lycée",
    "département",
    "région",
    "agence",
    "établissement",
]
VERBS = [
    "créer",
    "déposer",
    "envoyer",
    "recevoir",
    "rejeter",
    "suspendre",
    "compléter",
    "recycler",
    "valider",
    "consulter",
    "télécharger",
    "rechercher",
    "modifier",
    "supprimer",
    "transmettre",
    "corriger",
    "vérifier",
    "signer",
    "renouveler",
    "révoquer",
    "activer",
    "bloquer",
    "exporter",
    "filtrer",
    "trier",
    "payer",
    "mandater",
    "comptabiliser",
]
QUESTIONS = [
    "comment créer une structure ?",
    "mot de passe oublié",
    "ma facture est rejetée pour doublon",
    "que veut dire le statut mandatée",
    "signature des webhooks",
    "mandat de facturation",
    "déposer une facture PDF",
    "code service obligatoire",
    "comment me rattacher à ma commune",
    "quels formats de facture sont acceptés",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(VERBS), "la", rng.choice(NOUNS), "du", rng.choice(NOUNS)]
    words += [rng.choice(["avec", "pour", "sans", "dans"]), "le", rng.choice(NOUNS)]
    words += [rng.choice(NOUNS) for _ in range(rng.randint(3, 9))]
    return " ".join(words).capitalize() + "."


def generate(count: int) -> None:
    from chorale.portal.models import HelpArticle, HelpTopic
    from chorale.portal.services import help_article_index

    rng = random.Random(5)
    topics = [
        HelpTopic.objects.get_or_create(title=f"Rubrique {n}", defaults={"slug": f"rubrique-{n}"})[
            0
        ]
        for n in range(12)
    ]
    started = time.perf_counter()
    for n in range(count):
        sections = []
        for _ in range(rng.randint(3, 8)):
            heading = f"{rng.choice(VERBS).capitalize()} {rng.choice(NOUNS)} {rng.choice(NOUNS)}"
            body = " ".join(sentence(rng) for _ in range(rng.randint(3, 10)))
            sections.append(f"## {heading}\n{body}\n")
        article = HelpArticle.objects.create(
            topic=rng.choice(topics),
            title=f"{rng.choice(VERBS).capitalize()} {rng.choice(NOUNS)} ({n})",
            slug=f"genere-{n}",
            summary=sentence(rng),
            body=" ".join(sentence(rng) for _ in range(2)) + "\n\n" + "\n".join(sections),
        )
        help_article_index(article)
    print(f"generated {count} articles in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    django_on(options.database_url)
    from django.db import connection
    from django.test import Client

    from chorale.portal.models import HelpArticle, HelpPassage
    from chorale.portal.selectors import help_answers
    from chorale.portal.services import help_articles_load

    help_articles_load()
    missing = options.articles - HelpArticle.objects.count()
    if missing > 0:
        generate(missing)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rng = random.Random(3)
    questions = QUESTIONS + [
        f"comment {rng.choice(VERBS)} {rng.choice(['une', 'la', 'mon'])} {rng.choice(NOUNS)} "
        f"{rng.choice(NOUNS)} ?"
        for _ in range(options.questions - len(QUESTIONS))
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    for question in questions:  # warm-up: caches, stemmer, compiled statements
        client.get("/aide/questions/", {"q": question, "fragment": "1"})
    searches, requests = [], []
    for _ in range(options.rounds):
        for question in questions:
            started = time.perf_counter()
            help_answers(question)
            searches.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get("/aide/questions/", {"q": question, "fragment": "1"})
            requests.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    answered = sum(1 for q in questions if help_answers(q))
    print(
        f"{connection.vendor}: {HelpArticle.objects.count()} articles, "
        f"{HelpPassage.objects.count()} passages, {len(questions)} questions "
        f"x {options.rounds} rounds; {answered} questions answered"
    )
    percentiles("search (selector)", searches)
    percentiles("question box request", requests)


if __name__ == "__main__":
    main()
