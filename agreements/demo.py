"""Demo agreements: the real agreement texts of Dinslaken, Duisburg and Weiterstadt as published templates, and
a few agreements in every state. Signers are invented. Safe to run again: nothing is created twice."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, AgreementTemplate, Signature, SigningInvitation, TemplateSignatory, sha256_hex
from partners.models import Membership, Network
from praevnet.models import NetworkRole

TEXTS = Path(__file__).resolve().parent / "demo_texts"


@dataclass(frozen=True)
class DemoTemplate:
    network_slug: str
    title: str
    version_date: datetime.date
    text_file: str
    initial_months: int | None
    renewal_months: int | None
    notice: tuple[int, str]
    notice_to: str
    written_form: bool
    signatories: tuple[str, ...]


TEMPLATES = [
    DemoTemplate(
        network_slug="unser-dingg",
        title="Kooperationsvereinbarung der Akteure innerhalb von „Unser DINgg“, dem Dinslakener Netzwerk für "
        "glückliches und gesundes Aufwachsen",
        # The seed names no Stand; the demo uses the start of 2019 (after the Leitbild of 20.03.2018).
        version_date=datetime.date(2019, 1, 1),
        text_file="dinslaken.md",
        initial_months=None,
        renewal_months=None,
        notice=(4, "weeks"),
        notice_to="quarter_end",
        written_form=False,
        signatories=("Leitung des Jugendamtes",),
    ),
    DemoTemplate(
        network_slug="fruehe-hilfen-duisburg",
        title="Allgemeine Kooperationsvereinbarung der Netzwerkpartner/-innen „Frühe Hilfen Duisburg“",
        version_date=datetime.date(2018, 5, 16),
        text_file="duisburg.md",
        # The Duisburg text has no clause on duration or notice: unbefristet, with Dinslaken's notice rule.
        initial_months=None,
        renewal_months=None,
        notice=(4, "weeks"),
        notice_to="quarter_end",
        written_form=False,
        signatories=("Leitung des Jugendamtes",),
    ),
    DemoTemplate(
        network_slug="interprochance-weiterstadt",
        title="Kooperationsvereinbarung Interkommunales Projekt für mehr Chancengerechtigkeit (InterProChance)",
        version_date=datetime.date(2014, 9, 16),
        text_file="weiterstadt.md",
        initial_months=24,
        renewal_months=12,
        notice=(3, "months"),
        notice_to="term_end",
        written_form=True,
        signatories=("Landrat", "Erste Kreisbeigeordnete", "Bürgermeister", "Erste Stadträtin"),
    ),
]

# Invented people who sign for the partner institutions.
PARTNER_SIGNERS = [
    ("Miriam Holtkamp", "Einrichtungsleitung"),
    ("Yusuf Demirel", "Geschäftsführung"),
    ("Katrin Oberhausen", "Fachbereichsleitung"),
    ("Tobias Wendland", "Vorstand"),
]


def _template(spec: DemoTemplate, network: Network) -> AgreementTemplate:
    template = AgreementTemplate.objects.filter(
        network=network, title=spec.title, version_date=spec.version_date
    ).first()
    if template is not None:
        return template
    template = AgreementTemplate(
        network=network,
        title=spec.title,
        version_date=spec.version_date,
        body=(TEXTS / spec.text_file).read_text(encoding="utf-8"),
        initial_months=spec.initial_months,
        renewal_months=spec.renewal_months,
        notice_amount=spec.notice[0],
        notice_unit=spec.notice[1],
        notice_to=spec.notice_to,
        written_form=spec.written_form,
        state=AgreementTemplate.State.PUBLISHED,
        published_at=timezone.now(),
    )
    template.full_clean()
    template.save()
    for order, label in enumerate(spec.signatories, start=1):
        TemplateSignatory.objects.create(template=template, role_label=label, order=order)
    return template


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 15), tzinfo=timezone.get_current_timezone())


def _invite(agreement: Agreement, email: str, coordinator, when: datetime.datetime, *, used: bool) -> None:
    SigningInvitation.objects.create(
        agreement=agreement,
        token_hash=services.token_hash(secrets.token_urlsafe(32)),  # the raw demo token is not kept
        email=email,
        created_at=when,
        expires_at=when + datetime.timedelta(days=SigningInvitation.VALID_DAYS),
        used_at=when + datetime.timedelta(days=2) if used else None,
        created_by=coordinator,
    )


def _agreement(network, partner, template, *, state: str, index: int, coordinator, jugendamt) -> Agreement:
    email = services.invitation_address(partner) or f"kontakt{partner.pk}@demo.example"
    today = timezone.localdate()
    if state == "invited":
        agreement = Agreement.objects.create(partner=partner, network=network, template=template)
        _invite(agreement, email, coordinator, timezone.now() - datetime.timedelta(days=3), used=False)
        return agreement
    days_ago = 400 - 90 * index if state == "in_force" else 4
    invited_on = today - datetime.timedelta(days=days_ago)
    signed_on = invited_on + datetime.timedelta(days=2)
    text = services.agreement_text(template=template, partner=partner, network=network)
    digest = sha256_hex(text)
    agreement = Agreement.objects.create(
        partner=partner,
        network=network,
        template=template,
        status=Agreement.Status.SIGNED,
        effective_from=signed_on,
        signed_text=text,
        signed_text_sha256=digest,
    )
    _invite(agreement, email, coordinator, _at(invited_on, 9), used=True)
    name, function = PARTNER_SIGNERS[index % len(PARTNER_SIGNERS)]
    Signature.objects.create(
        agreement=agreement,
        side=Signature.Side.PARTNER,
        name=name,
        function=function,
        place=partner.city or network.meeting_place,
        signed_at=_at(signed_on, 10),
        ip=f"192.0.2.{20 + index}",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0",
        text_sha256=digest,
        consent_text=f"{services.AUTHORISED_TEXT}\n{services.CONSENT_TEXT}",
    )
    if state == "signed":
        return agreement
    Signature.objects.create(
        agreement=agreement,
        side=Signature.Side.NETWORK,
        name=jugendamt.get_full_name() or jugendamt.email,
        function="Leitung des Jugendamtes",
        place=network.region.removeprefix("Stadt ").removeprefix("Kreis "),
        signed_at=_at(signed_on + datetime.timedelta(days=5), 14),
        ip="198.51.100.10",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/126.0",
        text_sha256=digest,
        consent_text="Gegengezeichnet für das Netzwerk.",
        user=jugendamt,
    )
    agreement.status = Agreement.Status.IN_FORCE
    services.store_agreement_pdf(agreement, services.render_agreement_pdf(agreement))
    agreement.save()
    return agreement


@transaction.atomic
def load_agreement_demo() -> int:
    """Create the demo templates and agreements (after praevnet.demo.load_demo); returns how many were created."""
    created = 0
    for spec in TEMPLATES:
        network = Network.objects.filter(slug=spec.network_slug).first()
        if network is None:
            continue
        template = _template(spec, network)
        roles = NetworkRole.objects.filter(network=network).select_related("user")
        coordinator = next((r.user for r in roles if r.role == NetworkRole.Role.COORDINATOR), None)
        jugendamt = next((r.user for r in roles if r.role == NetworkRole.Role.JUGENDAMT), None)
        if jugendamt is None:
            continue
        memberships = Membership.objects.filter(network=network, state=Membership.State.ACTIVE).select_related(
            "partner"
        )
        plan = ["in_force", "signed" if spec.network_slug == "fruehe-hilfen-duisburg" else "in_force", "invited"]
        for index, (membership, state) in enumerate(zip(memberships.order_by("pk"), plan, strict=False)):
            partner = membership.partner
            if Agreement.objects.filter(partner=partner, network=network).exists():
                continue
            _agreement(
                network, partner, template, state=state, index=index, coordinator=coordinator, jugendamt=jugendamt
            )
            created += 1
    return created
