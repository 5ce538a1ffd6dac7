"""Field validators with German messages for the Einrichtungsprofil."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible

postcode_validator = RegexValidator(r"^\d{5}$", "Bitte eine fünfstellige Postleitzahl angeben, z. B. 47051.")


@deconstructible
class PhoneValidator:
    """A German (or international, with +) phone number as people write it: 0203 283-0, +49 203 2830."""

    message = "Bitte eine gültige Telefonnummer angeben, z. B. 0203 283-0 oder +49 203 2830."

    def __call__(self, value: str) -> None:
        if not value:
            return
        try:
            number = phonenumbers.parse(value, "DE")
        except phonenumbers.NumberParseException:
            raise ValidationError(self.message, code="phone") from None
        if not phonenumbers.is_possible_number(number):
            raise ValidationError(self.message, code="phone")

    def __eq__(self, other):
        return isinstance(other, PhoneValidator)


phone_validator = PhoneValidator()
