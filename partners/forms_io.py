"""Forms of the partner import: the upload and the column mapping of the preview."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from openpyxl.utils import get_column_letter

from partners.importer import (
    MAX_BYTES,
    MAX_ROWS,
    TARGETS,
    ParsedTable,
    german_number,
    read_table,
)
from partners.models import Membership


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Partnerliste",
        allow_empty_file=True,  # read_table says "Die Datei ist leer." like for a file of blank lines
        help_text=(
            f"Excel (.xlsx, erstes Tabellenblatt) oder CSV (Trennzeichen ; oder ,), höchstens "
            f"{german_number(MAX_ROWS)} Zeilen und {MAX_BYTES // 1_000_000} MB. "
            "Die erste Zeile enthält die Spaltenüberschriften."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Datei prüfen"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.table: ParsedTable = read_table(upload)
        return upload


def column_choices(headers: list[str]) -> list[tuple[str, str]]:
    return [("", "– nicht importieren –")] + [
        (str(index), f"{get_column_letter(index + 1)}: {header}") for index, header in enumerate(headers)
    ]


class MappingForm(forms.Form):
    """One select per field of the register, listing the file's columns."""

    membership_state = forms.ChoiceField(
        label="Mitgliedschaft der neuen Einrichtungen",
        choices=Membership.State.choices[:2],
        initial=Membership.State.ACTIVE,
    )

    def __init__(self, *args, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = column_choices(headers)
        for target in TARGETS:
            self.fields[target.key] = forms.ChoiceField(
                label=target.label,
                choices=choices,
                required=False,  # a missing name column is reported by the check, next to the rows
            )
        self.fields["membership_state"] = self.fields.pop("membership_state")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        keys = [target.key for target in TARGETS]
        self.helper.layout = Layout(
            Div(*[Div(key, css_class="col-sm-6 col-lg-4 col-xxl-3") for key in keys], css_class="row"),
            Div(Div("membership_state", css_class="col-sm-6 col-lg-4"), css_class="row"),
        )

    @classmethod
    def initial_from(cls, mapping: dict[str, int], membership_state: str) -> dict[str, str]:
        return {
            **{target.key: str(mapping[target.key]) if target.key in mapping else "" for target in TARGETS},
            "membership_state": membership_state,
        }

    def mapping(self) -> dict[str, int]:
        return {
            target.key: int(self.cleaned_data[target.key])
            for target in TARGETS
            if self.cleaned_data.get(target.key) not in (None, "")
        }
