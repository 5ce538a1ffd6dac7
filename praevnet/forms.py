from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from praevnet.models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "E-Mail-Adresse oder Passwort stimmen nicht. Bitte prüfen Sie Ihre Eingabe.",
        "inactive": "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an Ihre Netzwerkkoordination.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"] = forms.CharField(
            label="E-Mail-Adresse",
            max_length=254,
            widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True, "maxlength": 254}),
        )
        self.fields["password"].label = "Passwort"


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["title", "first_name", "last_name", "phone"]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Speichern"))


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=16,
        help_text="Die sechsstellige Zahl aus Ihrer Authenticator-App oder einer Ihrer Notfallcodes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())
