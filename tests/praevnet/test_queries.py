"""CompiledQuery gives what its queryset gives, in one query, for any values of its parameters."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from partners.models import Partner
from praevnet import access
from praevnet.models import NetworkRole
from praevnet.queries import CompiledQuery
from tests.factories import NetworkRoleFactory


def state(instance) -> dict:
    return {key: value for key, value in instance.__dict__.items() if key != "_state"}


def test_roles_are_what_the_queryset_gives_with_network_and_institution_loaded(world, django_assert_num_queries):
    person = world.contact_a
    NetworkRoleFactory(user=person, network=world.other_network, role=NetworkRole.Role.JUGENDAMT)
    expected = {
        role.network_id: role
        for role in NetworkRole.objects.filter(user=person).select_related("network", "partner").order_by()
    }
    with django_assert_num_queries(1):
        roles = access.roles_of(person)
        assert {pk: state(role) for pk, role in roles.items()} == {pk: state(r) for pk, r in expected.items()}
        mine = roles[world.network.pk]
        assert state(mine.network) == state(expected[world.network.pk].network)
        assert state(mine.partner) == state(expected[world.network.pk].partner)  # loaded, nothing fetched later
        assert mine.partner.name == "Hebammenpraxis Am Bach" and roles[world.other_network.pk].partner is None
        assert mine.created.tzinfo is not None  # the fields' converters ran

    world.other_network.is_active = False
    world.other_network.save()
    assert set(access._ROLES.run(person.pk)) == {mine}  # an inactive network's role is left out
    assert access._ROLES.run(world.coordinator.pk)[0].user_id == world.coordinator.pk
    assert access._ROLES.run(-1) == []


def test_annotations_come_along(world):
    counted = CompiledQuery(
        lambda network_id: (
            Partner.objects.filter(memberships__network_id=network_id)
            .annotate(contact_count=Count("contacts"))
            .order_by("name")
        ),
        2_147_000_099,
    )
    expected = [
        (p.name, p.contact_count)
        for p in Partner.objects.filter(memberships__network=world.network).annotate(contact_count=Count("contacts"))
    ]
    assert sorted((p.name, p.contact_count) for p in counted.run(world.network.pk)) == sorted(expected)
    assert [p.name for p in counted.run(world.other_network.pk)] == ["Kita Fremdland"]


def test_placeholders_must_be_unambiguous_and_values_complete(world):
    twice = CompiledQuery(lambda pk: Partner.objects.filter(Q(pk=pk) | Q(reviewed_by_id=pk)), 2_147_000_007)
    with pytest.raises(ValueError, match="2-mal"):
        twice.run(1)
    absent = CompiledQuery(lambda pk: Partner.objects.filter(name="Kita Fremdland"), 2_147_000_007)
    with pytest.raises(ValueError, match="0-mal"):
        absent.run(1)
    # a small placeholder in a small-integer column (Django passes it as Int2 with server-side binding)
    versions = CompiledQuery(
        lambda version: Partner.objects.filter(memberships__network__is_active=True, version=version), 1
    )
    Partner.objects.filter(pk=world.partner_b.pk).update(version=3)
    assert [p.name for p in versions.run(3)] == ["Erziehungsberatung Mitte"]
    with pytest.raises(TypeError, match="1 Werte erwartet, 2 erhalten"):
        access._ROLES.run(1, 2)


def prepared_statements() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_only_the_lookups_inside_prepared_become_prepared_statements(world, client):
    from django.db import connection

    from praevnet.queries import prepared

    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    Partner.objects.filter(name="nicht vorbereitet").count()
    with prepared():
        access._ROLES.run(world.coordinator.pk)  # prepares itself as well
        Partner.objects.filter(name="vorbereitet").exists()
    statements = prepared_statements()
    assert any("praevnet_networkrole" in sql for sql in statements)
    assert any("partners_partner" in sql and "LIMIT 1" in sql for sql in statements)
    assert not any("COUNT(*)" in sql for sql in statements)
    assert connection.connection.prepare_threshold is None  # psycopg prepares nothing on its own again

    client.force_login(world.contact_a)  # the session engine looks the session up prepared
    assert client.get(f"/n/{world.network.slug}/").status_code == 200
    statements = prepared_statements()
    assert any("django_session" in sql for sql in statements)
    assert any(sql.startswith('SELECT "praevnet_user"') for sql in statements)  # PreparedPersonMiddleware


def test_prepared_is_a_no_op_with_client_side_binding(world):
    from django.db import connection

    from praevnet.queries import prepared

    options = connection.settings_dict["OPTIONS"]
    options["server_side_binding"] = False
    try:
        with prepared():
            assert [role.network_id for role in access._ROLES.run(world.coordinator.pk)] == [world.network.pk]
    finally:
        options["server_side_binding"] = True
