"""Bodies (Gremien) and their members, meetings with agenda (TOPs), invitations and replies, attendance,
the protocol (notes per TOP, recommendations, action items, comments) and its approval.

An approved protocol is frozen: services refuse every change to it, and its PDF is written once at approval.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetings import clock
from partners.models import Network, Partner


class Body(models.Model):
    """A Gremium of a network: Lenkungskreis, Untergruppe/AG, Qualitätszirkel, Steuerungsgruppe, Projektbeirat."""

    class Kind(models.TextChoices):
        LENKUNGSKREIS = "lenkungskreis", _("Lenkungskreis")
        AG = "ag", _("Untergruppe/AG")
        QUALITAETSZIRKEL = "qualitaetszirkel", _("Qualitätszirkel")
        STEUERUNGSGRUPPE = "steuerungsgruppe", _("Steuerungsgruppe")
        PROJEKTBEIRAT = "projektbeirat", _("Projektbeirat")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("Netzwerk"))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.LENKUNGSKREIS)
    name = models.CharField(_("Name"), max_length=200, help_text=_("z. B. Lenkungskreis Frühe Hilfen"))
    description = models.TextField(_("Aufgabe"), blank=True, help_text=_("wofür das Gremium da ist"))
    place = models.CharField(
        _("üblicher Sitzungsort"), max_length=200, blank=True, help_text=_("leer: der übliche Ort des Netzwerks")
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Gremium")
        verbose_name_plural = _("Gremien")
        ordering = ["network__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"],
                name="body_unique_name_in_network",
                violation_error_message=_("Ein Gremium mit diesem Namen gibt es in diesem Netzwerk schon."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("meetings:body_detail", kwargs={"network": self.network.slug, "pk": self.pk})

    @property
    def default_place(self) -> str:
        return self.place or self.network.meeting_place


class BodyMemberQuerySet(models.QuerySet):
    def current(self, day=None) -> BodyMemberQuerySet:
        """Members on `day` (today by default): started on or before it and not ended before it."""
        day = day or clock.today()
        return self.filter(Q(since__isnull=True) | Q(since__lte=day), Q(until__isnull=True) | Q(until__gte=day))


class BodyMember(models.Model):
    """A seat in a body: an institution (with its delegate or deputy) or a person of their own."""

    class Role(models.TextChoices):
        CHAIR = "vorsitz", _("Vorsitz")
        MINUTES = "protokoll", _("Protokoll")
        MEMBER = "mitglied", _("Mitglied")
        GUEST = "gast", _("Gast")

    class Representation(models.TextChoices):
        DELEGATE = "delegiert", _("Delegierte/r")
        DEPUTY = "stellvertretung", _("Stellvertretung")

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members", verbose_name=_("Gremium"))
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_seats",
        verbose_name=_("Einrichtung"),
        help_text=_("leer für Personen, die nicht für eine Mitgliedseinrichtung im Gremium sind"),
    )
    name = models.CharField(_("Name der Person"), max_length=150, blank=True)
    function = models.CharField(_("Funktion"), max_length=150, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True, help_text=_("für Einladungen und Protokolle"))
    role = models.CharField(_("Rolle im Gremium"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    representation = models.CharField(
        _("vertritt die Einrichtung als"),
        max_length=20,
        choices=Representation.choices,
        default=Representation.DELEGATE,
    )
    since = models.DateField(_("Mitglied seit"), null=True, blank=True)
    until = models.DateField(_("Mitglied bis"), null=True, blank=True)

    objects = BodyMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitglied des Gremiums")
        verbose_name_plural = _("Mitglieder des Gremiums")
        ordering = ["body", "partner__name", "representation", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(partner__isnull=False) | ~Q(name=""),
                name="bodymember_partner_or_person",
                violation_error_message=_("Bitte eine Einrichtung oder den Namen einer Person angeben."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="bodymember_until_after_since",
                violation_error_message=_("„Mitglied bis“ darf nicht vor „Mitglied seit“ liegen."),
            ),
            models.UniqueConstraint(
                fields=["body", "partner", "representation"],
                condition=Q(partner__isnull=False, until__isnull=True),
                name="bodymember_one_delegate_and_deputy",
                violation_error_message=_(
                    "Diese Einrichtung hat in diesem Gremium schon eine Person in dieser Funktion "
                    "(je Einrichtung eine Delegierte/ein Delegierter und eine Stellvertretung)."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.partner_id and self.name:
            return f"{self.name} ({self.partner.name})"
        return self.name or self.partner.name

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        if self.partner_id and self.body_id and not self.partner.memberships.filter(network=self.body.network).exists():
            raise ValidationError({"partner": _("Diese Einrichtung ist nicht Mitglied dieses Netzwerks.")})


class Meeting(models.Model):
    """A meeting (Sitzung) of a body with its agenda, participants and protocol."""

    class State(models.TextChoices):
        PLANNED = "geplant", _("geplant, noch nicht eingeladen")
        INVITED = "eingeladen", _("eingeladen")
        CANCELLED = "abgesagt", _("abgesagt")

    class ProtocolState(models.TextChoices):
        DRAFT = "entwurf", _("Entwurf")
        REVIEW = "versandt", _("zur Abstimmung versandt")
        APPROVED = "genehmigt", _("genehmigt")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("Gremium"))
    title = models.CharField(_("Titel"), max_length=200, blank=True, help_text=_("z. B. 2. Lenkungskreis 2026"))
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=200)
    invitation_text = models.TextField(_("Einladungstext"), blank=True)
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.PLANNED)
    uid = models.UUIDField(_("Kalender-ID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("Kalender-Version"), default=0, help_text=_("steigt mit jeder Änderung"))
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True)
    cancel_reason = models.CharField(_("Grund der Absage"), max_length=300, blank=True)
    chair = models.CharField(_("Sitzungsleitung"), max_length=150, blank=True)
    minute_taker = models.CharField(_("Protokoll"), max_length=150, blank=True)
    protocol_state = models.CharField(
        _("Protokollstatus"), max_length=20, choices=ProtocolState.choices, default=ProtocolState.DRAFT
    )
    comments_until = models.DateField(_("Anmerkungen bis"), null=True, blank=True)
    protocol_sent_at = models.DateTimeField(_("zur Abstimmung versandt am"), null=True, blank=True)
    approved_at = models.DateTimeField(_("genehmigt am"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("genehmigt von"),
    )
    approved_in = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_protocols",
        verbose_name=_("genehmigt in der Sitzung"),
    )
    protocol_pdf = models.FileField(_("Protokoll (PDF)"), upload_to="meetings/protocols/", blank=True)
    protocol_pdf_sha256 = models.CharField(_("SHA-256 des Protokolls"), max_length=64, blank=True)
    # The same protocol without names of people (institutions only), stored at approval as well: what open data
    # (OParl) publishes. The full protocol above names everyone present and stays internal.
    public_protocol_pdf = models.FileField(
        _("Protokoll ohne Personennamen (PDF)"), upload_to="meetings/protocols/", blank=True
    )
    public_protocol_pdf_sha256 = models.CharField(_("SHA-256 des Protokolls ohne Namen"), max_length=64, blank=True)
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated = models.DateTimeField(_("zuletzt geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["body", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("Das Ende der Sitzung muss nach ihrem Beginn liegen."),
            ),
            models.CheckConstraint(
                condition=~Q(protocol_state="genehmigt") | Q(approved_at__isnull=False),
                name="meeting_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return self.title or f"{self.body.name} am {local:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", kwargs={"network": self.body.network.slug, "pk": self.pk})

    @property
    def is_past(self) -> bool:
        return self.starts_at <= clock.now()

    @property
    def state_label(self) -> str:
        """The state as people read it: an invited meeting whose time has come has taken place."""
        if self.state != self.State.CANCELLED and self.ends_at <= clock.now():
            return "stattgefunden"
        return self.get_state_display()

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def is_approved(self) -> bool:
        return self.protocol_state == self.ProtocolState.APPROVED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AgendaItem(models.Model):
    """A TOP (Tagesordnungspunkt); `notes` is what the protocol says about it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("Sitzung"))
    number = models.PositiveSmallIntegerField(_("TOP"), validators=[MinValueValidator(1), MaxValueValidator(99)])
    title = models.CharField(_("Thema"), max_length=300)
    description = models.TextField(_("Erläuterung"), blank=True)
    presenter_member = models.ForeignKey(
        BodyMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vorgestellt von (Mitglied)"),
    )
    presenter_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("vorgestellt von (Einrichtung)"),
    )
    speaker_name = models.CharField(_("Referent/-in (Name)"), max_length=150, blank=True)
    speaker_organisation = models.CharField(_("Referent/-in (Organisation)"), max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("geplante Minuten"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    is_partner_presentation = models.BooleanField(
        _("Partner stellt sich vor"), default=False, help_text=_("eine Mitgliedseinrichtung stellt ihre Arbeit vor")
    )
    attachment = models.FileField(_("Anlage (PDF)"), upload_to="meetings/attachments/", blank=True)
    notes = models.TextField(_("Protokoll zu diesem TOP"), blank=True)

    class Meta:
        verbose_name = _("Tagesordnungspunkt")
        verbose_name_plural = _("Tagesordnungspunkte")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="agendaitem_unique_number",
                violation_error_message=_("Diese TOP-Nummer gibt es in dieser Sitzung schon."),
            ),
            models.CheckConstraint(
                condition=Q(is_partner_presentation=False) | Q(presenter_partner__isnull=False),
                name="agendaitem_presentation_has_partner",
                violation_error_message=_("Bei „Partner stellt sich vor“ bitte die Einrichtung wählen."),
            ),
        ]

    def __str__(self) -> str:
        return f"TOP {self.number}: {self.title}"

    @property
    def presenter_organisation(self) -> str:
        """Who presents, without a person's name: the speaker's organisation, the member's or the partner's."""
        if self.speaker_name or self.speaker_organisation:
            return self.speaker_organisation or "externe Referentin/externer Referent"
        if self.presenter_member_id:
            member = self.presenter_member
            return member.partner.name if member.partner_id else "ein Mitglied des Gremiums"
        if self.presenter_partner_id:
            return self.presenter_partner.name
        return ""

    @property
    def presenter_label(self) -> str:
        if self.speaker_name:
            return (
                f"{self.speaker_name} ({self.speaker_organisation})" if self.speaker_organisation else self.speaker_name
            )
        if self.presenter_member_id:
            return str(self.presenter_member)
        if self.presenter_partner_id:
            return self.presenter_partner.name
        return ""


class Participant(models.Model):
    """One invited seat of a meeting (an institution or a person) or a guest: reply and attendance."""

    class Reply(models.TextChoices):
        OPEN = "offen", _("keine Antwort")
        YES = "zugesagt", _("zugesagt")
        NO = "abgesagt", _("abgesagt")
        SUBSTITUTE = "vertreten", _("vertreten durch")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("nicht erfasst")
        PRESENT = "anwesend", _("anwesend")
        EXCUSED = "entschuldigt", _("entschuldigt")
        ABSENT = "abwesend", _("abwesend")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("Sitzung")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_seats",
        verbose_name=_("Einrichtung"),
    )
    member = models.ForeignKey(
        BodyMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("Mitglied (Person)"),
    )
    name = models.CharField(_("Name"), max_length=150, blank=True, help_text=_("Delegierte/r oder Gast"))
    organisation = models.CharField(_("Einrichtung/Organisation"), max_length=200, blank=True)
    is_guest = models.BooleanField(_("Gast"), default=False)
    token_hash = models.CharField(_("Prüfsumme des Antwort-Links"), max_length=64, blank=True, db_index=True)
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    reply = models.CharField(_("Antwort"), max_length=20, choices=Reply.choices, default=Reply.OPEN)
    substitute = models.CharField(_("vertreten durch"), max_length=150, blank=True)
    replied_at = models.DateTimeField(_("geantwortet am"), null=True, blank=True)
    attendance = models.CharField(
        _("Anwesenheit"), max_length=20, choices=Attendance.choices, default=Attendance.UNKNOWN, blank=True
    )

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        ordering = ["meeting", "is_guest", "organisation", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "partner"],
                condition=Q(partner__isnull=False, is_guest=False),
                name="participant_once_per_partner",
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"], condition=Q(member__isnull=False), name="participant_once_per_member"
            ),
            models.CheckConstraint(
                condition=~Q(reply="vertreten") | ~Q(substitute=""),
                name="participant_substitute_named",
                violation_error_message=_("Bitte angeben, wer die Einrichtung vertritt."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.organisation and self.name:
            return f"{self.organisation} ({self.name})"
        return self.organisation or self.name

    @property
    def attending_name(self) -> str:
        """Who sits at the table for this seat: the substitute if one was named."""
        return self.substitute if self.reply == self.Reply.SUBSTITUTE and self.substitute else self.name


class Recommendation(models.Model):
    """An Empfehlung of the body (the Lenkungskreis only recommends, it does not vote)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("Sitzung")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("zu TOP")
    )
    text = models.TextField(_("Empfehlung"))
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Empfehlung")
        verbose_name_plural = _("Empfehlungen")
        ordering = ["meeting", "created", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItemQuerySet(models.QuerySet):
    def open(self) -> ActionItemQuerySet:
        return self.filter(done_at__isnull=True)


class ActionItem(models.Model):
    """An Aufgabe from a protocol: what, who (institution or person), until when; open until marked done."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("beschlossen in")
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("zu TOP")
    )
    text = models.CharField(_("Was ist zu tun?"), max_length=500)
    responsible_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("verantwortliche Einrichtung"),
    )
    responsible_name = models.CharField(_("verantwortliche Person"), max_length=150, blank=True)
    due_date = models.DateField(_("zu erledigen bis"), null=True, blank=True)
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erledigt gemeldet von"),
    )
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_partner__isnull=False) | ~Q(responsible_name=""),
                name="actionitem_has_responsible",
                violation_error_message=_("Bitte eine verantwortliche Einrichtung oder Person angeben."),
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def responsible_label(self) -> str:
        parts = [self.responsible_name, self.responsible_partner.name if self.responsible_partner_id else ""]
        return ", ".join(part for part in parts if part)

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < clock.today()


class ProtocolComment(models.Model):
    """A member's remark on a protocol sent for approval."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="comments", verbose_name=_("Sitzung"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Person"),
    )
    author_label = models.CharField(_("von"), max_length=300)
    text = models.TextField(_("Anmerkung"))
    created = models.DateTimeField(_("geschrieben am"), default=timezone.now)

    class Meta:
        verbose_name = _("Anmerkung zum Protokoll")
        verbose_name_plural = _("Anmerkungen zum Protokoll")
        ordering = ["meeting", "created"]

    def __str__(self) -> str:
        return f"{self.author_label}: {self.text[:60]}"
