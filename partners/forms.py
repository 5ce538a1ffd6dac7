from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms

from partners.models import Network
from praevnet.files import validate_upload

LOGO_MAX_BYTES = 1_000_000


class NetworkForm(forms.ModelForm):
    """What a coordinator keeps about the own network (name, region and state are set by the administration)."""

    class Meta:
        model = Network
        fields = [
            "jugendamt",
            "focus",
            "since",
            "leitbild",
            "contact_email",
            "contact_phone",
            "meeting_place",
            "meeting_weekday",
            "meeting_start",
            "meeting_minutes",
            "meeting_rhythm",
            "logo",
        ]
        help_texts = {"logo": "PNG oder JPEG, höchstens 1 MB. Erscheint auf der Netzwerkseite und in Dokumenten."}
        widgets = {
            "leitbild": forms.Textarea(attrs={"rows": 6}),
            "meeting_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Netzwerk",
                "jugendamt",
                Div(Div("focus", css_class="col-md-8"), Div("since", css_class="col-md-4"), css_class="row"),
                "leitbild",
                Div(
                    Div("contact_email", css_class="col-md-6"),
                    Div("contact_phone", css_class="col-md-6"),
                    css_class="row",
                ),
                "logo",
            ),
            Fieldset(
                "Sitzungen (Vorgaben für die Jahresplanung)",
                "meeting_place",
                Div(
                    Div("meeting_weekday", css_class="col-md-3"),
                    Div("meeting_start", css_class="col-md-3"),
                    Div("meeting_minutes", css_class="col-md-3"),
                    Div("meeting_rhythm", css_class="col-md-3"),
                    css_class="row",
                ),
            ),
        )
        self.helper.add_input(Submit("submit", "Speichern"))

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            validate_upload(logo, kinds=("png", "jpeg"), max_bytes=LOGO_MAX_BYTES)
        return logo
