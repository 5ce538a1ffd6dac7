"""Open data: the meetings of the active networks as OParl 1.1 (https://oparl.org/spezifikation), read-only JSON.

Mapping (OParl object ← praevnet):

    oparl:System        ← this installation (one entry point /oparl/v1/)
    oparl:Body          ← an active network (Körperschaft in OParl's words; id = its slug, so it never changes)
    oparl:Organization  ← a Gremium of the network (organizationType "Gremium", classification = its kind)
    oparl:Meeting       ← a published meeting: invited (or with an approved protocol); never a planned draft
    oparl:AgendaItem    ← a TOP; recommendations of an approved protocol become its resolutionText
    oparl:File          ← the stored PDF of an approved protocol (resultsProtocol); never a draft
    oparl:Location      ← the meeting place (embedded in the meeting, and at its own URL)
    oparl:Person, oparl:Paper, oparl:LegislativeTerm ← empty lists: praevnet publishes no persons (there is no
                          consent to be listed as a person), has no Drucksachen and no Wahlperioden.

Privacy: no person's name and no e-mail address of a member, delegate, guest or speaker leaves through this API.
A TOP names only the organisation that presents it (`praevnet:presentedBy`, a vendor extension), never the person.
"""

from __future__ import annotations

import datetime
import hashlib
import math
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from meetings import clock
from meetings.models import AgendaItem, Body, Meeting, Recommendation
from partners.models import Network
from praevnet.api import BadRequest, positive_int

OPARL_VERSION = "https://schema.oparl.org/1.1/"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
PDF = "application/pdf"
# The filters every OParl 1.1 list understands: object field they apply to.
DATE_FILTERS = {
    "created_since": ("created", "gte"),
    "created_until": ("created", "lte"),
    "modified_since": ("modified", "gte"),
    "modified_until": ("modified", "lte"),
}


class NotFound(Exception):
    """An object or page that is not published here: answered with 404 and this German message."""


def oparl_type(name: str) -> str:
    return f"{OPARL_VERSION}{name}"


def url(name: str, **kwargs) -> str:
    """Absolute, stable URL of an OParl route: the object ids are these URLs."""
    return settings.SITE_URL + reverse(f"oparl:{name}", kwargs=kwargs)


def stamp(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def compact(data: dict) -> dict:
    """Leave out optional properties without a value (OParl: empty values are omitted, not null)."""
    return {key: value for key, value in data.items() if value not in (None, "")}


# ---------------------------------------------------------------------------------------------------------------------
# What is published
# ---------------------------------------------------------------------------------------------------------------------


def networks():
    return Network.objects.filter(is_active=True).order_by("pk")


def organizations(network: Network):
    return Body.objects.filter(network=network).select_related("network").order_by("pk")


def published(queryset):
    """Meetings the public may know of: invited ones (also when cancelled later) and those with an approved
    protocol. A planned meeting nobody was invited to yet is a draft and stays internal."""
    return queryset.filter(body__network__is_active=True).filter(
        Q(invited_at__isnull=False) | Q(protocol_state=Meeting.ProtocolState.APPROVED)
    )


def approved_protocols(queryset):
    """Approved protocols, as published: the version without people's names stored at approval."""
    return queryset.filter(protocol_state=Meeting.ProtocolState.APPROVED).exclude(public_protocol_pdf="")


def meetings(network: Network | None = None, *, body: Body | None = None):
    """Published meetings with everything their OParl object embeds, in a fixed number of queries."""
    queryset = Meeting.objects.all()
    if network is not None:
        queryset = queryset.filter(body__network=network)
    if body is not None:
        queryset = queryset.filter(body=body)
    return (
        published(queryset)
        .select_related("body", "body__network")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.select_related("presenter_partner", "presenter_member__partner").order_by(
                    "number"
                ),
            ),
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("created", "pk")),
        )
        .order_by("starts_at", "pk")
    )


def agenda_items(network: Network | None = None):
    queryset = AgendaItem.objects.filter(meeting__in=published(Meeting.objects.all()))
    if network is not None:
        queryset = queryset.filter(meeting__body__network=network)
    return queryset.select_related(
        "meeting", "meeting__body", "meeting__body__network", "presenter_partner", "presenter_member__partner"
    ).order_by("meeting__starts_at", "meeting_id", "number")


def protocol_files(network: Network | None = None):
    queryset = approved_protocols(published(Meeting.objects.all()))
    if network is not None:
        queryset = queryset.filter(body__network=network)
    return queryset.select_related("body", "body__network").order_by("approved_at", "pk")


# ---------------------------------------------------------------------------------------------------------------------
# Objects
# ---------------------------------------------------------------------------------------------------------------------


def system_obj() -> dict:
    return compact(
        {
            "id": url("system"),
            "type": oparl_type("System"),
            "oparlVersion": OPARL_VERSION,
            "body": url("body_list"),
            "name": f"{settings.SITE_NAME} – Sitzungen der Präventionsnetzwerke",
            "contactEmail": settings.OPARL_CONTACT_EMAIL,
            "website": settings.SITE_URL + "/",
        }
    )


def body_obj(network: Network) -> dict:
    slug = network.slug
    return compact(
        {
            "id": url("body", network=slug),
            "type": oparl_type("Body"),
            "system": url("system"),
            "name": network.name,
            "shortName": slug,
            "classification": "Präventionsnetzwerk",
            "website": settings.SITE_URL + reverse("network_public", kwargs={"slug": slug})
            if network.public_profile
            else "",
            # the coordination's address only where the network publishes its contact section itself
            "contactEmail": network.contact_email if network.is_public(Network.PublicSection.CONTACT) else "",
            "organization": url("organization_list", network=slug),
            "person": url("person_list", network=slug),
            "meeting": url("meeting_list", network=slug),
            "paper": url("paper_list", network=slug),
            "legislativeTerm": [],
            "legislativeTermList": url("legislativeterm_list", network=slug),
            "agendaItem": url("agendaitem_list", network=slug),
            "file": url("file_list", network=slug),
            "created": stamp(network.created),
            "modified": stamp(network.created),
        }
    )


def organization_obj(body: Body) -> dict:
    return compact(
        {
            "id": url("organization", pk=body.pk),
            "type": oparl_type("Organization"),
            "body": url("body", network=body.network.slug),
            "name": body.name,
            "organizationType": "Gremium",
            "classification": body.get_kind_display(),
            "meeting": url("organization_meetings", pk=body.pk),
            "keyword": ["aktiv" if body.is_active else "inaktiv"],
            "created": stamp(body.created),
            "modified": stamp(body.created),
        }
    )


def location_obj(meeting: Meeting, *, embedded: bool) -> dict:
    data = {
        "id": url("location", pk=meeting.pk),
        "type": oparl_type("Location"),
        "description": meeting.place,
        "created": stamp(meeting.created),
        "modified": stamp(meeting.updated),
    }
    if not embedded:
        data["meetings"] = [url("meeting", pk=meeting.pk)]  # OParl 1.1 names this back reference in the plural
    return compact(data)


# Stored protocols never change (the SHA-256 is taken at approval), so their size and SHA-512 are read once.
_FILE_FACTS: dict[str, tuple[int, str]] = {}


def file_facts(meeting: Meeting) -> tuple[int, str] | None:
    """(size in bytes, SHA-512) of the stored protocol PDF, None when it is missing from the storage."""
    key = f"{meeting.public_protocol_pdf.name}:{meeting.public_protocol_pdf_sha256}"
    if key not in _FILE_FACTS:
        try:
            with meeting.public_protocol_pdf.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            return None
        _FILE_FACTS[key] = (len(content), hashlib.sha512(content).hexdigest())
    return _FILE_FACTS[key]


def file_obj(meeting: Meeting, *, embedded: bool) -> dict:
    from meetings.documents import protocol_filename

    facts = file_facts(meeting)
    access = url("file_download", pk=meeting.pk)
    data = {
        "id": url("file", pk=meeting.pk),
        "type": oparl_type("File"),
        "name": f"Protokoll {meeting}",
        "fileName": protocol_filename(meeting, public=True),
        "mimeType": PDF,
        "date": timezone.localtime(meeting.approved_at).date().isoformat(),
        "size": facts[0] if facts else None,
        "sha512Checksum": facts[1] if facts else None,
        "praevnet:sha256Checksum": meeting.public_protocol_pdf_sha256,
        "accessUrl": access,
        "downloadUrl": access,
        "fileRole": "Ergebnisprotokoll (genehmigt)",
        "created": stamp(meeting.approved_at),
        "modified": stamp(meeting.approved_at),
    }
    if not embedded:
        data["meeting"] = [url("meeting", pk=meeting.pk)]
    return compact(data)


def presented_by(item: AgendaItem) -> str:
    """Only an organisation, never a person: the speaker's organisation, the institution or the member's one."""
    if item.speaker_name or item.speaker_organisation:
        return item.speaker_organisation
    if item.presenter_partner_id:
        return item.presenter_partner.name
    if item.presenter_member_id and item.presenter_member.partner_id:
        return item.presenter_member.partner.name
    return ""


def agenda_item_obj(item: AgendaItem, meeting: Meeting, *, recommendations: list | None = None) -> dict:
    """`recommendations` are those of the TOP; only passed (and shown) when the protocol is approved."""
    texts = [rec.text for rec in recommendations or []]
    return compact(
        {
            "id": url("agendaitem", pk=item.pk),
            "type": oparl_type("AgendaItem"),
            "meeting": url("meeting", pk=meeting.pk),
            "number": str(item.number),
            "order": item.number,
            "name": item.title,
            "public": True,
            "result": "Empfehlung ausgesprochen" if texts else "",
            "resolutionText": "\n\n".join(texts),
            "praevnet:presentedBy": presented_by(item),
            "praevnet:partnerPresentation": True if item.is_partner_presentation else None,
            "created": stamp(meeting.created),
            "modified": stamp(meeting.updated),
        }
    )


def item_recommendations(meeting: Meeting) -> dict[int, list]:
    """Recommendations per TOP of an approved protocol (uses the prefetched ones); nothing for a draft."""
    if not meeting.is_approved:
        return {}
    by_item: dict[int, list] = {}
    for rec in meeting.recommendations.all():
        if rec.agenda_item_id:
            by_item.setdefault(rec.agenda_item_id, []).append(rec)
    return by_item


def meeting_state(meeting: Meeting) -> str:
    if meeting.is_cancelled:
        return "abgesagt"
    if meeting.ends_at <= clock.now():
        return "durchgeführt"
    return "eingeladen"


def meeting_obj(meeting: Meeting) -> dict:
    by_item = item_recommendations(meeting)
    protocol = meeting.is_approved and bool(meeting.public_protocol_pdf)
    return compact(
        {
            "id": url("meeting", pk=meeting.pk),
            "type": oparl_type("Meeting"),
            "name": str(meeting),
            "meetingState": meeting_state(meeting),
            "cancelled": meeting.is_cancelled,
            "start": stamp(meeting.starts_at),
            "end": stamp(meeting.ends_at),
            "location": location_obj(meeting, embedded=True),
            "organization": [url("organization", pk=meeting.body_id)],
            "resultsProtocol": file_obj(meeting, embedded=True) if protocol else None,
            "agendaItem": [
                agenda_item_obj(item, meeting, recommendations=by_item.get(item.pk)) for item in meeting.items.all()
            ],
            "created": stamp(meeting.created),
            "modified": stamp(meeting.updated),
        }
    )


def standalone_agenda_item_obj(item: AgendaItem) -> dict:
    meeting = item.meeting
    recommendations = None
    if meeting.is_approved:
        recommendations = list(Recommendation.objects.filter(agenda_item=item).order_by("created", "pk"))
    return agenda_item_obj(item, meeting, recommendations=recommendations)


# ---------------------------------------------------------------------------------------------------------------------
# Lists (OParl 1.1 "Objektlisten und Paginierung")
# ---------------------------------------------------------------------------------------------------------------------


def moment(request, name: str):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        # an unencoded "+" of the UTC offset arrives as a space
        value = parse_datetime(raw) or parse_datetime(raw.replace(" ", "+"))
        day = None if value else parse_date(raw)
    except ValueError:
        value = day = None
    if day is not None:
        value = datetime.datetime.combine(day, datetime.time())
    if value is None:
        raise BadRequest(f"„{name}“ muss ein Zeitpunkt nach ISO 8601 sein, z. B. 2026-01-31T12:00:00+01:00.")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def date_filtered(request, queryset, fields: dict[str, str]):
    """Apply created_since/_until and modified_since/_until to the model fields that hold them."""
    for name, (prop, lookup) in DATE_FILTERS.items():
        value = moment(request, name)
        if value is not None and queryset is not None:
            queryset = queryset.filter(**{f"{fields[prop]}__{lookup}": value})
    return queryset


def page_link(request, page: int) -> str:
    params = {key: value for key, value in request.GET.items() if key != "page"}
    if page > 1:
        params["page"] = str(page)
    query = urlencode(params)
    return settings.SITE_URL + request.path + (f"?{query}" if query else "")


def object_list(request, queryset, serialize, fields: dict[str, str] | None = None) -> dict:
    """One page of an OParl list: data, pagination and links; `queryset` None is an always empty list."""
    page = positive_int(request, "page", 1)
    limit = positive_int(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    queryset = date_filtered(request, queryset, fields or {"created": "created", "modified": "created"})
    total = queryset.count() if queryset is not None else 0
    pages = max(1, math.ceil(total / limit))
    if page > pages:
        raise NotFound(f"Diese Liste hat nur {pages} Seite{'n' if pages > 1 else ''}.")
    start = (page - 1) * limit
    items = list(queryset[start : start + limit]) if queryset is not None and total else []
    links = {"first": page_link(request, 1)}
    if page > 1:
        links["prev"] = page_link(request, page - 1)
    if page < pages:
        links["next"] = page_link(request, page + 1)
    links["last"] = page_link(request, pages)
    links["self"] = page_link(request, page)
    return {
        "data": [serialize(item) for item in items],
        "pagination": {"totalElements": total, "elementsPerPage": limit, "currentPage": page, "totalPages": pages},
        "links": links,
    }
