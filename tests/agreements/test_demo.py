import pytest

from agreements.demo import load_agreement_demo
from agreements.models import Agreement, AgreementTemplate
from praevnet.demo import load_demo

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.agreements.urls")]


def test_the_demo_has_the_three_seed_templates_and_agreements_in_every_state(settings, tmp_path):
    load_demo()  # loads the agreements too
    assert Agreement.objects.count() > 0
    assert load_agreement_demo() == 0
    titles = set(AgreementTemplate.objects.values_list("network__slug", "version_date"))
    assert {slug for slug, _ in titles} == {"unser-dingg", "fruehe-hilfen-duisburg", "interprochance-weiterstadt"}
    weiterstadt = AgreementTemplate.objects.get(network__slug="interprochance-weiterstadt")
    assert weiterstadt.terms_text() == (
        "Laufzeit 24 Monate ab Unterzeichnung, verlängert sich jeweils um 12 Monate; "
        "Kündigungsfrist 3 Monate zum Ablauf der Laufzeit; Kündigung in Schriftform"
    )
    assert weiterstadt.signatories.count() == 4
    assert "Chancengerechtigkeit" in weiterstadt.body
    statuses = set(Agreement.objects.values_list("status", flat=True))
    assert statuses == {"in_kraft", "unterzeichnet", "eingeladen"}
    assert Agreement.objects.filter(status="unterzeichnet").count() == 1
    assert all(a.pdf and a.pdf_sha256 for a in Agreement.objects.filter(status="in_kraft"))


def test_the_demo_can_be_loaded_twice(settings):
    load_demo()
    load_agreement_demo()
    count = Agreement.objects.count()
    load_demo()
    assert load_agreement_demo() == 0
    assert Agreement.objects.count() == count
    assert AgreementTemplate.objects.count() == 3
