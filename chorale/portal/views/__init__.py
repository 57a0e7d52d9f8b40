from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from chorale.accounts.forms import LoginForm
from chorale.core.feed import events_for_user
from chorale.core.paging import PAGE_SIZES, page_size
from chorale.directory.forms import PublicStructureSearchForm
from chorale.structures.context_processors import space_url
from chorale.structures.selectors import spaces_for_user

from ..help import sections
from ..selectors import help_answers, help_article, help_topics, news_published


def home(request):
    """Public home: sign in, news, create an account, find a public structure."""
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    return render(
        request,
        "portal/home.html",
        {
            "login_form": LoginForm(request),
            "news": news_published(),
            "search_form": PublicStructureSearchForm(),
        },
    )


@login_required
def dashboard(request):
    """« Accueil connecté »: events, news, spaces and the public structure search."""
    return render(
        request,
        "portal/dashboard.html",
        {
            "events": events_for_user(request.user),
            "news": news_published(),
            "spaces": [(item, space_url(item.space)) for item in spaces_for_user(request.user)],
            "search_form": PublicStructureSearchForm(),
        },
    )


@login_required
def events(request):
    """The whole « Fil d'événements », newest first, paged."""
    page = Paginator(events_for_user(request.user, limit=None), page_size(request)).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/events.html", {"page": page, "sizes": PAGE_SIZES})


@login_required
def events_recent(request):
    """The feed's latest entries as an HTML fragment: the connected home polls it."""
    return render(request, "portal/feed_items.html", {"events": events_for_user(request.user)})


def help_page(request):
    """« Aide en ligne »: the articles, grouped by topic."""
    return render(request, "portal/help.html", {"topics": help_topics()})


def help_article_page(request, slug: str):
    article = help_article(slug)
    return render(
        request,
        "portal/help_article.html",
        {"article": article, "sections": sections(article.title, article.body)},
    )


def help_questions(request):
    """« Posez-moi vos questions »: the best matching help passages, with their sources; the
    question box asks for the bare answers (`?fragment=1`) and shows them in place."""
    question = request.GET.get("q", "").strip()[:500]
    answers = help_answers(question) if question else []
    template = (
        "portal/help_answers.html" if request.GET.get("fragment") else "portal/help_questions.html"
    )
    return render(request, template, {"question": question, "answers": answers})
