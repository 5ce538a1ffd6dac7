"""``|as_bootstrap_field``: crispy-forms' ``|as_crispy_field`` for the plain fields of filter forms, written in Python.

crispy renders each field through its bootstrap5 template and four includes, about 0.3 ms a field: 2 ms of the
partner register's seven filters. Text inputs, selects and checkboxes without help text are written here with the
same markup (tests/praevnet/test_forms_markup.py compares the two); every other field goes to crispy.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils.safestring import mark_safe

from praevnet.tables import escape_html

register = template.Library()

#: widget class → the Bootstrap class crispy's bootstrap5 template gives it
_FAST_WIDGETS = {
    forms.TextInput: "form-control",
    forms.Select: "form-select",
    forms.CheckboxInput: "form-check-input",
}


def _widget_class(widget) -> str | None:
    for kind in type(widget).__mro__:
        if kind in _FAST_WIDGETS:
            return None if isinstance(widget, forms.SelectMultiple) else _FAST_WIDGETS[kind]
    return None


@register.filter
def as_bootstrap_field(field):
    if not isinstance(field, BoundField):
        return as_crispy_field(field)
    widget = field.field.widget
    bootstrap = _widget_class(widget)
    if (
        bootstrap is None
        or field.is_hidden
        or field.help_text
        or field.use_fieldset
        or field.css_classes()
        or getattr(field.form, "helper", None) is not None
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
    ):
        return as_crispy_field(field)
    errors = field.errors
    _add_classes(widget, f"{bootstrap} is-invalid" if errors else bootstrap)
    required = field.field.required
    required_class = " requiredField" if required else ""
    label = escape_html(field.label) + ('<span class="asteriskField">*</span>' if required else "")
    label_for = f'for="{escape_html(field.id_for_label)}" ' if field.id_for_label else ""
    error_html = ""
    if errors:
        items = "".join(
            f'<p id="error_{number}_{field.auto_id}"><strong>{escape_html(error)}</strong></p>'
            for number, error in enumerate(errors, start=1)
        )
        error_html = f'<div id="{getattr(errors, "field_id", None) or ""}_error" class="invalid-feedback">{items}</div>'
    if bootstrap == "form-check-input":
        return mark_safe(
            f'<div class="mb-3"><div id="div_{field.auto_id}" class="form-check">{field}'
            f'<label {label_for}class="form-check-label{required_class}">{label}</label>{error_html}</div></div>'
        )
    label_html = f'<label {label_for}class="form-label{required_class}">{label}</label>' if field.label else ""
    return mark_safe(f'<div id="div_{field.auto_id}" class="mb-3">{label_html}{field}{error_html}</div>')


def _add_classes(widget, classes: str) -> None:
    """What crispy's ``{% crispy_field field 'class' '…' %}`` does to the widget before it is rendered."""
    name = type(widget).__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    css = widget.attrs.get("class", "")
    css = (f"{css} {name}" if name not in css else css) if css else name
    for token in classes.split():
        if token not in css.split():
            css += f" {token}"
    widget.attrs["class"] = css
