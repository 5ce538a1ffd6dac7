"""Export of the partner register (the filtered list) to .csv and .xlsx, safe to open in Excel."""

from __future__ import annotations

import csv
import datetime
import io
import re

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from partners.models import ContactPerson, Membership, Network, Offer, Partner

HEADERS = [
    "Name",
    "Organisationsform",
    "Träger",
    "Straße",
    "PLZ",
    "Ort",
    "Telefon",
    "E-Mail",
    "Webseite",
    "Handlungsfelder",
    "Mitgliedschaft",
    "Mitglied seit",
    "Profilstatus",
    "Angebote",
    "Ansprechpersonen",
]
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export_queryset(queryset: QuerySet[Partner], network: Network) -> QuerySet[Partner]:
    """What `export_rows` reads, in a fixed number of queries however many partners there are."""
    membership = Membership.objects.filter(partner=OuterRef("pk"), network=network)
    offers = Offer.objects.filter(partner=OuterRef("pk")).order_by().values("partner").annotate(n=Count("*"))
    contacts = ContactPerson.objects.filter(consent_internal=True, anonymised_at__isnull=True).order_by("name")
    return queryset.annotate(
        export_membership_state=Subquery(membership.values("state")[:1]),
        export_member_since=Subquery(membership.values("since")[:1]),
        export_offer_count=Coalesce(Subquery(offers.values("n")[:1]), 0),
    ).prefetch_related("sectors", Prefetch("contacts", queryset=contacts, to_attr="export_contacts"))


def _contact_text(contact: ContactPerson) -> str:
    name = f"{contact.name} ({contact.function})" if contact.function else contact.name
    return ", ".join(part for part in (name, contact.email, contact.phone) if part)


def export_rows(queryset: QuerySet[Partner], *, network: Network) -> tuple[list[str], list[list]]:
    """German headers and one row per partner; contact persons only with their consent to the internal directory."""
    states = dict(Membership.State.choices)
    rows = []
    for partner in export_queryset(queryset, network):
        rows.append(
            [
                partner.name,
                partner.get_kind_display(),
                partner.traeger,
                partner.street,
                partner.postcode,
                partner.city,
                partner.phone,
                partner.email,
                partner.website,
                "; ".join(sector.name for sector in partner.sectors.all()),
                str(states.get(partner.export_membership_state, "")),
                partner.export_member_since,
                partner.get_profile_state_display(),
                partner.export_offer_count,
                "; ".join(_contact_text(contact) for contact in partner.export_contacts),
            ]
        )
    return list(HEADERS), rows


def _neutralise(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_START) else text


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str):
        return _neutralise(value)
    return str(value)


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """UTF-8 with BOM and ';' – what German Excel opens correctly by double-click."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([csv_cell(header) for header in headers])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def sheet_title(text: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Tabelle"


def to_xlsx(headers: list[str], rows: list[list], title: str) -> bytes:
    """A workbook with a bold, frozen header row, autofilter and fitting column widths; text never becomes a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(header)) for header in headers]
    for row_index, row in enumerate(rows, start=2):
        for column_index, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column_index)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
            else:
                cell.value = value
                if isinstance(value, datetime.date):
                    cell.number_format = "DD.MM.YYYY"
            length = 10 if isinstance(value, datetime.date) else len(str(value if value is not None else ""))
            widths[column_index - 1] = max(widths[column_index - 1], length)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{max(len(rows) + 1, 1)}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
