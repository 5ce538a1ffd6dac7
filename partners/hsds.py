"""Open data: the published offers of a network as Open Referral HSDS 3.0 (Human Services Data Specification).

Read-only JSON, no login, paginated like the HSDS 3.0 OpenAPI ("Page": total_items, total_pages, page_number, size,
first_page, last_page, empty, contents). Mapping:

    organization        ← the institution (Partner); only institutions with at least one published offer
    service             ← a published offer of an active member
    location            ← the institution's address (one physical location per institution)
    contact             ← contact persons who agreed to be listed publicly (consent_public), never anonymised ones
    service_area        ← the offer's Sozialräume
    language            ← the offer's languages

Ids are UUIDs as HSDS asks: services and organizations carry the database id in a version-8 UUID (so
/services/<id>/ can be answered without a lookup table), the nested objects get name-based UUIDs (version 5);
both stay the same between requests. Field names follow the published HSDS 3.0 JSON schema, including its
spellings `addresss` and `accessibilitys` on location.
"""

from __future__ import annotations

import hashlib
import math
import uuid

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from partners.filters_directory import active_member_ids, public_offers, search_offers
from partners.models import ContactPerson, District, FederalState, Network, Offer, Partner
from praevnet.api import BadRequest, positive_int

HSDS_VERSION = "3.0"
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
NAMESPACE = uuid.UUID("6f1b0c5e-2a55-4a8e-9d8e-70726165766e")  # fixed: the name-based ids never change
# ISO 639 codes where our language list uses another short name.
LANGUAGE_CODES = {"leichte-sprache": "de", "dgs": "gsg"}
LANGUAGE_NOTES = {"leichte-sprache": "Leichte Sprache"}


# ---------------------------------------------------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------------------------------------------------


def _prefix(kind: str) -> bytes:
    digest = hashlib.sha256(f"praevnet-hsds:{kind}".encode()).digest()
    return digest[:6] + bytes([0x80 | (digest[6] & 0x0F), digest[7]])  # version nibble 8


def entity_id(kind: str, pk: int) -> str:
    """UUIDv8 (RFC 9562) whose last 62 bits are the database id of the service or organization."""
    return str(uuid.UUID(bytes=_prefix(kind) + ((0b10 << 62) | pk).to_bytes(8, "big")))


def entity_pk(kind: str, value: str) -> int | None:
    """The database id inside an `entity_id`, None when the text is not one of ours for this kind."""
    try:
        raw = uuid.UUID(value).bytes
    except (ValueError, AttributeError, TypeError):
        return None
    if raw[:8] != _prefix(kind):
        return None
    return int.from_bytes(raw[8:], "big") & ((1 << 62) - 1)


def sub_id(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


# ---------------------------------------------------------------------------------------------------------------------
# Objects
# ---------------------------------------------------------------------------------------------------------------------


def compact(data: dict) -> dict:
    """Leave out empty optional fields (HSDS types them as strings, not as null)."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def phone(owner: str, number: str) -> dict:
    return {"id": sub_id(owner, "phone", number), "number": number}


def contact_obj(contact: ContactPerson) -> dict:
    owner = f"contact:{contact.pk}"
    return compact(
        {
            "id": sub_id(owner),
            "organization_id": entity_id("organization", contact.partner_id),
            "name": contact.name,
            "title": contact.function,
            "email": contact.email,
            "phones": [phone(owner, contact.phone)] if contact.phone else [],
        }
    )


def location_obj(partner: Partner, network: Network) -> dict:
    owner = f"location:{partner.pk}"
    address = []
    if partner.street and partner.postcode and partner.city:
        address.append(
            {
                "id": sub_id(owner, "address"),
                "location_id": sub_id(owner),
                "address_1": partner.street,
                "city": partner.city,
                "state_province": FederalState(network.federal_state).label,
                "postal_code": partner.postcode,
                "country": "DE",
                "address_type": "physical",
            }
        )
    accessibility = compact(
        {
            "id": sub_id(owner, "accessibility"),
            "location_id": sub_id(owner),
            "description": partner.get_accessibility_display(),
            "details": partner.accessibility_note,
        }
    )
    return compact(
        {
            "id": sub_id(owner),
            "location_type": "physical",
            "organization_id": entity_id("organization", partner.pk),
            "name": partner.name,
            "addresss": address,
            "accessibilitys": [accessibility],
            "phones": [phone(owner, partner.phone)] if partner.phone else [],
        }
    )


def organization_obj(partner: Partner, network: Network, *, services: list[Offer] | None = None) -> dict:
    owner = f"organization:{partner.pk}"
    description = partner.description or f"{partner.get_kind_display()} {partner.name}".strip()
    data = {
        "id": entity_id("organization", partner.pk),
        "name": partner.name,
        "description": description,
        "email": partner.email,
        "website": partner.website,
        "legal_status": partner.get_kind_display(),
        "phones": [phone(owner, partner.phone)] if partner.phone else [],
        "contacts": [contact_obj(c) for c in getattr(partner, "public_contacts", [])],
        "locations": [location_obj(partner, network)],
    }
    if services is not None:
        data["services"] = [{"id": entity_id("service", o.pk), "name": o.title, "status": "active"} for o in services]
    return compact(data)


def language_obj(offer: Offer, language) -> dict:
    code = LANGUAGE_CODES.get(
        language.slug, language.slug if language.slug.isalpha() and len(language.slug) <= 3 else ""
    )
    return compact(
        {
            "id": sub_id(f"service:{offer.pk}", "language", language.pk),
            "service_id": entity_id("service", offer.pk),
            "name": language.name,
            "code": code,
            "note": LANGUAGE_NOTES.get(language.slug, ""),
        }
    )


def service_obj(offer: Offer, network: Network) -> dict:
    partner = offer.partner
    stages = list(offer.life_stages.all())
    routes = [route.name for route in offer.access_routes.all()]
    lows = [s.age_from for s in stages]
    highs = [s.age_to for s in stages]
    fees = offer.get_cost_display() + (f" – {offer.cost_note}" if offer.cost_note else "")
    service_id = entity_id("service", offer.pk)
    location = location_obj(partner, network)
    return compact(
        {
            "id": service_id,
            "organization_id": entity_id("organization", partner.pk),
            "name": offer.title,
            "description": offer.description,
            "url": partner.website,
            "email": partner.email,
            "status": "active",
            "fees_description": fees,
            "application_process": ("Zugang: " + ", ".join(routes)) if routes else "",
            "eligibility_description": ("Für: " + ", ".join(s.name for s in stages)) if stages else "",
            "minimum_age": min(lows) if stages and None not in lows else None,
            "maximum_age": max(highs) if stages and None not in highs else None,
            "last_modified": offer.updated.isoformat(),
            "organization": organization_obj(partner, network),
            "languages": [language_obj(offer, language) for language in offer.languages.all()],
            "service_areas": [
                {
                    "id": sub_id(f"service:{offer.pk}", "service_area", d.pk),
                    "service_id": service_id,
                    "name": d.name,
                    "description": f"Sozialraum in {d.municipality.name}",
                }
                for d in offer.districts.all()
            ],
            "contacts": [contact_obj(c) for c in partner.public_contacts],
            "phones": [phone(f"organization:{partner.pk}", partner.phone)] if partner.phone else [],
            "service_at_locations": [
                {
                    "id": sub_id(f"service:{offer.pk}", "service_at_location", partner.pk),
                    "service_id": service_id,
                    "location_id": location["id"],
                    "location": location,
                }
            ],
        }
    )


# ---------------------------------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------------------------------

PUBLIC_CONTACTS = Prefetch(
    "contacts",
    queryset=ContactPerson.objects.filter(consent_public=True, anonymised_at__isnull=True).order_by("name", "pk"),
    to_attr="public_contacts",
)


def services_query(network: Network):
    return (
        public_offers(network)
        .select_related("partner")
        .prefetch_related(
            "life_stages",
            "access_routes",
            "languages",
            Prefetch("districts", queryset=District.objects.select_related("municipality").order_by("name")),
            Prefetch("partner__contacts", queryset=PUBLIC_CONTACTS.queryset, to_attr="public_contacts"),
        )
        .order_by("pk")
    )


def organizations_query(network: Network):
    published = public_offers(network).order_by().values("partner_id")
    return (
        Partner.objects.filter(pk__in=active_member_ids(network))
        .filter(pk__in=published)
        .prefetch_related(
            PUBLIC_CONTACTS,
            Prefetch(
                "offers",
                queryset=public_offers(network).only("pk", "title", "partner_id").order_by("title", "pk"),
                to_attr="published_offers",
            ),
        )
        .defer("search_vector")
        .order_by("pk")
    )


# ---------------------------------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------------------------------


def json_response(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may read it
    return response


def error(status: int, message: str) -> JsonResponse:
    return json_response({"error": message}, status=status)


def open_network(slug: str) -> Network | None:
    return Network.objects.filter(slug=slug, is_active=True).first()


def paginate(request, queryset, serialize) -> dict:
    page = positive_int(request, "page", 1)
    per_page = positive_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    total = queryset.count()
    start = (page - 1) * per_page
    items = list(queryset[start : start + per_page]) if start < total else []
    pages = math.ceil(total / per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(items),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not items,
        "contents": [serialize(item) for item in items],
    }


def api_view(view):
    """Public, GET only, a JSON 404 for an unknown network, a JSON 400 for bad parameters."""

    @login_not_required
    @require_GET
    def wrapper(request, network: str, *args, **kwargs):
        found = open_network(network)
        if found is None:
            return error(404, "Dieses Netzwerk gibt es nicht.")
        try:
            return view(request, found, *args, **kwargs)
        except BadRequest as exc:
            return error(400, str(exc))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@api_view
def api_root(request, network: Network):
    """What this API is: HSDS version, publisher and the endpoints."""
    kwargs = {"network": network.slug}
    return json_response(
        {
            "version": HSDS_VERSION,
            "publisher": network.name,
            "region": network.region,
            "services_url": request.build_absolute_uri(reverse("public:hsds_services", kwargs=kwargs)),
            "organizations_url": request.build_absolute_uri(reverse("public:hsds_organizations", kwargs=kwargs)),
            "finder_url": request.build_absolute_uri(reverse("public:finder", kwargs=kwargs)),
        }
    )


@api_view
def service_list(request, network: Network):
    """Published offers as fully nested HSDS services; `search` (German full text), `organization_id`."""
    services = services_query(network)
    text = request.GET.get("search", "").strip()
    if text:
        services = search_offers(services, text, networks=network)
    organization = request.GET.get("organization_id", "").strip()
    if organization:
        pk = entity_pk("organization", organization)
        if pk is None:
            raise BadRequest("„organization_id“ ist keine Kennung einer Einrichtung dieser Schnittstelle.")
        services = services.filter(partner_id=pk)
    return json_response(paginate(request, services, lambda offer: service_obj(offer, network)))


@api_view
def service_detail(request, network: Network, pk: str):
    offer_pk = entity_pk("service", pk)
    offer = services_query(network).filter(pk=offer_pk).first() if offer_pk is not None else None
    if offer is None:
        return error(404, "Dieses Angebot gibt es hier nicht.")
    return json_response(service_obj(offer, network))


@api_view
def organization_list(request, network: Network):
    """Member institutions with at least one published offer, each with its services (id, name, status)."""
    return json_response(
        paginate(
            request,
            organizations_query(network),
            lambda partner: organization_obj(partner, network, services=partner.published_offers),
        )
    )


@api_view
def organization_detail(request, network: Network, pk: str):
    partner_pk = entity_pk("organization", pk)
    partner = organizations_query(network).filter(pk=partner_pk).first() if partner_pk is not None else None
    if partner is None:
        return error(404, "Diese Einrichtung gibt es hier nicht.")
    return json_response(organization_obj(partner, network, services=partner.published_offers))
