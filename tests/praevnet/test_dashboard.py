from django.urls import reverse

from praevnet.models import NetworkRole
from tests.factories import MembershipFactory, NetworkRoleFactory, UserFactory


def dashboard_url(network):
    return reverse("dashboard", kwargs={"network": network.slug})


def test_home_sends_a_person_to_the_network_used_last(login, world):
    MembershipFactory(network=world.other_network, partner=world.partner_a)
    NetworkRoleFactory(user=world.contact_a, network=world.other_network, role="partner", partner=world.partner_a)
    client = login(world.contact_a)
    client.get(dashboard_url(world.other_network))
    assert client.get(reverse("home"))["Location"] == dashboard_url(world.other_network)
    client.get(dashboard_url(world.network))
    assert client.get(reverse("home"))["Location"] == dashboard_url(world.network)


def test_home_explains_when_a_person_has_no_network(login, db):
    response = login(UserFactory()).get(reverse("home"))
    assert response.status_code == 200
    assert "Ihr Konto ist noch keinem Netzwerk zugeordnet" in response.content.decode()


def test_home_sends_an_administrator_without_networks_to_the_admin(login, db):
    response = login(UserFactory(is_staff=True, is_superuser=True)).get(reverse("home"))
    assert response["Location"] == reverse("admin:index")


def test_the_coordinator_sees_members_team_and_may_edit(login, world):
    response = login(world.coordinator).get(dashboard_url(world.network))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mitgliedseinrichtungen" in html
    assert "Hebammenpraxis Am Bach" in html and "Erziehungsberatung Mitte" in html
    assert "Kita Fremdland" not in html
    assert "Netzwerk bearbeiten" in html
    assert "Netzwerkkoordination" in html


def test_the_jugendamt_sees_the_overview_without_edit_links(login, world):
    html = login(world.jugendamt).get(dashboard_url(world.network)).content.decode()
    assert "Mitgliedseinrichtungen" in html
    assert "Netzwerk bearbeiten" not in html
    assert "Jugendamt" in html


def test_a_partner_contact_sees_its_own_institution(login, world):
    html = login(world.contact_a).get(dashboard_url(world.network)).content.decode()
    assert "Ihre Einrichtung" in html
    assert "Sie vertreten <strong>Hebammenpraxis Am Bach</strong>" in html
    assert "Erziehungsberatung Mitte" in html  # listed among the other members
    assert "Netzwerk bearbeiten" not in html


def test_the_navigation_shows_only_what_the_role_may_use(login, world):
    admin_link = reverse("admin:index")
    assert admin_link not in login(world.coordinator).get(dashboard_url(world.network)).content.decode()
    assert admin_link in login(world.admin).get(dashboard_url(world.network)).content.decode()


def test_the_switcher_lists_every_network_of_the_person(login, world):
    MembershipFactory(network=world.other_network, partner=world.partner_a)
    NetworkRoleFactory(user=world.contact_a, network=world.other_network, role="partner", partner=world.partner_a)
    html = login(world.contact_a).get(dashboard_url(world.network)).content.decode()
    assert "Ihre Netzwerke" in html
    assert dashboard_url(world.other_network) in html
    assert "Präventionskette Beispielkreis" in html


def test_a_foreign_network_is_a_404(login, world):
    assert login(world.other_coordinator).get(dashboard_url(world.network)).status_code == 404
    assert login(world.coordinator).get(reverse("dashboard", kwargs={"network": "gibt-es-nicht"})).status_code == 404


def test_dashboard_query_count_does_not_grow_with_members(login, world, django_assert_max_num_queries):
    client = login(world.coordinator)
    client.get(dashboard_url(world.network))
    with django_assert_max_num_queries(25) as few:  # register, meetings and goals cards: a fixed number each
        client.get(dashboard_url(world.network))
    for _ in range(30):
        MembershipFactory(network=world.network)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(dashboard_url(world.network))


def test_the_account_page_lists_roles_and_saves_the_name(login, world):
    client = login(world.contact_a)
    response = client.get(reverse("account"))
    assert "Kooperationspartner für Hebammenpraxis Am Bach" in response.content.decode()
    response = client.post(
        reverse("account"), {"title": "Dr.", "first_name": "Hanna", "last_name": "Bach", "phone": "0203 1234"}
    )
    assert response.status_code == 302
    world.contact_a.refresh_from_db()
    assert world.contact_a.get_full_name() == "Dr. Hanna Bach"


def test_the_account_form_requires_a_name(login, world):
    response = login(world.contact_a).post(reverse("account"), {"first_name": "", "last_name": ""})
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()


def test_role_constraint_rejects_a_partner_role_without_institution(world):
    from django.core.exceptions import ValidationError

    role = NetworkRole(user=UserFactory(), network=world.network, role="partner")
    try:
        role.full_clean()
    except ValidationError as exc:
        assert "partner" in exc.message_dict
    else:
        raise AssertionError("full_clean accepted a partner role without institution")


def test_the_coordinator_dashboard_shows_profiles_waiting_for_review(login, world):
    from partners.models import Partner

    Partner.objects.filter(pk=world.partner_a.pk).update(profile_state="eingereicht")
    html = login(world.coordinator).get(dashboard_url(world.network)).content.decode()
    assert "1 Einrichtungsprofil</strong> wartet auf Ihre Prüfung" in html


def test_the_partner_dashboard_links_the_profile(login, world):
    html = login(world.contact_a).get(dashboard_url(world.network)).content.decode()
    assert reverse("partners:partner_edit", kwargs={"network": "musterstadt", "pk": world.partner_a.pk}) in html
