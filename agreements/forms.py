from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms

from agreements.models import AgreementTemplate
from agreements.services import AUTHORISED_TEXT, CONSENT_TEXT, MAX_SCAN_BYTES, TEMPLATE_FIELDS


class TemplateForm(forms.ModelForm):
    signatories = forms.CharField(
        label="Unterzeichnende für das Netzwerk",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Eine Funktion je Zeile, z. B. „Leitung des Jugendamtes“; in dieser Reihenfolge im PDF.",
    )

    class Meta:
        model = AgreementTemplate
        fields = list(TEMPLATE_FIELDS)
        widgets = {
            "version_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 18}),
        }

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        if network is not None:
            self.instance.network = network
        if self.instance.pk and not self.is_bound:
            self.initial["signatories"] = "\n".join(s.role_label for s in self.instance.signatories.all())

    def signatory_labels(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("signatories", "").splitlines() if line.strip()]

    def clean_signatories(self):
        value = self.cleaned_data.get("signatories", "")
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        if len(lines) > 10:
            raise forms.ValidationError("Höchstens zehn Unterzeichnende.")
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError("Eine Zeile ist länger als 200 Zeichen.")
        return value


class InviteForm(forms.Form):
    template = forms.ModelChoiceField(label="Fassung", queryset=AgreementTemplate.objects.none(), empty_label=None)
    email = forms.EmailField(label="E-Mail-Adresse", help_text="An sie geht der Link zur Unterzeichnung.")

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = AgreementTemplate.objects.filter(
            network=network, state=AgreementTemplate.State.PUBLISHED
        ).order_by("-version_date", "title")


class InviteAllForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Fassung",
        queryset=AgreementTemplate.objects.none(),
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = AgreementTemplate.objects.filter(
            network=network, state=AgreementTemplate.State.PUBLISHED
        ).order_by("-version_date", "title")


class SignForm(forms.Form):
    name = forms.CharField(label="Ihr Name", max_length=150)
    function = forms.CharField(label="Ihre Funktion", max_length=150, help_text="z. B. Leitung der Einrichtung")
    place = forms.CharField(label="Ort", max_length=120)
    authorised = forms.BooleanField(
        label=AUTHORISED_TEXT, error_messages={"required": "Bitte bestätigen Sie, dass Sie unterzeichnen dürfen."}
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Bitte bestätigen Sie, dass Sie den Text gelesen haben und unterzeichnen."},
    )
    # Size and content are checked by services.validate_drawn_signature (German message, real PNG).
    drawn_signature = forms.CharField(required=False, widget=forms.HiddenInput, strip=True)
    text_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)


class CountersignForm(forms.Form):
    name = forms.CharField(label="Ihr Name", max_length=150)
    function = forms.CharField(label="Ihre Funktion", max_length=150, initial="Leitung des Jugendamtes")
    place = forms.CharField(label="Ort", max_length=120)


class PaperForm(forms.Form):
    template = forms.ModelChoiceField(label="Fassung", queryset=AgreementTemplate.objects.none(), empty_label=None)
    signed_on_partner = forms.DateField(
        label="vom Partner unterschrieben am", widget=forms.DateInput(attrs={"type": "date"})
    )
    partner_signer = forms.CharField(label="unterschrieben von (Partner)", max_length=150, required=False)
    signed_on_network = forms.DateField(label="gegengezeichnet am", widget=forms.DateInput(attrs={"type": "date"}))
    network_signer = forms.CharField(label="gegengezeichnet von", max_length=150, required=False)
    scan_file = forms.FileField(
        label="Scan der unterschriebenen Vereinbarung (PDF)", help_text=f"höchstens {MAX_SCAN_BYTES // 1_048_576} MB"
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = AgreementTemplate.objects.filter(
            network=network, state=AgreementTemplate.State.PUBLISHED
        ).order_by("-version_date", "title")


class VerifyForm(forms.Form):
    file = forms.FileField(label="PDF-Datei", help_text="Die Datei wird nur geprüft, nicht gespeichert.")


class TerminationPreviewForm(forms.Form):
    """GET ?eingang=JJJJ-MM-TT: the last day for a notice received on another day; nothing is saved."""

    eingang = forms.DateField(
        label="Kündigung geht zu am",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Bitte geben Sie ein gültiges Datum an (TT.MM.JJJJ)."},
    )


class TerminateForm(forms.Form):
    """Confirm a termination; the coordination may instead record a notice that arrived by letter."""

    by_letter = forms.BooleanField(label="Die Kündigung ist per Brief eingegangen", required=False)
    eingang = forms.DateField(
        label="Brief eingegangen am",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Tag, an dem der Brief angekommen ist; nicht in der Zukunft.",
        error_messages={"invalid": "Bitte geben Sie ein gültiges Datum an (TT.MM.JJJJ)."},
    )
    written_form_confirmed = forms.BooleanField(
        label="Das Kündigungsschreiben ist eigenhändig unterschrieben (Schriftform).", required=False
    )
    reason = forms.CharField(
        label="Grund (freiwillig)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label="Ich kündige die Kooperationsvereinbarung verbindlich zum angezeigten letzten Tag.", required=False
    )

    def __init__(self, *args, letter: bool, written_form: bool, today, effective_from, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.effective_from = today, effective_from
        # Errors are listed once above the fields, in an alert (readable contrast), not under each field.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_errors = False
        if not letter:
            for name in ("by_letter", "eingang", "written_form_confirmed"):
                del self.fields[name]
        elif not written_form:
            del self.fields["written_form_confirmed"]

    def clean(self):
        data = super().clean()
        if not data.get("by_letter"):
            data["notice_received"] = self.today
            return data
        day = data.get("eingang")
        if day is None:
            if "eingang" not in self.errors:
                self.add_error("eingang", "Bitte geben Sie an, wann der Brief eingegangen ist.")
        elif day > self.today:
            self.add_error("eingang", f"Das Eingangsdatum {day:%d.%m.%Y} liegt in der Zukunft.")
        elif self.effective_from and day < self.effective_from:
            self.add_error(
                "eingang",
                f"Die Kündigung ({day:%d.%m.%Y}) kann nicht vor dem Beginn der Vereinbarung "
                f"({self.effective_from:%d.%m.%Y}) eingegangen sein.",
            )
        else:
            data["notice_received"] = day
        return data
