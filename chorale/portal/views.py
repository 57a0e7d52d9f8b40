from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from chorale.accounts.forms import LoginForm
from chorale.directory.forms import PublicStructureSearchForm

from .selectors import news_published


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
            "events": [],
            "news": news_published(),
            "spaces": [],
            "search_form": PublicStructureSearchForm(),
        },
    )


@login_required
def add_space(request):
    return render(request, "portal/add_space.html")


def help_page(request):
    return render(request, "portal/help.html")
