"""The one place that answers "may this user do X in this network / to this object".

Roles are per network (`NetworkRole`). A permission is granted by the user's role in the network the object
belongs to; system administrators (superusers) may do everything. Views never look an object up by id without
going through a helper here, so an object of a network the user has no role in is a 404, not a 403.
"""

from __future__ import annotations

from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _

from partners.models import Network, Partner
from praevnet.models import NetworkRole
from praevnet.queries import CompiledQuery

if TYPE_CHECKING:
    from praevnet.models import User

Role = NetworkRole.Role


class Perm(StrEnum):
    VIEW_NETWORK = "view_network"  # the network's pages, the members and their contacts (internal)
    MANAGE_NETWORK = "manage_network"  # the network's own settings (meeting defaults, Leitbild …)
    VIEW_PARTNERS = "view_partners"  # the partner register with every profile (coordination, Jugendamt)
    MANAGE_PARTNERS = "manage_partners"  # partner register: create, edit, review, import, export
    EDIT_OWN_PARTNER = "edit_own_partner"  # a partner contact keeps its own Einrichtungsprofil
    VIEW_AUDIT = "view_audit"  # the network's audit log
    MANAGE_MEETINGS = "manage_meetings"  # bodies, members, year plan, meetings, agenda, invitations (coordination)
    WRITE_PROTOCOL = "write_protocol"  # attendance, protocol, send for comments, approve (Jugendamt, seed Duisburg)


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.COORDINATOR: frozenset(
        {
            Perm.VIEW_NETWORK,
            Perm.MANAGE_NETWORK,
            Perm.VIEW_PARTNERS,
            Perm.MANAGE_PARTNERS,
            Perm.VIEW_AUDIT,
            Perm.MANAGE_MEETINGS,
        }
    ),
    Role.JUGENDAMT: frozenset({Perm.VIEW_NETWORK, Perm.VIEW_PARTNERS, Perm.VIEW_AUDIT, Perm.WRITE_PROTOCOL}),
    Role.PARTNER: frozenset({Perm.VIEW_NETWORK, Perm.EDIT_OWN_PARTNER}),
}
ADMIN_LABEL = "Systemadministration"


def roles_of(user: User) -> dict[int, NetworkRole]:
    """The user's roles keyed by network id, fetched once per request (cached on the user object)."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_praevnet_roles", None)
    if cached is None:
        cached = {role.network_id: role for role in _ROLES.run(user.pk)}
        user._praevnet_roles = cached
    return cached


# Compiled once: asked on every page of a network. Unordered: a dict by network needs no order, and Meta.ordering
# would join the user table to sort by name.
_ROLES = CompiledQuery(
    lambda user_id: (
        NetworkRole.objects.filter(user_id=user_id, network__is_active=True)
        .select_related("network", "partner")
        .order_by()
    ),
    2_147_000_001,  # a placeholder: positive and within range, so Django keeps the condition
)


def networks_of(user: User) -> list[Network]:
    """The networks the user may enter, in name order (all active networks for system administrators)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Network.objects.filter(is_active=True).order_by("name"))
    return sorted((role.network for role in roles_of(user).values()), key=lambda n: n.name.casefold())


def role_in(user: User, network: Network) -> NetworkRole | None:
    return roles_of(user).get(network.pk)


def role_label(user: User, network: Network) -> str:
    role = role_in(user, network)
    if role is not None:
        return role.get_role_display()
    return ADMIN_LABEL if user.is_superuser else ""


def has_perm(user: User, perm: Perm, network: Network) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = role_in(user, network)
    return role is not None and perm in ROLE_PERMS[role.role]


def own_partner(user: User, network: Network) -> Partner | None:
    """The institution a partner contact acts for in this network (None for other roles)."""
    role = role_in(user, network)
    return role.partner if role is not None and role.role == Role.PARTNER else None


def may_edit_partner(user: User, partner: Partner, network: Network) -> bool:
    if has_perm(user, Perm.MANAGE_PARTNERS, network):
        return True
    own = own_partner(user, network)
    return own is not None and own.pk == partner.pk and has_perm(user, Perm.EDIT_OWN_PARTNER, network)


def get_partner_or_404(user: User, network: Network, pk: int, *, edit: bool = False) -> Partner:
    """A member institution of the network that the user may see (or edit); anything else is a 404."""
    try:
        partner = Partner.objects.get(pk=pk, memberships__network=network)
    except Partner.DoesNotExist:
        raise Http404(_("Diese Einrichtung gibt es in diesem Netzwerk nicht.")) from None
    allowed = may_edit_partner(user, partner, network) if edit else may_view_partner(user, partner, network)
    if not allowed:
        raise Http404(_("Diese Einrichtung gibt es in diesem Netzwerk nicht."))
    return partner


def may_view_partner(user: User, partner: Partner, network: Network) -> bool:
    if has_perm(user, Perm.VIEW_PARTNERS, network):
        return True
    own = own_partner(user, network)
    return own is not None and own.pk == partner.pk


def get_network_or_404(user: User, slug: str) -> Network:
    """The network with this slug if the user has a role in it (or is a system administrator); else 404."""
    if user.is_authenticated and user.is_superuser:
        try:
            return Network.objects.get(slug=slug, is_active=True)
        except Network.DoesNotExist:
            raise Http404(_("Dieses Netzwerk gibt es nicht.")) from None
    for role in roles_of(user).values():
        if role.network.slug == slug:
            return role.network
    raise Http404(_("Dieses Netzwerk gibt es nicht oder Sie gehören ihm nicht an."))


def require(user: User, perm: Perm, network: Network) -> None:
    if not has_perm(user, perm, network):
        raise PermissionDenied(_("Für diese Seite fehlt Ihnen in diesem Netzwerk die Berechtigung."))


def enter_network(request, slug: str, perm: Perm) -> Network:
    """Resolve the network of a request, check the permission and remember it for the navigation."""
    network = get_network_or_404(request.user, slug)
    require(request.user, perm, network)
    request.network = network
    request.network_role = role_in(request.user, network)
    if request.session.get("network") != network.slug:  # assigning marks the session for a write
        request.session["network"] = network.slug
    return network


def network_view(perm: Perm):
    """Decorator for function views under /n/<network>/: passes the network as the second argument."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, network: str, *args, **kwargs):
            return view(request, enter_network(request, network, perm), *args, **kwargs)

        return wrapper

    return decorator


class NetworkMixin:
    """For class views under /n/<network>/: sets self.network after checking `permission`."""

    permission: Perm = Perm.VIEW_NETWORK

    def dispatch(self, request, *args, **kwargs):
        self.network = enter_network(request, kwargs["network"], self.permission)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("network", self.network)
        return super().get_context_data(**kwargs)


def only(request, method: str) -> None:
    """Method check after the object lookup, so a foreign object is a 404 whatever the method."""
    if request.method != method:
        raise MethodNotAllowed([method])


class MethodNotAllowed(Exception):
    def __init__(self, allowed):
        self.allowed = allowed


def method_checked(view):
    """Turn MethodNotAllowed raised inside a view into the usual 405 response."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except MethodNotAllowed as exc:
            return HttpResponseNotAllowed(exc.allowed)

    return wrapper
