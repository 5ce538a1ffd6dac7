import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from praevnet import access
from praevnet.access import Perm
from tests.factories import MembershipFactory, NetworkRoleFactory, UserFactory


@pytest.mark.parametrize(
    ("persona", "perm", "expected"),
    [
        ("coordinator", Perm.VIEW_NETWORK, True),
        ("coordinator", Perm.MANAGE_NETWORK, True),
        ("coordinator", Perm.MANAGE_PARTNERS, True),
        ("coordinator", Perm.EDIT_OWN_PARTNER, False),
        ("jugendamt", Perm.VIEW_NETWORK, True),
        ("jugendamt", Perm.MANAGE_NETWORK, False),
        ("jugendamt", Perm.MANAGE_PARTNERS, False),
        ("jugendamt", Perm.VIEW_AUDIT, True),
        ("contact_a", Perm.VIEW_NETWORK, True),
        ("contact_a", Perm.EDIT_OWN_PARTNER, True),
        ("contact_a", Perm.MANAGE_PARTNERS, False),
        ("contact_a", Perm.VIEW_AUDIT, False),
        ("other_coordinator", Perm.VIEW_NETWORK, False),
        ("other_coordinator", Perm.MANAGE_NETWORK, False),
        ("admin", Perm.MANAGE_NETWORK, True),
    ],
)
def test_permissions_follow_the_role_in_that_network(world, persona, perm, expected):
    assert access.has_perm(world.persona(persona), perm, world.network) is expected


def test_anonymous_has_no_permission(world):
    from django.contrib.auth.models import AnonymousUser

    assert access.has_perm(AnonymousUser(), Perm.VIEW_NETWORK, world.network) is False
    assert access.networks_of(AnonymousUser()) == []


def test_roles_are_per_network(world):
    """The coordinator of network A is a plain partner contact in network B."""
    MembershipFactory(network=world.other_network, partner=world.partner_a)
    NetworkRoleFactory(user=world.coordinator, network=world.other_network, role="partner", partner=world.partner_a)
    user = type(world.coordinator).objects.get(pk=world.coordinator.pk)
    assert access.has_perm(user, Perm.MANAGE_PARTNERS, world.network)
    assert not access.has_perm(user, Perm.MANAGE_PARTNERS, world.other_network)
    assert access.has_perm(user, Perm.EDIT_OWN_PARTNER, world.other_network)
    assert [n.slug for n in access.networks_of(user)] == ["musterstadt", "beispielkreis"]


def test_a_partner_contact_may_edit_only_its_own_institution(world):
    assert access.may_edit_partner(world.contact_a, world.partner_a, world.network)
    assert not access.may_edit_partner(world.contact_a, world.partner_b, world.network)
    assert access.may_edit_partner(world.coordinator, world.partner_b, world.network)
    assert not access.may_edit_partner(world.jugendamt, world.partner_b, world.network)


def test_a_network_without_a_role_is_a_404(world):
    with pytest.raises(Http404):
        access.get_network_or_404(world.other_coordinator, world.network.slug)
    assert access.get_network_or_404(world.coordinator, "musterstadt") == world.network
    assert access.get_network_or_404(world.admin, "musterstadt") == world.network


def test_an_inactive_network_is_a_404_even_for_members(world):
    world.network.is_active = False
    world.network.save()
    user = type(world.coordinator).objects.get(pk=world.coordinator.pk)
    with pytest.raises(Http404):
        access.get_network_or_404(user, world.network.slug)


def test_require_raises_403(world):
    with pytest.raises(PermissionDenied):
        access.require(world.jugendamt, Perm.MANAGE_NETWORK, world.network)


def test_a_role_is_fetched_once_per_request(world, django_assert_num_queries):
    user = type(world.coordinator).objects.get(pk=world.coordinator.pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            access.has_perm(user, Perm.VIEW_NETWORK, world.network)
            access.role_label(user, world.network)


def test_a_user_without_roles_sees_no_network(db):
    assert access.networks_of(UserFactory()) == []
