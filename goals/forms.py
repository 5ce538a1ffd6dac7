from __future__ import annotations

from django import forms

from goals import services
from goals.models import MAX_VALUE, ActionGoal, FigureDefinition, Indicator, NextStep, Review, StrategicGoal
from partners.models import Membership, Partner

NUMBER_ERRORS = {
    "invalid": "Bitte eine Zahl eingeben (Komma oder Punkt für Nachkommastellen).",
    "min_value": "Bitte eine Zahl ab 0 eingeben – negative Werte gibt es hier nicht.",
    "max_value": "Diese Zahl ist zu groß.",
    "max_decimal_places": "Höchstens zwei Nachkommastellen.",
    "max_digits": "Diese Zahl ist zu groß.",
    "max_whole_digits": "Diese Zahl ist zu groß.",
}


class GermanDecimalField(forms.DecimalField):
    """Accepts "12,5" as well as "12.5" (German users type a comma)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_VALUE)
        kwargs.setdefault("error_messages", NUMBER_ERRORS)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and not value.is_finite():
            raise forms.ValidationError(NUMBER_ERRORS["invalid"], code="invalid")


class StrategicGoalForm(forms.ModelForm):
    class Meta:
        model = StrategicGoal
        fields = ["number", "title", "description"]
        widgets = {"title": forms.Textarea(attrs={"rows": 3}), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"title": "Wie in der Kooperationsvereinbarung oder gemeinsamen Erklärung formuliert."}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        if not self.instance.pk and not self.is_bound:
            last = StrategicGoal.objects.filter(network=network).order_by("-number").first()
            self.initial["number"] = (last.number + 1) if last else 1
        self.fields["number"].widget.attrs.update({"min": 1, "max": 15})


def member_choices(network):
    return Partner.objects.filter(memberships__network=network, memberships__state=Membership.State.ACTIVE).order_by(
        "name"
    )


class ActionGoalForm(forms.ModelForm):
    class Meta:
        model = ActionGoal
        fields = ["title", "description", "owner_partner", "owner_body", "review_cycle", "first_review_year"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "owner_partner": "Eine Mitgliedseinrichtung – oder leer lassen und unten ein Gremium nennen.",
            "owner_body": "z. B. Lenkungskreis, AG Übergänge (wenn keine Einrichtung verantwortlich ist)",
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_partner"].queryset = member_choices(network)
        self.fields["owner_partner"].empty_label = "– keine Einrichtung, sondern ein Gremium –"
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("first_review_year", services.today().year)

    def clean(self):
        data = super().clean()
        partner, body = data.get("owner_partner"), (data.get("owner_body") or "").strip()
        if partner and body:
            self.add_error("owner_body", "Bitte entweder eine Einrichtung oder ein Gremium angeben, nicht beides.")
        elif not partner and not body and "owner_partner" not in self.errors:
            self.add_error("owner_partner", "Wer ist verantwortlich? Bitte eine Einrichtung oder ein Gremium angeben.")
        data["owner_body"] = body
        return data


class IndicatorForm(forms.ModelForm):
    target_value = GermanDecimalField(label="Zielwert")

    class Meta:
        model = Indicator
        fields = ["name", "target_value", "unit"]


class FirstIndicatorForm(IndicatorForm):
    """The first indicator entered together with a new action goal (optional as a whole)."""

    prefix = "indikator"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["name"].label = "Indikator"

    def has_data(self) -> bool:
        return any(self.data.get(self.add_prefix(name), "").strip() for name in self.fields)

    def clean(self):
        data = super().clean()
        if self.has_data():
            for name in ("name", "target_value", "unit"):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, "Bitte ausfüllen – oder alle drei Felder des Indikators leer lassen.")
        return data

    def _post_clean(self):
        if self.has_data():
            super()._post_clean()


class ReviewForm(forms.Form):
    """The yearly review: one value per indicator, the traffic light and a comment."""

    assessment = forms.ChoiceField(
        label="Bewertung (Ampel)",
        choices=Review.Assessment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Bitte eine Ampelfarbe wählen."},
    )
    comment = forms.CharField(
        label="Kommentar",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Was ist gelungen, was nicht, was folgt daraus?",
    )

    def __init__(self, *args, action: ActionGoal, review: Review | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(action.indicators.all())
        current = {v.indicator_id: v.value for v in review.values.all()} if review else {}
        fields = {}
        for indicator in self.indicators:
            fields[f"value_{indicator.pk}"] = GermanDecimalField(
                label=f"{indicator.name} (gemessen, in {indicator.unit})",
                required=False,
                help_text=f"Zielwert: {indicator.target_value.normalize():f} {indicator.unit}".replace(".", ","),
                initial=current.get(indicator.pk),
            )
        self.fields = {**fields, **self.fields}
        if review and not self.is_bound:
            self.initial.update(assessment=review.assessment, comment=review.comment)

    def values(self) -> dict:
        return {i.pk: self.cleaned_data.get(f"value_{i.pk}") for i in self.indicators}


class FigureDefinitionForm(forms.ModelForm):
    class Meta:
        model = FigureDefinition
        fields = ["name", "unit", "kind", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class GoalYearForm(forms.Form):
    year = forms.IntegerField(
        label="Jahr",
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": "Bitte ein Jahr ab 2000.",
            "max_value": "Bitte ein Jahr bis 2100.",
            "invalid": "Bitte ein Jahr eingeben, z. B. 2026.",
        },
    )
    figures_due = forms.DateField(
        label="Kennzahlen melden bis",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Zu dieser Frist erinnert praevnet die Einrichtungen, die noch nicht gemeldet haben (14 Tage vorher "
        "und einmal danach).",
    )
    figures = forms.ModelMultipleChoiceField(
        label="Abgefragte Kennzahlen",
        queryset=FigureDefinition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, network, fixed_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figures"].queryset = FigureDefinition.objects.filter(network=network).order_by("order", "name")
        if fixed_year is not None:
            self.fields["year"].disabled = True
            self.initial["year"] = fixed_year
        elif not self.is_bound:
            self.initial.setdefault("year", services.today().year)
            self.initial.setdefault("figures", list(self.fields["figures"].queryset))

    def clean(self):
        data = super().clean()
        due, year = data.get("figures_due"), data.get("year")
        if due and year and not (year <= due.year <= year + 1):
            self.add_error("figures_due", f"Die Frist sollte im Jahr {year} oder {year + 1} liegen.")
        return data


class FigureReportForm(forms.Form):
    """One field per figure the network asks for in the year; integer figures accept whole numbers only."""

    comment = forms.CharField(
        label="Anmerkung (freiwillig)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, definitions: list[FigureDefinition], report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.definitions = definitions
        current = {v.definition_id: v.value for v in report.values.all()} if report else {}
        fields = {}
        for definition in definitions:
            if definition.is_integer:
                field = forms.IntegerField(
                    min_value=0,
                    max_value=9_999_999_999,
                    error_messages={
                        "invalid": f"Bitte eine ganze Zahl eingeben – „{definition.name}“ wird in {definition.unit} gezählt.",
                        "min_value": NUMBER_ERRORS["min_value"],
                        "max_value": NUMBER_ERRORS["max_value"],
                        "required": "Bitte einen Wert eingeben (0, wenn es keinen gab).",
                    },
                    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                )
            else:
                field = GermanDecimalField(
                    error_messages={**NUMBER_ERRORS, "required": "Bitte einen Wert eingeben (0, wenn es keinen gab)."}
                )
            field.label = f"{definition.name} ({definition.unit})"
            field.help_text = definition.description
            field.initial = (
                int(current[definition.pk])
                if definition.is_integer and definition.pk in current
                else current.get(definition.pk)
            )
            fields[f"figure_{definition.pk}"] = field
        self.fields = {**fields, **self.fields}
        if report and not self.is_bound:
            self.initial["comment"] = report.comment

    def values(self) -> dict:
        return {d.pk: self.cleaned_data.get(f"figure_{d.pk}") for d in self.definitions}


class NextStepForm(forms.ModelForm):
    class Meta:
        model = NextStep
        fields = ["year", "title", "responsible", "due", "order"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"responsible": "Einrichtung, Gremium oder Person", "order": "kleinere Zahlen stehen weiter oben"}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.network = network
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("year", services.today().year)
