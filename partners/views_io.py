"""Import and export of the partner register: upload → preview with column mapping → import; export as CSV/Excel.

Between upload and import the parsed table (text cells only, never the uploaded file) waits in a JSON file under
MEDIA_ROOT/imports/, named by a random id that only the uploader's session knows. The session is rewritten whenever
its idle clock restarts (praevnet.middleware.IdleSessionMiddleware), and a 5,000-row list is too large for that. The file is deleted after the
import, on cancel, on the next upload, and by any upload after a day.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import uuid

import django_tables2 as tables
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from partners.exporter import export_rows, to_csv, to_xlsx
from partners.filters import PartnerFilter
from partners.forms_io import ImportUploadForm, MappingForm
from partners.importer import (
    MAX_ROWS,
    TARGETS,
    ImportPreview,
    ParsedTable,
    PartnerImportError,
    german_number,
    guess_mapping,
    import_partners,
    validate_rows,
)
from partners.models import Membership, Network, Partner
from praevnet.access import Perm, network_view
from praevnet.audit import log_action

SESSION_KEY = "partner_import"
IMPORT_DIR = "imports"
STALE_AFTER = datetime.timedelta(days=1)
PREVIEW_ROWS = 50
LISTED_ISSUES = 200

# ---------------------------------------------------------------------------------------------------------------------
# Waiting tables
# ---------------------------------------------------------------------------------------------------------------------


def _path(token: str) -> str:
    return f"{IMPORT_DIR}/{uuid.UUID(token).hex}.json"


def store_table(table: ParsedTable) -> str:
    _remove_stale()
    token = uuid.uuid4().hex
    default_storage.save(_path(token), ContentFile(json.dumps(table.to_json(), ensure_ascii=False).encode("utf-8")))
    return token


def load_table(token: str) -> ParsedTable | None:
    try:
        with default_storage.open(_path(token), "rb") as handle:
            return ParsedTable.from_json(json.loads(handle.read().decode("utf-8")))
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None


def discard_table(token: str) -> None:
    with contextlib.suppress(ValueError):  # not a token we issued
        default_storage.delete(_path(token))


def _remove_stale() -> None:
    try:
        _, files = default_storage.listdir(IMPORT_DIR)
    except FileNotFoundError:
        return
    limit = timezone.now() - STALE_AFTER
    for name in files:
        path = f"{IMPORT_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except FileNotFoundError:
            continue


def _forget(request) -> None:
    state = request.session.pop(SESSION_KEY, None)
    if state and state.get("id"):
        discard_table(state["id"])


# ---------------------------------------------------------------------------------------------------------------------
# Tables of the preview page
# ---------------------------------------------------------------------------------------------------------------------

STATUS_BADGES = {
    "ok": ("text-bg-success", "neu"),
    "error": ("text-bg-danger", "Fehler"),
    "duplicate": ("text-bg-warning", "doppelt"),
}
# preview column → the mapping targets it shows
PREVIEW_COLUMNS = {
    "address": ("street", "house_number", "postcode", "city", "postcode_city"),
    "reach": ("phone", "email", "website"),
    "sectors": ("sectors",),
    "contact": ("contact_name",),
}
ROW_CLASSES = {"error": "table-danger", "duplicate": "table-warning"}


def _lines(*parts) -> str:
    """Non-empty parts, one per line, escaped."""
    parts = [part for part in parts if part]
    return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts)) if parts else "—"


class PreviewTable(tables.Table):
    line = tables.Column(verbose_name="Zeile", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})
    status = tables.Column(verbose_name="Prüfung")
    name = tables.Column(verbose_name="Einrichtung")
    address = tables.Column(verbose_name="Anschrift")
    reach = tables.Column(verbose_name="Telefon, E-Mail, Webseite")
    sectors = tables.Column(verbose_name="Handlungsfelder")
    contact = tables.Column(verbose_name="Ansprechperson")

    class Meta:
        attrs = {"class": "table table-sm align-middle small"}
        row_attrs = {"class": lambda record: ROW_CLASSES.get(record["status"], "")}
        orderable = False
        empty_text = "Keine Zeilen."
        default = "—"

    def render_status(self, value):
        css, label = STATUS_BADGES[value]
        return format_html('<span class="badge {}">{}</span>', css, label)

    def render_name(self, record):
        details = " · ".join(part for part in (record["kind"], record["traeger"]) if part)
        if not details:
            return record["name"] or "—"
        return format_html('{}<br><span class="text-body-secondary">{}</span>', record["name"] or "—", details)

    def render_address(self, record):
        return _lines(record["street"], record["place"])

    def render_reach(self, record):
        return _lines(record["phone"], record["email"], record["website"])


class IssueTable(tables.Table):
    line = tables.Column(verbose_name="Zeile", attrs={"td": {"class": "text-end"}, "th": {"class": "text-end"}})
    name = tables.Column(verbose_name="Einrichtung")
    field = tables.Column(verbose_name="Feld")
    message = tables.Column(verbose_name="Meldung")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}
        orderable = False
        default = "—"


def preview_table(preview: ImportPreview) -> PreviewTable:
    data = []
    for row in preview.rows[:PREVIEW_ROWS]:
        place = " ".join(part for part in (row.data.get("postcode", ""), row.data.get("city", "")) if part)
        data.append(
            {
                "line": row.line,
                "status": row.status,
                "name": row.data.get("name"),
                "kind": row.kind_label,
                "traeger": row.data.get("traeger"),
                "street": row.data.get("street"),
                "place": place,
                "address": row.address,
                "phone": row.data.get("phone"),
                "email": row.data.get("email"),
                "website": row.data.get("website"),
                "reach": row.data.get("phone") or row.data.get("email") or row.data.get("website"),
                "sectors": row.sector_names,
                "contact": row.contact_label,
            }
        )
    unmapped = [column for column, keys in PREVIEW_COLUMNS.items() if not set(keys) & preview.mapping.keys()]
    return PreviewTable(data, exclude=unmapped)


def issue_table(preview: ImportPreview, issues, *, with_field: bool = True) -> IssueTable:
    names = {row.line: row.data.get("name") for row in preview.rows}
    data = [
        {"line": issue.line, "name": names.get(issue.line), "field": issue.field, "message": issue.message}
        for issue in issues[:LISTED_ISSUES]
    ]
    return IssueTable(data, exclude=() if with_field else ("field",))


# ---------------------------------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------------------------------


@network_view(Perm.MANAGE_PARTNERS)
@require_http_methods(["GET", "POST"])
def import_upload(request, network: Network):
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            _forget(request)
            table = form.table
            request.session[SESSION_KEY] = {
                "id": store_table(table),
                "network": network.slug,
                "mapping": guess_mapping(table.headers),
                "membership_state": Membership.State.ACTIVE,
            }
            return redirect("partners:partner_import_preview", network=network.slug)
    else:
        form = ImportUploadForm()
    context = {"network": network, "form": form, "targets": TARGETS, "max_rows": german_number(MAX_ROWS)}
    return render(request, "partners/import_upload.html", context)


@network_view(Perm.MANAGE_PARTNERS)
@require_http_methods(["GET", "POST"])
def import_preview(request, network: Network):
    state = request.session.get(SESSION_KEY) or {}
    table = load_table(state["id"]) if state.get("network") == network.slug and state.get("id") else None
    if table is None:
        messages.info(request, "Bitte laden Sie zuerst eine Partnerliste hoch.")
        return redirect("partners:partner_import", network=network.slug)
    mapping = {key: int(index) for key, index in state.get("mapping", {}).items()}
    membership_state = state.get("membership_state", Membership.State.ACTIVE)

    if request.method == "POST":
        if "cancel" in request.POST:
            _forget(request)
            messages.info(request, "Der Import ist abgebrochen; es wurde nichts gespeichert.")
            return redirect("partners:partner_import", network=network.slug)
        form = MappingForm(request.POST, headers=table.headers)
        if not form.is_valid():
            return _render_preview(request, network, table, form, mapping, status=400)
        changed = form.mapping() != mapping or form.cleaned_data["membership_state"] != membership_state
        state.update(mapping=form.mapping(), membership_state=form.cleaned_data["membership_state"])
        request.session[SESSION_KEY] = state
        if "import" in request.POST and not changed:
            preview = validate_rows(table, mapping, network, user=request.user)
            try:
                created = import_partners(
                    preview=preview, network=network, actor=request.user, membership_state=membership_state
                )
            except PartnerImportError as error:
                messages.error(request, str(error))
                return redirect("partners:partner_import_preview", network=network.slug)
            _forget(request)
            count = len(created)
            text = f"{german_number(count)} Einrichtung{'en' if count != 1 else ''} importiert."
            skipped = len(preview.duplicates)
            if skipped == 1:
                text += " 1 doppelte Zeile wurde übersprungen."
            elif skipped:
                text += f" {german_number(skipped)} doppelte Zeilen wurden übersprungen."
            messages.success(request, text)
            return redirect("partners:partner_list", network=network.slug)
        if "import" in request.POST:
            messages.warning(
                request,
                "Sie haben die Zuordnung geändert. Bitte prüfen Sie die neue Vorschau und importieren Sie dann.",
            )
        return redirect("partners:partner_import_preview", network=network.slug)

    form = MappingForm(initial=MappingForm.initial_from(mapping, membership_state), headers=table.headers)
    return _render_preview(request, network, table, form, mapping)


def _render_preview(request, network, table, form, mapping, status=200):
    preview = validate_rows(table, mapping, network, user=request.user)
    context = {
        "network": network,
        "form": form,
        "preview": preview,
        "total": len(table.rows),
        "rows_table": preview_table(preview),
        "shown_rows": min(len(preview.rows), PREVIEW_ROWS),
        "error_table": issue_table(preview, preview.errors) if preview.errors else None,
        "more_errors": max(len(preview.errors) - LISTED_ISSUES, 0),
        "duplicate_table": issue_table(preview, preview.duplicates, with_field=False) if preview.duplicates else None,
        "more_duplicates": max(len(preview.duplicates) - LISTED_ISSUES, 0),
    }
    return render(request, "partners/import_preview.html", context, status=status)


# ---------------------------------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------------------------------

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_SORTS = {"name", "city", "profile_state", "updated"}


def export_queryset_for(request, network: Network):
    """The partners the list shows for the same GET parameters (filters and sort order, not the page)."""
    filterset = PartnerFilter(request.GET or None, queryset=Partner.objects.in_network(network), network=network)
    if filterset.is_bound and not filterset.is_valid():
        return Partner.objects.none()
    queryset = filterset.qs
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") in EXPORT_SORTS:
        queryset = queryset.order_by(sort, "name", "pk")
    return queryset


@network_view(Perm.MANAGE_PARTNERS)
@require_GET
def partner_export(request, network: Network, fmt: str):
    if fmt not in EXPORT_TYPES:
        raise Http404("Dieses Format gibt es nicht; möglich sind .csv und .xlsx.")
    headers, rows = export_rows(export_queryset_for(request, network), network=network)
    content = to_csv(headers, rows) if fmt == "csv" else to_xlsx(headers, rows, title="Kooperationspartner")
    filename = f"partner-{network.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    data = {"Liste": "Kooperationspartner", "Format": fmt, "Zeilen": len(rows)}
    filters = request.GET.urlencode()
    if filters:
        data["Filter"] = filters
    log_action(actor=request.user, action="data.export", network=network, data=data)
    return response
