import logging

from authlib.integrations.base_client import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST
from joserfc.errors import JoseError

from chorale.core.network import client_ip, rate_limited

from . import oidc, services
from .forms import (
    ActivationForm,
    ChangePasswordForm,
    ChangeSecretForm,
    LoginForm,
    NotificationsForm,
    PasswordForgotForm,
    PasswordResetForm,
    ProfileForm,
    RegistrationForm,
    SecretQuestionForm,
)
from .tokens import Purpose, TokenError, token_read

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
logger = logging.getLogger(__name__)


def _link_builder(request, url_name: str):
    return lambda token: request.build_absolute_uri(reverse(url_name, args=[token]))


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
        services.user_register(
            email=form.cleaned_data["email"],
            fields=fields,
            activation_link=_link_builder(request, "accounts:activate"),
        )
        return redirect("accounts:register_done")
    return render(request, "accounts/register.html", {"form": form})


def register_done(request):
    return render(request, "accounts/register_done.html")


def _link_error(request, error: TokenError, restart_url: str, restart_label: str):
    return render(
        request,
        "accounts/link_error.html",
        {"expired": error.expired, "restart_url": restart_url, "restart_label": restart_label},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def activate(request, token: str):
    try:
        user = token_read(token, Purpose.ACTIVATION, settings.CHORALE_ACTIVATION_MAX_AGE)
    except TokenError as error:
        return _link_error(
            request, error, reverse("accounts:register"), gettext("Créer votre compte")
        )
    if user.is_active:
        return _link_error(
            request, TokenError(expired=False), reverse("accounts:login"), "Se connecter"
        )
    form = ActivationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_activate(
            user=user,
            password=form.cleaned_data["password1"],
            question=form.cleaned_data["secret_question"],
            answer=form.cleaned_data["secret_answer"],
        )
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, gettext("Votre compte est activé. Bienvenue sur Chorale !"))
        return redirect("portal:dashboard")
    return render(request, "accounts/activate.html", {"form": form, "account": user})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def password_forgot(request):
    """« Mot de passe oublié »: a captcha, then at most CHORALE_PASSWORD_RESET_PER_IP requests
    an hour from one client address (429) and CHORALE_PASSWORD_RESET_PER_EMAIL links an hour
    to one address (beyond, the same answer and no e-mail: no enumeration, no flood)."""
    form = PasswordForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited(
            "password-ip", client_ip(request), settings.CHORALE_PASSWORD_RESET_PER_IP, 3600
        ):
            return render(
                request,
                "accounts/password_forgot.html",
                {"form": form, "limited": True},
                status=429,
            )
        email = form.cleaned_data["email"]
        if not rate_limited(
            "password-email", email, settings.CHORALE_PASSWORD_RESET_PER_EMAIL, 3600
        ):
            services.password_reset_request(
                email=email, reset_link=_link_builder(request, "accounts:password_reset")
            )
        return redirect("accounts:password_forgot_done")
    return render(request, "accounts/password_forgot.html", {"form": form})


def password_forgot_done(request):
    return render(request, "accounts/password_forgot_done.html")


def _reset_locked(request):
    hours = settings.CHORALE_SECRET_ANSWER_LOCK_HOURS
    return render(request, "accounts/password_reset_locked.html", {"hours": hours}, status=403)


@require_http_methods(["GET", "POST"])
def password_reset(request, token: str):
    restart = reverse("accounts:password_forgot"), "Demander un nouveau lien"
    try:
        user = token_read(token, Purpose.PASSWORD_RESET, settings.PASSWORD_RESET_TIMEOUT)
    except TokenError as error:
        return _link_error(request, error, *restart)
    if services.secret_answer_locked(user):
        return _reset_locked(request)
    form = PasswordResetForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.password_reset_confirm(
            user=user,
            answer=form.cleaned_data["secret_answer"],
            password=form.cleaned_data["password1"],
        ):
            messages.success(
                request, gettext("Votre mot de passe a été modifié. Vous pouvez vous connecter.")
            )
            return redirect("accounts:login")
        user.refresh_from_db()
        if services.secret_answer_locked(user):
            return _reset_locked(request)
        form.add_error("secret_answer", gettext("La réponse à la question secrète est incorrecte."))
    return render(request, "accounts/password_reset.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def my_account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Vos informations personnelles ont été enregistrées."))
        return redirect("accounts:my_account")
    return render(request, "accounts/my_account.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, gettext("Votre mot de passe a été modifié."))
        return redirect("accounts:my_account")
    return render(request, "accounts/change_password.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """Which events also come by e-mail, one by one or as a daily digest."""
    from chorale.core.feed import CATEGORIES

    from .notifications import notification_settings, notifications_update

    current = notification_settings(request.user)
    initial = {
        "categories": [c for c in CATEGORIES if c not in current.muted_categories],
        "daily_digest": current.daily_digest,
    }
    form = NotificationsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["categories"]
        notifications_update(
            user=request.user,
            muted=[c for c in CATEGORIES if c not in chosen],
            daily_digest=form.cleaned_data["daily_digest"],
        )
        messages.success(request, gettext("Vos préférences de notification ont été enregistrées."))
        return redirect("accounts:notifications")
    return render(request, "accounts/notifications.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_secret(request):
    form = ChangeSecretForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_update_secret(
            user=request.user,
            question=form.cleaned_data["secret_question"],
            answer=form.cleaned_data["secret_answer"],
        )
        messages.success(request, gettext("Votre question secrète a été modifiée."))
        return redirect("accounts:my_account")
    return render(request, "accounts/change_secret.html", {"form": form})


# FranceConnect-style sign-in (chorale.accounts.oidc).


def oidc_login(request):
    """« S'identifier avec FranceConnect »: off to the provider (state, nonce, PKCE kept in
    the session by Authlib)."""
    if not oidc.oidc_configured():
        raise Http404(gettext("Connexion par fournisseur d'identité non configurée."))
    next_url = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        request.session["oidc_next"] = next_url
    callback = request.build_absolute_uri(reverse("accounts:oidc_callback"))
    try:
        return oidc.oidc_client().authorize_redirect(request, callback)
    except (OSError, ValueError, OAuthError) as error:  # provider unreachable or misconfigured
        logger.warning("OIDC provider unavailable: %s", error)
        messages.error(
            request,
            gettext(
                "%(CHORALE_OIDC_NAME)s ne répond pas ; réessayez plus tard "
                "ou connectez-vous avec votre mot de passe."
            )
            % {
                "CHORALE_OIDC_NAME": settings.CHORALE_OIDC_NAME,
            },
        )
        return redirect("accounts:login")


def oidc_callback(request):
    """The provider's answer: sign the person in, or say clearly why not."""
    if not oidc.oidc_configured():
        raise Http404(gettext("Connexion par fournisseur d'identité non configurée."))
    if request.GET.get("error"):
        messages.error(
            request,
            gettext("Connexion avec %(CHORALE_OIDC_NAME)s annulée.")
            % {
                "CHORALE_OIDC_NAME": settings.CHORALE_OIDC_NAME,
            },
        )
        return redirect("accounts:login")
    try:
        token = oidc.oidc_client().authorize_access_token(request)
        user = services.oidc_sign_in(
            issuer=settings.CHORALE_OIDC_ISSUER,
            claims=dict(token.get("userinfo") or {}),
            emails_verified=settings.CHORALE_OIDC_EMAILS_VERIFIED,
        )
    except services.OidcRefused as refused:
        messages.error(request, str(refused))
        return redirect("accounts:login")
    except (OSError, ValueError, KeyError, RuntimeError, OAuthError, JoseError) as error:
        logger.warning("OIDC sign-in failed: %r", error)
        messages.error(
            request,
            gettext(
                "La connexion avec %(CHORALE_OIDC_NAME)s n'a pas abouti "
                "(réponse invalide ou expirée) ; recommencez."
            )
            % {
                "CHORALE_OIDC_NAME": settings.CHORALE_OIDC_NAME,
            },
        )
        return redirect("accounts:login")
    next_url = request.session.pop("oidc_next", "")
    login(request, user, backend=MODEL_BACKEND)
    if not user.secret_question:
        request.session[oidc.QUESTION_PENDING] = True
        request.session["oidc_next"] = next_url
        return redirect("accounts:oidc_complete")
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


@login_required
@require_http_methods(["GET", "POST"])
def oidc_complete(request):
    """« Compléter votre compte »: the secret question an account made by the provider lacks."""
    form = SecretQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_update_secret(
            user=request.user,
            question=form.cleaned_data["secret_question"],
            answer=form.cleaned_data["secret_answer"],
        )
        request.session.pop(oidc.QUESTION_PENDING, None)
        messages.success(request, gettext("Votre compte est complet."))
        return redirect(request.session.pop("oidc_next", "") or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/oidc_complete.html", {"form": form})


@require_POST
def language(request):
    """The header's language switch: the pages (and, once signed in, the e-mails) in the
    language chosen, then back to the page it was chosen on."""
    code = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
        if request.user.is_authenticated:
            services.user_language_set(user=request.user, language=code)
    return response
