"""Views of bodies, meetings and protocols; split by subject (bodies, meetings, protocol, public reply link)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from meetings.services import MeetingError

FORM_ERRORS = (ValidationError, MeetingError)


def add_errors(form, error: Exception) -> None:
    """Put a service's German refusal on the form: field errors on their fields, the rest above the form."""
    if isinstance(error, MeetingError):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
