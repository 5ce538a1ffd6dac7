"""Goals and impact: strategic goals, action goals with indicators and yearly reviews, key figures, next steps.

A network's year (`GoalYear`) carries the deadline for the partners' key figures and, once the coordination closes
it, freezes every review, figure report and next step of that year.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.models import Network, Partner

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
MAX_VALUE = Decimal("9999999999.99")
VALUE_VALIDATORS = [
    MinValueValidator(Decimal(0), message=_("Bitte eine Zahl ab 0 eingeben – negative Werte gibt es hier nicht.")),
    MaxValueValidator(MAX_VALUE),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def roman(number: int) -> str:
    return ROMAN[number - 1] if 1 <= number <= len(ROMAN) else str(number)


class GoalYear(models.Model):
    """One year of a network: which key figures it asks for, by when, and whether the year is closed (frozen)."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="goal_years", verbose_name=_("Netzwerk")
    )
    year = models.PositiveSmallIntegerField(_("Jahr"), validators=YEAR_VALIDATORS)
    figures_due = models.DateField(
        _("Kennzahlen melden bis"), null=True, blank=True, help_text=_("Frist für die Meldung der Einrichtungen")
    )
    figures = models.ManyToManyField(
        "FigureDefinition", blank=True, related_name="years", verbose_name=_("abgefragte Kennzahlen")
    )
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("abgeschlossen von"),
    )

    class Meta:
        verbose_name = _("Berichtsjahr")
        verbose_name_plural = _("Berichtsjahre")
        ordering = ["network__name", "-year"]
        constraints = [models.UniqueConstraint(fields=["network", "year"], name="goalyear_once_per_network")]

    def __str__(self) -> str:
        return f"{self.year} ({self.network})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class StrategicGoal(models.Model):
    """A strategic goal of the network (Strategisches Ziel I, II …), as the joint declarations state them."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="strategic_goals", verbose_name=_("Netzwerk")
    )
    number = models.PositiveSmallIntegerField(
        _("Nummer"), validators=[MinValueValidator(1), MaxValueValidator(15)], help_text=_("erscheint als I, II, III …")
    )
    title = models.TextField(_("Ziel"), max_length=1000)
    description = models.TextField(_("Erläuterung"), blank=True)
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("strategisches Ziel")
        verbose_name_plural = _("strategische Ziele")
        ordering = ["network__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "number"],
                name="strategicgoal_number_unique",
                violation_error_message=_("Diese Nummer hat schon ein anderes strategisches Ziel des Netzwerks."),
            )
        ]

    def __str__(self) -> str:
        return f"Strategisches Ziel {self.label}"

    @property
    def label(self) -> str:
        return roman(self.number)


class ActionGoal(models.Model):
    """A Handlungsziel derived from a strategic goal: who is responsible, how often it is reviewed."""

    class Cycle(models.IntegerChoices):
        YEARLY = 1, _("jährlich")
        TWO_YEARS = 2, _("alle zwei Jahre")
        THREE_YEARS = 3, _("alle drei Jahre")

    strategic_goal = models.ForeignKey(
        StrategicGoal, on_delete=models.CASCADE, related_name="action_goals", verbose_name=_("strategisches Ziel")
    )
    title = models.CharField(_("Handlungsziel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    # The owner is a member institution or, until bodies (Gremien) can be chosen, the name of a body.
    owner_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_goals",
        verbose_name=_("verantwortliche Einrichtung"),
    )
    owner_body = models.CharField(
        _("verantwortliches Gremium"), max_length=200, blank=True, help_text=_("z. B. Lenkungskreis, AG Übergänge")
    )
    review_cycle = models.PositiveSmallIntegerField(_("Überprüfung"), choices=Cycle.choices, default=Cycle.YEARLY)
    first_review_year = models.PositiveSmallIntegerField(
        _("erste Überprüfung im Jahr"), validators=YEAR_VALIDATORS, help_text=_("danach im gewählten Rhythmus")
    )
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Handlungsziel")
        verbose_name_plural = _("Handlungsziele")
        ordering = ["strategic_goal__number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_partner__isnull=False) & Q(owner_body=""))
                | (Q(owner_partner__isnull=True) & ~Q(owner_body="")),
                name="actiongoal_one_owner",
                violation_error_message=_("Bitte genau eine Verantwortung angeben: eine Einrichtung oder ein Gremium."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:action_goal_detail", kwargs={"network": self.strategic_goal.network.slug, "pk": self.pk})

    @property
    def owner_label(self) -> str:
        return self.owner_partner.name if self.owner_partner_id else self.owner_body

    def is_review_due(self, year: int) -> bool:
        return year >= self.first_review_year and (year - self.first_review_year) % self.review_cycle == 0


class Indicator(models.Model):
    """What shows whether an action goal is reached: a measurable value with its target and unit."""

    action_goal = models.ForeignKey(
        ActionGoal, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("Handlungsziel")
    )
    name = models.CharField(_("Indikator"), max_length=300)
    target_value = models.DecimalField(_("Zielwert"), max_digits=12, decimal_places=2, validators=VALUE_VALIDATORS)
    unit = models.CharField(_("Einheit"), max_length=40, help_text=_("z. B. %, Familien, Angebote"))

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    """The yearly review of an action goal: measured values, a traffic light and a comment."""

    class Assessment(models.TextChoices):
        GREEN = "gruen", _("grün – auf gutem Weg")
        YELLOW = "gelb", _("gelb – mit Verzögerung")
        RED = "rot", _("rot – gefährdet")

    action_goal = models.ForeignKey(
        ActionGoal, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("Handlungsziel")
    )
    year = models.PositiveSmallIntegerField(_("Jahr"), validators=YEAR_VALIDATORS)
    assessment = models.CharField(_("Bewertung (Ampel)"), max_length=10, choices=Assessment.choices)
    comment = models.TextField(_("Kommentar"), blank=True)
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )

    class Meta:
        verbose_name = _("Überprüfung")
        verbose_name_plural = _("Überprüfungen")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["action_goal", "year"], name="review_once_per_year")]

    def __str__(self) -> str:
        return f"{self.action_goal} – {self.year}"

    @property
    def assessment_short(self) -> str:
        return {"gruen": "grün", "gelb": "gelb", "rot": "rot"}.get(self.assessment, "")


class ReviewValue(models.Model):
    """The value measured for one indicator in a review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="values", verbose_name=_("Überprüfung"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("Indikator")
    )
    value = models.DecimalField(_("gemessener Wert"), max_digits=12, decimal_places=2, validators=VALUE_VALIDATORS)

    class Meta:
        verbose_name = _("gemessener Wert")
        verbose_name_plural = _("gemessene Werte")
        constraints = [models.UniqueConstraint(fields=["review", "indicator"], name="reviewvalue_once")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class FigureDefinition(models.Model):
    """A key figure the network asks its partners for (Anzahl beratener Familien, Kontakte …)."""

    class Kind(models.TextChoices):
        INTEGER = "ganzzahl", _("ganze Zahl")
        DECIMAL = "dezimal", _("Zahl mit Nachkommastellen")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="figure_definitions", verbose_name=_("Netzwerk")
    )
    name = models.CharField(_("Kennzahl"), max_length=200, help_text=_("z. B. Anzahl beratener Familien"))
    unit = models.CharField(_("Einheit"), max_length=40, help_text=_("z. B. Familien, Kontakte, Stunden"))
    kind = models.CharField(_("Art der Zahl"), max_length=10, choices=Kind.choices, default=Kind.INTEGER)
    description = models.TextField(
        _("Erläuterung für die Einrichtungen"), blank=True, help_text=_("Was zählt mit, was nicht?")
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=10)

    class Meta:
        verbose_name = _("Kennzahl")
        verbose_name_plural = _("Kennzahlen")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"],
                name="figuredefinition_name_unique",
                violation_error_message=_("Eine Kennzahl mit diesem Namen gibt es im Netzwerk schon."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"

    @property
    def is_integer(self) -> bool:
        return self.kind == self.Kind.INTEGER


class FigureReport(models.Model):
    """One institution's key figures for one year of a network."""

    goal_year = models.ForeignKey(
        GoalYear, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Berichtsjahr")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="figure_reports", verbose_name=_("Einrichtung")
    )
    comment = models.TextField(_("Anmerkung"), blank=True)
    reported_at = models.DateTimeField(_("gemeldet am"), auto_now=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeldet von"),
    )

    class Meta:
        verbose_name = _("Kennzahlenmeldung")
        verbose_name_plural = _("Kennzahlenmeldungen")
        ordering = ["partner__name"]
        constraints = [models.UniqueConstraint(fields=["goal_year", "partner"], name="figurereport_once_per_year")]

    def __str__(self) -> str:
        return f"{self.partner} – {self.goal_year.year}"


class FigureValue(models.Model):
    report = models.ForeignKey(FigureReport, on_delete=models.CASCADE, related_name="values", verbose_name=_("Meldung"))
    definition = models.ForeignKey(
        FigureDefinition, on_delete=models.PROTECT, related_name="values", verbose_name=_("Kennzahl")
    )
    value = models.DecimalField(_("Wert"), max_digits=12, decimal_places=2, validators=VALUE_VALIDATORS)

    class Meta:
        verbose_name = _("gemeldeter Wert")
        verbose_name_plural = _("gemeldete Werte")
        constraints = [
            models.UniqueConstraint(fields=["report", "definition"], name="figurevalue_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="figurevalue_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.definition}: {self.value}"


class FigureReminder(models.Model):
    """A reminder sent to an institution; the unique constraint makes sure the same one never goes out twice."""

    class Kind(models.TextChoices):
        UPCOMING = "vorab", _("Erinnerung vor der Frist")
        OVERDUE = "ueberfaellig", _("Frist verstrichen")

    goal_year = models.ForeignKey(
        GoalYear, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("Berichtsjahr")
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("Einrichtung"))
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("gesendet am"), auto_now_add=True)
    recipients = models.TextField(_("Empfänger"), blank=True)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        constraints = [models.UniqueConstraint(fields=["goal_year", "partner", "kind"], name="figurereminder_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.partner} ({self.goal_year.year})"


class NextStep(models.Model):
    """A Handlungsschritt the network takes in a year (as in the Coesfeld declaration), tracked to done."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="next_steps", verbose_name=_("Netzwerk")
    )
    year = models.PositiveSmallIntegerField(_("Jahr"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("Handlungsschritt"), max_length=300)
    responsible = models.CharField(_("verantwortlich"), max_length=200, blank=True)
    due = models.DateField(_("bis"), null=True, blank=True)
    done_on = models.DateField(_("erledigt am"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=10)

    class Meta:
        verbose_name = _("Handlungsschritt")
        verbose_name_plural = _("Handlungsschritte")
        ordering = ["year", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
