import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.exporter import HEADERS, export_rows, to_csv, to_xlsx
from partners.models import ContactPerson, Membership, Offer, Partner, Sector
from praevnet.models import AuditEntry
from tests.factories import MembershipFactory, PartnerFactory

# Until partners/urls.py lists the import and export routes, this URLconf adds them (and is a no-op afterwards).


def export_url(world, fmt="csv", network=None, query=""):
    url = reverse("partners:partner_export", kwargs={"network": (network or world.network).slug, "fmt": fmt})
    return f"{url}?{query}" if query else url


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM makes Excel read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(content: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content)).active


@pytest.fixture
def detailed(world):
    """Partner A with everything the export shows, one contact with consent and one without."""
    partner = world.partner_a
    Partner.objects.filter(pk=partner.pk).update(
        kind=Partner.Kind.PRAXIS,
        traeger="Hebammen Am Bach GbR",
        phone="0203 123456",
        email="info@hebamme.example",
        website="https://hebamme.example",
        profile_state=Partner.ProfileState.REVIEWED,
    )
    partner.sectors.set(Sector.objects.filter(slug__in=["gesundheit", "schwangerenberatung"]))
    ContactPerson.objects.create(
        partner=partner, name="Mara Hansen", function="Hebamme", email="mara@hebamme.example", consent_internal=True
    )
    ContactPerson.objects.create(partner=partner, name="Geheim Person", email="geheim@hebamme.example")
    Offer.objects.create(partner=partner, title="Rückbildung")
    Offer.objects.create(partner=partner, title="Geburtsvorbereitung")
    Membership.objects.filter(partner=partner, network=world.network).update(since=datetime.date(2023, 5, 2))
    return partner


def test_the_csv_opens_in_german_excel_with_all_columns(world, login, detailed):
    response = login(world.coordinator).get(export_url(world))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="partner-musterstadt-{today}.csv"'
    rows = read_csv(response.content)
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["Erziehungsberatung Mitte", "Hebammenpraxis Am Bach"]
    row = dict(zip(rows[0], rows[2], strict=True))
    assert row == {
        "Name": "Hebammenpraxis Am Bach",
        "Organisationsform": "Praxis",
        "Träger": "Hebammen Am Bach GbR",
        "Straße": "Hauptstraße 1",
        "PLZ": "47051",
        "Ort": "Musterstadt",
        "Telefon": "0203 123456",
        "E-Mail": "info@hebamme.example",
        "Webseite": "https://hebamme.example",
        "Handlungsfelder": "Gesundheitswesen; Schwangerenberatung",
        "Mitgliedschaft": "aktiv",
        "Mitglied seit": "02.05.2023",
        "Profilstatus": "geprüft",
        "Angebote": "2",
        "Ansprechpersonen": "Mara Hansen (Hebamme), mara@hebamme.example",
    }
    assert b"Geheim" not in response.content  # no consent, no export


def test_the_xlsx_has_a_bold_frozen_header_autofilter_and_real_dates(world, login, detailed):
    response = login(world.coordinator).get(export_url(world, "xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = read_xlsx(response.content)
    assert sheet.title == "Kooperationspartner"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:O3"
    assert sheet["A3"].value == "Hebammenpraxis Am Bach"
    assert sheet["L3"].value.date() == datetime.date(2023, 5, 2)
    assert sheet["L3"].number_format == "DD.MM.YYYY"
    assert sheet["N3"].value == 2
    assert sheet.column_dimensions["A"].width >= len("Hebammenpraxis Am Bach")


def test_cells_that_excel_would_run_as_formulas_are_neutralised(world):
    evil = ['=HYPERLINK("https://evil.example","klick")', "+1+2", "-3", "@SUM(A1)", "Harmlos = gut"]
    csv_rows = read_csv(to_csv(["Wert"], [[value] for value in evil]))
    assert [row[0] for row in csv_rows[1:]] == [
        '\'=HYPERLINK("https://evil.example","klick")',
        "'+1+2",
        "'-3",
        "'@SUM(A1)",
        "Harmlos = gut",
    ]
    sheet = read_xlsx(to_xlsx(["Wert"], [[value] for value in evil], title="Test"))
    cells = [sheet.cell(row=index, column=1) for index in range(2, 7)]
    assert [cell.value for cell in cells] == evil  # kept as text, unchanged
    assert {cell.data_type for cell in cells} == {"s"}  # never a formula


def test_a_formula_in_a_partner_name_does_not_reach_excel_as_a_formula(world, login):
    MembershipFactory(network=world.network, partner=PartnerFactory(name="=cmd|' /C calc'!A0"))
    client = login(world.coordinator)
    rows = read_csv(client.get(export_url(world)).content)
    assert [row[0] for row in rows if "cmd" in row[0]] == ["'=cmd|' /C calc'!A0"]
    sheet = read_xlsx(client.get(export_url(world, "xlsx")).content)
    cell = next(cell for cell in sheet["A"] if "cmd" in str(cell.value))
    assert cell.data_type == "s"


def test_the_export_follows_the_filters_of_the_list(world, login):
    client = login(world.coordinator)
    rows = read_csv(client.get(export_url(world, query="q=Hebamme")).content)
    assert [row[0] for row in rows[1:]] == ["Hebammenpraxis Am Bach"]
    world.partner_b.archived_at = timezone.now()
    world.partner_b.save()
    assert [row[0] for row in read_csv(client.get(export_url(world)).content)[1:]] == ["Hebammenpraxis Am Bach"]
    archived = read_csv(client.get(export_url(world, query="archived=on")).content)
    assert [row[0] for row in archived[1:]] == ["Erziehungsberatung Mitte"]


def test_the_export_never_contains_partners_of_other_networks(world, login):
    rows = read_csv(login(world.coordinator).get(export_url(world)).content)
    assert "Kita Fremdland" not in {row[0] for row in rows}


def test_the_export_is_recorded_in_the_audit_log(world, login):
    login(world.coordinator).get(export_url(world, "xlsx", query="q=Hebamme"))
    entry = AuditEntry.objects.get(action="data.export")
    assert entry.network == world.network and entry.actor == world.coordinator
    assert entry.data == {"Liste": "Kooperationspartner", "Format": "xlsx", "Zeilen": 1, "Filter": "q=Hebamme"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("admin", 200), ("jugendamt", 403), ("contact_a", 403), ("other_coordinator", 404)],
)
def test_only_the_coordination_may_export(world, login, persona, status):
    client = login(world.persona(persona))
    assert client.get(export_url(world)).status_code == status
    assert client.get(export_url(world, "xlsx")).status_code == status
    assert client.post(export_url(world)).status_code == (405 if status == 200 else status)
    assert AuditEntry.objects.filter(action="data.export").count() == (2 if status == 200 else 0)


def test_an_unknown_format_is_not_found(world, login):
    client = login(world.coordinator)
    assert client.get(export_url(world, "pdf")).status_code == 404
    assert not AuditEntry.objects.filter(action="data.export").exists()


def test_anonymous_visitors_are_sent_to_the_login(world, login):
    response = login(None).get(export_url(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_query_count_does_not_grow_with_the_number_of_partners(world, login, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.coordinator)
    sector = Sector.objects.first()

    def add(count):
        for _ in range(count):
            partner = MembershipFactory(network=world.network).partner
            partner.sectors.add(sector)
            ContactPerson.objects.create(partner=partner, name="Ansprechperson", consent_internal=True)
            Offer.objects.create(partner=partner, title="Angebot")

    def queries(fmt):
        with CaptureQueriesContext(connection) as context:
            assert client.get(export_url(world, fmt)).status_code == 200
        return len(context.captured_queries)

    add(3)  # 5 partners in the network
    client.get(export_url(world))  # the first page view after login writes the session (idle clock)
    small = {fmt: queries(fmt) for fmt in ("csv", "xlsx")}
    add(45)  # 50
    large = {fmt: queries(fmt) for fmt in ("csv", "xlsx")}
    assert small == large
    with django_assert_num_queries(large["csv"]):
        client.get(export_url(world))


def test_export_rows_can_be_used_without_a_request(world, detailed):
    headers, rows = export_rows(Partner.objects.in_network(world.network), network=world.network)
    assert headers == HEADERS
    assert [row[0] for row in rows] == ["Erziehungsberatung Mitte", "Hebammenpraxis Am Bach"]
    assert rows[1][11] == datetime.date(2023, 5, 2)


def test_the_exported_list_can_be_imported_again_and_everything_is_reported_as_existing(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.importer import guess_mapping, read_table, validate_rows

    content = login(world.coordinator).get(export_url(world, "xlsx")).content
    table = read_table(SimpleUploadedFile("export.xlsx", content))
    preview = validate_rows(table, guess_mapping(table.headers), world.network)
    assert preview.errors == []
    assert [issue.line for issue in preview.duplicates] == [2, 3]
    assert preview.count == 0
