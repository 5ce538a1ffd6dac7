import datetime
import re

import pytest
from django.core import mail

from agreements import services
from agreements.models import AgreementTemplate


@pytest.fixture
def template(world):
    """A published, Dinslaken-style version of the Musterstadt agreement with one network signatory."""
    draft = services.template_create(
        network=world.network,
        actor=world.coordinator,
        data={
            "title": "Kooperationsvereinbarung Frühe Hilfen Musterstadt",
            "version_date": datetime.date(2025, 1, 15),
            "body": "## Ziele\n\nDie Partner arbeiten im Netzwerk zusammen.\n\n- Austausch\n- Lenkungskreis",
            "initial_months": None,
            "renewal_months": None,
            "notice_amount": 4,
            "notice_unit": "weeks",
            "notice_to": "quarter_end",
            "written_form": False,
        },
        signatories=["Leitung des Jugendamtes"],
    )
    world.network.contact_email = "netzwerk@musterstadt.example"
    world.network.save()
    return services.template_publish(template=draft, actor=world.coordinator)


@pytest.fixture
def invite(world, template, django_capture_on_commit_callbacks):
    """Invite partner_a and return (agreement, raw token) with the e-mail sent."""

    def _invite(partner=None, email="leitung@hebamme.example"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.agreement_invite(
                network=world.network,
                partner=partner or world.partner_a,
                template=template,
                email=email,
                actor=world.coordinator,
            )

    return _invite


SIGNER = {
    "name": "Petra Sommer",
    "function": "Leitung",
    "place": "Musterstadt",
    "consent": True,
    "authorised": True,
    "drawn_signature": None,
    "ip": "192.0.2.10",
    "user_agent": "pytest",
}


def token_from_mail(message) -> str:
    return re.search(r"/vereinbarung/unterzeichnen/([\w-]+)/", message.body).group(1)


def last_mail():
    return mail.outbox[-1]


__all__ = ["SIGNER", "AgreementTemplate", "last_mail", "token_from_mail"]
