"""Agreement templates (versions), agreements per partner and network, signatures and signing invitations.

A signed agreement is never edited: its text snapshot, the hash of that text and the archived PDF are written once.
Signature rows are additionally protected by a database trigger (migration 0002) that refuses UPDATE and DELETE.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import terms as terms_engine
from partners.models import Network, Partner

#: A drawn signature is a PNG data URL; anything bigger than this is refused.
MAX_DRAWN_SIGNATURE_LENGTH = 200_000

NOTICE_UNIT_CHOICES = [(key, plural) for key, (_singular, plural) in terms_engine.UNITS.items()]
NOTICE_TO_CHOICES = list(terms_engine.NOTICE_TO.items())


def sha256_hex(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


class AgreementTemplate(models.Model):
    """One version (Stand) of a network's cooperation agreement; frozen once published."""

    class State(models.TextChoices):
        DRAFT = "entwurf", _("Entwurf")
        PUBLISHED = "veroeffentlicht", _("veröffentlicht")

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="agreement_templates", verbose_name=_("Netzwerk")
    )
    title = models.CharField(_("Titel"), max_length=300)
    version_date = models.DateField(_("Stand"), help_text=_("Datum dieser Fassung, z. B. 16.05.2018"))
    body = models.TextField(_("Text"), help_text=_("Markdown: **fett**, Überschriften mit #, Listen mit -"))
    initial_months = models.PositiveSmallIntegerField(
        _("Laufzeit (Monate)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("leer: unbefristet"),
    )
    renewal_months = models.PositiveSmallIntegerField(
        _("Verlängerung (Monate)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("leer: keine Verlängerung"),
    )
    notice_amount = models.PositiveSmallIntegerField(
        _("Kündigungsfrist"), default=4, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    notice_unit = models.CharField(
        _("Einheit der Kündigungsfrist"), max_length=10, choices=NOTICE_UNIT_CHOICES, default="weeks"
    )
    notice_to = models.CharField(_("Kündigung zum"), max_length=20, choices=NOTICE_TO_CHOICES, default="quarter_end")
    written_form = models.BooleanField(_("Kündigung nur schriftlich"), default=False)
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Vereinbarungsvorlage")
        verbose_name_plural = _("Vereinbarungsvorlagen")
        ordering = ["network__name", "-version_date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "title", "version_date"],
                name="agreement_template_unique_version",
                violation_error_message=_("Eine Vorlage mit diesem Titel und Stand gibt es in diesem Netzwerk schon."),
            ),
            models.CheckConstraint(
                condition=Q(renewal_months__isnull=True) | Q(initial_months__isnull=False),
                name="agreement_template_renewal_needs_term",
                violation_error_message=_("Eine Verlängerung setzt eine feste Laufzeit voraus."),
            ),
            models.CheckConstraint(
                condition=~Q(notice_to="term_end") | Q(initial_months__isnull=False),
                name="agreement_template_term_end_needs_term",
                violation_error_message=_("„Zum Ablauf der Laufzeit“ setzt eine feste Laufzeit voraus."),
            ),
            models.CheckConstraint(
                condition=Q(state="entwurf") | Q(published_at__isnull=False),
                name="agreement_template_published_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (Stand {self.version_date:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("agreements:template_detail", kwargs={"network": self.network.slug, "pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def terms(self) -> terms_engine.Terms:
        return terms_engine.Terms(
            initial_months=self.initial_months,
            renewal_months=self.renewal_months,
            notice=(self.notice_amount, self.notice_unit),
            notice_to=self.notice_to,
        )

    def terms_text(self) -> str:
        text = terms_engine.describe(self.terms())
        return f"{text}; Kündigung in Schriftform" if self.written_form else text

    def clean(self):
        super().clean()
        if self.notice_amount and self.notice_unit and self.notice_to:
            try:
                self.terms()
            except ValueError as error:
                from django.core.exceptions import ValidationError

                raise ValidationError(str(error)) from None


class TemplateSignatory(models.Model):
    """A signature line of the network side (e.g. "Leitung des Jugendamtes"), in order."""

    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("Vorlage")
    )
    role_label = models.CharField(_("Funktion"), max_length=200, help_text=_("z. B. Leitung des Jugendamtes"))
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=1)

    class Meta:
        verbose_name = _("Unterzeichnende Stelle (Netzwerk)")
        verbose_name_plural = _("Unterzeichnende Stellen (Netzwerk)")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.role_label


class AgreementQuerySet(models.QuerySet):
    def open_or_in_force(self) -> AgreementQuerySet:
        return self.filter(status__in=Agreement.OPEN_STATES)


class Agreement(models.Model):
    """The cooperation agreement of one partner with one network, on one template version."""

    class Status(models.TextChoices):
        INVITED = "eingeladen", _("eingeladen")
        SIGNED = "unterzeichnet", _("vom Partner unterzeichnet")
        IN_FORCE = "in_kraft", _("in Kraft (gegengezeichnet)")
        TERMINATED = "gekuendigt", _("gekündigt")
        ENDED = "beendet", _("beendet")
        DECLINED = "abgelehnt", _("abgelehnt")
        EXPIRED = "abgelaufen", _("Einladung abgelaufen")
        SUPERSEDED = "abgeloest", _("abgelöst durch neue Fassung")

    #: Open or valid: an invitation under way, or an agreement that binds the partner.
    OPEN_STATES = ("eingeladen", "unterzeichnet", "in_kraft", "gekuendigt")
    #: Not yet in force: invited or signed by the partner only. At most one per partner and network.
    PENDING_STATES = ("eingeladen", "unterzeichnet")
    #: Binding: in force, or terminated but not yet ended. At most one per partner and network.
    VALID_STATES = ("in_kraft", "gekuendigt")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("Kooperationspartner")
    )
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("Netzwerk")
    )
    template = models.ForeignKey(
        AgreementTemplate, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("Vorlage (Fassung)")
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.INVITED, db_index=True)
    effective_from = models.DateField(_("in Kraft ab"), null=True, blank=True, help_text=_("Tag der Unterzeichnung"))
    signed_text = models.TextField(_("unterzeichneter Text"), blank=True)
    signed_text_sha256 = models.CharField(_("SHA-256 des Textes"), max_length=64, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="agreements/pdf/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 des PDF"), max_length=64, blank=True)
    scan = models.FileField(_("Scan (Papier)"), upload_to="agreements/scans/", blank=True)
    scan_sha256 = models.CharField(_("SHA-256 des Scans"), max_length=64, blank=True)
    # Termination (filled by a later workflow; the fields are here so the model does not need to change).
    terminated_on = models.DateField(_("Kündigung zugegangen am"), null=True, blank=True)
    ends_on = models.DateField(_("endet mit Ablauf des"), null=True, blank=True)
    termination_reason = models.TextField(_("Kündigungsgrund"), blank=True)
    # A new version re-signed by a partner that already has a valid agreement: once countersigned, the old agreement
    # is "abgelöst" (superseded) and ends on that day; its text, signatures and PDF stay as they are.
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("löst ab"),
    )
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kooperationsvereinbarung")
        verbose_name_plural = _("Kooperationsvereinbarungen")
        ordering = ["network__name", "partner__name", "-created"]
        constraints = [
            # One valid agreement and at most one invitation under way per partner and network; both at once only
            # when the invitation is to re-sign a new version (supersedes the valid one; checked in services).
            models.UniqueConstraint(
                fields=["partner", "network"],
                condition=Q(status__in=["in_kraft", "gekuendigt"]),
                name="agreement_one_valid_per_partner_network",
                violation_error_message=_(
                    "Für diese Einrichtung gibt es in diesem Netzwerk schon eine gültige Vereinbarung."
                ),
            ),
            models.UniqueConstraint(
                fields=["partner", "network"],
                condition=Q(status__in=["eingeladen", "unterzeichnet"]),
                name="agreement_one_pending_per_partner_network",
                violation_error_message=_(
                    "Für diese Einrichtung läuft in diesem Netzwerk schon eine Einladung zur Unterzeichnung."
                ),
            ),
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=Q(status__in=["eingeladen", "unterzeichnet", "in_kraft", "gekuendigt"]),
                name="agreement_one_open_successor",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["eingeladen", "abgelehnt", "abgelaufen"]) | Q(effective_from__isnull=False),
                name="agreement_signed_has_effective_from",
            ),
        ]

    def __str__(self) -> str:
        return f"Kooperationsvereinbarung {self.partner} – {self.network}"

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement_detail", kwargs={"network": self.network.slug, "pk": self.pk})

    @property
    def is_in_force(self) -> bool:
        return self.status == self.Status.IN_FORCE

    def invitation_lapsed(self) -> bool:
        """Invited, but no invitation link is usable any more (expired or withdrawn): time to invite again."""
        if self.status != self.Status.INVITED:
            return False
        now = timezone.now()
        return not any(
            i.used_at is None and i.revoked_at is None and i.expires_at > now for i in self.invitations.all()
        )

    def term_end(self):
        if self.effective_from is None:
            return None
        return terms_engine.term_end(self.template.terms(), effective_from=self.effective_from)

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING_STATES

    @property
    def is_valid(self) -> bool:
        return self.status in self.VALID_STATES


class Signature(models.Model):
    """One signature; never changed or deleted (a database trigger refuses UPDATE and DELETE)."""

    class Side(models.TextChoices):
        PARTNER = "partner", _("Kooperationspartner")
        NETWORK = "network", _("Netzwerk")

    class Method(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("auf Papier")

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("Vereinbarung")
    )
    side = models.CharField(_("Seite"), max_length=10, choices=Side.choices)
    name = models.CharField(_("Name"), max_length=150)
    function = models.CharField(_("Funktion"), max_length=150, blank=True)
    place = models.CharField(_("Ort"), max_length=120, blank=True)
    signed_at = models.DateTimeField(_("unterzeichnet am"), default=timezone.now)
    method = models.CharField(_("Verfahren"), max_length=10, choices=Method.choices, default=Method.ONLINE)
    ip = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    user_agent = models.CharField(_("Browser"), max_length=400, blank=True)
    text_sha256 = models.CharField(_("SHA-256 des unterzeichneten Textes"), max_length=64)
    consent_text = models.TextField(_("bestätigte Erklärung"), blank=True)
    drawn_signature = models.TextField(
        _("gezeichnete Unterschrift"),
        blank=True,
        validators=[MaxLengthValidator(MAX_DRAWN_SIGNATURE_LENGTH)],
        help_text=_("PNG als data:-URL"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Benutzerkonto"),
    )

    class Meta:
        verbose_name = _("Unterschrift")
        verbose_name_plural = _("Unterschriften")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(drawn_signature="") | Q(drawn_signature__startswith="data:image/png;base64,"),
                name="signature_drawn_is_png_data_url",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_side_display()}, {self.signed_at:%d.%m.%Y})"


class SigningInvitation(models.Model):
    """A one-time link for the partner to sign; only the SHA-256 of the token is stored."""

    VALID_DAYS = 14

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("Vereinbarung")
    )
    token_hash = models.CharField(_("Prüfsumme des Schlüssels"), max_length=64, unique=True)
    email = models.EmailField(_("E-Mail"))
    created_at = models.DateTimeField(_("versandt am"), default=timezone.now)
    expires_at = models.DateTimeField(_("gültig bis"))
    used_at = models.DateTimeField(_("benutzt am"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("eingeladen von"),
    )

    class Meta:
        verbose_name = _("Einladung zur Unterzeichnung")
        verbose_name_plural = _("Einladungen zur Unterzeichnung")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Einladung an {self.email} ({self.created_at:%d.%m.%Y})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Reminder(models.Model):
    """One reminder e-mail about one thing (a deadline of one agreement, one expiring link); `key` says which.

    The daily command `agreements_remind` never sends a reminder whose key is already recorded as sent.
    """

    class Kind(models.TextChoices):
        NOTICE = "kuendigungsfrist", _("Kündigungsfrist")
        RENEWAL = "verlaengerung", _("Verlängerung")
        TERM_END = "laufzeitende", _("Ende der Laufzeit")
        ENDING = "ende", _("Ende nach Kündigung")
        INVITATION = "einladung", _("Einladung läuft ab")

    key = models.CharField(_("Schlüssel"), max_length=120, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+", verbose_name=_("Netzwerk"))
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("Vereinbarung")
    )
    due = models.DateField(_("fällig am"))
    recipients = models.TextField(_("Empfänger"), blank=True)
    sent_at = models.DateTimeField(_("gesendet am"), default=timezone.now)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-sent_at", "key"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due:%d.%m.%Y} ({self.agreement_id})"
