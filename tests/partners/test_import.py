import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.importer import (
    MAX_ROWS,
    ParsedTable,
    PartnerImportError,
    guess_mapping,
    import_partners,
    read_table,
    validate_rows,
)
from partners.models import ContactPerson, Membership, Partner
from praevnet.models import AuditEntry
from tests.factories import MembershipFactory, PartnerFactory

# Until partners/urls.py lists the import and export routes, this URLconf adds them (and is a no-op afterwards).

HEADER = [
    "Einrichtung",
    "Träger",
    "Straße",
    "PLZ",
    "Ort",
    "Telefon",
    "E-Mail",
    "Homepage",
    "Ansprechpartner",
    "Funktion",
    "Handlungsfeld",
    "Rechtsform",
]
SUED = [
    "Familienzentrum Süd",
    "Caritasverband Duisburg e. V.",
    "Kämpenstraße 12",
    "47058",
    "Duisburg",
    "0203 123456",
    "info@fz-sued.example",
    "www.fz-sued.example",
    "Jürgen Öztürk",
    "Leitung",
    "Kindertagesbetreuung; Soziales",
    "Verein",
]
NORD = [
    "Hebammenpraxis Nord",
    "",
    "Nordweg 3",
    "47166",
    "Duisburg",
    "+49 203 998877",
    "kontakt@hebammen-nord.example",
    "https://hebammen-nord.example",
    "",
    "",
    "Gesundheit",
    "Praxis",
]


def csv_bytes(rows, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="partner.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def table_of(rows, name="partner.csv") -> ParsedTable:
    return read_table(upload(csv_bytes(rows), name))


def check(rows, world, user=None):
    table = table_of(rows)
    return validate_rows(table, guess_mapping(table.headers), world.network, user=user)


def messages_by_line(preview) -> list[tuple[int | None, str, str]]:
    return [(issue.line, issue.field, issue.message) for issue in preview.errors]


# ---------------------------------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------------------------------


def test_a_windows_1252_csv_with_semicolons_as_german_excel_saves_it_is_read():
    table = read_table(upload(csv_bytes([HEADER, SUED], encoding="cp1252")))
    assert table.headers[1] == "Träger"
    assert table.rows[0].line == 2
    assert table.rows[0].cells[0] == "Familienzentrum Süd"
    assert table.rows[0].cells[8] == "Jürgen Öztürk"


def test_a_utf8_csv_with_commas_and_quoted_cells_is_read():
    table = read_table(upload(csv_bytes([HEADER, SUED, NORD], delimiter=",", encoding="utf-8")))
    assert [row.cells[0] for row in table.rows] == ["Familienzentrum Süd", "Hebammenpraxis Nord"]
    assert table.rows[0].cells[1] == "Caritasverband Duisburg e. V."


def test_a_tab_separated_file_is_read():
    table = read_table(upload(csv_bytes([HEADER, SUED], delimiter="\t"), "partner.txt"))
    assert table.rows[0].cells[3] == "47058"


def test_an_xlsx_sheet_is_read_with_numbers_as_text_and_excel_line_numbers():
    rows = [HEADER, [*SUED[:3], 47058, *SUED[4:]], [None] * len(HEADER), [*NORD[:3], 1067, *NORD[4:]]]
    table = read_table(upload(xlsx_bytes(rows), "Partnerliste.xlsx"))
    assert table.filename == "Partnerliste.xlsx"
    assert [row.line for row in table.rows] == [2, 4]  # the empty line 3 is skipped but still counted
    assert table.rows[0].cells[3] == "47058"
    assert table.rows[1].cells[3] == "1067"


def test_a_title_above_the_headings_is_skipped_and_lines_still_match_excel():
    rows = [["Partnerliste Frühe Hilfen, Stand März"], [], HEADER, SUED]
    table = read_table(upload(xlsx_bytes(rows), "liste.xlsx"))
    assert table.headers[0] == "Einrichtung"
    assert [(row.line, row.cells[0]) for row in table.rows] == [(4, "Familienzentrum Süd")]


def test_an_empty_first_sheet_is_named_as_such():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.create_sheet("Partner").append(["Name"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError, match=r"Das erste Tabellenblatt der Excel-Datei ist leer\."):
        read_table(upload(buffer.getvalue(), "liste.xlsx"))


@pytest.mark.django_db
def test_a_postcode_that_lost_its_leading_zero_in_excel_gets_it_back(world):
    rows = [HEADER, [*NORD[:3], 1067, "Dresden", *NORD[5:]]]
    table = read_table(upload(xlsx_bytes(rows), "liste.xlsx"))
    preview = validate_rows(table, guess_mapping(table.headers), world.network)
    assert preview.errors == []
    assert preview.rows[0].data["postcode"] == "01067"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "leer.csv", "Die Datei ist leer."),
        (b"\r\n;;\r\n", "leer.csv", "Die Datei ist leer."),
        (csv_bytes([HEADER]), "nur-kopf.csv", "Die Datei enthält nur die Kopfzeile, aber keine Einrichtungen."),
        (bytes(range(256)) * 40, "kaputt.csv", "Die Datei ist weder UTF-8 noch Windows-1252"),
        (b"\x00\x01\x02PNG garbage \x00" * 50, "bild.csv", "Die Datei ist weder UTF-8 noch Windows-1252"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "alt.xls", "Bitte eine Excel-Datei (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "alt.xlsx", "ältere Excel-Datei (.xls)"),
        (b"PK\x03\x04 this is not a workbook", "kaputt.xlsx", "Die Excel-Datei lässt sich nicht lesen"),
        (b"Name;PLZ\r\nA;47051\r\n", "liste.xlsx", "Die Datei endet auf .xlsx, ist aber keine Excel-Arbeitsmappe."),
        (b"Name\r\nA\r\n", "liste.pdf", "Bitte eine Excel-Datei (.xlsx) oder eine CSV-Datei (.csv) hochladen."),
    ],
    ids=["empty", "blank-lines", "header-only", "binary", "nul-bytes", "xls-extension", "xls-content", "broken-zip",
         "csv-named-xlsx", "pdf-extension"],
)  # fmt: skip
def test_unusable_files_get_a_clear_german_message(content, name, message):
    with pytest.raises(ValidationError) as error:
        read_table(upload(content, name))
    assert message in error.value.messages[0]


@pytest.mark.parametrize("rows", [MAX_ROWS + 1, 20_000])
def test_a_list_above_the_row_limit_is_refused_with_the_count(rows):
    content = csv_bytes([["Name", "PLZ"], *([f"Einrichtung {n}", "47051"] for n in range(rows))])
    with pytest.raises(ValidationError) as error:
        read_table(upload(content))
    count = f"{rows:,}".replace(",", ".")
    assert error.value.messages[0].startswith(
        f"Die Datei enthält {count} Zeilen; auf einmal lassen sich höchstens 2.000"
    )


def test_exactly_the_row_limit_is_accepted():
    content = csv_bytes([["Name"], *([f"Einrichtung {n}"] for n in range(MAX_ROWS))])
    assert len(read_table(upload(content)).rows) == MAX_ROWS


def test_a_file_above_five_megabytes_is_refused():
    big = SimpleUploadedFile("gross.csv", b"Name\r\n" + b"x" * 5_100_000)
    with pytest.raises(ValidationError) as error:
        read_table(big)
    assert error.value.messages[0] == "Die Datei ist 5,1 MB groß; erlaubt sind höchstens 5 MB."


def test_a_large_xlsx_is_refused_with_the_count():
    content = xlsx_bytes([["Name"], *([f"Einrichtung {n}"] for n in range(MAX_ROWS + 1))])
    with pytest.raises(ValidationError) as error:
        read_table(upload(content, "gross.xlsx"))
    assert "2.001 Zeilen" in error.value.messages[0]


# ---------------------------------------------------------------------------------------------------------------------
# Column mapping
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "target"),
    [
        ("Name", "name"),
        ("  EINRICHTUNG ", "name"),
        ("Institution", "name"),
        ("Name der Einrichtung", "name"),
        ("Träger", "traeger"),
        ("Trägerschaft", "traeger"),
        ("Straße", "street"),
        ("Strasse", "street"),
        ("Adresse", "street"),
        ("Straße + Hausnummer", "street"),
        ("Straße und Hausnummer", "street"),
        ("Hausnr.", "house_number"),
        ("PLZ", "postcode"),
        ("Postleitzahl", "postcode"),
        ("PLZ/Ort", "postcode_city"),
        ("Ort", "city"),
        ("Stadt", "city"),
        ("Telefon", "phone"),
        ("Tel.", "phone"),
        ("E-Mail", "email"),
        ("e-mail-adresse", "email"),
        ("Mail", "email"),
        ("Homepage", "website"),
        ("Webseite", "website"),
        ("Internet", "website"),
        ("Ansprechpartner", "contact_name"),
        ("Ansprechpartner:in", "contact_name"),
        ("Ansprechperson", "contact_name"),
        ("Kontakt", "contact_name"),
        ("Funktion", "contact_function"),
        ("Handlungsfeld", "sectors"),
        ("Bereich", "sectors"),
        ("Sektor", "sectors"),
        ("Organisationsform", "kind"),
        ("Rechtsform", "kind"),
        ("Kurzbeschreibung", "description"),
    ],
)
def test_typical_german_headings_are_recognised(heading, target):
    assert guess_mapping(["Spalte davor", heading]) == {target: 1}


def test_each_column_is_mapped_once_and_unknown_columns_are_left_out():
    headers = ["Name", "Name", "Bemerkung", "Organisationsform", "Telefon Sekretariat"]
    assert guess_mapping(headers) == {"name": 0, "kind": 3, "phone": 4}


def test_the_export_headings_map_back_onto_the_register():
    from partners.exporter import HEADERS

    mapping = guess_mapping(HEADERS)
    assert {"name", "kind", "traeger", "street", "postcode", "city", "phone", "email", "website", "sectors"} <= set(
        mapping
    )
    assert "contact_name" not in mapping  # "Ansprechpersonen" holds several people in one cell


# ---------------------------------------------------------------------------------------------------------------------
# Checking rows
# ---------------------------------------------------------------------------------------------------------------------


def test_a_good_row_becomes_partner_data_contact_and_sectors(world):
    preview = check([HEADER, SUED, NORD], world)
    assert preview.errors == [] and preview.duplicates == []
    assert preview.count == 2 and preview.can_import
    sued = preview.rows[0]
    assert sued.line == 2
    assert sued.data["name"] == "Familienzentrum Süd"
    assert sued.data["kind"] == "verein"
    assert sued.data["website"] == "https://www.fz-sued.example"  # scheme added as in the profile form
    assert sued.contact == {
        "name": "Jürgen Öztürk",
        "function": "Leitung",
        "consent_internal": False,
        "consent_public": False,
    }
    assert sued.sector_names == "Kindertagesbetreuung, Soziales"
    assert preview.rows[1].sector_names == "Gesundheitswesen"  # a unique part of a name is enough
    assert preview.rows[1].contact is None


def test_sector_names_with_commas_and_slugs_are_matched(world):
    rows = [["Name", "Bereich"], ["Sportverein", "Ehrenamt, Sport und Kultur, kita"]]
    preview = check(rows, world)
    assert preview.errors == []
    assert preview.rows[0].sector_names == "Ehrenamt, Sport und Kultur, Kindertagesbetreuung"


def test_a_combined_address_column_is_split_into_street_postcode_and_city(world):
    rows = [["Name", "Adresse"], ["Elterncafé", "Hauptstraße 5, 47051 Duisburg"], ["Ohne Ort", "Am Markt 1"]]
    preview = check(rows, world)
    assert preview.errors == []
    first, second = preview.rows
    assert (first.data["street"], first.data["postcode"], first.data["city"]) == ("Hauptstraße 5", "47051", "Duisburg")
    assert second.data["street"] == "Am Markt 1" and "postcode" not in second.data


def test_street_and_house_number_columns_and_a_postcode_city_column_are_combined(world):
    rows = [["Name", "Straße", "Hausnummer", "PLZ Ort"], ["Kita Regenbogen", "Lindenallee", "7a", "47051 Duisburg"]]
    preview = check(rows, world)
    assert preview.errors == []
    data = preview.rows[0].data
    assert (data["street"], data["postcode"], data["city"]) == ("Lindenallee 7a", "47051", "Duisburg")


def nord(**changes) -> list[str]:
    """The NORD row with some cells changed, by the target name of their column."""
    columns = {"name": 0, "postcode": 3, "phone": 5, "email": 6, "website": 7, "sectors": 10, "kind": 11}
    row = list(NORD)
    for key, value in changes.items():
        row[columns[key]] = value
    return row


def test_errors_name_the_line_as_excel_shows_it_the_field_and_a_german_message(world):
    rows = [
        HEADER,
        SUED,
        nord(name="Familienzentrum West", postcode="470511"),  # line 3
        nord(name="Hebammenpraxis 4", phone="bitte anrufen"),
        nord(name="Hebammenpraxis 5", email="kontakt(at)nord.example"),
        nord(name="Hebammenpraxis 6", website="https://kaputt adresse"),
        nord(name=""),
        nord(name="Hebammenpraxis 8", kind="Zauberei"),
        nord(name="Hebammenpraxis 9", sectors="Astrologie"),
    ]
    errors = messages_by_line(check(rows, world))
    assert errors[0] == (3, "PLZ", "Bitte eine fünfstellige Postleitzahl angeben, z. B. 47051.")  # and only that
    assert errors[1] == (4, "Telefon", "Bitte eine gültige Telefonnummer angeben, z. B. 0203 283-0 oder +49 203 2830.")
    assert errors[2] == (5, "E-Mail", "Bitte gültige E-Mail-Adresse eingeben.")
    assert errors[3][:2] == (6, "Webseite")
    assert errors[4] == (7, "Name der Einrichtung", "Dieses Feld darf nicht leer sein.")
    assert errors[5][:2] == (8, "Organisationsform")
    assert errors[5][2].startswith("„Zauberei“ ist keine bekannte Organisationsform. Möglich: Träger, Verein")
    assert errors[6][:2] == (9, "Handlungsfelder")
    assert errors[6][2].startswith("„Astrologie“ ist kein bekanntes Handlungsfeld. Bekannt sind:")
    assert len(errors) == 7


def test_an_overlong_contact_name_is_reported_for_the_contact(world):
    rows = [["Name", "Ansprechperson"], ["Kita Eins", "x" * 151]]
    (error,) = check(rows, world).errors
    assert (error.line, error.field) == (2, "Ansprechperson: Name")
    assert "höchstens 150 Zeichen" in error.message


def test_a_missing_name_column_is_reported_before_any_row_is_checked(world):
    preview = check([["Träger", "PLZ"], ["Stadt Duisburg", "kaputt"]], world)
    assert messages_by_line(preview) == [
        (None, "Name der Einrichtung", "Keine Spalte ist „Name der Einrichtung“ zugeordnet. Bitte wählen Sie die passende Spalte.")
    ]  # fmt: skip
    assert preview.rows == [] and not preview.can_import
    with pytest.raises(PartnerImportError):
        import_partners(preview=preview, network=world.network, actor=world.coordinator)
    assert Partner.objects.count() == 3


def test_duplicates_within_the_file_are_reported_with_both_lines_and_not_imported(world):
    twin = [" familienzentrum   SÜD ", *SUED[1:]]
    preview = check([HEADER, SUED, NORD, twin], world)
    assert preview.errors == []
    assert [(d.line, d.message) for d in preview.duplicates] == [
        (4, "doppelt in der Datei: gleicher Name und PLZ wie Zeile 2")
    ]
    assert preview.count == 2
    created = import_partners(preview=preview, network=world.network, actor=world.coordinator)
    assert sorted(p.name for p in created) == ["Familienzentrum Süd", "Hebammenpraxis Nord"]


def test_same_name_with_another_postcode_is_not_a_duplicate(world):
    other_place = [*SUED[:3], "47059", *SUED[4:]]
    preview = check([HEADER, SUED, other_place], world)
    assert preview.duplicates == [] and preview.count == 2


def test_a_partner_of_this_network_is_reported_as_already_there(world):
    row = ["hebammenpraxis am bach", *SUED[1:3], "47051", *SUED[4:]]
    preview = check([HEADER, row, NORD], world)
    assert [(d.line, d.message) for d in preview.duplicates] == [
        (2, "bereits vorhanden: Hebammenpraxis Am Bach (in diesem Netzwerk)")
    ]
    assert preview.count == 1


def test_a_partner_of_another_network_is_a_duplicate_named_only_to_those_who_may_know_that_network(world):
    row = ["Kita Fremdland", *SUED[1:3], "47051", *SUED[4:]]
    coordinator_view = check([HEADER, row], world, user=world.coordinator)
    assert coordinator_view.duplicates[0].message == "bereits vorhanden: Kita Fremdland (einem weiteren Netzwerk)"
    admin_view = check([HEADER, row], world, user=world.admin)
    assert admin_view.duplicates[0].message == "bereits vorhanden: Kita Fremdland (Präventionskette Beispielkreis)"
    assert not coordinator_view.can_import  # nothing new in the file
    with pytest.raises(PartnerImportError, match="keine neuen Einrichtungen"):
        import_partners(preview=coordinator_view, network=world.network, actor=world.coordinator)
    assert not Membership.objects.filter(network=world.network, partner=world.foreign_partner).exists()


def test_an_archived_partner_without_membership_is_still_a_duplicate(world):
    from django.utils import timezone

    PartnerFactory(name="Altes Jugendzentrum", postcode="47051", archived_at=timezone.now())
    row = ["Altes Jugendzentrum", *SUED[1:3], "47051", *SUED[4:]]
    preview = check([HEADER, row], world)
    assert preview.duplicates[0].message == "bereits vorhanden: Altes Jugendzentrum (ohne Netzwerk, archiviert)"


# ---------------------------------------------------------------------------------------------------------------------
# Saving: all or nothing
# ---------------------------------------------------------------------------------------------------------------------


def test_a_clean_file_is_imported_with_contacts_sectors_membership_and_one_import_entry(world):
    preview = check([HEADER, SUED, NORD], world)
    created = import_partners(preview=preview, network=world.network, actor=world.coordinator)
    assert len(created) == 2
    sued = Partner.objects.get(name="Familienzentrum Süd")
    assert (sued.traeger, sued.street, sued.postcode, sued.city) == (
        "Caritasverband Duisburg e. V.",
        "Kämpenstraße 12",
        "47058",
        "Duisburg",
    )
    assert sorted(sued.sectors.values_list("slug", flat=True)) == ["kita", "soziales"]
    contact = ContactPerson.objects.get(partner=sued)
    assert (contact.name, contact.function, contact.consent_internal, contact.consent_public) == (
        "Jürgen Öztürk",
        "Leitung",
        False,
        False,
    )
    membership = Membership.objects.get(partner=sued, network=world.network)
    assert membership.state == Membership.State.ACTIVE
    entry = AuditEntry.objects.get(action="partner.import")
    assert entry.network == world.network and entry.actor == world.coordinator
    assert entry.data["Zeilen"] == 2 and entry.data["Datei"] == "partner.csv"
    assert AuditEntry.objects.filter(action="partner.create").count() == 2


def test_one_bad_row_means_nothing_is_imported(world):
    bad = [*NORD[:3], "123", *NORD[4:]]
    preview = check([HEADER, SUED, bad], world)
    before = Partner.objects.count()
    with pytest.raises(PartnerImportError) as error:
        import_partners(preview=preview, network=world.network, actor=world.coordinator)
    assert str(error.value).startswith("Die Datei enthält noch 1 Fehler; es wurde nichts importiert.")
    assert Partner.objects.count() == before
    assert not AuditEntry.objects.filter(action__in=["partner.import", "partner.create"]).exists()


def test_a_partner_created_after_the_preview_stops_the_import(world):
    preview = check([HEADER, SUED, NORD], world)
    MembershipFactory(network=world.other_network, partner=PartnerFactory(name="Hebammenpraxis Nord", postcode="47166"))
    before = Partner.objects.count()
    with pytest.raises(PartnerImportError, match="Zeile 3: „Hebammenpraxis Nord“ wurde inzwischen angelegt"):
        import_partners(preview=preview, network=world.network, actor=world.coordinator)
    assert Partner.objects.count() == before


def test_a_failure_while_saving_rolls_back_the_rows_already_created(world, monkeypatch):
    """Something the check could not foresee (here: the database refuses row 3) undoes rows 1 and 2 as well."""
    from partners import importer

    preview = check([HEADER, SUED, NORD, [*NORD[:1], *NORD[1:]]], world)
    preview.rows[2].data["name"] = "Dritte Einrichtung"
    preview.rows[2].status = "ok"
    calls = []
    real_create = importer.partner_create

    def failing_create(**kwargs):
        calls.append(kwargs["data"]["name"])
        if len(calls) == 3:
            raise ValidationError({"name": ["Datenbank sagt nein."]})
        return real_create(**kwargs)

    monkeypatch.setattr(importer, "partner_create", failing_create)
    before = Partner.objects.count()
    with pytest.raises(PartnerImportError, match=r"^Zeile 4: Datenbank sagt nein\. Es wurde nichts importiert\.$"):
        import_partners(preview=preview, network=world.network, actor=world.coordinator)
    assert len(calls) == 3
    assert Partner.objects.count() == before
    assert not AuditEntry.objects.filter(action="partner.import").exists()


# ---------------------------------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------------------------------


def url(name, world, network=None):
    return reverse(f"partners:{name}", kwargs={"network": (network or world.network).slug})


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("admin", 200), ("jugendamt", 403), ("contact_a", 403), ("other_coordinator", 404)],
)
def test_only_the_coordination_may_import(world, login, persona, status):
    client = login(world.persona(persona))
    assert client.get(url("partner_import", world)).status_code == status
    response = client.post(url("partner_import", world), {"file": upload(csv_bytes([HEADER, SUED]))})
    assert response.status_code == (302 if status == 200 else status)
    assert client.get(url("partner_import_preview", world)).status_code == status
    assert not Partner.objects.filter(name="Familienzentrum Süd").exists()


def test_anonymous_visitors_are_sent_to_the_login(world, login):
    response = login(None).get(url("partner_import", world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_upload_preview_and_import_end_to_end(world, login):
    client = login(world.coordinator)
    page = client.get(url("partner_import", world))
    assert "Partnerliste importieren" in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = client.post(
        url("partner_import", world), {"file": upload(csv_bytes([HEADER, SUED, NORD], encoding="cp1252"))}
    )
    assert response["Location"] == url("partner_import_preview", world)
    token = client.session["partner_import"]["id"]
    assert default_storage.exists(f"imports/{token}.json")

    preview = client.get(url("partner_import_preview", world))
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Familienzentrum Süd" in html and "Kämpenstraße 12<br>47058 Duisburg" in html
    assert "2 Einrichtungen importieren" in html

    form = preview.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(url("partner_import_preview", world), {**data, "import": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:partner_list", kwargs={"network": world.network.slug})
    assert Partner.objects.in_network(world.network).filter(name__in=["Familienzentrum Süd", "Hebammenpraxis Nord"]).count() == 2  # fmt: skip
    assert "partner_import" not in client.session
    assert not default_storage.exists(f"imports/{token}.json")
    listing = client.get(response["Location"])
    assert "2 Einrichtungen importiert." in listing.content.decode()


def test_a_preview_with_errors_offers_no_import_and_a_forced_post_saves_nothing(world, login):
    client = login(world.coordinator)
    bad = [*NORD[:3], "12", *NORD[4:]]
    client.post(url("partner_import", world), {"file": upload(csv_bytes([HEADER, SUED, bad]))})
    preview = client.get(url("partner_import_preview", world))
    html = preview.content.decode()
    assert "1 Fehler – so wird nichts importiert" in html
    assert "Bitte eine fünfstellige Postleitzahl angeben" in html
    assert "importieren</button>" not in html
    form = preview.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    before = Partner.objects.count()
    response = client.post(url("partner_import_preview", world), {**data, "import": "1"}, follow=True)
    assert "Die Datei enthält noch 1 Fehler; es wurde nichts importiert." in response.content.decode()
    assert Partner.objects.count() == before


def test_changing_the_mapping_checks_again_before_anything_is_imported(world, login):
    client = login(world.coordinator)
    rows = [["Einrichtung", "Bemerkung"], ["Kita Sonnenschein", "Kita"]]
    client.post(url("partner_import", world), {"file": upload(csv_bytes(rows))})
    form = client.get(url("partner_import_preview", world)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert data["name"] == "0" and data["kind"] == ""
    response = client.post(url("partner_import_preview", world), {**data, "kind": "1", "import": "1"}, follow=True)
    assert "Sie haben die Zuordnung geändert" in response.content.decode()
    assert not Partner.objects.filter(name="Kita Sonnenschein").exists()
    assert client.session["partner_import"]["mapping"] == {"name": 0, "kind": 1}
    assert response.context["preview"].rows[0].kind_label == "Kindertageseinrichtung"


def test_without_a_name_column_the_preview_asks_for_one(world, login):
    client = login(world.coordinator)
    client.post(url("partner_import", world), {"file": upload(csv_bytes([["Spalte 1", "PLZ"], ["Kita", "47051"]]))})
    html = client.get(url("partner_import_preview", world)).content.decode()
    assert "Keine Spalte ist „Name der Einrichtung“ zugeordnet." in html
    assert "importieren</button>" not in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Die Datei ist leer."),
        (bytes(range(256)) * 40, "Die Datei ist weder UTF-8 noch Windows-1252"),
        (csv_bytes([HEADER]), "Die Datei enthält nur die Kopfzeile"),
    ],
)
def test_an_unusable_upload_stays_on_the_upload_page_with_the_reason(world, login, content, message):
    client = login(world.coordinator)
    response = client.post(url("partner_import", world), {"file": upload(content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "partner_import" not in client.session


def test_the_preview_without_an_upload_leads_back_to_the_upload(world, login):
    response = login(world.coordinator).get(url("partner_import_preview", world))
    assert response["Location"] == url("partner_import", world)


def test_an_upload_for_one_network_is_not_previewed_in_another(world, login):
    from praevnet.models import NetworkRole
    from tests.factories import NetworkRoleFactory

    NetworkRoleFactory(user=world.coordinator, network=world.other_network, role=NetworkRole.Role.COORDINATOR)
    client = login(world.coordinator)
    client.post(url("partner_import", world), {"file": upload(csv_bytes([HEADER, SUED]))})
    other = client.get(url("partner_import_preview", world, network=world.other_network))
    assert other["Location"] == url("partner_import", world, network=world.other_network)


def test_cancelling_deletes_the_waiting_table(world, login):
    client = login(world.coordinator)
    client.post(url("partner_import", world), {"file": upload(csv_bytes([HEADER, SUED]))})
    token = client.session["partner_import"]["id"]
    response = client.post(url("partner_import_preview", world), {"cancel": "1"})
    assert response["Location"] == url("partner_import", world)
    assert not default_storage.exists(f"imports/{token}.json")
    assert not Partner.objects.filter(name="Familienzentrum Süd").exists()


def test_the_preview_shows_at_most_fifty_rows_but_checks_all(world, login):
    rows = [["Name", "PLZ"], *([f"Einrichtung {n}", "47051"] for n in range(120))]
    rows.append(["Einrichtung kaputt", "1"])
    client = login(world.coordinator)
    client.post(url("partner_import", world), {"file": upload(csv_bytes(rows))})
    response = client.get(url("partner_import_preview", world))
    assert len(response.context["rows_table"].rows) == 50
    assert [(e.line, e.field) for e in response.context["preview"].errors] == [(122, "PLZ")]


def test_stale_waiting_tables_are_removed_on_the_next_upload(world, login):
    import datetime
    import os

    client = login(world.coordinator)
    client.post(url("partner_import", world), {"file": upload(csv_bytes([HEADER, SUED]))})
    old = default_storage.path(f"imports/{client.session['partner_import']['id']}.json")
    two_days_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(old, (two_days_ago, two_days_ago))
    other = login(world.admin)
    other.post(url("partner_import", world), {"file": upload(csv_bytes([HEADER, NORD]))})
    assert not os.path.exists(old)


def test_an_existing_partner_in_a_known_network_gets_its_name(world):
    MembershipFactory(network=world.network, partner=PartnerFactory(name="Stadtbibliothek", postcode="47051"))
    preview = check([["Name", "PLZ"], ["Stadtbibliothek", "47051"]], world, user=world.coordinator)
    assert preview.duplicates[0].message == "bereits vorhanden: Stadtbibliothek (in diesem Netzwerk)"
