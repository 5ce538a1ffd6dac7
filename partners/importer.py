"""Import of a coordinator's existing partner list (.xlsx or .csv): read, map the columns, check, then save all or nothing.

The flow is split so that the preview can show every problem before anything is written:
`read_table` → `guess_mapping` → `validate_rows` (no writes) → `import_partners` (one transaction).

Duplicates are rows with the same name (case and spaces ignored) and postcode as an earlier row of the file or as an
existing institution of *any* network. They are reported and skipped, never created twice and never merged: an
institution that exists but is not yet a member of this network is still a duplicate (the coordination adds the
membership by hand), because the register keeps one profile per institution across networks.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from openpyxl.utils import get_column_letter

from partners.models import ContactPerson, Membership, Network, Partner, Sector, institution_key
from partners.services import ChildChange, partner_create
from praevnet.audit import log_action

MAX_ROWS = 2_000  # about 16 s to import; stays inside a request (gunicorn times out at 30 s)
MAX_BYTES = 5_000_000
MAX_COLUMNS = 60
# Counting stops here so that a huge (or maliciously compressed) sheet cannot keep a request busy.
COUNT_LIMIT = 200_000
EXTENSIONS = (".xlsx", ".xlsm", ".csv", ".txt")
IMPORT_LOCK = 7_301_001  # pg_advisory_xact_lock key: one partner import at a time

ENCODING_MESSAGE = (
    "Die Datei ist weder UTF-8 noch Windows-1252 kodiert – vermutlich ist es keine Textdatei. Bitte speichern Sie "
    "die Tabelle in Excel als „Excel-Arbeitsmappe (.xlsx)“ oder als „CSV UTF-8 (durch Trennzeichen getrennt)“."
)


class PartnerImportError(Exception):
    """The import was refused as a whole; the German message says why. Nothing has been saved."""


# ---------------------------------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------------------------------


class TableRow(NamedTuple):
    line: int  # as Excel shows it: the header is line 1 when it is the first row
    cells: list[str]


@dataclass
class ParsedTable:
    headers: list[str]
    rows: list[TableRow]
    filename: str = ""

    def to_json(self) -> dict:
        return {
            "headers": self.headers,
            "rows": [[row.line, row.cells] for row in self.rows],
            "filename": self.filename,
        }

    @classmethod
    def from_json(cls, data: dict) -> ParsedTable:
        return cls(
            headers=list(data["headers"]),
            rows=[TableRow(int(line), list(cells)) for line, cells in data["rows"]],
            filename=data.get("filename", ""),
        )


def german_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def read_table(upload) -> ParsedTable:
    """The first sheet of an .xlsx or a .csv file as text cells; German ValidationError for anything unusable."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(EXTENSIONS):
        raise ValidationError("Bitte eine Excel-Datei (.xlsx) oder eine CSV-Datei (.csv) hochladen.")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        megabytes = f"{size / 1_000_000:.1f}".replace(".", ",")
        raise ValidationError(f"Die Datei ist {megabytes} MB groß; erlaubt sind höchstens {MAX_BYTES // 1_000_000} MB.")
    upload.seek(0)
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(f"Die Datei ist größer als {MAX_BYTES // 1_000_000} MB; bitte teilen Sie sie auf.")
    if not raw.strip():
        raise ValidationError("Die Datei ist leer.")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            "Das ist eine ältere Excel-Datei (.xls) oder eine mit Kennwort geschützte Arbeitsmappe. Bitte öffnen Sie "
            "sie in Excel und speichern Sie sie ohne Kennwort als „Excel-Arbeitsmappe (.xlsx)“."
        )
    filename = name.rsplit("/", 1)[-1][:200]
    if raw.startswith(b"PK\x03\x04"):
        return _table_from_records(
            _xlsx_records(raw), filename=filename, empty="Das erste Tabellenblatt der Excel-Datei ist leer."
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise ValidationError("Die Datei endet auf .xlsx, ist aber keine Excel-Arbeitsmappe.")
    return _table_from_records(_csv_records(raw), filename=filename)


def _table_from_records(records, *, filename: str, empty: str = "Die Datei ist leer.") -> ParsedTable:
    records = [(line, cells) for line, cells in records if any(cells)]
    if not records:
        raise ValidationError(empty)
    # A title such as "Partnerliste Stand März" may stand above the headings: the header row is the first of the
    # first ten rows in which a name column is recognised (else simply the first row).
    start = next((i for i, (_, cells) in enumerate(records[:10]) if "name" in guess_mapping(cells)), 0)
    header_cells = records[start][1]
    width = min(max(i for i, cell in enumerate(header_cells) if cell) + 1, MAX_COLUMNS)
    headers = [header_cells[i] or f"Spalte {get_column_letter(i + 1)}" for i in range(width)]
    rows: list[TableRow] = []
    count = 0
    for line, cells in records[start + 1 :]:
        count += 1
        if count > MAX_ROWS:
            continue
        row = [cells[i] if i < len(cells) else "" for i in range(width)]
        if any(row):
            rows.append(TableRow(line, row))
    if count > MAX_ROWS:
        amount = f"mehr als {german_number(COUNT_LIMIT)}" if count >= COUNT_LIMIT else german_number(count)
        raise ValidationError(
            f"Die Datei enthält {amount} Zeilen; auf einmal lassen sich höchstens {german_number(MAX_ROWS)} "
            "Einrichtungen importieren. Bitte teilen Sie die Liste auf mehrere Dateien auf."
        )
    if not rows:
        raise ValidationError("Die Datei enthält nur die Kopfzeile, aber keine Einrichtungen.")
    return ParsedTable(headers=headers, rows=rows, filename=filename)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y" if value.time() == datetime.time(0) else "%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def _xlsx_records(raw: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some programs write wrong dimensions; read what is really there
        records = []
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            records.append((line, [_cell_text(value) for value in values[:MAX_COLUMNS]]))
            if len(records) > COUNT_LIMIT:
                break
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds (zip, XML, KeyError) for broken files
        raise ValidationError(
            "Die Excel-Datei lässt sich nicht lesen – ist sie beschädigt? Bitte öffnen Sie sie in Excel und speichern "
            "Sie sie erneut als „Excel-Arbeitsmappe (.xlsx)“."
        ) from error
    return records


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode-Text"
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationError(ENCODING_MESSAGE) from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n")
        if "\x00" in text or controls > len(text) // 100:
            raise ValidationError(ENCODING_MESSAGE)
        return text
    raise ValidationError(ENCODING_MESSAGE)


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(text[:10_000], delimiters=";,\t|").delimiter
    except csv.Error:
        return ";"  # a single column


def _csv_records(raw: bytes):
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    records = []
    try:
        for line, cells in enumerate(reader, start=1):
            records.append((line, [cell.strip() for cell in cells[:MAX_COLUMNS]]))
            if len(records) > COUNT_LIMIT:
                break
    except csv.Error as error:
        raise ValidationError(f"Die CSV-Datei ist in Zeile {len(records) + 1} nicht lesbar ({error}).") from error
    return records


# ---------------------------------------------------------------------------------------------------------------------
# Column mapping
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    headings: tuple[str, ...]  # normalised, see `normalise`
    prefixes: tuple[str, ...] = ()
    examples: str = ""  # for the help text on the upload page


def _target(key: str, label: str, headings: str, prefixes: str = "", *, examples: str) -> Target:
    return Target(key, label, tuple(headings.split()), tuple(prefixes.split()), examples)


# Headings are compared after `normalise` ("Straße + Hausnummer" → "strassehausnummer"): first exactly, then the
# prefixes for columns no exact heading took.
TARGETS: tuple[Target, ...] = (
    _target(
        "name",
        "Name der Einrichtung",
        "name einrichtung institution namedereinrichtung einrichtungsname nameeinrichtung organisation "
        "kooperationspartner partner bezeichnung",
        "namedereinrichtung",
        examples="Name, Einrichtung, Institution, Organisation",
    ),
    _target(
        "kind",
        "Organisationsform",
        "organisationsform rechtsform einrichtungsart artdereinrichtung art typ",
        examples="Organisationsform, Rechtsform",
    ),
    _target(
        "traeger",
        "Träger",
        "traeger traegerin traegerschaft traegerorganisation traegername",
        "traeger",
        examples="Träger, Trägerschaft",
    ),
    _target(
        "street",
        "Straße und Hausnummer",
        "strasse str adresse anschrift strasseundhausnummer strassehausnummer strasseundhausnr strassehausnr strassenr",
        "strasse anschrift adresse",
        examples="Straße, Strasse, Adresse, Anschrift – auch „Hauptstraße 5, 47051 Duisburg“ in einer Spalte",
    ),
    _target("house_number", "Hausnummer (eigene Spalte)", "hausnummer hausnr hnr nr", examples="Hausnummer"),
    _target("postcode", "PLZ", "plz postleitzahl", examples="PLZ, Postleitzahl"),
    _target("city", "Ort", "ort stadt wohnort gemeinde kommune", examples="Ort, Stadt"),
    _target(
        "postcode_city",
        "PLZ und Ort (eine Spalte)",
        "plzort plzundort plzstadt postleitzahlort postleitzahlundort",
        examples="PLZ/Ort",
    ),
    _target(
        "phone",
        "Telefon",
        "telefon tel telefonnummer telefonnr telnr fon rufnummer phone",
        "telefon",
        examples="Telefon, Tel.",
    ),
    _target("email", "E-Mail", "email mail emailadresse mailadresse", "email", examples="E-Mail, Mail"),
    _target(
        "website",
        "Webseite",
        "homepage webseite website internet internetseite internetadresse url web www",
        examples="Homepage, Webseite, Internet",
    ),
    _target(
        "sectors",
        "Handlungsfelder",
        "handlungsfeld handlungsfelder bereich bereiche sektor sektoren arbeitsfeld arbeitsfelder arbeitsbereich "
        "fachbereich",
        examples="Handlungsfeld, Bereich, Sektor – mehrere durch Komma oder Semikolon getrennt",
    ),
    _target(
        "description",
        "Kurzbeschreibung",
        "beschreibung kurzbeschreibung kurzprofil",
        examples="Beschreibung, Kurzbeschreibung",
    ),
    # Not "Ansprechpersonen": in our own export that column holds several people with their details.
    _target(
        "contact_name",
        "Ansprechperson",
        "ansprechpartner ansprechpartnerin ansprechperson kontakt kontaktperson nameansprechpartner "
        "nameansprechpartnerin nameansprechperson",
        examples="Ansprechpartner, Ansprechperson, Kontakt",
    ),
    _target(
        "contact_function",
        "Funktion der Ansprechperson",
        "funktion position rolle funktionansprechpartner funktionansprechperson",
        examples="Funktion, Position",
    ),
)
TARGET_BY_KEY = {target.key: target for target in TARGETS}
REQUIRED_TARGETS = ("name",)

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise(heading: str) -> str:
    """'E-Mail' → 'email', 'Straße + Hausnummer' → 'strassehausnummer', 'Ansprechpartner:in' → 'ansprechpartnerin'."""
    return re.sub(r"[^a-z0-9]", "", heading.lower().translate(_UMLAUTS))


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """{target field: column index} for the headings we recognise; each column is used at most once."""
    mapping: dict[str, int] = {}
    used: set[int] = set()
    names = [normalise(heading) for heading in headers]
    for index, name in enumerate(names):
        for target in TARGETS:
            if target.key not in mapping and name in target.headings:
                mapping[target.key] = index
                used.add(index)
                break
    for index, name in enumerate(names):
        if index in used or not name:
            continue
        for target in TARGETS:
            if target.key not in mapping and name.startswith(target.prefixes or ("\0",)):
                mapping[target.key] = index
                used.add(index)
                break
    return mapping


# ---------------------------------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------------------------------


@dataclass
class RowIssue:
    line: int | None  # None: about the file or the mapping as a whole
    field: str  # German label ("PLZ"); empty for duplicates
    message: str


@dataclass
class PreviewRow:
    line: int
    data: dict  # Partner fields for partner_create (without sectors)
    contact: dict | None
    sectors: list[Sector]
    status: str = "ok"  # ok | error | duplicate

    @property
    def address(self) -> str:
        place = " ".join(part for part in (self.data.get("postcode", ""), self.data.get("city", "")) if part)
        return ", ".join(part for part in (self.data.get("street", ""), place) if part)

    @property
    def kind_label(self) -> str:
        return str(Partner.Kind(self.data["kind"]).label) if self.data.get("kind") else ""

    @property
    def sector_names(self) -> str:
        return ", ".join(sector.name for sector in self.sectors)

    @property
    def contact_label(self) -> str:
        if not self.contact:
            return ""
        return (
            f"{self.contact['name']} ({self.contact['function']})" if self.contact["function"] else self.contact["name"]
        )


@dataclass
class ImportPreview:
    filename: str
    headers: list[str]
    mapping: dict[str, int]
    rows: list[PreviewRow] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    duplicates: list[RowIssue] = field(default_factory=list)

    @property
    def importable(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.status == "ok"]

    @property
    def count(self) -> int:
        return len(self.importable)

    @property
    def can_import(self) -> bool:
        return not self.errors and self.count > 0


_ADDRESS = re.compile(r"^(?P<street>.*?)[,\s]+(?:D-?\s*)?(?P<postcode>\d{5})\s+(?P<city>.+)$")
_POSTCODE_CITY = re.compile(r"^(?:D-?\s*)?(?P<postcode>\d+)\s+(?P<city>.+)$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_KIND_ALIASES = {
    "ev": Partner.Kind.VEREIN,
    "eingetragenerverein": Partner.Kind.VEREIN,
    "amt": Partner.Kind.AMT,
    "behoerde": Partner.Kind.AMT,
    "kindertagesstaette": Partner.Kind.KITA,
    "kindergarten": Partner.Kind.KITA,
    "kita": Partner.Kind.KITA,
    "arztpraxis": Partner.Kind.PRAXIS,
    "sonstiges": Partner.Kind.SONSTIGE,
    "gmbh": Partner.Kind.GGMBH,
}


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _postcode(value: str) -> str:
    value = re.sub(r"^D-?\s*", "", value.strip())
    # Excel drops the leading zero of PLZ 01067 … 09999 when the column holds numbers.
    return f"0{value}" if re.fullmatch(r"\d{4}", value) else value


def _kind(value: str) -> str | None:
    key = normalise(value)
    for kind in Partner.Kind:
        if key in {normalise(kind.value), normalise(str(kind.label))}:
            return kind.value
    alias = _KIND_ALIASES.get(key)
    return alias.value if alias else None


class _Sectors:
    """Matches "Jugendhilfe; Gesundheit" against the Handlungsfelder (name or slug, or a unique part of a name)."""

    def __init__(self):
        self.all = list(Sector.objects.all())
        self.exact = {}
        for sector in self.all:
            self.exact[sector.name.lower()] = sector
            self.exact[sector.slug.lower()] = sector

    def find(self, text: str) -> Sector | None:
        text = _collapse(text).lower()
        if text in self.exact:
            return self.exact[text]
        if len(text) >= 4:
            matches = [sector for sector in self.all if text in sector.name.lower()]
            if len(matches) == 1:
                return matches[0]
        return None

    def parse(self, value: str) -> tuple[list[Sector], list[str]]:
        found: list[Sector] = []
        unknown: list[str] = []
        for part in re.split(r"[;\n|]", value):
            # Names may contain commas themselves ("Ehrenamt, Sport und Kultur"): try the longest run first.
            pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
            start = 0
            while start < len(pieces):
                for end in range(len(pieces), start, -1):
                    sector = self.find(", ".join(pieces[start:end]))
                    if sector is not None:
                        if sector not in found:
                            found.append(sector)
                        start = end
                        break
                else:
                    unknown.append(pieces[start])
                    start += 1
        return found, unknown


def _cell(cells: list[str], mapping: dict[str, int], key: str) -> str:
    index = mapping.get(key)
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _build_row(cells: list[str], mapping: dict[str, int], sectors: _Sectors) -> tuple[dict, dict | None, list, list]:
    """Partner data, contact data, sectors and the problems found before model validation."""
    problems: list[tuple[str, str]] = []
    data: dict[str, str] = {"name": _collapse(_cell(cells, mapping, "name"))}
    for key in ("traeger", "city", "description"):
        if key in mapping:
            data[key] = _cell(cells, mapping, key)
    if "street" in mapping or "house_number" in mapping:
        data["street"] = _collapse(f"{_cell(cells, mapping, 'street')} {_cell(cells, mapping, 'house_number')}")
    if "postcode" in mapping:
        data["postcode"] = _postcode(_cell(cells, mapping, "postcode"))
    if "postcode_city" in mapping:
        combined = _cell(cells, mapping, "postcode_city")
        match = _POSTCODE_CITY.match(combined)
        if match:
            data["postcode"] = data.get("postcode") or _postcode(match["postcode"])
            data["city"] = data.get("city") or match["city"].strip()
        elif combined:
            data["city"] = data.get("city") or combined
    elif "street" in data and not {"postcode", "city"} & mapping.keys():
        match = _ADDRESS.match(data["street"])
        if match:  # "Hauptstraße 5, 47051 Duisburg" in one column
            data.update(street=match["street"].strip(" ,"), postcode=match["postcode"], city=match["city"].strip())
    if "phone" in mapping:
        data["phone"] = _collapse(_cell(cells, mapping, "phone"))
    if "email" in mapping:
        data["email"] = re.sub(r"^mailto:", "", _cell(cells, mapping, "email"), flags=re.IGNORECASE).strip()
    if "website" in mapping:
        website = _cell(cells, mapping, "website")
        data["website"] = f"https://{website}" if website and not _SCHEME.match(website) else website
    kind_text = _cell(cells, mapping, "kind")
    if kind_text:
        kind = _kind(kind_text)
        if kind is None:
            allowed = ", ".join(str(label) for label in Partner.Kind.labels)
            problems.append(
                ("Organisationsform", f"„{kind_text}“ ist keine bekannte Organisationsform. Möglich: {allowed}.")
            )
        else:
            data["kind"] = kind
    found, unknown = sectors.parse(_cell(cells, mapping, "sectors"))
    for text in unknown:
        known = ", ".join(sector.name for sector in sectors.all)
        problems.append(("Handlungsfelder", f"„{text}“ ist kein bekanntes Handlungsfeld. Bekannt sind: {known}."))
    contact = None
    contact_name = _collapse(_cell(cells, mapping, "contact_name"))
    contact_function = _collapse(_cell(cells, mapping, "contact_function"))
    if contact_name:
        contact = {
            "name": contact_name,
            "function": contact_function,
            "consent_internal": False,
            "consent_public": False,
        }
    elif contact_function:
        problems.append(("Ansprechperson", "Zur Funktion fehlt der Name der Ansprechperson."))
    return data, contact, found, problems


def _model_errors(error: ValidationError, model, prefix: str = "") -> list[tuple[str, str]]:
    result = []
    for name, messages in error.message_dict.items():
        label = "" if name == NON_FIELD_ERRORS else str(model._meta.get_field(name).verbose_name)
        label = f"{prefix}{label}" if prefix else label
        # One message per field: the field's own validator ("fünfstellige Postleitzahl") says it best; the length
        # check that also fails for "470511" would only repeat it.
        result.extend((label, message) for message in (messages if name == NON_FIELD_ERRORS else messages[:1]))
    return result


def _where(partner: Partner, network: Network, visible: set[int]) -> str:
    """The networks of an existing partner as this coordinator may know them (others are only counted)."""
    networks = [membership.network for membership in partner.memberships.all()]
    if any(n.pk == network.pk for n in networks):
        places = ["in diesem Netzwerk"]
    else:
        places = []
    places += sorted(n.name for n in networks if n.pk != network.pk and n.pk in visible)
    hidden = sum(1 for n in networks if n.pk != network.pk and n.pk not in visible)
    if hidden:
        places.append("einem weiteren Netzwerk" if hidden == 1 else f"{hidden} weiteren Netzwerken")
    if not places:
        places.append("ohne Netzwerk")
    if partner.archived_at:
        places.append("archiviert")
    return ", ".join(places)


def validate_rows(table: ParsedTable, mapping: dict[str, int], network: Network, *, user=None) -> ImportPreview:
    """Check every row as it would be saved, without saving anything; report errors and duplicates by line.

    `user` decides which other networks may be named in a duplicate message (the ones the user belongs to);
    without a user, other networks are only counted.
    """
    mapping = {key: index for key, index in mapping.items() if key in TARGET_BY_KEY and 0 <= index < len(table.headers)}
    preview = ImportPreview(filename=table.filename, headers=list(table.headers), mapping=mapping)
    missing = [TARGET_BY_KEY[key].label for key in REQUIRED_TARGETS if key not in mapping]
    if missing:
        for label in missing:
            preview.errors.append(
                RowIssue(None, label, f"Keine Spalte ist „{label}“ zugeordnet. Bitte wählen Sie die passende Spalte.")
            )
        return preview

    sectors = _Sectors()
    built = [(row.line, *_build_row(row.cells, mapping, sectors)) for row in table.rows]
    existing = Partner.objects.by_institution_key(
        {institution_key(data["name"], data.get("postcode", "")) for _, data, *_ in built}
    )
    visible = _visible_networks(user)
    seen: dict[tuple[str, str], int] = {}
    for line, data, contact, found, problems in built:
        row = PreviewRow(line=line, data=data, contact=contact, sectors=found)
        preview.rows.append(row)
        key = institution_key(data["name"], data.get("postcode", ""))
        if data["name"] and key in existing:
            partner = existing[key]
            row.status = "duplicate"
            preview.duplicates.append(
                RowIssue(line, "", f"bereits vorhanden: {partner.name} ({_where(partner, network, visible)})")
            )
            continue
        if data["name"] and key in seen:
            row.status = "duplicate"
            preview.duplicates.append(
                RowIssue(line, "", f"doppelt in der Datei: gleicher Name und PLZ wie Zeile {seen[key]}")
            )
            continue
        if data["name"]:
            seen[key] = line
        problems = list(problems)
        try:
            Partner(**data).full_clean(exclude=["search_vector"])
        except ValidationError as error:
            problems += _model_errors(error, Partner)
        if contact:
            try:
                ContactPerson(**contact).full_clean(exclude=["partner"])
            except ValidationError as error:
                problems += _model_errors(error, ContactPerson, prefix="Ansprechperson: ")
        if problems:
            row.status = "error"
            preview.errors.extend(RowIssue(line, label, message) for label, message in problems)
    return preview


def _visible_networks(user) -> set[int]:
    if user is None:
        return set()
    from praevnet.access import networks_of

    return {network.pk for network in networks_of(user)}


# ---------------------------------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def import_partners(
    *, preview: ImportPreview, network: Network, actor, membership_state: str = Membership.State.ACTIVE
) -> list[Partner]:
    """Create every new institution of a checked file as member of the network – all of them or none."""
    if preview.errors:
        count = len(preview.errors)
        raise PartnerImportError(
            f"Die Datei enthält noch {count} Fehler; es wurde nichts importiert. Bitte korrigieren Sie die Datei "
            "oder die Zuordnung der Spalten."
        )
    if not preview.importable:
        raise PartnerImportError("Die Datei enthält keine neuen Einrichtungen; es wurde nichts importiert.")
    # Two imports at the same time (a double click, two coordinators) would both pass the duplicate check made for
    # their preview: imports take turns, and each checks again once it has the lock.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
    keys = {institution_key(row.data["name"], row.data.get("postcode", "")): row for row in preview.importable}
    clash = next(iter(Partner.objects.by_institution_key(set(keys)).items()), None)
    if clash is not None:
        key, partner = clash
        raise PartnerImportError(
            f"Zeile {keys[key].line}: „{partner.name}“ wurde inzwischen angelegt. Bitte prüfen Sie die Vorschau "
            "erneut; es wurde nichts importiert."
        )
    created = []
    for row in preview.importable:
        contacts = [ChildChange(pk=None, data=row.contact)] if row.contact else []
        try:
            partner = partner_create(
                network=network,
                actor=actor,
                data={**row.data, "sectors": [sector.pk for sector in row.sectors]},
                contacts=contacts,
                membership_state=membership_state,
                check_duplicate=False,  # the whole file was checked above, under the lock
            )
        except ValidationError as error:
            raise PartnerImportError(
                f"Zeile {row.line}: {' '.join(error.messages)} Es wurde nichts importiert."
            ) from error
        created.append(partner)
    log_action(
        actor=actor,
        action="partner.import",
        network=network,
        data={"Zeilen": len(created), "Datei": preview.filename, "übersprungen (doppelt)": len(preview.duplicates)},
    )
    return created
