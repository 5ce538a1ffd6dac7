from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Eine E-Mail-Adresse ist erforderlich.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address. What they may do depends on their roles per network."""

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True)
    title = models.CharField(_("Anrede/Titel"), max_length=50, blank=True, help_text=_("z. B. Dr."))
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    is_staff = models.BooleanField(
        _("Systemadministration"),
        default=False,
        help_text=_("Darf die Verwaltungsoberfläche (/admin/) benutzen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("angelegt am"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("Benutzerkonto")
        verbose_name_plural = _("Benutzerkonten")
        ordering = ["last_name", "first_name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part).strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class NetworkRoleQuerySet(models.QuerySet):
    def team_of(self, network) -> NetworkRoleQuerySet:
        """Coordinators first, then Jugendamt staff of the network, with their user rows."""
        return (
            self.filter(network=network, role__in=["koordination", "jugendamt"])
            .select_related("user")
            .order_by(models.Case(models.When(role="koordination", then=0), default=1), "user__last_name")
        )


class NetworkRole(models.Model):
    """What one person is in one network. Roles are per network: coordinator here, partner contact there."""

    class Role(models.TextChoices):
        COORDINATOR = "koordination", _("Netzwerkkoordination")
        JUGENDAMT = "jugendamt", _("Jugendamt")
        PARTNER = "partner", _("Kooperationspartner")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="network_roles",
        verbose_name=_("Person"),
    )
    network = models.ForeignKey(
        "partners.Network", on_delete=models.CASCADE, related_name="roles", verbose_name=_("Netzwerk")
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        "partners.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_roles",
        verbose_name=_("Einrichtung"),
        help_text=_("Nur für Kooperationspartner: die Einrichtung, für die die Person handelt."),
    )
    function = models.CharField(_("Funktion"), max_length=150, blank=True, help_text=_("z. B. Leitung Jugendamt"))
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = NetworkRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("Rolle im Netzwerk")
        verbose_name_plural = _("Rollen im Netzwerk")
        ordering = ["network__name", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="networkrole_one_per_network"),
            models.CheckConstraint(
                condition=(Q(role="partner") & Q(partner__isnull=False))
                | (~Q(role="partner") & Q(partner__isnull=True)),
                name="networkrole_partner_iff_partner_role",
                violation_error_message=_(
                    "Kooperationspartner brauchen eine Einrichtung; Koordination und Jugendamt haben keine."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.network})"

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.role == self.Role.PARTNER and not self.partner_id:
            raise ValidationError({"partner": _("Bitte die Einrichtung wählen, für die die Person handelt.")})
        if self.role != self.Role.PARTNER and self.partner_id:
            raise ValidationError({"partner": _("Nur Kooperationspartner sind einer Einrichtung zugeordnet.")})
        if (
            self.partner_id
            and self.network_id
            and not self.partner.memberships.filter(network_id=self.network_id).exists()
        ):
            raise ValidationError({"partner": _("Diese Einrichtung ist nicht Mitglied dieses Netzwerks.")})


class SiteText(models.Model):
    """Texts each installation configures itself: Impressum, Datenschutz, Barrierefreiheitserklärung."""

    class Key(models.TextChoices):
        IMPRESSUM = "impressum", _("Impressum")
        DATENSCHUTZ = "datenschutz", _("Datenschutzerklärung")
        BARRIEREFREIHEIT = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")

    key = models.CharField(_("Seite"), max_length=30, choices=Key.choices, unique=True)
    body = models.TextField(_("Text (Markdown)"), help_text=_("Überschriften mit #, Listen mit -, Links [Text](URL)."))
    updated = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Seitentext")
        verbose_name_plural = _("Seitentexte")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()


class AuditEntry(models.Model):
    """One recorded action: who did what to which object, when. Written by services, never edited."""

    created = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Person"),
    )
    actor_label = models.CharField(_("Person (Name)"), max_length=200, blank=True)
    network = models.ForeignKey(
        "partners.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("Netzwerk"),
    )
    action = models.CharField(_("Aktion"), max_length=60, db_index=True)
    object_type = models.CharField(_("Objektart"), max_length=60, blank=True)
    object_id = models.CharField(_("Objekt-ID"), max_length=40, blank=True)
    object_label = models.CharField(_("Objekt"), max_length=300, blank=True)
    data = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Änderungsprotokoll")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["network", "-created"])]

    def __str__(self) -> str:
        return f"{self.created:%d.%m.%Y %H:%M} {self.actor_label}: {self.action} {self.object_label}"
