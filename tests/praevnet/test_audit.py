from django.urls import reverse

from praevnet.audit import log_action
from praevnet.models import AuditEntry, NetworkRole
from tests.factories import UserFactory


def audit_url(network):
    return reverse("audit_log", kwargs={"network": network.slug})


def test_coordinators_see_their_networks_entries_only(login, world):
    log_action(
        actor=world.coordinator,
        action="network.update",
        network=world.network,
        obj=world.network,
        data={"meeting_place": ["Rathaus", "Kreishaus"]},
    )
    log_action(
        actor=world.other_coordinator,
        action="network.update",
        network=world.other_network,
        obj=world.other_network,
        data={"focus": ["", "geheim"]},
    )
    response = login(world.coordinator).get(audit_url(world.network))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Netzwerk geändert" in html
    assert "Rathaus → Kreishaus" in html
    assert "geheim" not in html


def test_the_jugendamt_reads_the_audit_log_and_partners_may_not(login, world):
    assert login(world.jugendamt).get(audit_url(world.network)).status_code == 200
    assert login(world.contact_a).get(audit_url(world.network)).status_code == 403
    assert login(world.other_coordinator).get(audit_url(world.network)).status_code == 404


def test_the_audit_log_filters_by_action_and_date(login, world):
    log_action(actor=world.coordinator, action="network.update", network=world.network, obj=world.network)
    log_action(actor=world.coordinator, action="role.assign", network=world.network, obj=world.network)
    client = login(world.coordinator)
    html = client.get(audit_url(world.network), {"action": "role.assign"}).content.decode()
    assert "Rolle vergeben" in html
    assert "<td >Netzwerk geändert</td>" not in html and "Netzwerk geändert</td>" not in html
    response = client.get(audit_url(world.network), {"since": "kein Datum"})
    assert response.status_code == 200
    assert "Bitte ein gültiges Datum eingeben." in response.content.decode()


def test_role_changes_in_the_admin_are_audited(login, world):
    client = login(world.admin)
    person = UserFactory(email="neu@musterstadt.example")
    response = client.post(
        reverse("admin:praevnet_networkrole_add"),
        {"user": person.pk, "network": world.network.pk, "role": "jugendamt", "partner": "", "function": "Sachgebiet"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    role = NetworkRole.objects.get(user=person)
    entry = AuditEntry.objects.get(action="role.assign")
    assert entry.network == world.network
    assert entry.actor == world.admin
    assert entry.data["person"] == "neu@musterstadt.example"
    client.post(reverse("admin:praevnet_networkrole_delete", args=[role.pk]), {"post": "yes"})
    assert AuditEntry.objects.filter(action="role.remove", network=world.network).exists()


def test_audit_entries_cannot_be_changed_in_the_admin(login, world):
    entry = log_action(actor=world.coordinator, action="network.update", network=world.network)
    client = login(world.admin)
    assert client.get(reverse("admin:praevnet_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:praevnet_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:praevnet_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
