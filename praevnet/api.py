"""What the read-only open-data APIs (HSDS offers, OParl meetings) share: query parameters checked in German."""

from __future__ import annotations


class BadRequest(Exception):
    """A query parameter the API cannot use; the message (German) goes to the caller with HTTP 400."""


def positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(f"„{name}“ muss eine ganze Zahl ab 1 sein.")
    value = int(raw)
    if maximum is not None and value > maximum:
        raise BadRequest(f"„{name}“ darf höchstens {maximum} sein.")
    return value
