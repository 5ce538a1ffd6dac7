"""Uploads and downloads: check what people upload by its content, hand files out only as attachments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

KINDS: dict[str, tuple[bytes, str, str]] = {
    # kind: (leading bytes, MIME type, German name)
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    "pdf": (b"%PDF-", "application/pdf", "PDF"),
}


def validate_upload(upload, *, kinds: tuple[str, ...], max_bytes: int) -> str:
    """Return the kind of an uploaded file; German ValidationError when it is too large or not of an allowed kind."""
    names = " oder ".join(KINDS[k][2] for k in kinds)
    if upload.size > max_bytes:
        raise ValidationError(
            f"Die Datei ist {upload.size / 1_000_000:.1f} MB groß; erlaubt sind höchstens {max_bytes / 1_000_000:.0f} MB."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind in kinds:
        if head.startswith(KINDS[kind][0]):
            return kind
    raise ValidationError(f"Bitte eine {names}-Datei hochladen; diese Datei ist etwas anderes.")


def attachment_response(fieldfile: FieldFile | None, *, filename: str) -> FileResponse:
    """Serve a stored file as a download (never rendered by the browser as a page), 404 when there is none."""
    if not fieldfile:
        raise Http404("Keine Datei vorhanden.")
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404("Die Datei fehlt im Speicher.") from None
    head = handle.read(16)
    handle.seek(0)
    content_type = next((mime for sig, mime, _ in KINDS.values() if head.startswith(sig)), "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response
