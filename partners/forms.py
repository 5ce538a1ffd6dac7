from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Fieldset, Layout, Submit
from django import forms

from partners.models import ContactPerson, District, Membership, Network, Offer, Partner
from partners.services import (
    CONTACT_FIELDS,
    NETWORK_EDITABLE_FIELDS,
    OFFER_FIELDS,
    OFFER_M2M,
    PARTNER_FIELDS,
    PARTNER_M2M,
)
from praevnet.files import validate_upload

LOGO_MAX_BYTES = 1_000_000


class NetworkForm(forms.ModelForm):
    """What a coordinator keeps about the own network (name, region and state are set by the administration)
    and its profile, of which the public page shows only the parts ticked under "öffentlich sichtbar"."""

    public_sections = forms.MultipleChoiceField(
        label="Auf der öffentlichen Seite zeigen",
        choices=Network.PublicSection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Name und Gebiet stehen immer darauf. Namen von Personen nur mit deren Einverständnis.",
    )

    class Meta:
        model = Network
        fields = [*NETWORK_EDITABLE_FIELDS, *Network.PROFILE_FIELDS]
        help_texts = {"logo": "PNG oder JPEG, höchstens 1 MB. Erscheint auf der Netzwerkseite und in Dokumenten."}
        widgets = {
            "leitbild": forms.Textarea(attrs={"rows": 6}),
            "meeting_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "fields_of_action": forms.Textarea(attrs={"rows": 4}),
            "quote": forms.Textarea(attrs={"rows": 3}),
            "coordination_contact": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "inhabitants": {"invalid": "Bitte eine ganze Zahl ohne Punkte eingeben, z. B. 612065."},
            "children_under_18": {"invalid": "Bitte eine ganze Zahl ohne Punkte eingeben, z. B. 104465."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("inhabitants", "children_under_18"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0})
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
                "Profil",
                Div(
                    Div("inhabitants", css_class="col-md-6"),
                    Div("children_under_18", css_class="col-md-6"),
                    css_class="row",
                ),
                "fields_of_action",
                "quote",
                "quote_author",
                "coordination_contact",
            ),
            Fieldset("Öffentliche Profilseite", "public_profile", "public_sections"),
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


# ---------------------------------------------------------------------------------------------------------------------
# Einrichtungsprofil
# ---------------------------------------------------------------------------------------------------------------------


def network_districts(network):
    return District.objects.filter(municipality__networks=network).select_related("municipality")


class PartnerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    website = forms.URLField(label="Webseite", required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Partner
        fields = [*PARTNER_FIELDS, *PARTNER_M2M]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "sectors": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = network_districts(network)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            Fieldset(
                "Einrichtung",
                Div(Div("name", css_class="col-md-8"), Div("kind", css_class="col-md-4"), css_class="row"),
                "traeger",
                "description",
            ),
            Fieldset(
                "Anschrift und Kontakt",
                "street",
                Div(Div("postcode", css_class="col-md-3"), Div("city", css_class="col-md-9"), css_class="row"),
                Div(
                    Div("phone", css_class="col-md-4"),
                    Div("email", css_class="col-md-4"),
                    Div("website", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                "Arbeitsfeld",
                Div(
                    Div(Field("sectors", css_class="checkbox-columns"), css_class="col-md-6"),
                    Div("languages", css_class="col-md-6"),
                    css_class="row",
                ),
                "districts",
                Div(
                    Div("accessibility", css_class="col-md-4"),
                    Div("accessibility_note", css_class="col-md-8"),
                    css_class="row",
                ),
            ),
        )


class PartnerCreateForm(PartnerForm):
    membership_state = forms.ChoiceField(
        label="Mitgliedschaft", choices=Membership.State.choices, initial=Membership.State.ACTIVE
    )
    member_since = forms.DateField(
        label="Mitglied seit", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.append(
            Fieldset(
                "Mitgliedschaft im Netzwerk",
                Div(
                    Div("membership_state", css_class="col-md-4"),
                    Div("member_since", css_class="col-md-4"),
                    css_class="row",
                ),
            )
        )


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = list(CONTACT_FIELDS)
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.anonymised_at:
            # an anonymised person stays anonymous: nobody types the data back in
            for field in self.fields.values():
                field.disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div("name", css_class="col-md-4"),
                Div("function", css_class="col-md-4"),
                Div("phone", css_class="col-md-4"),
                css_class="row",
            ),
            Div(
                Div("email", css_class="col-md-4"),
                Div("consent_internal", css_class="col-md-4 pt-md-4"),
                Div("consent_public", css_class="col-md-4 pt-md-4"),
                css_class="row",
            ),
        )


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [*OFFER_FIELDS, *OFFER_M2M]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "life_stages": forms.CheckboxSelectMultiple,
            "access_routes": forms.CheckboxSelectMultiple,
            "districts": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        if network is not None:
            self.fields["districts"].queryset = network_districts(network)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "title",
            "description",
            Div(
                Div("life_stages", css_class="col-md-4"),
                Div("access_routes", css_class="col-md-4"),
                Div("languages", css_class="col-md-4"),
                css_class="row",
            ),
            "districts",
            Div(
                Div("cost", css_class="col-md-4"),
                Div("cost_note", css_class="col-md-5"),
                Div("published", css_class="col-md-3 pt-md-4"),
                css_class="row",
            ),
        )


ContactFormSet = forms.inlineformset_factory(
    Partner, ContactPerson, form=ContactForm, extra=1, can_delete=True, max_num=30, validate_max=True
)
OfferFormSet = forms.inlineformset_factory(
    Partner, Offer, form=OfferForm, extra=1, can_delete=True, max_num=100, validate_max=True
)


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label="Anmerkung für die Einrichtung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Pflicht, wenn Sie das Profil zurückgeben: Was soll die Einrichtung ergänzen oder ändern?",
    )
    decision = forms.ChoiceField(choices=[("approve", "Als geprüft markieren"), ("return", "Zurückgeben")])


class JoinForm(forms.Form):
    """Name and postcode of an institution registered in another network, to make it a member here as well."""

    name = forms.CharField(max_length=200)
    postcode = forms.CharField(max_length=10, required=False)
    membership_state = forms.ChoiceField(choices=Membership.State.choices, initial=Membership.State.INVITED)
    member_since = forms.DateField(required=False)
