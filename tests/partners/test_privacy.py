"""DSGVO for contact persons: the export of everything stored about a person and the anonymisation of a contact."""

import json

import pytest
from django.apps import apps
from django.urls import include, path, reverse

from partners import privacy, views_privacy
from partners import urls as partner_urls
from partners.models import ContactPerson, Partner
from partners.services import ChildChange, WorkflowError, partner_update
from praevnet import urls as project_urls
from praevnet.audit import log_action
from praevnet.models import AuditEntry, NetworkRole
from tests.factories import MembershipFactory, NetworkRoleFactory, PartnerFactory, UserFactory

# Until partners/urls.py carries these three routes, the tests run on a URLconf that adds them; afterwards on the
# project's own, so the tests also check the wiring.
PRIVACY_PATTERNS = [
    path("ansprechperson/<int:pk>/datenschutz/", views_privacy.contact_privacy, name="contact_privacy"),
    path("ansprechperson/<int:pk>/export.json", views_privacy.contact_export, name="contact_export"),
    path("ansprechperson/<int:pk>/anonymisieren/", views_privacy.contact_anonymise, name="contact_anonymise"),
]
WIRED = {"contact_privacy", "contact_export", "contact_anonymise"} <= {
    getattr(p, "name", None) for p in partner_urls.urlpatterns
}
urlpatterns = [
    path("n/<slug:network>/", include((list(partner_urls.urlpatterns) + PRIVACY_PATTERNS, "partners"))),
    *project_urls.urlpatterns,
]
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

EMAIL = "mara.hansen@hafen.example"
PHONE = "0203 555 10"


@pytest.fixture(autouse=True)
def _privacy_urls(settings):
    if not WIRED:
        settings.ROOT_URLCONF = __name__


def url(name, network, contact):
    return reverse(f"partners:{name}", kwargs={"network": network.slug, "pk": contact.pk})


def add_contact(world, partner, actor, **data):
    """A contact person added through the profile form's service, so the institution's history names it."""
    partner.refresh_from_db()
    fields = {"name": "Mara Hansen", "function": "Leitung", "phone": PHONE, "email": EMAIL, "consent_internal": True}
    fields.update(data)
    partner_update(
        partner=partner,
        network=world.network,
        actor=actor,
        data={},
        version=partner.version,
        contacts=[ChildChange(pk=None, data=fields)],
    )
    return partner.contacts.get(name=fields["name"])


def change_contact(world, contact, actor, **data):
    partner = Partner.objects.get(pk=contact.partner_id)
    partner_update(
        partner=partner,
        network=world.network,
        actor=actor,
        data={},
        version=partner.version,
        contacts=[ChildChange(pk=contact.pk, data=data)],
    )
    contact.refresh_from_db()
    return contact


@pytest.fixture
def mara(world):
    """Mara Hansen: contact of A, again (other spelling of her address) of B, and a partner account in A."""
    first = add_contact(world, world.partner_a, world.coordinator)
    second = add_contact(world, world.partner_b, world.coordinator, email="Mara.Hansen@HAFEN.example", phone="")
    user = UserFactory(email=EMAIL, first_name="Mara", last_name="Hansen", title="Dr.", phone=PHONE)
    NetworkRoleFactory(user=user, network=world.network, role=NetworkRole.Role.PARTNER, partner=world.partner_a)
    return first, second, user


def all_audit_text() -> str:
    return json.dumps(list(AuditEntry.objects.values("object_label", "data")), ensure_ascii=False)


def table_state(*, skip=()) -> dict:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model not in skip
    }


# ---------------------------------------------------------------------------------------------------------------------
# Export (Art. 15)
# ---------------------------------------------------------------------------------------------------------------------


def test_the_export_contains_both_contact_rows_sharing_an_email_the_account_its_roles_and_audit_entries(world, mara):
    first, second, user = mara
    other = add_contact(world, world.partner_a, world.coordinator, name="Otto Meier", email="otto@hafen.example")
    log_action(
        actor=user, action="partner.update", network=world.network, obj=world.partner_a, data={"Ort": ["a", "b"]}
    )
    log_action(actor=user, action="contact.export", network=world.network, obj=other)  # someone else's record

    data = privacy.contact_person_data(contact=first, network=world.network)

    assert json.loads(json.dumps(data)) == data
    assert "Art. 15 DSGVO" in data["Hinweis"]
    rows = data["Einträge als Ansprechperson"]
    assert [(r["ID"], r["Einrichtung"], r["gefunden über"]) for r in rows] == [
        (first.pk, "Hebammenpraxis Am Bach", "angefragter Eintrag"),
        (second.pk, "Erziehungsberatung Mitte", "dieselbe E-Mail-Adresse"),
    ]
    assert rows[0]["Telefon"] == PHONE and rows[0]["Einwilligung: im internen Verzeichnis zeigen"] is True
    account = data["Benutzerkonto"]
    assert (account["E-Mail"], account["Anrede/Titel"], account["Telefon"]) == (EMAIL, "Dr.", PHONE)
    assert account["angelegt am"].startswith(str(user.date_joined.year))
    assert account["Rollen"] == [
        {
            "Netzwerk": world.network.name,
            "Rolle": "Kooperationspartner",
            "Einrichtung": "Hebammenpraxis Am Bach",
            "Funktion": "",
            "seit": account["Rollen"][0]["seit"],
        }
    ]
    entries = data["Protokolleinträge"]
    mentions = [e for e in entries if e["Bezug"] == [privacy.MENTIONS]]
    # the two profile saves that added her, each with only her line
    assert sorted(e["Objekt"] for e in mentions) == ["Erziehungsberatung Mitte", "Hebammenpraxis Am Bach"]
    assert {key for e in mentions for key in e["Einzelheiten"]} == {"Ansprechperson „Mara Hansen“"}
    acted = [e for e in entries if privacy.ACTED in e["Bezug"]]
    assert [(e["Aktion"], e["Objekt"], e["Einzelheiten"]) for e in acted] == [
        ("Profil geändert", "Hebammenpraxis Am Bach", None),
        ("Daten einer Person exportiert", privacy.OTHER_PERSON, None),
    ]
    assert "Otto Meier" not in json.dumps(data, ensure_ascii=False)
    assert all(e["Zeitpunkt"][:4].isdigit() and "T" in e["Zeitpunkt"] for e in entries)


def test_the_export_finds_entries_about_her_records_and_her_logins_for_the_whole_installation(world, mara):
    from axes.models import AccessAttempt

    first, _, user = mara
    role = user.network_roles.get()
    log_action(actor=world.coordinator, action="contact.export", network=world.network, obj=first)
    log_action(actor=user, action="auth.login", obj=user, data={"ip": "192.0.2.7"})
    log_action(actor=world.admin, action="role.assign", network=world.network, obj=role, data={"person": EMAIL})
    log_action(actor=None, action="auth.login_failed", data={"email": EMAIL.upper(), "ip": "192.0.2.8"})
    log_action(actor=None, action="auth.login_failed", data={"email": f"x{EMAIL}", "ip": "192.0.2.9"})
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="192.0.2.8", user_agent="Firefox", failures_since_start=2, get_data="", post_data=""
    )

    data = privacy.contact_person_data(contact=first)

    entries = {e["Aktion"]: e for e in data["Protokolleinträge"]}
    assert entries["Daten einer Person exportiert"]["Bezug"] == [privacy.ABOUT]
    assert entries["Anmeldung"]["Bezug"] == [privacy.ABOUT, privacy.ACTED]
    assert entries["Anmeldung"]["Einzelheiten"] == {"ip": "192.0.2.7"}
    assert entries["Rolle vergeben"]["Bezug"] == [privacy.ABOUT]
    failed = [e for e in data["Protokolleinträge"] if e["Aktion"] == "Anmeldung fehlgeschlagen"]
    assert [e["Einzelheiten"]["ip"] for e in failed] == ["192.0.2.8"]  # not the look-alike address
    assert data["Benutzerkonto"]["Zwei-Faktor-Geräte"] == []
    assert [a["IP-Adresse"] for a in data["Benutzerkonto"]["Gezählte Fehlanmeldungen"]] == ["192.0.2.8"]
    # the network's coordination does not get the installation-wide login records
    scoped = privacy.contact_person_data(contact=first, network=world.network)
    assert "Anmeldung" not in {e["Aktion"] for e in scoped["Protokolleinträge"]}


def test_a_coordinator_export_leaves_out_what_other_networks_hold(world, mara):
    first, _, user = mara
    foreign = add_contact(world, world.foreign_partner, world.other_coordinator, phone="")
    NetworkRoleFactory(
        user=user, network=world.other_network, role=NetworkRole.Role.PARTNER, partner=world.foreign_partner
    )
    log_action(actor=user, action="partner.submit", network=world.other_network, obj=world.foreign_partner)

    scoped = privacy.contact_person_data(contact=first, network=world.network)
    everything = privacy.contact_person_data(contact=first)

    assert foreign.pk not in [r["ID"] for r in scoped["Einträge als Ansprechperson"]]
    assert foreign.pk in [r["ID"] for r in everything["Einträge als Ansprechperson"]]
    assert [r["Netzwerk"] for r in scoped["Benutzerkonto"]["Rollen"]] == [world.network.name]
    assert len(everything["Benutzerkonto"]["Rollen"]) == 2
    assert world.other_network.name not in json.dumps(scoped, ensure_ascii=False)
    assert world.other_network.name in json.dumps(everything, ensure_ascii=False)


def test_an_account_with_roles_only_elsewhere_is_not_shown_to_the_coordinator(world):
    contact = add_contact(world, world.partner_a, world.coordinator)
    user = UserFactory(email=EMAIL)
    NetworkRoleFactory(user=user, network=world.other_network, role=NetworkRole.Role.COORDINATOR)

    assert privacy.contact_person_data(contact=contact, network=world.network)["Benutzerkonto"] is None
    assert privacy.contact_person_data(contact=contact)["Benutzerkonto"]["E-Mail"] == EMAIL


def test_a_contact_without_email_matches_no_other_contact_without_email(world):
    first = add_contact(world, world.partner_a, world.coordinator, email="")
    add_contact(world, world.partner_b, world.coordinator, name="Otto Meier", email="")

    data = privacy.contact_person_data(contact=first, network=world.network)

    assert [r["ID"] for r in data["Einträge als Ansprechperson"]] == [first.pk]
    assert data["Benutzerkonto"] is None


def test_the_export_is_audited_without_personal_data(world, mara):
    first, _, _ = mara

    content = privacy.contact_export(contact=first, network=world.network, actor=world.coordinator)

    exported = json.loads(content.decode("utf-8"))
    assert exported["Einträge als Ansprechperson"][0]["E-Mail"] == EMAIL
    assert "\n  " in content.decode("utf-8")  # pretty
    entry = AuditEntry.objects.get(action="contact.export")
    assert (entry.actor, entry.network, entry.object_id) == (world.coordinator, world.network, str(first.pk))
    text = json.dumps(entry.data, ensure_ascii=False).lower()
    for personal in ("mara", "hansen", EMAIL, PHONE, "dr."):
        assert personal.lower() not in text
    assert entry.data["Einträge als Ansprechperson"] == 2


# ---------------------------------------------------------------------------------------------------------------------
# Anonymisation (Art. 17)
# ---------------------------------------------------------------------------------------------------------------------


def test_anonymising_clears_the_personal_fields_and_keeps_the_row_and_the_partner(world, mara):
    first, second, user = mara
    first.consent_public = True
    first.save()

    result = privacy.contact_anonymise(contact=first, network=world.network, actor=world.coordinator)

    first.refresh_from_db()
    assert result.pk == first.pk
    assert (first.name, first.phone, first.email) == ("Anonymisierte Person", "", "")
    assert (first.consent_internal, first.consent_public) == (False, False)
    assert first.function == "Leitung"
    assert first.anonymised_at is not None
    assert first.partner == world.partner_a and Partner.objects.filter(pk=world.partner_a.pk).exists()
    second.refresh_from_db()
    user.refresh_from_db()
    assert second.name == "Mara Hansen" and user.email == EMAIL  # other records of the person are not touched
    entry = AuditEntry.objects.get(action="contact.anonymise")
    assert (entry.network, entry.object_id, entry.object_label) == (
        world.network,
        str(first.pk),
        "Anonymisierte Person",
    )
    assert "mara" not in json.dumps(entry.data, ensure_ascii=False).lower()


def test_anonymising_scrubs_the_earlier_audit_entries_about_the_contact(world):
    contact = add_contact(world, world.partner_a, world.coordinator, name="Mara Jansen", email="mj@hafen.example")
    other = add_contact(world, world.partner_a, world.coordinator, name="Otto Meier", email="otto@hafen.example")
    contact = change_contact(world, contact, world.coordinator, phone="0203 999 99", name="Mara Hansen")
    contact = change_contact(world, contact, world.coordinator, email=EMAIL, function="Stellv. Leitung")
    change_contact(world, other, world.coordinator, email="otto.meier@hafen.example")
    privacy.contact_export(contact=contact, network=world.network, actor=world.coordinator)
    assert "Mara Jansen" in all_audit_text()
    versions = list(AuditEntry.objects.filter(action="partner.update").values_list("data___version", flat=True))

    privacy.contact_anonymise(contact=contact, network=world.network, actor=world.coordinator)

    text = all_audit_text()
    for personal in ("Mara Jansen", "Mara Hansen", "mj@hafen.example", EMAIL, PHONE, "0203 999 99"):
        assert personal not in text
    assert "Ansprechperson „[anonymisiert]“: Name" in text
    assert "Ansprechperson „[anonymisiert]“: Funktion" in text  # what changed and when stays
    assert "Otto Meier" in text and "otto.meier@hafen.example" in text  # a colleague's lines stay as they were
    export = AuditEntry.objects.get(action="contact.export")
    assert export.object_label == "[anonymisiert]"
    assert list(AuditEntry.objects.filter(action="partner.update").values_list("data___version", flat=True)) == (
        versions
    )
    other.refresh_from_db()
    assert other.name == "Otto Meier"


def test_anonymising_twice_is_refused(world, mara):
    first, _, _ = mara
    privacy.contact_anonymise(contact=first, network=world.network, actor=world.coordinator)

    with pytest.raises(WorkflowError, match="bereits anonymisiert"):
        privacy.contact_anonymise(contact=first, network=world.network, actor=world.coordinator)
    assert AuditEntry.objects.filter(action="contact.anonymise").count() == 1


def test_anonymising_changes_nothing_else(world, mara):
    first, _, _ = mara
    log_action(actor=world.coordinator, action="network.update", network=world.network, obj=world.network)
    others_before = table_state(skip={ContactPerson, AuditEntry})
    contacts_before = list(ContactPerson.objects.exclude(pk=first.pk).order_by("pk").values())
    unrelated = AuditEntry.objects.exclude(object_type="partners.Partner").exclude(object_id=str(first.pk))
    audit_before = list(unrelated.order_by("pk").values())
    audit_count = AuditEntry.objects.count()

    privacy.contact_anonymise(contact=first, network=world.network, actor=world.coordinator)

    assert table_state(skip={ContactPerson, AuditEntry}) == others_before
    assert list(ContactPerson.objects.exclude(pk=first.pk).order_by("pk").values()) == contacts_before
    assert ContactPerson.objects.filter(pk=first.pk).exists()
    assert AuditEntry.objects.count() == audit_count + 1
    assert list(unrelated.exclude(action="contact.anonymise").order_by("pk").values()) == audit_before


# ---------------------------------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------------------------------


def test_the_coordinator_sees_what_is_stored_and_the_anonymise_button(world, mara, login):
    first, _, _ = mara

    response = login(world.coordinator).get(url("contact_privacy", world.network, first))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Datenschutz: Mara Hansen" in page
    assert "Alle Daten als Datei herunterladen (JSON)" in page
    assert "Erziehungsberatung Mitte" in page  # the second record with her address
    assert "Kooperationspartner in Frühe Hilfen Musterstadt" in page
    assert "Ich habe geprüft, dass die Person ihre Löschung verlangt hat" in page
    assert 'type="submit" class="btn btn-danger">Anonymisieren' in page
    assert "style=" not in page.split('id="inhalt"')[1] and "<script>" not in page


def test_the_coordinator_downloads_the_export_as_an_audited_attachment(world, mara, login):
    first, _, _ = mara

    response = login(world.coordinator).get(url("contact_export", world.network, first))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="ansprechperson-{first.pk}.json"'
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content)["Einträge als Ansprechperson"][0]["E-Mail"] == EMAIL
    assert AuditEntry.objects.filter(action="contact.export", actor=world.coordinator).count() == 1


@pytest.mark.parametrize(
    ("persona", "page", "export", "anonymise"),
    [
        ("coordinator", 200, 200, 200),
        ("admin", 200, 200, 200),
        ("jugendamt", 403, 403, 403),
        ("contact_a", 403, 403, 403),  # even of her own institution: partners ask the coordination
        ("contact_b", 403, 403, 403),
        ("other_coordinator", 404, 404, 404),
        ("anonymous", 302, 302, 302),
    ],
)
def test_only_the_networks_coordination_may_use_the_pages(world, mara, login, persona, page, export, anonymise):
    first, _, _ = mara
    client = login(world.persona(persona))

    assert client.get(url("contact_privacy", world.network, first)).status_code == page
    assert client.get(url("contact_export", world.network, first)).status_code == export
    assert client.post(url("contact_anonymise", world.network, first)).status_code == anonymise
    first.refresh_from_db()
    assert first.anonymised_at is None


def test_a_contact_of_another_networks_partner_is_not_found(world, login):
    foreign = add_contact(world, world.foreign_partner, world.other_coordinator)
    client = login(world.coordinator)

    assert client.get(url("contact_privacy", world.network, foreign)).status_code == 404
    assert client.get(url("contact_export", world.network, foreign)).status_code == 404
    assert client.post(url("contact_anonymise", world.network, foreign), {"confirm": "on"}).status_code == 404
    assert client.get(url("contact_anonymise", world.network, foreign)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.anonymised_at is None
    assert not AuditEntry.objects.filter(action__startswith="contact.").exists()


def test_a_partner_in_both_networks_shows_its_contact_in_both(world, login):
    shared = MembershipFactory(network=world.other_network, partner=PartnerFactory(name="Familienbüro")).partner
    MembershipFactory(network=world.network, partner=shared)
    contact = add_contact(world, shared, world.coordinator)

    assert login(world.coordinator).get(url("contact_privacy", world.network, contact)).status_code == 200
    assert login(world.other_coordinator).get(url("contact_privacy", world.other_network, contact)).status_code == 200


def test_anonymise_rejects_get(world, mara, login):
    first, _, _ = mara

    assert login(world.coordinator).get(url("contact_anonymise", world.network, first)).status_code == 405
    assert login(world.coordinator).post(url("contact_export", world.network, first)).status_code == 405
    assert login(world.coordinator).post(url("contact_privacy", world.network, first)).status_code == 405


def test_anonymise_without_confirmation_shows_a_german_error_and_changes_nothing(world, mara, login):
    first, _, _ = mara
    client = login(world.coordinator)
    audit_count = AuditEntry.objects.count()

    response = client.post(url("contact_anonymise", world.network, first), {})

    assert response.status_code == 200
    assert "Bitte bestätigen Sie zuerst, dass Sie die Anonymisierung geprüft haben." in response.content.decode()
    first.refresh_from_db()
    assert (first.name, first.email, first.anonymised_at) == ("Mara Hansen", EMAIL, None)
    assert AuditEntry.objects.count() == audit_count


def test_anonymise_with_confirmation_goes_back_to_the_institution(world, mara, login):
    first, _, _ = mara
    client = login(world.coordinator)

    response = client.post(url("contact_anonymise", world.network, first), {"confirm": "on"}, follow=True)

    detail = reverse("partners:partner_detail", kwargs={"network": world.network.slug, "pk": world.partner_a.pk})
    assert response.redirect_chain == [(detail, 302)]
    assert "Die Ansprechperson ist anonymisiert." in response.content.decode()
    first.refresh_from_db()
    assert first.name == "Anonymisierte Person"
    assert AuditEntry.objects.get(action="contact.anonymise").actor == world.coordinator


def test_an_anonymised_contact_has_no_anonymise_button_and_a_second_post_is_refused(world, mara, login):
    first, _, _ = mara
    privacy.contact_anonymise(contact=first, network=world.network, actor=world.coordinator)
    client = login(world.coordinator)

    page = client.get(url("contact_privacy", world.network, first)).content.decode()
    assert "Diese Ansprechperson wurde am" in page and "anonymisiert" in page
    assert "btn-danger" not in page and 'name="confirm"' not in page

    response = client.post(url("contact_anonymise", world.network, first), {"confirm": "on"}, follow=True)
    assert "Diese Ansprechperson ist bereits anonymisiert." in response.content.decode()
    assert AuditEntry.objects.filter(action="contact.anonymise").count() == 1
