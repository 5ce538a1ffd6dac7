from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

postcode_validator = RegexValidator(r"^\d{5}$", _("Bitte eine fünfstellige Postleitzahl angeben."))


class FederalState(models.TextChoices):
    """The 16 Länder; the codes are those of the `holidays` library (ISO 3166-2:DE without prefix)."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class Municipality(models.Model):
    """A Stadt or Gemeinde; several of them can belong to one Kreis and to one network."""

    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(
        _("Art"),
        max_length=20,
        choices=[
            ("stadt", _("Stadt")),
            ("gemeinde", _("Gemeinde")),
            ("kreisfreie_stadt", _("kreisfreie Stadt")),
            ("kreis", _("Kreis")),
        ],
        default="stadt",
    )
    kreis = models.CharField(_("Kreis"), max_length=120, blank=True, help_text=_("leer bei kreisfreien Städten"))
    federal_state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices)

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kreis"], name="municipality_unique_in_kreis")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Network(models.Model):
    """A prevention network (Präventionskette, Netzwerk Frühe Hilfen) of a city or Kreis."""

    class Rhythm(models.TextChoices):
        MONTHLY = "monthly", _("monatlich")
        QUARTERLY = "quarterly", _("vierteljährlich")
        HALF_YEARLY = "half_yearly", _("halbjährlich")
        YEARLY = "yearly", _("jährlich")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Montag")
        TUESDAY = 1, _("Dienstag")
        WEDNESDAY = 2, _("Mittwoch")
        THURSDAY = 3, _("Donnerstag")
        FRIDAY = 4, _("Freitag")

    name = models.CharField(_("Name"), max_length=200, unique=True, help_text=_("z. B. Frühe Hilfen Duisburg"))
    slug = models.SlugField(_("Kurzname in Adressen"), max_length=60, unique=True)
    region = models.CharField(
        _("Kommune/Kreis"),
        max_length=200,
        help_text=_("Gebietskörperschaft, z. B. Stadt Duisburg oder Kreis Coesfeld"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="networks", verbose_name=_("Städte und Gemeinden")
    )
    federal_state = models.CharField(
        _("Bundesland"),
        max_length=2,
        choices=FederalState.choices,
        help_text=_("für die gesetzlichen Feiertage"),
    )
    jugendamt = models.CharField(_("zuständiges Jugendamt"), max_length=200)
    leitbild = models.TextField(_("Leitbild"), blank=True)
    focus = models.CharField(
        _("Schwerpunkt"), max_length=200, blank=True, help_text=_("z. B. Kinder von 0 bis 3 Jahren")
    )
    since = models.PositiveSmallIntegerField(
        _("besteht seit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("Jahr der Gründung"),
    )
    meeting_place = models.CharField(_("üblicher Sitzungsort"), max_length=200, default="Rathaus")
    meeting_weekday = models.PositiveSmallIntegerField(
        _("üblicher Wochentag"), choices=Weekday.choices, default=Weekday.WEDNESDAY
    )
    meeting_start = models.TimeField(_("übliche Anfangszeit"), default=datetime.time(14, 0))
    meeting_minutes = models.PositiveSmallIntegerField(
        _("übliche Dauer (Minuten)"), default=120, validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    meeting_rhythm = models.CharField(
        _("Sitzungsrhythmus"), max_length=20, choices=Rhythm.choices, default=Rhythm.QUARTERLY
    )
    logo = models.ImageField(_("Logo"), upload_to="networks/logos/", blank=True)
    contact_email = models.EmailField(_("E-Mail der Koordination"), blank=True)
    contact_phone = models.CharField(_("Telefon der Koordination"), max_length=40, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dashboard", kwargs={"network": self.slug})

    @property
    def meeting_hours_label(self) -> str:
        hours, minutes = divmod(self.meeting_minutes, 60)
        if minutes == 0:
            return f"{hours} Std." if hours else ""
        return f"{hours} Std. {minutes} Min." if hours else f"{minutes} Min."


class Partner(models.Model):
    """A partner institution (Einrichtung, Kooperationspartner); can be a member of several networks."""

    class Kind(models.TextChoices):
        TRAEGER = "traeger", _("Träger")
        VEREIN = "verein", _("Verein")
        AMT = "amt", _("Amt/Behörde")
        INSTITUT = "institut", _("Institut")
        GGMBH = "ggmbh", _("gGmbH")
        PRAXIS = "praxis", _("Praxis")
        EINZELPERSON = "einzelperson", _("Einzelperson")
        KITA = "kita", _("Kindertageseinrichtung")
        SCHULE = "schule", _("Schule")
        SONSTIGE = "sonstige", _("Sonstige")

    name = models.CharField(_("Name der Einrichtung"), max_length=200)
    kind = models.CharField(_("Organisationsform"), max_length=20, choices=Kind.choices, default=Kind.TRAEGER)
    traeger = models.CharField(_("Träger"), max_length=200, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True, validators=[postcode_validator])
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Webseite"), blank=True)
    description = models.TextField(_("Kurzbeschreibung"), blank=True)
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archiviert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Kooperationspartner")
        verbose_name_plural = _("Kooperationspartner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)


class Membership(models.Model):
    """A partner institution's membership in one network."""

    class State(models.TextChoices):
        INVITED = "eingeladen", _("eingeladen")
        ACTIVE = "aktiv", _("aktiv")
        ENDED = "beendet", _("beendet")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("Kooperationspartner")
    )
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("Netzwerk")
    )
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.INVITED)
    since = models.DateField(_("Mitglied seit"), null=True, blank=True)
    until = models.DateField(_("Mitglied bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["network__name", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "network"], name="membership_once_per_network"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
                violation_error_message=_("„Mitglied bis“ darf nicht vor „Mitglied seit“ liegen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} in {self.network}"
