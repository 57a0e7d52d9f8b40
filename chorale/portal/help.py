"""« Aide en ligne »: help articles in Markdown, cut into passages (one per `## ` section), and
the words the full-text indexes hold for them.

Both engines index the same normalised words: lower case, French stop words dropped, Snowball
French stems (the stemmer PostgreSQL's `french` configuration uses), accents folded after
stemming. The question is normalised the same way, so SQLite (FTS5, bm25) and PostgreSQL (GIN
tsvector, ts_rank_cd) answer alike."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt

WORD = re.compile(r"\w+", re.UNICODE)
STOP_WORDS = frozenset(
    """
    a à afin ai aie aient ainsi alors as au aucun aucune aussi autre aux avec avez avoir c ça
    car ce ceci cela celle celles celui ces cet cette chaque comme comment d dans de des dois
    doit donc dont du elle elles en encore est et étaient était être eu eux faire fait il ils j
    je l la là le les leur leurs lui m ma mais me même mes moi mon n ne ni nos notre nous on
    ont ou où par pas peut peux plus pour pourquoi puis puisje qu quand que quel quelle quelles
    quels qui quoi s sa sans se ses si son sont sur t ta te tes toi ton tous tout toute toutes
    très tu un une vos votre vous y
    """.split()  # noqa: SIM905 — a word list reads best as text
)


@cache
def _stemmer():
    return snowballstemmer.stemmer("french")


def _fold(word: str) -> str:
    plain = unicodedata.normalize("NFKD", word)
    return "".join(c for c in plain if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def _term(word: str) -> str:
    """One word's index form (the pure-Python stemmer is slow; a language has few words)."""
    return _fold(_stemmer().stemWord(word))


def terms(text: str) -> list[str]:
    """The words a text is indexed or searched by, in order (repeats kept)."""
    found = (_term(w) for w in WORD.findall(text.lower()) if w not in STOP_WORDS)
    return [term for term in found if len(term) > 1 and not term.isdigit()]


@cache
def _markdown() -> MarkdownIt:
    # Raw HTML is escaped and unsafe link schemes are refused: articles render safely.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render(text: str) -> SafeString:
    return mark_safe(_markdown().render(text))  # noqa: S308 — raw HTML is escaped above


def plain(text: str) -> str:
    import html

    return " ".join(html.unescape(strip_tags(_markdown().render(text))).split())


@dataclass(frozen=True)
class Section:
    heading: str
    anchor: str
    body: str

    @property
    def html(self) -> SafeString:
        return render(self.body)


def sections(title: str, body: str) -> list[Section]:
    """The article cut at its `## ` headings; the text before the first one is headed by the
    article's title and has no anchor."""
    found: list[Section] = []
    heading, anchor, lines = title, "", []
    for line in body.splitlines():
        if line.startswith("## "):
            if "".join(lines).strip() or anchor:
                found.append(Section(heading, anchor, "\n".join(lines).strip()))
            heading = line[3:].strip()
            anchor = slugify(heading)[:120]
            lines = []
        else:
            lines.append(line)
    if "".join(lines).strip() or anchor:
        found.append(Section(heading, anchor, "\n".join(lines).strip()))
    return found


def excerpt(text: str, wanted: set[str], length: int = 320) -> SafeString:
    """The sentence(s) of a passage that hold the most searched words, those words marked."""
    from django.utils.html import escape

    sentences = re.split(r"(?<=[.!?:;])\s+", text)
    scored = sorted(
        range(len(sentences)),
        key=lambda i: (-len(wanted & set(terms(sentences[i]))), i),
    )
    chosen, size = [], 0
    for index in scored:
        if size >= length:
            break
        chosen.append(index)
        size += len(sentences[index])
    shown = " ".join(sentences[i] for i in sorted(chosen))
    if len(shown) > length + 80:
        shown = shown[: length + 80].rsplit(" ", 1)[0] + " …"
    marked = []
    for token in re.split(r"(\w+)", shown):
        if token and WORD.fullmatch(token) and set(terms(token)) & wanted:
            marked.append(f"<mark>{escape(token)}</mark>")
        else:
            marked.append(escape(token))
    return mark_safe("".join(marked))  # noqa: S308 — every piece is escaped
