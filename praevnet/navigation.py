"""The main navigation: each entry names the permission it needs, so a role sees only what it may use.

Apps add their entries to NAVIGATION; order is the order shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from praevnet.access import Perm, has_perm, own_partner


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: Perm
    section: str  # request.resolver_match.url_name prefixes that mark the entry as current


NAVIGATION: list[NavItem] = [
    NavItem("Übersicht", "dashboard", Perm.VIEW_NETWORK, "dashboard"),
    NavItem("Partner", "partners:partner_list", Perm.VIEW_PARTNERS, "partners:partner_"),
    NavItem("Meine Einrichtung", "partners:own_partner", Perm.EDIT_OWN_PARTNER, "partners:partner_"),
    NavItem("Verzeichnis", "partners:directory", Perm.VIEW_NETWORK, "partners:directory"),
    NavItem("Abdeckung", "partners:coverage", Perm.VIEW_PARTNERS, "partners:coverage"),
    NavItem("Vereinbarungen", "agreements:agreement_list", Perm.VIEW_PARTNERS, "agreements:"),
    NavItem("Meine Vereinbarung", "agreements:own_agreements", Perm.EDIT_OWN_PARTNER, "agreements:own_"),
    NavItem("Ziele", "goals:goal_overview", Perm.VIEW_NETWORK, "goals:"),  # with tabs for key figures inside
    NavItem("Sitzungen", "meetings:meeting_list", Perm.VIEW_NETWORK, "meetings:"),
    NavItem("Netzwerk", "partners:network_detail", Perm.VIEW_NETWORK, "partners:network_"),
    NavItem("Änderungen", "audit_log", Perm.VIEW_AUDIT, "audit_log"),
]


@lru_cache(maxsize=2048)
def network_url(url_name: str, slug: str, urlconf: str, prefix: str) -> str:
    """A network page's URL, reversed once per process: the menu has eleven entries on every page.

    URL patterns do not change while the process runs; urlconf and prefix are part of the key for tests that swap
    them (the script prefix is what reverse() puts in front).
    """
    return reverse(url_name, kwargs={"network": slug}, urlconf=urlconf)


def items_for(request, network) -> list[dict]:
    current = request.resolver_match.view_name if request.resolver_match else ""
    urlconf, prefix = get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    return [
        {
            "label": item.label,
            "url": network_url(item.url_name, network.slug, urlconf, prefix),
            "active": bool(current) and current.startswith(item.section),
        }
        for item in NAVIGATION
        if has_perm(request.user, item.perm, network)
        # "Meine Einrichtung" only for people who act for an institution here
        and (item.perm != Perm.EDIT_OWN_PARTNER or own_partner(request.user, network) is not None)
    ]
