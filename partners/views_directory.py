"""The internal directory of a network (every member's offers and contacts) and the coverage of the prevention chain."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from partners.coverage import AXES, AXIS_FILTER, coverage_matrix, kreis_of
from partners.filters_directory import DirectoryFilter, active_member_ids, network_offers
from partners.models import ContactPerson, District, Network, Partner
from partners.services import PARTNER_FIELDS
from praevnet import access
from praevnet.access import Perm, method_checked, network_view, only
from praevnet.pdf import render_pdf

PER_PAGE = 20
OFFER_FILTERS = {"q", "life_stage", "district", "access_route", "language", "published"}


@method_checked
@network_view(Perm.VIEW_NETWORK)
def directory(request, network: Network):
    """Every active member with its offers and the contacts who agreed to be listed internally; the filters narrow
    the offers, and the list to the members that have a matching offer."""
    only(request, "GET")
    filterset = DirectoryFilter(
        request.GET or None, queryset=network_offers(network, published_only=False), network=network
    )
    active = filterset.active
    offers = filterset.qs if active else network_offers(network, published_only=False)
    members = Partner.objects.filter(pk__in=active_member_ids(network))
    if "sector" in active:
        members = members.filter(
            pk__in=Partner.sectors.through.objects.filter(sector_id=active["sector"]).order_by().values("partner_id")
        )
    if OFFER_FILTERS & set(active):
        matching = Q(pk__in=offers.order_by().values("partner_id"))
        if set(active) & OFFER_FILTERS == {"q"}:  # a search for a name also finds members without any offer yet
            matching |= Q(pk__in=Partner.objects.search(active["q"]).order_by().values("pk"))
        members = members.filter(matching)
    members = members.only("pk", *PARTNER_FIELDS).order_by("name", "pk")
    page = Paginator(members, PER_PAGE).get_page(request.GET.get("page"))
    shown = offers.order_by("title", "pk").prefetch_related(
        "life_stages", "access_routes", "languages", Prefetch("districts", queryset=District.objects.order_by("name"))
    )
    partners = list(
        Partner.objects.filter(pk__in=[p.pk for p in page.object_list])
        .order_by("name", "pk")
        .prefetch_related(
            "sectors",
            Prefetch(
                "contacts",
                queryset=ContactPerson.objects.filter(consent_internal=True, anonymised_at__isnull=True),
                to_attr="listed_contacts",
            ),
            Prefetch("offers", queryset=shown, to_attr="listed_offers"),
        )
        .defer("search_vector")
    )
    may_view_all = access.has_perm(request.user, Perm.VIEW_PARTNERS, network)
    own = access.own_partner(request.user, network)
    for partner in partners:
        partner.linked = may_view_all or (own is not None and own.pk == partner.pk)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/directory.html",
        {
            "network": network,
            "filter": filterset,
            "page": page,
            "partners": partners,
            "filtered": bool(active),
            "offer_count": offers.count() if active else None,
            "query_without_page": query.urlencode(),
        },
    )


def coverage_context(request, network: Network) -> dict:
    matrix = coverage_matrix(
        network=network, axis=request.GET.get("achse", "sozialraum"), scope=request.GET.get("umfang", "netzwerk")
    )
    base = reverse("partners:directory", kwargs={"network": network.slug})
    axis_filter = AXIS_FILTER[matrix.axis]
    rows = []
    for row in matrix.rows:
        cells = []
        for stage, count in zip(matrix.columns, row.cells, strict=True):
            link = f"{base}?{urlencode({'life_stage': stage.pk, axis_filter: row.key, 'published': 'on'})}"
            cells.append({"count": count, "url": link, "stage": stage.name})
        rows.append({"label": row.label, "group": row.group, "cells": cells, "total": row.total, "gaps": row.gaps})
    switch = {axis: f"?{urlencode({'achse': axis, 'umfang': matrix.scope})}" for axis in AXES}
    scopes = {scope: f"?{urlencode({'achse': matrix.axis, 'umfang': scope})}" for scope in ("netzwerk", "kreis")}
    return {
        "network": network,
        "matrix": matrix,
        "rows": rows,
        "axes": [(axis, label, switch[axis]) for axis, label in AXES.items()],
        "scopes": scopes,
        "kreis": kreis_of(network),
        "columns": [
            (stage, f"{base}?{urlencode({'life_stage': stage.pk, 'published': 'on'})}") for stage in matrix.columns
        ],
        "pdf_query": urlencode({"achse": matrix.axis, "umfang": matrix.scope}),
        "generated": timezone.localtime(),
    }


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def coverage(request, network: Network):
    """The matrix of life stages × Sozialräume (or sectors, access routes) with the gaps marked."""
    only(request, "GET")
    return render(request, "partners/coverage.html", coverage_context(request, network))


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def coverage_pdf(request, network: Network):
    only(request, "GET")
    context = coverage_context(request, network)
    pdf = render_pdf("pdf/coverage.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"abdeckung-{network.slug}-{context['matrix'].axis}-{context['generated']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
