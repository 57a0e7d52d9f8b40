"""User accounts: the e-mail address is the login; the seed's personal fields live on the user."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_countries.fields import CountryField

SECRET_QUESTIONS = [
    ("first_pet", gettext_lazy("Quel était le nom de votre premier animal de compagnie ?")),
    ("birth_city", gettext_lazy("Dans quelle ville êtes-vous né(e) ?")),
    ("mother_maiden", gettext_lazy("Quel est le nom de jeune fille de votre mère ?")),
    ("first_school", gettext_lazy("Quel était le nom de votre première école ?")),
    (
        "childhood_friend",
        gettext_lazy("Quel est le prénom de votre meilleur(e) ami(e) d'enfance ?"),
    ),
    ("first_car", gettext_lazy("Quelle était la marque de votre première voiture ?")),
    ("favourite_book", gettext_lazy("Quel est le titre de votre livre préféré ?")),
]


class UserManager(BaseUserManager):
    use_in_migrations = True

    @staticmethod
    def normalize_login(email: str) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_login(username))

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_login(email), **fields)
        user.set_password(password)  # None gives an unusable password
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True, is_active=True)
        fields.setdefault("activated_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Inactive until the activation link is followed and a password chosen.

    The seed's personal fields are on the user itself rather than on a profile: they are one to
    one with the person, always read together, and a profile would only add a join.
    """

    email = models.EmailField(
        gettext_lazy("adresse électronique de connexion"), max_length=254, unique=True
    )
    contact_email = models.EmailField(gettext_lazy("adresse électronique de contact"), blank=True)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField(gettext_lazy("prénom"), max_length=100)
    address = models.CharField("adresse", max_length=200, blank=True)
    address_complement_1 = models.CharField(
        gettext_lazy("complément adresse 1"), max_length=200, blank=True
    )
    address_complement_2 = models.CharField(
        gettext_lazy("complément adresse 2"), max_length=200, blank=True
    )
    postal_code = models.CharField(gettext_lazy("code postal"), max_length=20, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    country = CountryField("pays", default="FR")
    phone = models.CharField(gettext_lazy("téléphone"), max_length=30, blank=True)
    fax = models.CharField("fax", max_length=30, blank=True)
    # The language of the pages and of the e-mails sent to this person (the header's switch).
    language = models.CharField(
        "langue", max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    secret_question = models.CharField(
        gettext_lazy("question secrète"), max_length=40, choices=SECRET_QUESTIONS, blank=True
    )
    secret_answer = models.CharField(
        gettext_lazy("réponse secrète (empreinte)"), max_length=256, blank=True
    )
    # Wrong secret answers, counted across reset links until they lapse (see services).
    secret_answer_failures = models.PositiveSmallIntegerField(default=0)
    secret_answer_failed_at = models.DateTimeField(null=True, blank=True)

    is_active = models.BooleanField("actif", default=False)
    is_staff = models.BooleanField(gettext_lazy("opérateur"), default=False)
    date_joined = models.DateTimeField(gettext_lazy("inscrit le"), default=timezone.now)
    activated_at = models.DateTimeField(gettext_lazy("activé le"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_full_name()} <{self.email}>"

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def notification_email(self) -> str:
        """Where messages go: the contact address, else the login address."""
        return self.contact_email or self.email


class NotificationSettings(models.Model):
    """Which events a person also gets by e-mail, and whether as one daily digest."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notifications")
    muted_categories = models.JSONField(
        gettext_lazy("catégories sans e-mail"), default=list, blank=True
    )
    daily_digest = models.BooleanField(
        gettext_lazy("un seul e-mail récapitulatif par jour"), default=False
    )
    digest_sent_at = models.DateTimeField(
        gettext_lazy("dernier récapitulatif"), null=True, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("préférences de notification")
        verbose_name_plural = gettext_lazy("préférences de notification")

    def __str__(self) -> str:
        return f"Notifications de {self.user}"


class OidcIdentity(models.Model):
    """An account's identity at the OpenID Connect provider (FranceConnect): issuer + subject."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    issuer = models.CharField(gettext_lazy("fournisseur d'identité"), max_length=300)
    subject = models.CharField(gettext_lazy("identifiant chez le fournisseur"), max_length=255)
    created_at = models.DateTimeField(gettext_lazy("lié le"), auto_now_add=True)
    last_login_at = models.DateTimeField(gettext_lazy("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("identité FranceConnect")
        verbose_name_plural = gettext_lazy("identités FranceConnect")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"
