"""Random data posted to the agreement forms: never a 500, never a half-saved object."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings

from agreements import services
from agreements.models import Agreement, AgreementTemplate, Signature
from tests.agreements.conftest import SIGNER
from tests.test_fuzz_forms import payload

pytestmark = pytest.mark.urls("tests.agreements.urls")

EXAMPLES = 40
TEMPLATE_FIELDS = [
    "title",
    "version_date",
    "body",
    "initial_months",
    "renewal_months",
    "notice_amount",
    "notice_unit",
    "notice_to",
    "written_form",
    "signatories",
]


def fuzz(client, url, fields):
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=payload(fields))
    def post(data):
        response = client.post(url, data)
        assert response.status_code < 500, (data, response.status_code)

    post()


def test_random_template_forms_never_cause_a_server_error(world, login):
    url = reverse("agreements:template_create", kwargs={"network": world.network.slug})
    fuzz(login(world.coordinator), url, TEMPLATE_FIELDS)


def test_random_signing_forms_never_cause_a_server_error_nor_a_signature(client, invite):
    _agreement, token = invite()
    fuzz(client, reverse("agreement_sign", kwargs={"token": token}), [*SIGNER, "text_sha256"])
    assert not Signature.objects.exists()


def test_random_invitations_never_cause_a_server_error(world, login, template):
    url = reverse(
        "agreements:agreement_invite", kwargs={"network": world.network.slug, "partner_pk": world.partner_b.pk}
    )
    fuzz(login(world.coordinator), url, ["template", "email"])


def test_random_countersignatures_never_cause_a_server_error(world, login, invite):
    agreement, token = invite()
    services.agreement_sign(token=token, **SIGNER)
    url = reverse("agreements:agreement_countersign", kwargs={"network": world.network.slug, "pk": agreement.pk})
    fuzz(login(world.jugendamt), url, ["name", "function", "place"])


def test_random_paper_agreements_never_cause_a_server_error(world, login, template):
    url = reverse(
        "agreements:agreement_paper", kwargs={"network": world.network.slug, "partner_pk": world.partner_b.pk}
    )
    fuzz(login(world.coordinator), url, ["template", "signed_on_partner", "signed_on_network", "partner_signer"])
    assert not Agreement.objects.filter(partner=world.partner_b).exists()


def test_a_duplicate_template_version_is_a_form_error(world, login, template):
    response = login(world.coordinator).post(
        reverse("agreements:template_create", kwargs={"network": world.network.slug}),
        {
            "title": template.title,
            "version_date": template.version_date.isoformat(),
            "body": "x",
            "notice_amount": "4",
            "notice_unit": "weeks",
            "notice_to": "quarter_end",
        },
    )
    assert response.status_code == 200
    assert "gibt es in diesem Netzwerk schon" in response.content.decode()
    assert AgreementTemplate.objects.count() == 1
