import datetime
import hashlib
import io
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from agreements.models import Agreement, AgreementTemplate, Signature, SigningInvitation
from meetings.models import ActionItem, AgendaItem, Body, BodyMember, Meeting, Participant, Recommendation
from partners.models import ContactPerson, District, Membership, Network, Offer, Partner
from tests.factories import MembershipFactory, NetworkFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def snapshot():
    scale = Partner.objects.filter(memberships__network__slug__startswith="scale-").distinct()
    return (
        list(scale.order_by("name").values_list("name", "postcode", "city", "profile_state")),
        list(Offer.objects.filter(partner__in=scale).order_by("partner__name", "title").values_list("title", "cost")),
        list(ContactPerson.objects.filter(partner__in=scale).order_by("email").values_list("name", "email")),
    )


def test_seed_scale_creates_networks_partners_contacts_and_offers():
    out = seed("--partners", "300", "--network-size", "100")
    networks = Network.objects.filter(slug__startswith="scale-").order_by("slug")
    assert list(networks.values_list("slug", flat=True)) == ["scale-001", "scale-002", "scale-003"]
    for network in networks:
        assert Partner.objects.in_network(network).count() == 100
        assert District.objects.filter(municipality__networks=network).count() == 6
    assert Partner.objects.count() == 300
    assert Membership.objects.count() == 300
    assert 2500 <= Offer.objects.count() <= 3500
    assert 300 <= ContactPerson.objects.count() <= 600
    assert not Partner.objects.filter(contacts__isnull=True).exists()
    offer = Offer.objects.prefetch_related("life_stages", "districts", "languages", "access_routes").first()
    assert offer.life_stages.exists() and offer.districts.exists() and offer.languages.exists()
    assert Partner.objects.filter(name__regex=r"^\w.* (Nord|Süd|Ost|West|Mitte|Altstadt) \d+$").count() == 300
    assert "Fertig in" in out and "300 Einrichtungen" in out


def test_the_seeded_register_is_searchable_through_the_generated_columns():
    seed("--partners", "300", "--network-size", "100")
    network = Network.objects.get(slug="scale-001")
    assert Partner.objects.in_network(network).search("Hebamme").exists()
    assert Partner.objects.in_network(network).search("Sprachförderung Kita").exists()


def test_seed_scale_refuses_to_create_duplicates_without_replace():
    seed("--partners", "300", "--network-size", "100")
    before = snapshot()
    with pytest.raises(CommandError, match="--replace"):
        seed("--partners", "300", "--network-size", "100")
    assert snapshot() == before


def test_seed_scale_is_deterministic_and_replace_starts_afresh():
    seed("--partners", "300", "--network-size", "100")
    first = snapshot()
    out = seed("--partners", "300", "--network-size", "100", "--replace")
    assert "Alte Skalierungsdaten gelöscht" in out
    assert snapshot() == first
    assert Network.objects.filter(slug__startswith="scale-").count() == 3
    assert Partner.objects.count() == 300


def test_replace_leaves_everything_that_is_not_scale_data_alone():
    other = NetworkFactory(slug="musterstadt")
    kept = MembershipFactory(network=other, partner=PartnerFactory(name="Kita Echtdaten")).partner
    seed("--partners", "300", "--network-size", "100")
    seed("--partners", "200", "--network-size", "100", "--replace")
    assert Partner.objects.filter(pk=kept.pk).exists()
    assert Network.objects.filter(slug="musterstadt").exists()
    assert Partner.objects.exclude(pk=kept.pk).count() == 200
    assert Network.objects.filter(slug__startswith="scale-").count() == 2


def test_the_big_network_holds_all_partners_as_well():
    seed("--partners", "300", "--network-size", "100", "--big-network", "300")
    big = Network.objects.get(slug="scale-gesamt")
    assert Partner.objects.in_network(big).count() == 300
    assert District.objects.filter(municipality__networks=big).count() == 18
    assert Membership.objects.count() == 600


def test_seed_scale_rejects_nonsense_sizes():
    with pytest.raises(CommandError):
        seed("--partners", "0")
    with pytest.raises(CommandError):
        seed("--partners", "10", "--big-network", "11")


def governance_snapshot():
    return (
        list(
            Agreement.objects.order_by("partner__name").values_list(
                "partner__name", "status", "effective_from", "signed_text_sha256"
            )
        ),
        list(Signature.objects.order_by("agreement__partner__name", "side").values_list("name", "side", "signed_at")),
        list(Meeting.objects.order_by("body__name", "starts_at").values_list("title", "starts_at", "protocol_state")),
        list(
            Participant.objects.order_by("meeting__starts_at", "organisation", "name").values_list(
                "organisation", "name", "reply", "attendance"
            )
        ),
    )


def test_seed_scale_creates_agreements_in_realistic_proportions():
    out = seed("--partners", "300", "--network-size", "100")
    templates = AgreementTemplate.objects.filter(network__slug__startswith="scale-")
    assert templates.count() == 3 and not templates.exclude(state="veroeffentlicht").exists()
    members = Membership.objects.count()
    agreements = Agreement.objects.all()
    assert 0.85 * members <= agreements.count() <= members
    by_status = {row["status"]: row["n"] for row in agreements.values("status").annotate(n=Count("pk"))}
    assert by_status["in_kraft"] >= 0.7 * members
    assert by_status.get("eingeladen", 0) >= 1 and by_status.get("gekuendigt", 0) + by_status.get("beendet", 0) >= 1
    # Every signed agreement: the text snapshot, its hash, one online partner signature and the countersignature.
    for agreement in agreements.exclude(status="eingeladen").prefetch_related("signatures"):
        assert agreement.signed_text_sha256 == hashlib.sha256(agreement.signed_text.encode()).hexdigest()
        assert agreement.partner.name in agreement.signed_text
        assert sorted(s.side for s in agreement.signatures.all()) == ["network", "partner"]
        assert {s.text_sha256 for s in agreement.signatures.all()} == {agreement.signed_text_sha256}
        assert agreement.effective_from is not None and not agreement.pdf
    for agreement in agreements.filter(status="eingeladen"):
        assert agreement.invitations.count() == 1 and not agreement.signatures.exists()
    for agreement in agreements.filter(status__in=["gekuendigt", "beendet"]):
        assert agreement.terminated_on and agreement.ends_on and agreement.ends_on >= agreement.terminated_on
    # The rows pass the models' own validation (constraints included), not only the database's.
    for model in (AgreementTemplate, Agreement, Signature, SigningInvitation):
        for obj in model.objects.order_by("pk")[:20]:
            obj.full_clean()
    assert "Vereinbarungen" in out and "Unterschriften" in out


def test_seed_scale_creates_a_lenkungskreis_with_meetings_attendance_and_protocols():
    seed("--partners", "300", "--network-size", "100")
    bodies = Body.objects.filter(network__slug__startswith="scale-")
    assert bodies.count() == 3 and set(bodies.values_list("kind", flat=True)) == {"lenkungskreis"}
    for body in bodies:
        active = Membership.objects.filter(network=body.network, state="aktiv").count()
        assert body.members.filter(partner__isnull=False).count() == active
        assert body.members.filter(role="vorsitz", partner__isnull=True).count() == 1
        meetings = list(body.meetings.order_by("starts_at"))
        assert len(meetings) == 8
        assert sorted({m.starts_at.year for m in meetings}) == [2025, 2026]
        assert all(sum(m.starts_at.year == y for m in meetings) == 4 for y in (2025, 2026))
        past = [m for m in meetings if m.ends_at < datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)]
        assert len(past) == 7
        assert [m.protocol_state for m in past] == ["genehmigt"] * 6 + ["versandt"]
        for earlier, later in itertools.pairwise(past):
            assert earlier.approved_in_id == later.pk
        assert all(not m.protocol_pdf and not m.public_protocol_pdf for m in meetings)
        for meeting in past:
            assert meeting.items.count() == 5 and meeting.items.filter(is_partner_presentation=True).count() == 1
            assert meeting.recommendations.count() == 1 and meeting.action_items.count() == 2
            assert meeting.participants.count() == active + 1
            assert not meeting.participants.filter(attendance="").exists()
            assert not meeting.participants.filter(reply="abgesagt").exclude(attendance="entschuldigt").exists()
    attendance = {
        row["attendance"]: row["n"]
        for row in Participant.objects.filter(meeting__protocol_state__in=["genehmigt", "versandt"])
        .values("attendance")
        .annotate(n=Count("pk"))
    }
    total = sum(attendance.values())
    assert attendance["anwesend"] > 0.6 * total and attendance["entschuldigt"] > 0 and attendance["abwesend"] > 0
    assert set(attendance) == {"anwesend", "entschuldigt", "abwesend"}
    for model in (Body, BodyMember, Meeting, AgendaItem, Participant, Recommendation, ActionItem):
        for obj in model.objects.order_by("pk")[:20]:
            obj.full_clean()


def test_agreements_and_meetings_are_deterministic_and_replace_removes_them():
    seed("--partners", "300", "--network-size", "100")
    first = governance_snapshot()
    out = seed("--partners", "300", "--network-size", "100", "--replace")
    assert "Unterschriften" in out.split("Alte Skalierungsdaten gelöscht")[1].splitlines()[0]
    assert governance_snapshot() == first
    seed("--partners", "100", "--network-size", "100", "--replace")
    assert AgreementTemplate.objects.count() == 1 and Body.objects.count() == 1 and Meeting.objects.count() == 8
    assert not Agreement.objects.exclude(network__slug="scale-001").exists()
    assert not Signature.objects.exclude(agreement__network__slug="scale-001").exists()


def test_replace_switches_the_signature_trigger_back_on():
    seed("--partners", "100", "--network-size", "100")
    seed("--partners", "100", "--network-size", "100", "--replace")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'agreements_signature_immutable'")
        assert cursor.fetchone()[0] == "O"
    signature = Signature.objects.first()
    with pytest.raises(IntegrityError, match="weder geändert noch gelöscht"), transaction.atomic():
        Signature.objects.filter(pk=signature.pk).delete()
    assert Signature.objects.filter(pk=signature.pk).exists()


def test_replace_keeps_agreements_and_meetings_of_other_networks():
    other = NetworkFactory(slug="musterstadt")
    seed("--partners", "100", "--network-size", "100")
    template = AgreementTemplate.objects.create(
        network=other,
        title="Echte Vereinbarung",
        version_date=datetime.date(2024, 1, 1),
        body="Text",
        state="veroeffentlicht",
        published_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    )
    body = Body.objects.create(network=other, name="Lenkungskreis Musterstadt")
    seed("--partners", "100", "--network-size", "100", "--replace")
    assert AgreementTemplate.objects.filter(pk=template.pk).exists()
    assert Body.objects.filter(pk=body.pk).exists()
