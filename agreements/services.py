"""Workflows on agreement templates and agreements: publish, invite, sign, countersign, record a paper agreement."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import logging
import secrets
import zlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agreements import terms as terms_engine
from agreements.models import (
    MAX_DRAWN_SIGNATURE_LENGTH,
    Agreement,
    AgreementTemplate,
    Signature,
    SigningInvitation,
    TemplateSignatory,
    sha256_hex,
)
from partners.models import Membership, Network, Partner
from praevnet import access
from praevnet.audit import log_action
from praevnet.emails import send_email
from praevnet.files import validate_upload
from praevnet.models import NetworkRole

logger = logging.getLogger("praevnet.agreements")

CONSENT_TEXT = (
    "Ich habe den Text der Kooperationsvereinbarung vollständig gelesen und unterzeichne sie mit meinem "
    "eingegebenen Namen elektronisch für die genannte Einrichtung."
)
AUTHORISED_TEXT = "Ich bin berechtigt, für die Einrichtung zu unterzeichnen."
MAX_SCAN_BYTES = 10 * 1024 * 1024


class AgreementError(Exception):
    """A workflow step that is not possible now; the message is German and meant for the user."""


class InvalidToken(AgreementError):
    """A signing link that does not (any longer) work; `status` is 404 (unknown) or 410 (expired, used, withdrawn)."""

    def __init__(self, message: str, *, status: int, network: Network | None = None):
        super().__init__(message)
        self.status = status
        self.network = network


# ---------------------------------------------------------------------------------------------------------------------
# Text and dates
# ---------------------------------------------------------------------------------------------------------------------


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def agreement_text(*, template: AgreementTemplate, partner: Partner, network: Network) -> str:
    """The exact text (Markdown) a partner signs: title, Stand, parties, body and the terms in words."""
    parts = [
        f"# {template.title}",
        f"Stand: {_date(template.version_date)}",
        f"zwischen dem Netzwerk **{network.name}** ({network.region}) und **{partner.name}**"
        + (f", {partner.address_line}" if partner.address_line else ""),
        template.body.strip(),
        "## Laufzeit und Kündigung",
        template.terms_text() + ".",
    ]
    return "\n\n".join(parts).replace("\r\n", "\n") + "\n"


def term_dates(template: AgreementTemplate, effective_from: datetime.date) -> dict:
    """The dates that follow from signing on `effective_from`: end of the initial term and the next notice deadline."""
    terms = template.terms()
    result = {
        "effective_from": effective_from,
        "term_end": terms_engine.term_end(terms, effective_from=effective_from),
        "next_notice": terms_engine.next_notice_deadline(terms, effective_from=effective_from, today=effective_from),
    }
    return result


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def signing_url(token: str) -> str:
    return settings.SITE_URL + reverse("agreement_sign", kwargs={"token": token})


# ---------------------------------------------------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------------------------------------------------


def _network_staff_emails(network: Network, role: str) -> list[str]:
    return list(
        NetworkRole.objects.filter(network=network, role=role, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


# ---------------------------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------------------------

TEMPLATE_FIELDS = (
    "title",
    "version_date",
    "body",
    "initial_months",
    "renewal_months",
    "notice_amount",
    "notice_unit",
    "notice_to",
    "written_form",
)


def _save_signatories(template: AgreementTemplate, signatories: list[str]) -> None:
    template.signatories.all().delete()
    for order, label in enumerate((label.strip() for label in signatories), start=1):
        if label:
            signatory = TemplateSignatory(template=template, role_label=label, order=order)
            signatory.full_clean()
            signatory.save()


@transaction.atomic
def template_create(*, network: Network, actor, data: dict, signatories: list[str] = ()) -> AgreementTemplate:
    """Create a draft version of the network's agreement."""
    template = AgreementTemplate(network=network, **{name: data[name] for name in TEMPLATE_FIELDS if name in data})
    template.full_clean()
    template.save()
    _save_signatories(template, list(signatories))
    log_action(actor=actor, action="template.create", network=network, obj=template)
    return template


@transaction.atomic
def template_update(
    *, template: AgreementTemplate, actor, data: dict, signatories: list[str] | None = None
) -> AgreementTemplate:
    """Change a draft; a published version is frozen (AgreementError)."""
    template = AgreementTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_published:
        raise AgreementError(
            "Diese Fassung ist veröffentlicht und kann nicht mehr geändert werden. Legen Sie eine neue Fassung an."
        )
    for name in TEMPLATE_FIELDS:
        if name in data:
            setattr(template, name, data[name])
    template.full_clean()
    template.save()
    if signatories is not None:
        _save_signatories(template, signatories)
    log_action(actor=actor, action="template.update", network=template.network, obj=template)
    return template


@transaction.atomic
def template_publish(*, template: AgreementTemplate, actor) -> AgreementTemplate:
    """Publish a draft: from now on partners can be invited to sign it and it can no longer change."""
    template = AgreementTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_published:
        raise AgreementError("Diese Fassung ist bereits veröffentlicht.")
    if not template.body.strip():
        raise AgreementError("Eine Vorlage ohne Text kann nicht veröffentlicht werden.")
    template.full_clean()
    template.state = AgreementTemplate.State.PUBLISHED
    template.published_at = timezone.now()
    template.save(update_fields=["state", "published_at", "updated"])
    log_action(actor=actor, action="template.publish", network=template.network, obj=template)
    return template


# ---------------------------------------------------------------------------------------------------------------------
# Invitations
# ---------------------------------------------------------------------------------------------------------------------


def _check_member(network: Network, partner: Partner) -> None:
    membership = Membership.objects.filter(network=network, partner=partner).first()
    if membership is None or membership.state == Membership.State.ENDED or partner.archived_at:
        raise AgreementError(f"„{partner.name}“ ist kein aktives Mitglied dieses Netzwerks.")


def _check_template(network: Network, template: AgreementTemplate) -> None:
    if template.network_id != network.pk:
        raise AgreementError("Diese Vorlage gehört zu einem anderen Netzwerk.")
    if not template.is_published:
        raise AgreementError("Nur veröffentlichte Fassungen können unterzeichnet werden.")


def _revoke_invitations(agreement: Agreement, now) -> None:
    agreement.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)


def _lapse(agreement: Agreement, now, *, actor, reason: str) -> None:
    """An invitation under way that nobody will complete any more: its links are withdrawn, it counts as lapsed."""
    _revoke_invitations(agreement, now)
    agreement.status = Agreement.Status.EXPIRED
    agreement.save(update_fields=["status", "updated"])
    log_action(actor=actor, action="agreement.lapse", network=agreement.network, obj=agreement, data={"Grund": reason})


def current_agreements(partner: Partner, network: Network) -> tuple[Agreement | None, Agreement | None]:
    """The partner's valid agreement (in force or terminated, not yet ended) and its invitation under way, if any."""
    valid = pending = None
    for agreement in (
        Agreement.objects.open_or_in_force().filter(partner=partner, network=network).select_related("template")
    ):
        if agreement.is_valid:
            valid = agreement
        else:
            pending = agreement
    return valid, pending


@transaction.atomic
def agreement_invite(
    *, network: Network, partner: Partner, template: AgreementTemplate, email: str, actor
) -> tuple[Agreement, str]:
    """Invite a partner by e-mail to sign `template`; returns the agreement and the raw one-time token.

    A partner whose agreement in force is on an older version (earlier Stand) is invited to re-sign: the new agreement
    supersedes the old one, which stays in force until the Jugendamt countersigns the new one.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise AgreementError(f"„{email}“ ist keine gültige E-Mail-Adresse.") from None
    _check_template(network, template)
    _check_member(network, partner)
    Partner.objects.select_for_update().get(pk=partner.pk)  # one invitation at a time per partner
    now = timezone.now()
    valid, pending = current_agreements(partner, network)
    if pending is not None and pending.status != Agreement.Status.INVITED:
        raise AgreementError(
            f"„{partner.name}“ hat bereits eine Vereinbarung mit dem Status „{pending.get_status_display()}“."
        )
    supersedes = None
    if valid is not None:
        if valid.status != Agreement.Status.IN_FORCE:
            raise AgreementError(
                f"„{partner.name}“ hat bereits eine Vereinbarung mit dem Status „{valid.get_status_display()}“."
            )
        if valid.template_id == template.pk or valid.template.version_date >= template.version_date:
            raise AgreementError(
                f"„{partner.name}“ hat bereits eine Vereinbarung in Kraft, auf der Fassung „{valid.template}“. Neu "
                "unterzeichnen lässt sich nur eine neuere Fassung."
            )
        supersedes = valid
    if pending is not None and (
        pending.template_id != template.pk or pending.supersedes_id != getattr(supersedes, "pk", None)
    ):
        # An invitation to another version that nobody signed: it lapses in favour of this one.
        _lapse(pending, now, actor=actor, reason=f"Neue Einladung zur Fassung „{template}“")
        pending = None
    if pending is None:
        agreement = Agreement(partner=partner, network=network, template=template, supersedes=supersedes)
        agreement.full_clean()
        agreement.save()
    else:
        agreement = pending
        _revoke_invitations(agreement, now)
    token = secrets.token_urlsafe(32)
    invitation = SigningInvitation(
        agreement=agreement,
        token_hash=token_hash(token),
        email=email,
        created_at=now,
        expires_at=now + timedelta(days=SigningInvitation.VALID_DAYS),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    invitation.full_clean()
    invitation.save()
    log_action(
        actor=actor,
        action="agreement.invite",
        network=network,
        obj=agreement,
        data={
            "E-Mail": email,
            "Fassung": str(template),
            **({"löst ab": f"Vereinbarung Nr. {supersedes.pk} ({supersedes.template})"} if supersedes else {}),
        },
    )
    context = {
        "agreement": agreement,
        "network": network,
        "partner": partner,
        "template": template,
        "supersedes": supersedes,
        "url": signing_url(token),
        "expires_at": invitation.expires_at,
    }
    transaction.on_commit(lambda: send_email("agreement_invite", to=[email], context=context))
    return agreement, token


def invitation_address(partner: Partner) -> str:
    """The first contact person with an e-mail address, else the institution's address ("" if none)."""
    contact = partner.contacts.filter(anonymised_at__isnull=True).exclude(email="").order_by("pk").first()
    return contact.email if contact else partner.email


@transaction.atomic
def agreement_invite_all(*, network: Network, template: AgreementTemplate, actor) -> dict:
    """Invite every active member without an open or valid agreement; says who was invited and who was skipped."""
    _check_template(network, template)
    covered = Agreement.objects.open_or_in_force().filter(network=network).values("partner_id")
    partners = (
        Partner.objects.active()
        .filter(memberships__network=network, memberships__state=Membership.State.ACTIVE)
        .exclude(pk__in=covered)
        .order_by("name")
    )
    invited, skipped = [], []
    for partner in partners:
        address = invitation_address(partner)
        if not address:
            skipped.append(partner)
            continue
        agreement_invite(network=network, partner=partner, template=template, email=address, actor=actor)
        invited.append(partner)
    return {"invited": invited, "skipped": skipped}


def outdated_agreements(*, network: Network, template: AgreementTemplate):
    """Agreements in force on a version older (earlier Stand) than `template`: who should re-sign it."""
    return (
        Agreement.objects.filter(
            network=network, status=Agreement.Status.IN_FORCE, template__version_date__lt=template.version_date
        )
        .exclude(template=template)
        .select_related("partner", "template")
        .order_by("partner__name")
    )


def _signer_address(agreement: Agreement) -> str:
    """Who signed last time (the address of the used link), else the institution's first contact address."""
    used = agreement.invitations.filter(used_at__isnull=False).order_by("-used_at").first()
    return used.email if used else invitation_address(agreement.partner)


@transaction.atomic
def agreement_reinvite_older_versions(*, network: Network, template: AgreementTemplate, actor) -> dict:
    """Invite every partner whose agreement in force is on an older version to re-sign `template`.

    Says who was invited, who already has an invitation to this version, and who was skipped (no address, no longer
    an active member). Each invitation is an ordinary one-time link; see agreement_invite for what happens on signing.
    """
    _check_template(network, template)
    invited, already, skipped = [], [], []
    for old in outdated_agreements(network=network, template=template):
        partner = old.partner
        if old.successors.filter(status__in=Agreement.PENDING_STATES, template=template).exists():
            already.append(partner)
            continue
        address = _signer_address(old)
        if not address:
            skipped.append(partner)
            continue
        try:
            agreement_invite(network=network, partner=partner, template=template, email=address, actor=actor)
        except AgreementError:
            skipped.append(partner)
            continue
        invited.append(partner)
    log_action(
        actor=actor,
        action="template.reinvite",
        network=network,
        obj=template,
        data={"eingeladen": len(invited), "schon eingeladen": len(already), "übersprungen": len(skipped)},
    )
    return {"invited": invited, "already": already, "skipped": skipped}


# ---------------------------------------------------------------------------------------------------------------------
# Signing
# ---------------------------------------------------------------------------------------------------------------------


def invitation_for_token(token: str, *, lock: bool = False) -> SigningInvitation:
    """The usable invitation for a raw token; InvalidToken (404 unknown, 410 expired/used/withdrawn) otherwise."""
    queryset = SigningInvitation.objects.select_related(
        "agreement__network", "agreement__partner", "agreement__template"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=token_hash(token or "")).first() if token and len(token) < 200 else None
    if invitation is None:
        raise InvalidToken(
            "Diesen Link zur Unterzeichnung gibt es nicht. Bitte prüfen Sie, ob er vollständig aus der E-Mail "
            "übernommen wurde.",
            status=404,
        )
    network = invitation.agreement.network
    if invitation.used_at is not None:
        raise InvalidToken(
            f"Dieser Link wurde am {timezone.localtime(invitation.used_at):%d.%m.%Y um %H:%M} Uhr bereits zur "
            "Unterzeichnung benutzt und gilt nur einmal.",
            status=410,
            network=network,
        )
    if invitation.revoked_at is not None:
        raise InvalidToken(
            "Dieser Link wurde zurückgezogen, zum Beispiel weil eine neuere Einladung verschickt wurde.",
            status=410,
            network=network,
        )
    if invitation.is_expired:
        raise InvalidToken(
            f"Dieser Link war bis zum {timezone.localtime(invitation.expires_at):%d.%m.%Y} gültig und ist abgelaufen.",
            status=410,
            network=network,
        )
    if invitation.agreement.status != Agreement.Status.INVITED:
        raise InvalidToken(
            "Diese Vereinbarung ist nicht mehr zur Unterzeichnung offen "
            f"(Status: {invitation.agreement.get_status_display()}).",
            status=410,
            network=network,
        )
    return invitation


def validate_signer(*, name: str, function: str, place: str) -> dict:
    errors = {}
    values = {"name": (name or "").strip(), "function": (function or "").strip(), "place": (place or "").strip()}
    labels = {"name": "Ihren Namen", "function": "Ihre Funktion", "place": "den Ort"}
    for key, value in values.items():
        if not value:
            errors[key] = f"Bitte geben Sie {labels[key]} an."
        elif len(value) > (120 if key == "place" else 150):
            errors[key] = "Diese Angabe ist zu lang."
    if errors:
        raise ValidationError(errors)
    return values


PNG_PREFIX = "data:image/png;base64,"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Largest drawing accepted, in pixels (the pad is at most about 1400 × 320 on a high-resolution screen).
MAX_DRAWN_SIGNATURE_PIXELS = (3000, 1200)


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a well-formed PNG; ValueError unless every chunk is intact (CRC) and it ends with IEND."""
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("no PNG signature")
    position, size, seen_end, first = len(PNG_SIGNATURE), None, False, True
    while position < len(data):
        if position + 12 > len(data):
            raise ValueError("truncated chunk")
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        crc = data[position + 8 + length : position + 12 + length]
        if len(body) != length or len(crc) != 4 or zlib.crc32(kind + body).to_bytes(4, "big") != crc:
            raise ValueError("damaged chunk")
        if first:
            if kind != b"IHDR" or length != 13:
                raise ValueError("IHDR missing")
            size = (int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big"))
            first = False
        position += 12 + length
        if kind == b"IEND":
            seen_end = True
            break
    if not seen_end or position != len(data) or size is None or 0 in size:
        raise ValueError("incomplete PNG")
    return size


def validate_drawn_signature(value: str | None) -> str:
    """The drawn signature as a PNG data URL, or "" for none; ValidationError (German) for anything else."""
    value = (value or "").strip()
    if not value:
        return ""

    def refuse(message: str):
        return ValidationError({"drawn_signature": message})

    if len(value) > MAX_DRAWN_SIGNATURE_LENGTH:
        raise refuse(
            "Die gezeichnete Unterschrift ist zu groß. Bitte löschen Sie sie und zeichnen Sie erneut, oder "
            "unterzeichnen Sie ohne Zeichnung."
        )
    if not value.startswith(PNG_PREFIX):
        raise refuse("Die gezeichnete Unterschrift muss ein PNG-Bild sein.")
    try:
        data = base64.b64decode(value.removeprefix(PNG_PREFIX), validate=True)
        width, height = _png_size(data)
    except (ValueError, binascii.Error):
        raise refuse(
            "Die gezeichnete Unterschrift ist kein gültiges PNG-Bild. Bitte löschen Sie sie und zeichnen Sie erneut."
        ) from None
    if width > MAX_DRAWN_SIGNATURE_PIXELS[0] or height > MAX_DRAWN_SIGNATURE_PIXELS[1]:
        raise refuse("Die gezeichnete Unterschrift ist zu groß (Bildmaße).")
    return value


@transaction.atomic
def agreement_sign(
    *,
    token: str,
    name: str,
    function: str,
    place: str,
    consent: bool,
    authorised: bool,
    drawn_signature: str | None,
    ip: str | None,
    user_agent: str,
    text_sha256: str | None = None,
) -> Agreement:
    """The partner signs through the one-time link; `text_sha256` (if given) must match the text shown."""
    errors = {}
    try:
        values = validate_signer(name=name, function=function, place=place)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not authorised:
        errors["authorised"] = "Bitte bestätigen Sie, dass Sie für die Einrichtung unterzeichnen dürfen."
    if not consent:
        errors["consent"] = "Bitte bestätigen Sie, dass Sie den Text gelesen haben und unterzeichnen."
    try:
        drawn = validate_drawn_signature(drawn_signature)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    invitation = invitation_for_token(token, lock=True)
    agreement = (
        Agreement.objects.select_for_update()
        .select_related("template", "partner", "network")
        .get(pk=invitation.agreement_id)
    )
    text = agreement_text(template=agreement.template, partner=agreement.partner, network=agreement.network)
    digest = sha256_hex(text)
    if text_sha256 is not None and text_sha256 != digest:
        raise AgreementError(
            "Der Text der Vereinbarung hat sich geändert, während Sie ihn gelesen haben. Bitte laden Sie die Seite "
            "neu und lesen Sie ihn noch einmal."
        )
    now = timezone.now()
    signature = Signature(
        agreement=agreement,
        side=Signature.Side.PARTNER,
        signed_at=now,
        method=Signature.Method.ONLINE,
        ip=ip or None,
        user_agent=(user_agent or "")[:400],
        text_sha256=digest,
        consent_text=f"{AUTHORISED_TEXT}\n{CONSENT_TEXT}",
        drawn_signature=drawn,
        **values,
    )
    signature.full_clean()
    signature.save()
    agreement.status = Agreement.Status.SIGNED
    agreement.effective_from = timezone.localdate(now)
    agreement.signed_text = text
    agreement.signed_text_sha256 = digest
    agreement.full_clean()
    agreement.save()
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    log_action(
        actor=None,
        action="agreement.sign",
        network=agreement.network,
        obj=agreement,
        data={"Name": values["name"], "Funktion": values["function"], "IP": ip or "", "SHA-256": digest},
    )
    context = {
        "agreement": agreement,
        "network": agreement.network,
        "partner": agreement.partner,
        "signature": signature,
    }
    recipients = [
        *_network_staff_emails(agreement.network, NetworkRole.Role.JUGENDAMT),
        agreement.network.contact_email,
    ]
    transaction.on_commit(lambda: send_email("agreement_signed", to=recipients, context=context))
    return agreement


def _supersede(agreement: Agreement, *, actor) -> None:
    """The re-signed new version takes over: the old agreement is "abgelöst" and ends today, its PDF stays."""
    old = Agreement.objects.select_for_update().get(pk=agreement.supersedes_id)
    if old.status == Agreement.Status.TERMINATED:
        raise AgreementError(
            "Die bisherige Vereinbarung dieser Einrichtung ist gekündigt; die neue Fassung kann sie nicht ablösen."
        )
    if old.status != Agreement.Status.IN_FORCE:
        return  # ended in the meantime: the new agreement simply starts
    old.status = Agreement.Status.SUPERSEDED
    old.ends_on = today()
    old.full_clean()
    old.save(update_fields=["status", "ends_on", "updated"])
    log_action(
        actor=actor,
        action="agreement.supersede",
        network=old.network,
        obj=old,
        data={
            "abgelöst durch": f"Vereinbarung Nr. {agreement.pk} ({agreement.template})",
            "letzter Tag": _date(old.ends_on),
        },
    )


def store_agreement_pdf(agreement: Agreement, pdf: bytes) -> None:
    """Give the agreement its archived PDF: name and hash now, the file itself once the transaction has committed.

    Writing the file only on commit means a rolled-back countersignature leaves no orphan file behind. The name carries
    a random suffix, so it is free when the file is written.
    """
    from django.utils.text import slugify

    stem = slugify(pdf_filename(agreement).removesuffix(".pdf"))[:60]
    field = agreement.pdf.field
    name = field.generate_filename(agreement, f"{stem}-{secrets.token_hex(6)}.pdf")
    agreement.pdf.name = name
    agreement.pdf_sha256 = sha256_hex(pdf)
    storage = field.storage

    def write() -> None:
        saved = storage.save(name, ContentFile(pdf))
        if saved != name:  # pragma: no cover - only if the random name was taken meanwhile
            Agreement.objects.filter(pk=agreement.pk).update(pdf=saved)

    transaction.on_commit(write)


def may_countersign(user, network: Network) -> bool:
    """The Jugendamt of the network countersigns (system administrators may stand in)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    role = access.role_in(user, network)
    return role is not None and role.role == NetworkRole.Role.JUGENDAMT


@transaction.atomic
def agreement_countersign(
    *, agreement: Agreement, actor, name: str, function: str, place: str, ip: str | None, user_agent: str
) -> Agreement:
    """The Jugendamt countersigns: the agreement is in force, its PDF is rendered once, stored and mailed to both."""
    values = validate_signer(name=name, function=function, place=place)
    agreement = (
        Agreement.objects.select_for_update().select_related("template", "partner", "network").get(pk=agreement.pk)
    )
    if not may_countersign(actor, agreement.network):
        raise AgreementError("Gegenzeichnen darf nur das Jugendamt des Netzwerks.")
    if agreement.status != Agreement.Status.SIGNED:
        raise AgreementError(
            f"Gegenzeichnen geht nur, wenn der Partner unterzeichnet hat (Status: {agreement.get_status_display()})."
        )
    signature = Signature(
        agreement=agreement,
        side=Signature.Side.NETWORK,
        signed_at=timezone.now(),
        method=Signature.Method.ONLINE,
        ip=ip or None,
        user_agent=(user_agent or "")[:400],
        text_sha256=agreement.signed_text_sha256,
        consent_text="Gegengezeichnet für das Netzwerk.",
        user=actor,
        **values,
    )
    signature.full_clean()
    signature.save()
    if agreement.supersedes_id:
        _supersede(agreement, actor=actor)
    agreement.status = Agreement.Status.IN_FORCE
    pdf = render_agreement_pdf(agreement)
    store_agreement_pdf(agreement, pdf)
    agreement.full_clean()
    agreement.save()
    log_action(
        actor=actor,
        action="agreement.countersign",
        network=agreement.network,
        obj=agreement,
        data={"Name": values["name"], "Funktion": values["function"], "SHA-256 PDF": agreement.pdf_sha256},
    )
    partner_signature = agreement.signatures.filter(side=Signature.Side.PARTNER).first()
    invitation = agreement.invitations.filter(used_at__isnull=False).first()
    recipients = [
        invitation.email if invitation else invitation_address(agreement.partner),
        agreement.network.contact_email,
    ]
    context = {
        "agreement": agreement,
        "network": agreement.network,
        "partner": agreement.partner,
        "signature": signature,
    }
    if partner_signature is None:  # pragma: no cover - a signed agreement always has one
        raise AgreementError("Die Unterschrift des Partners fehlt.")
    filename = pdf_filename(agreement)
    transaction.on_commit(
        lambda: send_email(
            "agreement_in_force",
            to=recipients,
            context=context,
            attachments=[(filename, pdf, "application/pdf")],
        )
    )
    return agreement


# ---------------------------------------------------------------------------------------------------------------------
# Paper
# ---------------------------------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_record_paper(
    *,
    network: Network,
    partner: Partner,
    template: AgreementTemplate,
    signed_on_partner: datetime.date,
    signed_on_network: datetime.date,
    scan_file,
    actor,
    partner_signer: str = "",
    network_signer: str = "",
) -> Agreement:
    """A coordinator records an agreement signed on paper, with the scan as PDF; it is in force from the partner's date."""
    if not access.has_perm(actor, access.Perm.MANAGE_PARTNERS, network):
        raise AgreementError("Papier-Vereinbarungen erfasst die Netzwerkkoordination.")
    _check_template(network, template)
    _check_member(network, partner)
    errors = {}
    today = timezone.localdate()
    if signed_on_partner is None:
        errors["signed_on_partner"] = "Bitte geben Sie an, wann der Partner unterschrieben hat."
    elif signed_on_partner > today:
        errors["signed_on_partner"] = "Das Datum liegt in der Zukunft."
    if signed_on_network is None:
        errors["signed_on_network"] = "Bitte geben Sie an, wann gegengezeichnet wurde."
    elif signed_on_network > today:
        errors["signed_on_network"] = "Das Datum liegt in der Zukunft."
    elif signed_on_partner and signed_on_network < signed_on_partner:
        errors["signed_on_network"] = "Die Gegenzeichnung kann nicht vor der Unterschrift des Partners liegen."
    if scan_file is None:
        errors["scan_file"] = "Bitte laden Sie den Scan der unterschriebenen Vereinbarung hoch."
    else:
        try:
            validate_upload(scan_file, kinds=("pdf",), max_bytes=MAX_SCAN_BYTES)
        except ValidationError as error:
            errors["scan_file"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    Partner.objects.select_for_update().get(pk=partner.pk)
    valid, pending = current_agreements(partner, network)
    now = timezone.now()
    for existing in (valid, pending):
        if existing is not None and existing.status != Agreement.Status.INVITED:
            raise AgreementError(
                f"„{partner.name}“ hat bereits eine Vereinbarung mit dem Status „{existing.get_status_display()}“."
            )
    if pending is not None:  # the paper agreement replaces the open online invitation
        _lapse(pending, now, actor=actor, reason="Papier-Vereinbarung erfasst")
    text = agreement_text(template=template, partner=partner, network=network)
    digest = sha256_hex(text)
    scan_file.seek(0)
    content = scan_file.read()
    agreement = Agreement(
        partner=partner,
        network=network,
        template=template,
        status=Agreement.Status.IN_FORCE,
        effective_from=signed_on_partner,
        signed_text=text,
        signed_text_sha256=digest,
        scan_sha256=sha256_hex(content),
    )
    agreement.scan.save(f"vereinbarung-{partner.pk}-{network.slug}-scan.pdf", ContentFile(content), save=False)
    agreement.full_clean()
    agreement.save()
    tz = timezone.get_current_timezone()
    for side, day, signer in (
        (Signature.Side.PARTNER, signed_on_partner, partner_signer),
        (Signature.Side.NETWORK, signed_on_network, network_signer),
    ):
        signature = Signature(
            agreement=agreement,
            side=side,
            name=(signer or "").strip()[:150] or "siehe Scan",
            signed_at=datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=tz),
            method=Signature.Method.PAPER,
            text_sha256=digest,
            user=actor if side == Signature.Side.NETWORK else None,
        )
        signature.full_clean()
        signature.save()
    log_action(
        actor=actor,
        action="agreement.paper",
        network=network,
        obj=agreement,
        data={
            "Unterschrift Partner": signed_on_partner,
            "Gegenzeichnung": signed_on_network,
            "SHA-256 Scan": agreement.scan_sha256,
        },
    )
    return agreement


# ---------------------------------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------------------------------


def pdf_filename(agreement: Agreement) -> str:
    from django.utils.text import slugify

    return f"kooperationsvereinbarung-{slugify(agreement.partner.name)[:60]}-{agreement.network.slug}.pdf"


def audit_events(agreement: Agreement) -> list[dict]:
    """Invitations and signatures in time order, for the Prüfprotokoll."""
    events = []
    for invitation in agreement.invitations.select_related("created_by").order_by("created_at"):
        events.append(
            {
                "at": invitation.created_at,
                "what": "Einladung zur Unterzeichnung versandt",
                "who": f"{invitation.created_by or 'System'} an {invitation.email}",
                "ip": "",
                "detail": f"gültig bis {timezone.localtime(invitation.expires_at):%d.%m.%Y %H:%M} Uhr"
                + (
                    f", benutzt {timezone.localtime(invitation.used_at):%d.%m.%Y %H:%M} Uhr"
                    if invitation.used_at
                    else ""
                ),
            }
        )
    for signature in agreement.signatures.order_by("signed_at", "pk"):
        what = "unterzeichnet (Kooperationspartner)" if signature.side == "partner" else "gegengezeichnet (Netzwerk)"
        events.append(
            {
                "at": signature.signed_at,
                "what": f"{what}, {signature.get_method_display()}",
                "who": ", ".join(part for part in (signature.name, signature.function) if part),
                "ip": signature.ip or "",
                "detail": f"Browser: {signature.user_agent}" if signature.user_agent else "",
                "sha256": signature.text_sha256,
            }
        )
    return sorted(events, key=lambda event: event["at"])


def agreement_pdf_context(agreement: Agreement) -> dict:
    from praevnet.markdown import render_markdown

    template = agreement.template
    signatures = list(agreement.signatures.order_by("signed_at", "pk"))
    return {
        "agreement": agreement,
        "network": agreement.network,
        "partner": agreement.partner,
        "template": template,
        "body_html": render_markdown(template.body),
        "terms_text": template.terms_text(),
        "dates": term_dates(template, agreement.effective_from) if agreement.effective_from else None,
        "partner_signatures": [s for s in signatures if s.side == Signature.Side.PARTNER],
        "network_signatures": [s for s in signatures if s.side == Signature.Side.NETWORK],
        "signatories": list(template.signatories.all()),
        "events": audit_events(agreement),
        "created_at": timezone.now(),
    }


def render_agreement_pdf(agreement: Agreement) -> bytes:
    from praevnet.pdf import render_pdf

    return render_pdf("pdf/agreement.html", agreement_pdf_context(agreement))


# ---------------------------------------------------------------------------------------------------------------------
# Termination (Kündigung) and the automatic end
# ---------------------------------------------------------------------------------------------------------------------

WRITTEN_FORM_TEXT = (
    "Diese Vereinbarung kann nur schriftlich gekündigt werden (eigenhändig unterschriebenes Schreiben). Ein Klick "
    "hier genügt dafür nicht: Bitte schicken Sie das unterschriebene Kündigungsschreiben an die andere Seite; die "
    "Netzwerkkoordination erfasst den Eingang mit dem Datum, an dem es angekommen ist."
)


def today() -> datetime.date:
    """The local date; one place so tests can move the clock."""
    return timezone.localdate()


def may_terminate(user, agreement: Agreement) -> bool:
    """The partner's own contacts (for their institution), the Jugendamt and the coordination of the network."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    network = agreement.network
    if user.is_superuser or access.has_perm(user, access.Perm.MANAGE_PARTNERS, network):
        return True
    role = access.role_in(user, network)
    if role is None:
        return False
    if role.role == NetworkRole.Role.JUGENDAMT:
        return True
    own = access.own_partner(user, network)
    return own is not None and own.pk == agreement.partner_id


def may_record_letter(user, network: Network) -> bool:
    """A notice that arrived by letter is recorded by the coordination (with its date of receipt)."""
    return access.has_perm(user, access.Perm.MANAGE_PARTNERS, network)


def termination_preview(agreement: Agreement, notice_received: datetime.date) -> dict:
    """What a notice received on `notice_received` would mean: last day, its notice deadline and weekend warnings.

    ValueError (German) when the engine refuses the date (before the start, after the automatic end). A day on a
    weekend or a public holiday of the network's federal state is flagged, never moved (§ 193 BGB does not apply).
    """
    from agreements.deadlines import warning_sentence

    terms = agreement.template.terms()
    ends_on = terms_engine.termination_date(
        terms, effective_from=agreement.effective_from, notice_received=notice_received
    )
    try:
        deadline = terms_engine.notice_deadline(terms, effective_from=agreement.effective_from, end_date=ends_on)
    except ValueError:  # pragma: no cover - the end just computed is admissible and reachable
        deadline = None
    state = agreement.network.federal_state or None
    warnings = [
        sentence
        for label, day, advice in (
            ("Der letzte Tag der Vereinbarung", ends_on, ""),
            (
                "Der letzte Tag für den Zugang der Kündigung",
                deadline,
                "planen Sie den Versand so, dass sie schon am Werktag davor ankommt",
            ),
        )
        if (sentence := warning_sentence(label, day, state, advice))
    ]
    return {
        "notice_received": notice_received,
        "ends_on": ends_on,
        "deadline": deadline,
        "warnings": warnings,
    }


def _termination_recipients(agreement: Agreement) -> list[str]:
    invitation = agreement.invitations.filter(used_at__isnull=False).order_by("-used_at").first()
    return [
        invitation.email if invitation else invitation_address(agreement.partner),
        agreement.network.contact_email,
    ]


@transaction.atomic
def agreement_terminate(
    *,
    agreement: Agreement,
    actor,
    notice_received: datetime.date,
    reason: str = "",
    by_letter: bool = False,
    written_form_confirmed: bool = False,
) -> Agreement:
    """Terminate an agreement in force: it ends on the computed last day, and the membership with it.

    Online (`by_letter=False`) the notice is received on the day of the click. A notice that arrived by letter is
    recorded by the coordination with its day of receipt (not in the future). If the template requires written form,
    a click is not enough: only a letter counts, and the coordination confirms it is signed (`written_form_confirmed`).
    """
    agreement = (
        Agreement.objects.select_for_update().select_related("template", "partner", "network").get(pk=agreement.pk)
    )
    network = agreement.network
    if not may_terminate(actor, agreement):
        raise AgreementError("Kündigen dürfen die Einrichtung selbst, das Jugendamt und die Netzwerkkoordination.")
    if by_letter and not may_record_letter(actor, network):
        raise AgreementError("Eine per Brief eingegangene Kündigung erfasst die Netzwerkkoordination.")
    if agreement.status != Agreement.Status.IN_FORCE:
        raise AgreementError(
            "Kündigen lässt sich nur eine Vereinbarung, die in Kraft ist "
            f"(Status: {agreement.get_status_display()}"
            + (f", endet mit Ablauf des {_date(agreement.ends_on)}" if agreement.ends_on else "")
            + ")."
        )
    current = today()
    if notice_received is None:
        raise AgreementError("Bitte geben Sie an, wann die Kündigung eingegangen ist.")
    if by_letter:
        if notice_received > current:
            raise AgreementError(f"Das Eingangsdatum {_date(notice_received)} liegt in der Zukunft.")
    elif notice_received != current:
        raise AgreementError("Online geht eine Kündigung am Tag des Absendens zu; ein anderes Datum ist nicht möglich.")
    if agreement.template.written_form:
        if not by_letter:
            raise AgreementError(WRITTEN_FORM_TEXT)
        if not written_form_confirmed:
            raise AgreementError(
                "Diese Vereinbarung verlangt die Schriftform: Bitte bestätigen Sie, dass das Kündigungsschreiben "
                "eigenhändig unterschrieben ist."
            )
    try:
        preview = termination_preview(agreement, notice_received)
    except ValueError as error:
        raise AgreementError(str(error)) from None
    ends_on = preview["ends_on"]
    reason = (reason or "").strip()
    agreement.status = Agreement.Status.TERMINATED
    agreement.terminated_on = notice_received
    agreement.ends_on = ends_on
    agreement.termination_reason = reason
    agreement.full_clean()
    agreement.save()
    for successor in Agreement.objects.select_for_update().filter(
        supersedes=agreement, status__in=Agreement.PENDING_STATES
    ):
        # Re-signing a new version makes no sense once the institution leaves: the invitation lapses.
        _lapse(successor, timezone.now(), actor=actor, reason="Die bisherige Vereinbarung wurde gekündigt.")
    membership = Membership.objects.select_for_update().filter(network=network, partner=agreement.partner).first()
    if membership is not None and membership.state != Membership.State.ENDED:
        membership.until = ends_on
        membership.full_clean()
        membership.save(update_fields=["until"])
    log_action(
        actor=actor,
        action="agreement.terminate",
        network=network,
        obj=agreement,
        data={
            "Eingang": _date(notice_received),
            "letzter Tag": _date(ends_on),
            "Weg": "Brief" if by_letter else "online",
            **({"Grund": reason} if reason else {}),
        },
    )
    context = {
        "agreement": agreement,
        "network": network,
        "partner": agreement.partner,
        "terms_text": agreement.template.terms_text(),
        "by_letter": by_letter,
        "actor_name": (actor.get_full_name() or str(actor)) if actor else "",
    }
    stored = agreement.pdf or agreement.scan
    attachments = []
    if stored:
        with stored.open("rb") as handle:
            attachments.append((pdf_filename(agreement), handle.read(), "application/pdf"))
    recipients = _termination_recipients(agreement)
    transaction.on_commit(
        lambda: send_email("agreement_terminated_confirm", to=recipients, context=context, attachments=attachments)
    )
    return agreement


def agreements_close_ended(*, on: datetime.date | None = None) -> list[Agreement]:
    """Terminated agreements whose last day lies before `on` (today) end, and the membership with them. Idempotent."""
    on = on or today()
    closed = []
    pks = list(
        Agreement.objects.filter(status=Agreement.Status.TERMINATED, ends_on__lt=on)
        .order_by("ends_on", "pk")
        .values_list("pk", flat=True)
    )
    for pk in pks:
        with transaction.atomic():
            agreement = (
                Agreement.objects.select_for_update()
                .select_related("partner", "network")
                .filter(pk=pk, status=Agreement.Status.TERMINATED, ends_on__lt=on)
                .first()
            )
            if agreement is None:  # pragma: no cover - closed by a parallel run
                continue
            agreement.status = Agreement.Status.ENDED
            agreement.full_clean()
            agreement.save()
            membership = (
                Membership.objects.select_for_update()
                .filter(network=agreement.network, partner=agreement.partner)
                .first()
            )
            if membership is not None:
                membership.state = Membership.State.ENDED
                membership.until = agreement.ends_on
                membership.full_clean()
                membership.save(update_fields=["state", "until"])
            log_action(
                actor=None,
                action="agreement.end",
                network=agreement.network,
                obj=agreement,
                data={"letzter Tag": _date(agreement.ends_on)},
            )
            closed.append(agreement)
    return closed


# ---------------------------------------------------------------------------------------------------------------------
# Reminders (daily command agreements_remind)
# ---------------------------------------------------------------------------------------------------------------------


def _coordination_emails(network: Network) -> list[str]:
    return sorted({*_network_staff_emails(network, NetworkRole.Role.COORDINATOR), network.contact_email} - {""})


def agreements_remind(*, now: datetime.datetime | None = None) -> dict:
    """Send the reminders that are due, each thing at most once (recorded in Reminder), and say what was sent.

    - To the coordination of each network, one e-mail listing the deadlines of the next REMIND_DAYS days that it was
      not yet reminded of (notice deadlines of agreements with a term, renewals, ends of terms, ends after notice).
    - To the address of each unused signing link that expires within INVITATION_REMIND_DAYS days.

    Here the e-mail is the point, so it is sent inside the transaction that records it: if sending fails, nothing is
    recorded and the next run tries again; if it succeeds, the record is committed and it is never sent twice.
    """
    from agreements import deadlines
    from agreements.models import Reminder

    now = now or timezone.now()
    day = timezone.localdate(now)
    sent = {"deadlines": 0, "invitations": 0, "failed": []}
    networks = Network.objects.filter(
        pk__in=Agreement.objects.filter(status__in=Agreement.VALID_STATES).values("network_id")
    ).order_by("name")
    for network in networks:
        items = [
            d
            for d in deadlines.network_deadlines(network, today=day, days=deadlines.REMIND_DAYS)
            if d.remind and not Reminder.objects.filter(key=d.key).exists()
        ]
        recipients = _coordination_emails(network)
        if not items or not recipients:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.bulk_create(
                    Reminder(
                        key=d.key,
                        kind=d.kind,
                        network=network,
                        agreement=d.agreement,
                        due=d.day,
                        recipients=", ".join(recipients),
                        sent_at=now,
                    )
                    for d in items
                )
                send_email(
                    "agreement_reminder_deadlines",
                    to=recipients,
                    context={"network": network, "items": items, "today": day, "days": deadlines.REMIND_DAYS},
                )
        except Exception as error:  # one network's failure must not stop the others
            logger.exception("Erinnerung an die Netzwerkkoordination %s nicht verschickt", network.slug)
            sent["failed"].append(f"{network.name}: {error}")
            continue
        sent["deadlines"] += 1
    invitations = (
        SigningInvitation.objects.filter(
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
            expires_at__lte=now + timedelta(days=deadlines.INVITATION_REMIND_DAYS),
            agreement__status=Agreement.Status.INVITED,
        )
        .select_related("agreement__network", "agreement__partner", "agreement__template")
        .order_by("expires_at")
    )
    for invitation in invitations:
        key = f"{Reminder.Kind.INVITATION}:{invitation.pk}"
        if Reminder.objects.filter(key=key).exists():
            continue
        agreement = invitation.agreement
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    key=key,
                    kind=Reminder.Kind.INVITATION,
                    network=agreement.network,
                    agreement=agreement,
                    due=timezone.localdate(invitation.expires_at),
                    recipients=invitation.email,
                    sent_at=now,
                )
                send_email(
                    "agreement_reminder_invitation",
                    to=[invitation.email],
                    context={
                        "agreement": agreement,
                        "network": agreement.network,
                        "partner": agreement.partner,
                        "template": agreement.template,
                        "invitation": invitation,
                    },
                )
        except Exception as error:  # likewise for one address
            logger.exception("Erinnerung zur Einladung %s nicht verschickt", invitation.pk)
            sent["failed"].append(f"{invitation.email}: {error}")
            continue
        sent["invitations"] += 1
    return sent
