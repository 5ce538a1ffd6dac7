"""DSGVO for contact persons: what praevnet stores about one person (Art. 15) and anonymising a contact (Art. 17).

Selectors collect; services write. A person is found by the contact record asked about and by its e-mail address
(case-insensitive) in every other contact record and in the user accounts. Given a network, only what that network
holds is collected, so that one network's coordination never learns about another network (see `contact_scope`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from partners.models import ContactPerson, Membership, Network, Partner
from partners.services import WorkflowError
from praevnet.audit import action_label, log_action
from praevnet.models import AuditEntry, NetworkRole, User

ANONYMISED_NAME = "Anonymisierte Person"
SCRUBBED = "[anonymisiert]"
# The label partners.services._save_children uses for contact lines in partner.update entries:
# 'Ansprechperson „Name“' (added/deleted) and 'Ansprechperson „Name“: Feld' (changed field).
CONTACT_LABEL = "Ansprechperson"

ABOUT = "betrifft die Person"
MENTIONS = "erwähnt die Person"
ACTED = "von der Person ausgeführt"
OTHER_PERSON = "(andere Person)"
PERSON_TYPES = {ContactPerson._meta.label, User._meta.label, NetworkRole._meta.label}

HINWEIS = (
    "Auskunft nach Art. 15 DSGVO. Die Datei enthält, was praevnet über die Person speichert: ihre Einträge als "
    "Ansprechperson (der angefragte Eintrag und jeder weitere mit derselben E-Mail-Adresse, ohne Rücksicht auf "
    "Groß- und Kleinschreibung), ihr Benutzerkonto mit derselben Adresse samt Rollen je Netzwerk und die Einträge "
    "im Änderungsprotokoll, die sie betreffen, sie erwähnen oder die sie selbst ausgeführt hat – jeweils mit "
    "Zeitpunkt. Bei Einträgen, die die Person nur ausgeführt hat, fehlen die Einzelheiten und die Namen anderer "
    "Personen, weil sie Daten Dritter enthalten (Art. 15 Abs. 4 DSGVO); bei Erwähnungen stehen nur die Zeilen zur "
    "Person. Nicht enthalten: das Passwort (nur als nicht umkehrbarer Prüfwert gespeichert), die Schlüssel der "
    "Zwei-Faktor-Anmeldung und technische Sitzungsdaten."
)
HINWEIS_NETWORK = (
    "Umfang: nur Daten im Netzwerk „{network}“. Einträge in anderen Netzwerken und Anmeldedaten des Benutzerkontos "
    "stellt auf Anfrage die Systemadministration zusammen."
)


# ---------------------------------------------------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------------------------------------------------


def contacts_in_network(network: Network) -> QuerySet[ContactPerson]:
    """Contact persons of the network's member institutions: the only ones a network page may look up."""
    return ContactPerson.objects.filter(partner__memberships__network=network).select_related("partner")


@dataclass
class Finding:
    """One audit entry that concerns the person, why it does, and the details that may be shown."""

    entry: AuditEntry
    relations: list[str]
    details: dict[str, Any] | None
    object_label: str


@dataclass
class ContactFindings:
    """Everything found about one person, as model objects; `contact_person_data` turns it into the export."""

    contact: ContactPerson
    network: Network | None
    contacts: list[ContactPerson]
    user: User | None
    roles: list[NetworkRole]
    findings: list[Finding]
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def other_contacts(self) -> list[ContactPerson]:
        return [c for c in self.contacts if c.pk != self.contact.pk]

    def count(self, relation: str) -> int:
        return sum(relation in f.relations for f in self.findings)


def _field_label(name: str) -> str:
    return str(ContactPerson._meta.get_field(name).verbose_name)


def _contact_key_prefixes(names: set[str]) -> tuple[str, ...]:
    return tuple(f"{CONTACT_LABEL} „{name}“" for name in names if name)


def _is_contact_key(key: str, prefixes: tuple[str, ...]) -> bool:
    return any(key == prefix or key.startswith(f"{prefix}: ") for prefix in prefixes)


def contact_history(contact: ContactPerson, entries: list[AuditEntry]) -> tuple[set[str], set[str], set[str]]:
    """The names, e-mail addresses and phone numbers the contact has had, read from its institution's history.

    A change line is keyed by the name after the change ('Ansprechperson „Neu“: Name' → [alt, neu]), so earlier
    names are found by following renames back from the current one.
    """
    names = {contact.name} if contact.name else set()
    emails = {contact.email} if contact.email else set()
    phones = {contact.phone} if contact.phone else set()
    targets = {_field_label("name"): names, _field_label("email"): emails, _field_label("phone"): phones}
    changed = True
    while changed:
        changed = False
        prefixes = _contact_key_prefixes(names)
        for entry in entries:
            for key, value in (entry.data or {}).items():
                if not isinstance(value, list) or not _is_contact_key(key, prefixes) or ": " not in key:
                    continue
                target = targets.get(key.rsplit(": ", 1)[1])
                if target is None:
                    continue
                for item in value:
                    if isinstance(item, str) and item and item not in target:
                        target.add(item)
                        changed = True
    return names, emails, phones


def _email_pattern(email: str) -> re.Pattern | None:
    if not email:
        return None
    return re.compile(rf"(?<![\w.+-]){re.escape(email)}(?![\w.-])", re.IGNORECASE)


def _mentions(value: Any, pattern: re.Pattern | None) -> bool:
    if pattern is None:
        return False
    if isinstance(value, str):
        return bool(pattern.search(value))
    if isinstance(value, list):
        return any(_mentions(item, pattern) for item in value)
    if isinstance(value, dict):
        return any(_mentions(k, pattern) or _mentions(v, pattern) for k, v in value.items())
    return False


def _visible(data: dict) -> dict:
    return {key: value for key, value in (data or {}).items() if not key.startswith("_")}


def _collect(*, contact: ContactPerson, network: Network | None) -> ContactFindings:
    email = contact.email.strip()
    contacts_qs = ContactPerson.objects.filter(Q(pk=contact.pk) | Q(email__iexact=email) if email else Q(pk=contact.pk))
    if network is not None:
        contacts_qs = contacts_qs.filter(Q(pk=contact.pk) | Q(partner__memberships__network=network))
    contacts = sorted(
        contacts_qs.distinct()
        .select_related("partner")
        .prefetch_related(
            Prefetch("partner__memberships", queryset=Membership.objects.select_related("network").order_by("pk"))
        ),
        key=lambda c: (c.pk != contact.pk, c.pk),
    )

    user = User.objects.filter(email__iexact=email).first() if email else None
    all_roles = (
        list(NetworkRole.objects.filter(user=user).select_related("network", "partner").order_by("network__name"))
        if user
        else []
    )
    roles = [role for role in all_roles if network is None or role.network_id == network.pk]
    if network is not None and not roles:
        user = None  # an account without a role here belongs to other networks: not this network's business
        all_roles = []

    # Audit entries: about one of the records, by the person, or mentioning the person.
    contact_ids = {str(c.pk) for c in contacts}
    partner_ids = {str(c.partner_id) for c in contacts}
    about_q = Q(object_type=ContactPerson._meta.label, object_id__in=contact_ids)
    if user is not None:
        about_q |= Q(object_type=User._meta.label, object_id=str(user.pk))
        about_q |= Q(object_type=NetworkRole._meta.label, object_id__in=[str(r.pk) for r in all_roles])
    wanted = about_q | Q(object_type=Partner._meta.label, object_id__in=partner_ids)
    if user is not None:
        wanted |= Q(actor=user)
    if email:
        wanted |= Q(data__icontains=email)
    entries = AuditEntry.objects.filter(wanted).select_related("network").order_by("created", "id")
    if network is not None:
        entries = entries.filter(network=network)
    entries = list(entries)

    # The names a contact had are read from its institution's whole history, whichever network it was edited in.
    history = AuditEntry.objects.filter(object_type=Partner._meta.label, object_id__in=partner_ids).order_by("-id")
    history_by_partner: dict[str, list[AuditEntry]] = {}
    for entry in history:
        history_by_partner.setdefault(entry.object_id, []).append(entry)
    prefixes_by_partner: dict[str, tuple[str, ...]] = {}
    for c in contacts:
        names, _, _ = contact_history(c, history_by_partner.get(str(c.partner_id), []))
        prefixes_by_partner[str(c.partner_id)] = prefixes_by_partner.get(str(c.partner_id), ()) + (
            _contact_key_prefixes(names)
        )
    email_pattern = _email_pattern(email)

    findings = []
    person_ids = {
        ContactPerson._meta.label: contact_ids,
        User._meta.label: {str(user.pk)} if user else set(),
        NetworkRole._meta.label: {str(r.pk) for r in all_roles},
    }
    for entry in entries:
        relations = []
        about = entry.object_id in person_ids.get(entry.object_type, set())
        prefixes = prefixes_by_partner.get(entry.object_id, ()) if entry.object_type == Partner._meta.label else ()
        mentioned = {
            key: value
            for key, value in _visible(entry.data).items()
            if _is_contact_key(key, prefixes) or _mentions(key, email_pattern) or _mentions(value, email_pattern)
        }
        if about:
            relations.append(ABOUT)
        elif mentioned:
            relations.append(MENTIONS)
        if user is not None and entry.actor_id == user.pk:
            relations.append(ACTED)
        if not relations:
            continue
        if about or (mentioned and not entry.object_type):
            details = _visible(entry.data)  # about the person (or no object at all, e.g. a failed login)
        elif mentioned:
            details = mentioned
        else:
            details = None  # only acted: the details may be about other people
        label = entry.object_label
        if not about and not mentioned and entry.object_type in PERSON_TYPES:
            label = OTHER_PERSON  # she only acted on someone else's record
        findings.append(Finding(entry=entry, relations=relations, details=details, object_label=label))

    extras: dict[str, Any] = {}
    if network is None and user is not None:
        extras = _account_extras(user)
    return ContactFindings(
        contact=contact, network=network, contacts=contacts, user=user, roles=roles, findings=findings, extras=extras
    )


def _account_extras(user: User) -> dict[str, Any]:
    """Installation-wide records of the account: second-factor devices (names only) and counted failed logins."""
    from axes.models import AccessAttempt
    from django_otp import devices_for_user

    kinds = {"totpdevice": "Authenticator-App", "staticdevice": "Notfallcodes"}
    devices = [
        {
            "Art": kinds.get(device._meta.model_name, device._meta.model_name),
            "Name": device.name,
            "bestätigt": bool(device.confirmed),
        }
        for device in devices_for_user(user, confirmed=None)
    ]
    attempts = [
        {
            "Zeitpunkt": _iso(attempt.attempt_time),
            "IP-Adresse": attempt.ip_address,
            "Browser": attempt.user_agent,
            "Fehlversuche": attempt.failures_since_start,
        }
        for attempt in AccessAttempt.objects.filter(username__iexact=user.email).order_by("attempt_time")
    ]
    return {"Zwei-Faktor-Geräte": devices, "Gezählte Fehlanmeldungen": attempts}


def contact_privacy_summary(*, contact: ContactPerson, network: Network | None) -> ContactFindings:
    """What the Datenschutz page counts and lists; the same collection as the export, in the same scope."""
    return _collect(contact=contact, network=network)


def _iso(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds") if hasattr(value, "hour") else value.isoformat()


def _contact_dict(c: ContactPerson, *, asked: ContactPerson, network: Network | None) -> dict:
    networks = [m.network.name for m in c.partner.memberships.all() if network is None or m.network_id == network.pk]
    return {
        "ID": c.pk,
        "gefunden über": "angefragter Eintrag" if c.pk == asked.pk else "dieselbe E-Mail-Adresse",
        "Einrichtung": c.partner.name,
        "Netzwerke der Einrichtung": networks,
        "Name": c.name,
        "Funktion": c.function,
        "Telefon": c.phone,
        "E-Mail": c.email,
        "Einwilligung: im internen Verzeichnis zeigen": c.consent_internal,
        "Einwilligung: öffentlich zeigen": c.consent_public,
        "anonymisiert am": _iso(c.anonymised_at),
    }


def contact_person_data(*, contact: ContactPerson, network: Network | None = None) -> dict:
    """Everything praevnet stores about the person behind `contact` (Art. 15 DSGVO), JSON-ready with German keys.

    Without `network` the whole installation is searched (system administration); with it, only what that network
    holds: contact records of its member institutions, the roles in it and its audit entries.
    """
    found = _collect(contact=contact, network=network)
    data: dict[str, Any] = {
        "Hinweis": HINWEIS if network is None else f"{HINWEIS} {HINWEIS_NETWORK.format(network=network.name)}",
        "Umfang": "alle Netzwerke" if network is None else f"Netzwerk „{network.name}“",
        "erstellt am": _iso(timezone.now()),
        "Einträge als Ansprechperson": [_contact_dict(c, asked=contact, network=network) for c in found.contacts],
        "Benutzerkonto": None,
        "Protokolleinträge": [
            {
                "Zeitpunkt": _iso(f.entry.created),
                "Netzwerk": f.entry.network.name if f.entry.network else None,
                "Aktion": action_label(f.entry.action),
                "Bezug": f.relations,
                "Objektart": f.entry.object_type,
                "Objekt": f.object_label,
                "Einzelheiten": f.details,
            }
            for f in found.findings
        ],
    }
    user = found.user
    if user is not None:
        data["Benutzerkonto"] = {
            "E-Mail": user.email,
            "Anrede/Titel": user.title,
            "Vorname": user.first_name,
            "Nachname": user.last_name,
            "Telefon": user.phone,
            "aktiv": user.is_active,
            "angelegt am": _iso(user.date_joined),
            "letzte Anmeldung": _iso(user.last_login),
            "Rollen": [
                {
                    "Netzwerk": role.network.name,
                    "Rolle": role.get_role_display(),
                    "Einrichtung": role.partner.name if role.partner else None,
                    "Funktion": role.function,
                    "seit": _iso(role.created),
                }
                for role in found.roles
            ],
            **found.extras,
        }
    return data


# ---------------------------------------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def contact_export(*, contact: ContactPerson, network: Network, actor, all_networks: bool = False) -> bytes:
    """The person's data as pretty UTF-8 JSON; the audit entry records that (and how much) was exported, not what."""
    data = contact_person_data(contact=contact, network=None if all_networks else network)
    log_action(
        actor=actor,
        action="contact.export",
        network=network,
        obj=contact,
        data={
            "Umfang": "alle Netzwerke" if all_networks else "dieses Netzwerk",
            "Einträge als Ansprechperson": len(data["Einträge als Ansprechperson"]),
            "Benutzerkonto": "ja" if data["Benutzerkonto"] else "nein",
            "Protokolleinträge": len(data["Protokolleinträge"]),
        },
    )
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _scrub_pattern(strings: set[str]) -> re.Pattern | None:
    strings = {s.strip() for s in strings if s and s.strip()}
    if not strings:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(strings, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _scrub(value: Any, pattern: re.Pattern) -> Any:
    if isinstance(value, str):
        return pattern.sub(SCRUBBED, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {_scrub(key, pattern): _scrub(item, pattern) for key, item in value.items()}
    return value


def _scrub_audit(contact: ContactPerson, history: list[AuditEntry], names, emails, phones) -> int:
    """Replace the person's names, addresses and numbers in the entries about this contact; return how many changed.

    The entries themselves stay (who changed what when); only the personal strings inside them are replaced. This
    is the one edit audit entries ever get: the right to erasure outweighs the unchanged wording of the log.
    """
    pattern = _scrub_pattern(names | emails | phones)
    if pattern is None:
        return 0
    prefixes = _contact_key_prefixes(names)
    changed = 0
    own = AuditEntry.objects.filter(object_type=ContactPerson._meta.label, object_id=str(contact.pk))
    for entry in [*own, *history]:
        if entry.object_type == ContactPerson._meta.label:
            data = _scrub(entry.data or {}, pattern)
            label = SCRUBBED if entry.object_label in names else pattern.sub(SCRUBBED, entry.object_label)
        else:  # an institution's entry: only the lines about this contact
            data = {
                (_scrub(key, pattern) if _is_contact_key(key, prefixes) else key): (
                    _scrub(value, pattern) if _is_contact_key(key, prefixes) else value
                )
                for key, value in (entry.data or {}).items()
            }
            label = entry.object_label
        if data != entry.data or label != entry.object_label:
            AuditEntry.objects.filter(pk=entry.pk).update(data=data, object_label=label)
            changed += 1
    return changed


@transaction.atomic
def contact_anonymise(*, contact: ContactPerson, network: Network, actor) -> ContactPerson:
    """Anonymise one contact person (Art. 17 DSGVO): only this ContactPerson row and old audit wording change.

    Name becomes „Anonymisierte Person“; phone, e-mail and both consents are cleared; `anonymised_at` is set. The
    function (e.g. "Leitung") stays: it describes the post at the institution, not the person, and tells the
    coordination which post needs a new contact; any of the person's names or addresses inside it are replaced.

    Signed cooperation agreements stay intact. Their signature records keep the signer's name as typed at signing
    time, next to the SHA-256 of the signed text: that name is part of the signed legal record, kept to establish
    and defend legal claims and for archiving in the public interest (Art. 17 Abs. 3 lit. b und e DSGVO). This
    function never touches them – nor any other model: no delete, no cascade, only this row is saved. The user
    account with the same address and other contact records with it are not changed either.

    Earlier audit entries about this contact (its own entries and the lines about it in its institution's
    history) keep what happened and when, with the person's former names, addresses and numbers replaced by
    „[anonymisiert]“. Raises WorkflowError when the contact is already anonymised.
    """
    contact = ContactPerson.objects.select_for_update().select_related("partner").get(pk=contact.pk)
    if contact.anonymised_at is not None:
        raise WorkflowError("Diese Ansprechperson ist bereits anonymisiert.")
    history = list(
        AuditEntry.objects.filter(object_type=Partner._meta.label, object_id=str(contact.partner_id)).order_by("-id")
    )
    names, emails, phones = contact_history(contact, history)
    pattern = _scrub_pattern(names | emails | phones)

    contact.name = ANONYMISED_NAME
    contact.function = pattern.sub(SCRUBBED, contact.function) if pattern else contact.function
    contact.phone = ""
    contact.email = ""
    contact.consent_internal = False
    contact.consent_public = False
    contact.anonymised_at = timezone.now()
    contact.full_clean(exclude=["partner"])
    contact.save(
        update_fields=["name", "function", "phone", "email", "consent_internal", "consent_public", "anonymised_at"]
    )

    scrubbed = _scrub_audit(contact, history, names, emails, phones)
    log_action(
        actor=actor,
        action="contact.anonymise",
        network=network,
        obj=contact,
        data={"bereinigte Protokolleinträge": scrubbed},
    )
    return contact
