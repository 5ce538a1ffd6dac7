from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from praevnet.models import NetworkRole, User
from tests.factories import MembershipFactory, NetworkFactory, NetworkRoleFactory, PartnerFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WHITENOISE_AUTOREFRESH = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (31, 95, 107)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class World:
    """Two networks and the seven personas of the access matrix."""

    network: object
    other_network: object
    partner_a: object
    partner_b: object
    foreign_partner: object
    anonymous: None
    contact_a: User
    contact_b: User
    coordinator: User
    other_coordinator: User
    jugendamt: User
    admin: User

    def persona(self, name: str) -> User | None:
        return getattr(self, name)


PERSONAS = ["anonymous", "contact_a", "contact_b", "coordinator", "other_coordinator", "jugendamt", "admin"]


@pytest.fixture
def world(db) -> World:
    network = NetworkFactory(name="Frühe Hilfen Musterstadt", slug="musterstadt")
    network.logo.save("musterstadt.png", ContentFile(png_bytes()), save=True)
    other = NetworkFactory(name="Präventionskette Beispielkreis", slug="beispielkreis", region="Kreis Beispiel")
    partner_a = MembershipFactory(network=network, partner=PartnerFactory(name="Hebammenpraxis Am Bach")).partner
    partner_b = MembershipFactory(network=network, partner=PartnerFactory(name="Erziehungsberatung Mitte")).partner
    foreign = MembershipFactory(network=other, partner=PartnerFactory(name="Kita Fremdland")).partner

    def role(network, role, partner=None, **user):
        return NetworkRoleFactory(network=network, role=role, partner=partner, user=UserFactory(**user)).user

    return World(
        network=network,
        other_network=other,
        partner_a=partner_a,
        partner_b=partner_b,
        foreign_partner=foreign,
        anonymous=None,
        contact_a=role(network, NetworkRole.Role.PARTNER, partner_a, email="a@hebamme.example"),
        contact_b=role(network, NetworkRole.Role.PARTNER, partner_b, email="b@beratung.example"),
        coordinator=role(network, NetworkRole.Role.COORDINATOR, email="koordination@musterstadt.example"),
        other_coordinator=role(other, NetworkRole.Role.COORDINATOR, email="koordination@beispielkreis.example"),
        jugendamt=role(network, NetworkRole.Role.JUGENDAMT, email="jugendamt@musterstadt.example"),
        admin=UserFactory(email="admin@it.example", is_staff=True, is_superuser=True),
    )


def verify_second_factor(client, user) -> None:
    """Mark the client's session as having passed the TOTP step (as after a real code entry)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Test-App", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def login(client):
    """Log the test client in as a persona (None stays anonymous), past the second factor, and return it."""
    from praevnet.auth import two_factor_required

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
            if two_factor_required(type(user).objects.get(pk=user.pk)):
                verify_second_factor(client, user)
        return client

    return _login
