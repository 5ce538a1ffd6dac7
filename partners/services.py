"""Workflows on networks and partners: every change goes through one of these functions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from partners.models import ContactPerson, Membership, Network, Offer, Partner, institution_key
from praevnet.audit import changes, log_action, snapshot
from praevnet.models import AuditEntry

changes_of = changes

NETWORK_EDITABLE_FIELDS = [
    "jugendamt",
    "focus",
    "since",
    "leitbild",
    "contact_email",
    "contact_phone",
    "meeting_place",
    "meeting_weekday",
    "meeting_start",
    "meeting_minutes",
    "meeting_rhythm",
    "logo",
    *Network.PROFILE_FIELDS,  # the network profile (inhabitants, fields of action, what the public page shows …)
]


@transaction.atomic
def network_update(*, network: Network, actor, data: dict) -> Network:
    """Change a network's own settings (what coordinators may edit) and record the change."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    before = snapshot(network, NETWORK_EDITABLE_FIELDS)
    for name in NETWORK_EDITABLE_FIELDS:
        if name in data:
            setattr(network, name, data[name])
    # the public page shows its sections in the page's order, whatever order the form sent
    network.public_sections = [s for s in Network.PublicSection.values if s in (network.public_sections or [])]
    network.full_clean()
    network.save()
    diff = changes(network, NETWORK_EDITABLE_FIELDS, before)
    if diff:
        log_action(actor=actor, action="network.update", network=network, obj=network, data=diff)
    return network


# ---------------------------------------------------------------------------------------------------------------------
# Partner register
# ---------------------------------------------------------------------------------------------------------------------

PARTNER_FIELDS = (
    "name",
    "kind",
    "traeger",
    "street",
    "postcode",
    "city",
    "phone",
    "email",
    "website",
    "description",
    "accessibility",
    "accessibility_note",
)
PARTNER_M2M = ("sectors", "districts", "languages")
CONTACT_FIELDS = ("name", "function", "phone", "email", "consent_internal", "consent_public")
OFFER_FIELDS = ("title", "description", "cost", "cost_note", "published")
OFFER_M2M = ("life_stages", "access_routes", "districts", "languages")


class ConflictError(Exception):
    """Someone else saved the profile after it was opened; `entries` say who changed what meanwhile."""

    def __init__(self, entries):
        super().__init__("Das Profil wurde inzwischen von jemand anderem geändert.")
        self.entries = list(entries)


class WorkflowError(Exception):
    """A state change that is not allowed now, with a German reason."""


class DuplicatePartnerError(WorkflowError):
    """The institution (same name and postcode) is already registered; `partner` is the existing entry."""

    def __init__(self, partner: Partner, network: Network):
        self.partner = partner
        self.is_member = any(m.network_id == network.pk for m in partner.memberships.all())
        where = "in diesem Netzwerk" if self.is_member else "in praevnet (in einem anderen Netzwerk)"
        super().__init__(
            f"„{partner.name}“ mit der PLZ {partner.postcode or '–'} ist bereits {where} registriert. "
            "Jede Einrichtung hat ein gemeinsames Profil, sie wird nicht doppelt angelegt."
        )


@dataclass
class ChildChange:
    """One row of an inline list (contact person or offer): new (pk None), changed, or to delete."""

    pk: int | None
    data: dict
    delete: bool = False


def _m2m_names(instance, name: str) -> list[str]:
    return sorted(str(item) for item in getattr(instance, name).all())


def _apply(instance, fields, data: dict) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _audit_partner(*, actor, network, partner, action: str, diff: dict, version: int | None = None) -> None:
    data = dict(diff)
    if version is not None:
        data["_version"] = version
    log_action(actor=actor, action=action, network=network, obj=partner, data=data)


def _save_children(*, partner, network, actor, model, fields, m2m, changes: list[ChildChange], label: str) -> dict:
    """Create, update and delete contact persons or offers of one partner; return the audit diff lines."""
    diff: dict[str, list[str]] = {}
    existing = {obj.pk: obj for obj in model.objects.filter(partner=partner)}
    for change in changes:
        if change.pk is not None and change.pk not in existing:
            raise WorkflowError(f"{label} gehört nicht zu dieser Einrichtung.")
        obj = existing.get(change.pk) if change.pk else model(partner=partner)
        title = str(change.data.get(fields[0]) or obj)
        if change.delete:
            if obj.pk:
                diff[f"{label} „{obj}“"] = [str(obj), "(gelöscht)"]
                obj.delete()
            continue
        before = snapshot(obj, fields) if obj.pk else {}
        before_m2m = {name: _m2m_names(obj, name) for name in m2m} if obj.pk else {}
        _apply(obj, fields, change.data)
        obj.full_clean(exclude=["partner"])
        obj.save()
        for name in m2m:
            if name in change.data:
                getattr(obj, name).set(change.data[name])
        if not before:
            diff[f"{label} „{title}“"] = ["", "(neu)"]
            continue
        for key, value in changes_of(obj, fields, before).items():
            diff[f"{label} „{title}“: {key}"] = value
        for name in m2m:
            after = _m2m_names(obj, name)
            if after != before_m2m[name]:
                field_label = str(model._meta.get_field(name).verbose_name)
                diff[f"{label} „{title}“: {field_label}"] = [", ".join(before_m2m[name]), ", ".join(after)]
    return diff


def _save_contacts_and_offers(*, partner, network, actor, contacts, offers) -> dict:
    diff = _save_children(
        partner=partner,
        network=network,
        actor=actor,
        model=ContactPerson,
        fields=CONTACT_FIELDS,
        m2m=(),
        changes=list(contacts),
        label="Ansprechperson",
    )
    diff.update(
        _save_children(
            partner=partner,
            network=network,
            actor=actor,
            model=Offer,
            fields=OFFER_FIELDS,
            m2m=OFFER_M2M,
            changes=list(offers),
            label="Angebot",
        )
    )
    return diff


@transaction.atomic
def partner_create(
    *,
    network: Network,
    actor,
    data: dict,
    contacts: list[ChildChange] = (),
    offers: list[ChildChange] = (),
    membership_state: str = Membership.State.ACTIVE,
    member_since=None,
    check_duplicate: bool = True,
) -> Partner:
    """Register a new partner institution as member of the network, with its contact persons and offers.

    Refuses an institution that is already registered (same name and postcode) with DuplicatePartnerError;
    the import checks a whole file at once and passes `check_duplicate=False`.
    """
    if check_duplicate:
        key = institution_key(data.get("name") or "", data.get("postcode") or "")
        existing = Partner.objects.by_institution_key({key}).get(key)
        if existing is not None:
            raise DuplicatePartnerError(existing, network)
    partner = Partner()
    _apply(partner, PARTNER_FIELDS, data)
    partner.full_clean(exclude=["search_vector"])
    partner.save()
    for name in PARTNER_M2M:
        if name in data:
            getattr(partner, name).set(data[name])
    membership = Membership(partner=partner, network=network, state=membership_state, since=member_since)
    membership.full_clean()
    membership.save()
    _save_contacts_and_offers(partner=partner, network=network, actor=actor, contacts=contacts, offers=offers)
    _audit_partner(actor=actor, network=network, partner=partner, action="partner.create", diff={}, version=1)
    return partner


@transaction.atomic
def membership_join(
    *, network: Network, partner: Partner, actor, state: str = Membership.State.INVITED, since=None
) -> Membership:
    """Make an institution that is registered already (in another network) a member of this network as well."""
    if Membership.objects.filter(network=network, partner=partner).exists():
        raise WorkflowError(f"„{partner.name}“ ist bereits Mitglied in diesem Netzwerk.")
    if partner.archived_at:
        raise WorkflowError(f"„{partner.name}“ ist archiviert und kann nicht aufgenommen werden.")
    membership = Membership(partner=partner, network=network, state=state, since=since)
    membership.full_clean()
    membership.save()
    log_action(
        actor=actor,
        action="membership.join",
        network=network,
        obj=partner,
        data={"Mitgliedschaft": ["", membership.get_state_display()]},
    )
    return membership


@transaction.atomic
def partner_update(
    *,
    partner: Partner,
    network: Network,
    actor,
    data: dict,
    version: int,
    contacts: list[ChildChange] = (),
    offers: list[ChildChange] = (),
) -> Partner:
    """Save the Einrichtungsprofil unless someone else saved it since `version` was read (then ConflictError)."""
    locked = Partner.objects.select_for_update().get(pk=partner.pk)
    if locked.version != version:
        raise ConflictError(
            AuditEntry.objects.filter(
                object_type="partners.Partner", object_id=str(partner.pk), data___version__gt=version
            ).order_by("created")
        )
    before = snapshot(locked, PARTNER_FIELDS)
    before_m2m = {name: _m2m_names(locked, name) for name in PARTNER_M2M}
    _apply(locked, PARTNER_FIELDS, data)
    locked.version = version + 1
    locked.full_clean(exclude=["search_vector"])
    locked.save()
    diff = changes_of(locked, PARTNER_FIELDS, before)
    for name in PARTNER_M2M:
        if name in data:
            getattr(locked, name).set(data[name])
            after = _m2m_names(locked, name)
            if after != before_m2m[name]:
                diff[str(Partner._meta.get_field(name).verbose_name)] = [", ".join(before_m2m[name]), ", ".join(after)]
    diff.update(
        _save_contacts_and_offers(partner=locked, network=network, actor=actor, contacts=contacts, offers=offers)
    )
    _audit_partner(
        actor=actor, network=network, partner=locked, action="partner.update", diff=diff, version=locked.version
    )
    return locked


@transaction.atomic
def partner_submit(*, partner: Partner, network: Network, actor) -> Partner:
    """The partner hands its profile to the coordination for review (Entwurf → eingereicht)."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.profile_state == Partner.ProfileState.SUBMITTED:
        raise WorkflowError("Das Profil ist bereits eingereicht und wartet auf die Prüfung.")
    partner.profile_state = Partner.ProfileState.SUBMITTED
    partner.submitted_at = timezone.now()
    partner.save(update_fields=["profile_state", "submitted_at", "updated"])
    _audit_partner(actor=actor, network=network, partner=partner, action="partner.submit", diff={})
    return partner


@transaction.atomic
def partner_review(*, partner: Partner, network: Network, actor, approve: bool, comment: str = "") -> Partner:
    """The coordination approves a submitted profile (→ geprüft) or sends it back with a comment (→ Entwurf)."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner.profile_state != Partner.ProfileState.SUBMITTED:
        raise WorkflowError("Nur eingereichte Profile können geprüft werden.")
    if not approve and not comment.strip():
        raise WorkflowError("Bitte schreiben Sie dazu, was die Einrichtung ändern soll.")
    partner.profile_state = Partner.ProfileState.REVIEWED if approve else Partner.ProfileState.DRAFT
    partner.review_comment = comment.strip()
    partner.reviewed_at = timezone.now() if approve else None
    partner.reviewed_by = actor if approve else None
    partner.save(update_fields=["profile_state", "review_comment", "reviewed_at", "reviewed_by", "updated"])
    action = "partner.approve" if approve else "partner.return"
    _audit_partner(
        actor=actor,
        network=network,
        partner=partner,
        action=action,
        diff={"Anmerkung": ["", comment.strip()]} if comment.strip() else {},
    )
    return partner


@transaction.atomic
def partner_archive(*, partner: Partner, network: Network, actor, archive: bool = True) -> Partner:
    """Hide a partner from the register (or bring it back). Partners are never deleted: agreements refer to them."""
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    partner.archived_at = timezone.now() if archive else None
    partner.save(update_fields=["archived_at", "updated"])
    _audit_partner(
        actor=actor,
        network=network,
        partner=partner,
        action="partner.archive" if archive else "partner.restore",
        diff={},
    )
    return partner
