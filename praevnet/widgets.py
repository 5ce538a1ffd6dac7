"""Form widgets shared by the apps."""

from __future__ import annotations

from html import escape as _escape

from django import forms
from django.utils.safestring import mark_safe

from praevnet.tables import escape_html  # what {{ value }} writes: markup stays, anything else is escaped


def escape(value) -> str:
    return _escape(str(value), quote=True)  # Django's escape() is the same, behind a slower lazy-string wrapper


def attributes(attrs: dict) -> str:
    """A widget's attributes as Django's attrs.html writes them: in their order, ``True`` as a bare name, ``False``
    left out, values escaped (flatatt() sorts them and goes through format_html() for each)."""
    html = ""
    for key, item in attrs.items():
        if item is True:
            html += f" {escape_html(key)}"
        elif item is not False:
            html += f' {escape_html(key)}="{escape(item)}"'  # stringformat:'s' makes it plain text: always escaped
    return html


class FastSelect(forms.Select):
    """A <select> written in Python instead of one template include per option; same markup as Django's Select.

    A filter with a few hundred Sozialräume took ~20 ms through the template engine; this takes about one.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        parts = [f'<select name="{escape_html(name)}"{attributes(self.build_attrs(self.attrs, attrs))}>']

        def option(option_value, label) -> str:
            key = "" if option_value is None else str(option_value)
            mark = " selected" if key in selected else ""
            return f'<option value="{escape(key)}"{mark}>{escape(label)}</option>'

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(option_value)}">')
                parts.extend(option(v, sub_label) for v, sub_label in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("".join(parts))


class _FastInput:
    """An <input> written in Python, the markup of Django's input.html and attrs.html without a template per field.

    The register's filter form writes its search box and checkbox on every request; through the template engine
    each took about 0.15 ms.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = f'<input type="{escape_html(widget["type"])}" name="{escape_html(widget["name"])}"'
        if widget["value"] is not None:
            html += f' value="{escape(widget["value"])}"'  # stringformat:'s' makes it plain text: always escaped
        return mark_safe(f"{html}{attributes(widget['attrs'])}>")


class FastTextInput(_FastInput, forms.TextInput):
    pass


class FastCheckboxInput(_FastInput, forms.CheckboxInput):
    pass


class FastDateInput(_FastInput, forms.DateInput):
    pass
