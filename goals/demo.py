"""Demo goals and key figures: Coesfeld's strategic goals I–IV (seed text) with one action goal each and their
reviews, Dinslaken's strategic goals, Dortmund's profile and key figures. Idempotent; all people invented."""

from __future__ import annotations

import datetime
import zlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from goals.models import (
    ActionGoal,
    FigureDefinition,
    FigureReport,
    FigureValue,
    GoalYear,
    Indicator,
    NextStep,
    Review,
    ReviewValue,
    StrategicGoal,
)
from partners.models import Membership, Network, Partner

# Kreis Coesfeld, Gemeinsame Erklärung (Stand Juni 2019): the four strategic goals, word for word.
COESFELD_GOALS = [
    "Die Menschen im Kreis Coesfeld haben die Möglichkeit, die Unterstützungsangebote und die entsprechenden "
    "Ansprechpersonen zu kennen und nehmen die passgenauen Angebote in Anspruch.",
    "Junge Erwachsene und Familien sind mit den Unterstützungssystemen (Fachkräfte, Ehrenamtliche) im Dialog, "
    "verstehen und akzeptieren sich.",
    "Kinder und Jugendliche erhalten über den gesamten Zeitraum ihrer sozialen, emotionalen und sprachlichen "
    "Entwicklung eine qualitativ gute, ihrem Bedarf entsprechende, kontinuierliche Förderung, die besonders in den "
    "Übergängen begleitet wird.",
    "Jugendliche und junge Erwachsene (insbesondere mit Zuwanderungsgeschichte) erhalten die individuelle "
    "Unterstützung, die sie benötigen, um einen anerkannten Schulabschluss zu erwerben oder ihre Ausbildung oder "
    "Berufstätigkeit erfolgreich absolvieren zu können.",
]
# (action goal, owner institution name or None, owner body, indicator, target, unit, reviews {year: (value, light, comment)})
COESFELD_ACTIONS = [
    (
        "Ein kreisweiter Online-Wegweiser zeigt alle Unterstützungsangebote mit ihren Ansprechpersonen",
        None,
        "Steuerungsgruppe Präventionskette",
        "im Wegweiser veröffentlichte Angebote",
        Decimal(250),
        "Angebote",
        {
            2024: (
                Decimal(96),
                "gelb",
                "Der Wegweiser ist online; erst vier Kommunen haben ihre Angebote eingepflegt.",
            ),
            2025: (Decimal(184), "gruen", "Neun von elf Kommunen sind dabei; Schulungen für Einrichtungen laufen."),
        },
    ),
    (
        "Familien werden an der Weiterentwicklung der Angebote beteiligt",
        "Beratungsstelle für Eltern, Kinder und Jugendliche Nottuln",
        "",
        "Beteiligungsformate mit Familien im Jahr",
        Decimal(6),
        "Formate",
        {
            2024: (Decimal(2), "rot", "Elternbefragung verschoben; Personalwechsel in der Beratungsstelle."),
            2025: (Decimal(5), "gelb", "Zwei Elterncafés und drei Befragungen; Rückmeldungen fließen in die AG ein."),
        },
    ),
    (
        "Übergänge Kita–Grundschule werden in allen Kommunen mit einem gemeinsamen Übergabeverfahren begleitet",
        None,
        "AG Übergänge",
        "Kommunen mit vereinbartem Übergabeverfahren",
        Decimal(11),
        "Kommunen",
        {2025: (Decimal(7), "gelb", "Sieben Kommunen haben das Verfahren beschlossen, vier beraten noch.")},
    ),
    (
        "Jugendliche mit Zuwanderungsgeschichte erhalten eine individuelle Übergangsbegleitung Schule–Beruf",
        "Übergangsmanagement Schule–Beruf",
        "",
        "begleitete Jugendliche mit anerkanntem Abschluss oder Ausbildungsplatz",
        Decimal(80),
        "%",
        {
            2024: (Decimal("71.5"), "gelb", "Wartezeiten auf Sprachkurse verzögern die Begleitung."),
            2025: (Decimal("82.3"), "gruen", "Zielwert erreicht; Kooperation mit den Berufskollegs verstetigt."),
        },
    ),
]
# "Als weitere konkrete Handlungsschritte werden wir im Jahr 2019 …" (seed), then the demo's own year.
COESFELD_STEPS = {
    2019: [
        "die Ziele und Inhalte der Landesinitiativen „Kommunale Präventionsketten“ und „Gemeinsam klappt's“ verfolgen",
        "lokale Angebots- und Bedarfsanalysen durchführen und auswerten",
        "gemeindefarbene und kreisweite Datenlagen ermitteln und analysieren",
        "unsere interkommunale Zusammenarbeit unter Beachtung des Subsidiaritätsprinzips intensivieren",
        "uns mit den Querschnittsthemen „Lotsen“, „Zugänge und Zielgruppen“ sowie „vernetzte Angebote“ befassen",
        "die vorhandenen Gremienstrukturen stärken, um auf gesellschaftliche Herausforderungen kollektiv reagieren zu "
        "können",
    ],
    2026: [
        "Online-Wegweiser in den letzten beiden Kommunen einführen",
        "Bedarfsanalyse Übergang Kita–Grundschule auswerten und im Lenkungskreis vorstellen",
        "Fortbildung „Lotsen im Sozialraum“ für Fachkräfte und Ehrenamtliche anbieten",
    ],
}
# Unser DINgg: the strategic goals of the agreement (seed dinslaken), the first four.
DINSLAKEN_GOALS = [
    "In Dinslaken schätzen und fördern wir die individuellen Potenziale und Fähigkeiten aller Kinder und Jugendlichen "
    "und setzen uns aktiv für eine gelingende Integration, Inklusion und Partizipation ein.",
    "Wir streben an, die Folgen von Kinderarmut, die auch in Dinslaken vorhanden ist, frühzeitig zu verringern.",
    "Wir gestalten die kommunale Präventions- und Bildungskette in Dinslaken sozial-räumlich im Sinne einer "
    "größtmöglichen Teilhabe von Kindern, Jugendlichen und deren Eltern.",
    "Wir befähigen und unterstützen Erziehungsberechtigte in der Wahrnehmung ihrer Erziehungsverantwortung.",
]
DORTMUND_FIGURES = [
    ("Anzahl beratener Familien", "Familien", FigureDefinition.Kind.INTEGER, "jede Familie einmal im Jahr"),
    ("Kontakte", "Kontakte", FigureDefinition.Kind.INTEGER, "persönlich, telefonisch und online"),
    ("Gruppenangebote", "Gruppenangebote", FigureDefinition.Kind.INTEGER, "Kurse, Elterncafés, Gruppen"),
    ("Beratungsstunden", "Stunden", FigureDefinition.Kind.DECIMAL, "in Stunden, halbe Stunden als ,5"),
]
DORTMUND_PROFILE = {
    "inhabitants": 612065,
    "children_under_18": 104465,
    "fields_of_action": "Babylotsendienste in den Geburtskliniken\nFamiliengrundschulzentren\nFamilienbüros\n"
    "Kita-Sozialarbeit",
    "quote": "Unser Fokus liegt darauf, die Lebensbedingungen von Eltern und Kindern in Dortmund gemeinsam mit den "
    "Familien zu gestalten und zu verbessern, dies gilt besonders für Quartiere mit herausfordernden Lagen.",
    "quote_author": "Dezernat für Schule, Jugend und Familie der Stadt Dortmund",
    "coordination_contact": "Koordinierungsstelle Kinderstark\nMelanie Kowalczyk, Netzwerkkoordination\n"
    "Friedensplatz 1, 44135 Dortmund",
    "public_profile": True,
    "public_sections": list(Network.PublicSection.values),
}


def _value(seed: str, low: int, high: int) -> int:
    return low + zlib.crc32(seed.encode()) % (high - low + 1)


def _coesfeld(network: Network) -> None:
    partners = {p.name: p for p in Partner.objects.filter(memberships__network=network)}
    for number, (text, action_spec) in enumerate(zip(COESFELD_GOALS, COESFELD_ACTIONS, strict=True), start=1):
        goal, _ = StrategicGoal.objects.get_or_create(network=network, number=number, defaults={"title": text})
        title, owner_name, body, indicator_name, target, unit, reviews = action_spec
        owner = partners.get(owner_name) if owner_name else None
        action, _ = ActionGoal.objects.get_or_create(
            strategic_goal=goal,
            title=title,
            defaults={
                "owner_partner": owner,
                "owner_body": "" if owner else (body or "Lenkungskreis"),
                "review_cycle": ActionGoal.Cycle.YEARLY,
                "first_review_year": 2024,
            },
        )
        indicator, _ = Indicator.objects.get_or_create(
            action_goal=action, name=indicator_name, defaults={"target_value": target, "unit": unit}
        )
        for year, (measured, light, comment) in reviews.items():
            review, created = Review.objects.get_or_create(
                action_goal=action, year=year, defaults={"assessment": light, "comment": comment}
            )
            if created:
                ReviewValue.objects.create(review=review, indicator=indicator, value=measured)
    for year, steps in COESFELD_STEPS.items():
        for order, title in enumerate(steps, start=1):
            NextStep.objects.get_or_create(
                network=network,
                year=year,
                title=title,
                defaults={
                    "order": order * 10,
                    "responsible": "Steuerungsgruppe" if year == 2019 else "Netzwerkkoordination",
                    "done_on": datetime.date(2019, 12, 1) if year == 2019 else None,
                    "due": datetime.date(year, 12, 31) if year != 2019 else None,
                },
            )
    closed, _ = GoalYear.objects.get_or_create(network=network, year=2019)
    if closed.closed_at is None:
        closed.closed_at = timezone.make_aware(datetime.datetime(2020, 2, 1, 10, 0))
        closed.save(update_fields=["closed_at"])


def _dinslaken(network: Network) -> None:
    for number, text in enumerate(DINSLAKEN_GOALS, start=1):
        StrategicGoal.objects.get_or_create(network=network, number=number, defaults={"title": text})


def _dortmund(network: Network) -> None:
    if not network.public_profile:  # set once; afterwards the coordination's own edits stay
        for name, value in DORTMUND_PROFILE.items():
            setattr(network, name, value)
        network.save(update_fields=list(DORTMUND_PROFILE))
    definitions = []
    for order, (name, unit, kind, description) in enumerate(DORTMUND_FIGURES, start=1):
        definition, _ = FigureDefinition.objects.get_or_create(
            network=network,
            name=name,
            defaults={"unit": unit, "kind": kind, "description": description, "order": order * 10},
        )
        definitions.append(definition)
    members = list(
        Partner.objects.filter(memberships__network=network, memberships__state=Membership.State.ACTIVE).order_by(
            "name"
        )
    )
    # partner2.dortmund's institution has not reported for the current year (the dashboard asks it to)
    from praevnet.models import NetworkRole

    waiting = set(
        NetworkRole.objects.filter(
            network=network, role=NetworkRole.Role.PARTNER, user__email__startswith="partner2."
        ).values_list("partner_id", flat=True)
    )
    plans = [(2025, datetime.date(2026, 1, 31), 0.85, True), (2026, datetime.date(2027, 1, 31), 0.35, False)]
    for year, due, share, close in plans:
        row, created = GoalYear.objects.get_or_create(network=network, year=year, defaults={"figures_due": due})
        if created:
            row.figures.set(definitions)
        if not row.reports.exists():
            reporting = [p for i, p in enumerate(members) if (i * 37 % 100) < share * 100 and p.pk not in waiting]
            if year == 2026:  # partner1.dortmund's institution reported already
                reporting += [p for p in members[:1] if p not in reporting]
            for partner in reporting:
                report = FigureReport.objects.create(goal_year=row, partner=partner)
                families = _value(f"{partner.name}{year}", 20, 420)
                FigureValue.objects.bulk_create(
                    [
                        FigureValue(report=report, definition=definitions[0], value=families),
                        FigureValue(report=report, definition=definitions[1], value=families * 3 + 11),
                        FigureValue(report=report, definition=definitions[2], value=_value(partner.name, 0, 14)),
                        FigureValue(report=report, definition=definitions[3], value=Decimal(families * 5) / Decimal(2)),
                    ]
                )
            if close:  # reported in January, before the deadline
                for index, report in enumerate(row.reports.order_by("pk")):
                    moment = timezone.make_aware(datetime.datetime(year + 1, 1, 5 + index % 25, 10, 0))
                    FigureReport.objects.filter(pk=report.pk).update(reported_at=moment)
        if close and row.closed_at is None:
            row.closed_at = timezone.make_aware(datetime.datetime(year + 1, 2, 15, 9, 0))
            row.save(update_fields=["closed_at"])


@transaction.atomic
def load_goal_demo() -> None:
    """Strategic goals, action goals, reviews, next steps and reported figures for the demo networks."""
    loaders = {"kreis-coesfeld": _coesfeld, "unser-dingg": _dinslaken, "infamilie-dortmund": _dortmund}
    for network in Network.objects.filter(slug__in=loaders):
        loaders[network.slug](network)
