"""``|as_bootstrap_field`` writes what crispy-forms' ``|as_crispy_field`` writes, for the fields it takes on."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.template import Context, Template

from praevnet.widgets import FastCheckboxInput, FastDateInput, FastSelect, FastTextInput
from tests.praevnet.test_tables import normalise

CHOICES = [("", "alle"), ("1", "A & B"), ("2", '"zitiert" <b>'), ("Kreis", [("3", "Lohberg")])]


class FilterForm(forms.Form):
    q = forms.CharField(label="Suche <Name>", required=False)
    needed = forms.CharField(label="Pflicht", max_length=5)
    sector = forms.ChoiceField(label="Handlungsfeld", choices=CHOICES, required=False, widget=FastSelect)
    kind = forms.ChoiceField(label="Art", choices=CHOICES[:3])
    archived = forms.BooleanField(label="nur archivierte", required=False)
    agree = forms.BooleanField(label="einverstanden & gelesen")
    since = forms.DateField(label="seit", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    many = forms.MultipleChoiceField(label="mehrere", choices=CHOICES[1:3], required=False)
    hinted = forms.CharField(label="mit Hilfe", required=False, help_text="Ein Hinweis <b>fett</b>")
    search = forms.CharField(label="Suche", required=False, max_length=8, widget=FastTextInput)
    only_archived = forms.BooleanField(label="nur archivierte", required=False, widget=FastCheckboxInput)


def render(form, name: str, filter_name: str) -> str:
    library = "crispy_forms_tags" if filter_name == "as_crispy_field" else "praevnet_forms"
    return Template(f"{{% load {library} %}}{{{{ field|{filter_name} }}}}").render(Context({"field": form[name]}))


DATA = [
    None,  # unbound
    {"q": "Kita", "needed": "ab", "sector": "2", "kind": "1", "archived": "on", "agree": "on", "only_archived": "on"},
    {
        "q": "x",
        "needed": "zu lang!",
        "sector": "99",
        "kind": "",
        "since": "kein Datum",
        "many": ["7"],
        "search": '"a" & <b>c',
    },
]


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("name", list(FilterForm.base_fields))
def test_same_markup_as_crispy(data, name):
    stock_form, our_form = FilterForm(data), FilterForm(data)
    if data is not None:
        stock_form.is_valid()
        our_form.is_valid()
    stock = render(stock_form, name, "as_crispy_field")
    ours = render(our_form, name, "as_bootstrap_field")
    assert normalise(ours) == normalise(stock)


def test_errors_and_required_marks_show():
    form = FilterForm({"needed": "", "sector": "99", "agree": ""})
    form.is_valid()
    needed, sector, agree = (render(form, name, "as_bootstrap_field") for name in ("needed", "sector", "agree"))
    assert (
        'class="asteriskField">*</span>' in needed and "is-invalid" in needed and "Dieses Feld ist zwingend" in needed
    )
    assert 'aria-invalid="true"' in sector and "99 ist keine gültige Auswahl" in sector
    assert 'class="form-check"' in agree and "is-invalid" in agree
    assert "Suche &lt;Name&gt;" in render(form, "q", "as_bootstrap_field")


def test_only_other_fields_go_to_crispy(monkeypatch):
    from praevnet.templatetags import praevnet_forms

    handed_over = []
    monkeypatch.setattr(praevnet_forms, "as_crispy_field", lambda field: handed_over.append(field.name) or "")
    form = FilterForm(DATA[2])
    form.is_valid()
    for name in FilterForm.base_fields:
        praevnet_forms.as_bootstrap_field(form[name])
    assert handed_over == ["many", "hinted"]  # a date input is a text input (DateTimeBaseInput)


@pytest.mark.parametrize(
    "value", [None, "", "Kita", 'Zitat "x" <b>&', 0, 3.5, True, False, "on", datetime.date(2026, 11, 25)]
)
@pytest.mark.parametrize(
    ("stock", "fast"),
    [(forms.TextInput, FastTextInput), (forms.CheckboxInput, FastCheckboxInput), (forms.DateInput, FastDateInput)],
)
def test_fast_inputs_write_djangos_markup(value, stock, fast):
    attrs = {
        "class": "form-control",
        "id": "id_q",
        "required": True,
        "disabled": False,
        "placeholder": 'z. B. "Kita" & mehr',
        "data-leer": None,
        "maxlength": 80,
    }
    assert fast(attrs=attrs).render("q", value) == stock(attrs=attrs).render("q", value)
    assert fast().render("q<>", value) == stock().render("q<>", value)
