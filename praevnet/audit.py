"""Audit trail: every service that changes something records one entry here."""

from __future__ import annotations

from typing import Any

from django.db import models

from praevnet.models import AuditEntry

# German labels of the recorded actions. Apps with workflows of their own add theirs in AppConfig.ready()
# (ACTION_LABELS.update(...)), so this file does not grow with every app.
ACTION_LABELS: dict[str, str] = {
    "auth.login": "Anmeldung",
    "auth.logout": "Abmeldung",
    "auth.login_failed": "Anmeldung fehlgeschlagen",
    "auth.2fa_enable": "Zwei-Faktor-Anmeldung eingerichtet",
    "auth.2fa_disable": "Zwei-Faktor-Anmeldung ausgeschaltet",
    "user.update_profile": "eigene Angaben geändert",
    "network.update": "Netzwerk geändert",
    "role.assign": "Rolle vergeben",
    "role.change": "Rolle geändert",
    "role.remove": "Rolle entzogen",
    "data.export": "Daten exportiert",
    "partner.create": "Einrichtung angelegt",
    "partner.update": "Profil geändert",
    "partner.submit": "Profil zur Prüfung eingereicht",
    "partner.approve": "Profil geprüft",
    "partner.return": "Profil zurückgegeben",
    "partner.archive": "Einrichtung archiviert",
    "partner.restore": "Einrichtung wiederhergestellt",
    "partner.import": "Einrichtungen importiert",
    "membership.join": "vorhandene Einrichtung aufgenommen",
    "contact.export": "Daten einer Person exportiert",
    "contact.anonymise": "Ansprechperson anonymisiert",
    "template.create": "Vereinbarungsvorlage angelegt",
    "template.update": "Vereinbarungsvorlage geändert",
    "template.publish": "Vereinbarungsvorlage veröffentlicht",
    "agreement.invite": "zur Unterzeichnung eingeladen",
    "agreement.sign": "Vereinbarung vom Partner unterzeichnet",
    "agreement.countersign": "Vereinbarung gegengezeichnet",
    "agreement.paper": "Papier-Vereinbarung erfasst",
    "agreement.terminate": "Vereinbarung gekündigt",
    "agreement.end": "Vereinbarung beendet",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def log_action(
    *, actor, action: str, network=None, obj: models.Model | None = None, data: dict | None = None
) -> AuditEntry:
    """Record that `actor` did `action` (e.g. "network.update") to `obj` in `network`."""
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=(str(actor) if actor else "System")[:200],
        network=network,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:300] if obj is not None else "",
        data=_jsonable(data or {}),
    )


def changes(instance: models.Model, fields: list[str], before: dict[str, Any]) -> dict[str, list[str]]:
    """{German field label: [old, new]} for the fields whose value differs from `before`, as people read them."""
    diff = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            field = instance._meta.get_field(name)
            diff[str(field.verbose_name)] = [_display(old, field), _display(new, field)]
    return diff


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def _display(value: Any, field: models.Field | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):  # an ArrayField: its items as their labels
        return ", ".join(_display(item, getattr(field, "base_field", None)) for item in value) or "nichts"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if hasattr(value, "strftime") and hasattr(value, "hour") and not hasattr(value, "day"):
        return value.strftime("%H:%M")
    if hasattr(value, "strftime") and not hasattr(value, "hour"):
        return value.strftime("%d.%m.%Y")
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _jsonable(data: dict) -> dict:
    return {
        key: value if isinstance(value, str | int | float | bool | list | dict | None) else str(value)
        for key, value in data.items()
    }
