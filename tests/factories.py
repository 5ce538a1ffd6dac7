import datetime

import factory
from factory.django import DjangoModelFactory

from partners.models import Membership, Network, Partner
from praevnet.models import NetworkRole, User

PASSWORD = "geheim-und-lang-genug"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@beispiel.example")
    first_name = factory.Iterator(["Anna", "Bernd", "Carla", "Deniz", "Elif", "Falk"])
    last_name = factory.Iterator(["Albers", "Brandt", "Cremer", "Dogan", "Engel", "Fuchs"])
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Netzwerk Frühe Hilfen {n}")
    slug = factory.Sequence(lambda n: f"netzwerk-{n}")
    region = "Stadt Musterstadt"
    federal_state = "NW"
    jugendamt = "Jugendamt der Stadt Musterstadt"


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Familienzentrum Nummer {n}")
    kind = Partner.Kind.TRAEGER
    street = "Hauptstraße 1"
    postcode = "47051"
    city = "Musterstadt"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    partner = factory.SubFactory(PartnerFactory)
    network = factory.SubFactory(NetworkFactory)
    state = Membership.State.ACTIVE
    since = datetime.date(2024, 1, 1)


class NetworkRoleFactory(DjangoModelFactory):
    class Meta:
        model = NetworkRole

    user = factory.SubFactory(UserFactory)
    network = factory.SubFactory(NetworkFactory)
    role = NetworkRole.Role.COORDINATOR
