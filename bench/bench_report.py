"""Jahresbericht-PDF eines Netzwerks mit 200 Einrichtungen und 8 Sitzungen messen (Ziel: Median ≤ 2 s).

    DATABASE_URL=… .venv/bin/python bench/bench_report.py [--runs 10]
    .venv/bin/python bench/bench_report.py          # ohne DATABASE_URL: eigene Datenbank praevnet_bench

Ablauf: migrieren; in einer Transaktion ein Netzwerk mit 200 Einrichtungen (je 1–2 Handlungsfelder, 20 im Jahr
beigetreten, 10 ausgeschieden), je einer Kooperationsvereinbarung, 400 veröffentlichten Angeboten in 6 Sozialräumen,
einem Lenkungskreis und einer AG mit zusammen 8 Sitzungen im Jahr (je 60 Plätze mit Anwesenheit, 3 Empfehlungen,
5 Aufgaben), 4 strategischen Zielen mit je 3 Handlungszielen und Bewertung anlegen; den Bericht einmal zum Aufwärmen
und dann `--runs`-mal so erzeugen wie die Seite /n/<netzwerk>/jahresbericht/<jahr>.pdf (annual_report_data,
Diagramme, Template, WeasyPrint); Median, 95. Perzentil, Seiten, SQL-Abfragen und Systemlast ausgeben und nach
bench/results/report-<Datum>.md schreiben. Die Transaktion wird am Ende zurückgerollt.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

TARGET_MS = 2000
YEAR = 2025
N_PARTNERS = 200
N_MEETINGS = 8
SEATS = 60


class Rollback(Exception):
    pass


def build():
    from django.utils import timezone

    from agreements.models import Agreement, AgreementTemplate
    from goals.models import ActionGoal, Review, StrategicGoal
    from meetings.models import ActionItem, Body, Meeting, Participant, Recommendation
    from partners.models import District, LifeStage, Membership, Municipality, Network, Offer, Partner, Sector
    from partners.taxonomy_defaults import install

    install()
    network = Network.objects.create(
        name="Messnetz Jahresbericht (synthetisch)",
        slug="bench-jahresbericht",
        region="Prüfstadt",
        federal_state="NW",
        jugendamt="Jugendamt Prüfstadt",
    )
    town = Municipality.objects.create(name="Prüfstadt (synthetisch)", kind="stadt", federal_state="NW")
    network.municipalities.add(town)
    districts = [District.objects.create(municipality=town, name=f"Sozialraum {i}") for i in range(1, 7)]
    sectors = list(Sector.objects.all())
    stages = list(LifeStage.objects.all())
    partners = Partner.objects.bulk_create(
        [Partner(name=f"Familienzentrum Prüfstadt {i:03d}", city="Prüfstadt", postcode="47051") for i in range(200)]
    )
    memberships = []
    for i, p in enumerate(partners):
        since = datetime.date(YEAR, 1 + i % 12, 1) if i < 20 else datetime.date(2020, 1, 1)
        until = datetime.date(YEAR, 1 + i % 12, 28) if 20 <= i < 30 else None
        state = Membership.State.ENDED if until else Membership.State.ACTIVE
        memberships.append(Membership(partner=p, network=network, state=state, since=since, until=until))
    Membership.objects.bulk_create(memberships)
    through = Partner.sectors.through
    through.objects.bulk_create(
        [through(partner=p, sector=sectors[i % len(sectors)]) for i, p in enumerate(partners)]
        + [through(partner=p, sector=sectors[(i + 3) % len(sectors)]) for i, p in enumerate(partners) if i % 2]
    )
    offers = Offer.objects.bulk_create(
        [Offer(partner=p, title=f"Angebot {j} von {p.name}", published=True) for p in partners for j in range(2)]
    )
    Offer.life_stages.through.objects.bulk_create(
        [Offer.life_stages.through(offer=o, lifestage=stages[i % len(stages)]) for i, o in enumerate(offers)]
    )
    Offer.districts.through.objects.bulk_create(
        [Offer.districts.through(offer=o, district=districts[i % 5]) for i, o in enumerate(offers)]
    )
    template = AgreementTemplate.objects.create(
        network=network,
        title="Kooperationsvereinbarung Prüfstadt",
        version_date=datetime.date(2020, 1, 1),
        body="Die Partner arbeiten zusammen.",
        state=AgreementTemplate.State.PUBLISHED,
        published_at=timezone.make_aware(datetime.datetime(2020, 1, 1)),
    )
    Agreement.objects.bulk_create(
        [
            Agreement(
                partner=p,
                network=network,
                template=template,
                status="in_kraft" if i % 10 else "gekuendigt",
                effective_from=datetime.date(2021, 1, 1),
                terminated_on=None if i % 10 else datetime.date(YEAR, 6, 1),
                ends_on=None if i % 10 else datetime.date(YEAR + 1, 3, 31),
            )
            for i, p in enumerate(partners)
        ]
    )
    bodies = [
        Body.objects.create(network=network, name="Lenkungskreis Prüfstadt"),
        Body.objects.create(network=network, name="AG Übergänge Prüfstadt", kind=Body.Kind.AG),
    ]
    attendance = ["anwesend", "anwesend", "anwesend", "entschuldigt", "abwesend"]
    for m in range(N_MEETINGS):
        start = timezone.make_aware(datetime.datetime(YEAR, 1 + m * 1 + m // 2, 10 + m, 10, 0))
        meeting = Meeting.objects.create(
            body=bodies[m % 2],
            title=f"{m + 1}. Sitzung {YEAR}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="Rathaus",
            state=Meeting.State.INVITED,
            protocol_state=Meeting.ProtocolState.APPROVED,
            approved_at=start + datetime.timedelta(days=30),
        )
        seats = partners[m * 15 : m * 15 + SEATS]
        Participant.objects.bulk_create(
            [
                Participant(meeting=meeting, partner=p, organisation=p.name, attendance=attendance[(i + m) % 5])
                for i, p in enumerate(seats)
            ]
        )
        Recommendation.objects.bulk_create(
            [Recommendation(meeting=meeting, text=f"Der Lenkungskreis empfiehlt Maßnahme {m}.{k}.") for k in range(3)]
        )
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    meeting=meeting,
                    text=f"Aufgabe {m}.{k}: Unterlagen vorbereiten",
                    responsible_partner=seats[k],
                    due_date=datetime.date(YEAR, 12, 1),
                    done_at=start + datetime.timedelta(days=40) if k % 2 else None,
                )
                for k in range(5)
            ]
        )
    for g in range(1, 5):
        goal = StrategicGoal.objects.create(network=network, number=g, title=f"Strategisches Ziel {g} (synthetisch)")
        for a in range(3):
            action = ActionGoal.objects.create(
                strategic_goal=goal,
                title=f"Handlungsziel {g}.{a}",
                owner_body="Lenkungskreis",
                first_review_year=YEAR,
            )
            Review.objects.create(action_goal=action, year=YEAR, assessment=["gruen", "gelb", "rot"][a])
    return network


def render(network):
    from praevnet.pdf import render_pdf
    from praevnet.report import annual_report_data
    from praevnet.views_report import report_charts

    data = annual_report_data(network, YEAR)
    return render_pdf("pdf/annual_report.html", {"network": network, "report": data, "charts": report_charts(data)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    from bench_partners import database_url, setup_django

    setup_django(database_url())
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    call_command("migrate", verbosity=0)
    result = {}
    load_before = os.getloadavg()
    try:
        with transaction.atomic():
            network = build()
            render(network)  # warm-up: WeasyPrint import, fonts, stylesheet
            timings = []
            for _ in range(args.runs):
                began = time.perf_counter()
                pdf = render(network)
                timings.append((time.perf_counter() - began) * 1000)
            with CaptureQueriesContext(connection) as queries:
                render(network)
            result = {
                "median": statistics.median(timings),
                "p95": sorted(timings)[max(0, int(len(timings) * 0.95) - 1)],
                "pages": len(PdfReader(io.BytesIO(pdf)).pages),
                "queries": len(queries),
                "bytes": len(pdf),
            }
            raise Rollback
    except Rollback:
        pass
    load_after = os.getloadavg()

    verdict = "erreicht" if result["median"] <= TARGET_MS else "NICHT erreicht"
    today = datetime.date.today().isoformat()
    report = "\n".join(
        [
            f"# Jahresbericht-PDF – {today}",
            "",
            f"Rechner: {platform.node()} ({os.cpu_count()} Kerne), Python {platform.python_version()}",
            "",
            "| Messung | Wert |",
            "|---|---|",
            f"| Netzwerk | {N_PARTNERS} Einrichtungen, 400 Angebote, {N_MEETINGS} Sitzungen à {SEATS} Plätze, "
            "24 Empfehlungen, 40 Aufgaben, 12 Handlungsziele |",
            f"| Läufe | {args.runs} |",
            f"| Median | {result['median']:.0f} ms (Ziel ≤ {TARGET_MS} ms: {verdict}) |",
            f"| 95. Perzentil | {result['p95']:.0f} ms |",
            f"| Seiten | {result['pages']} |",
            f"| SQL-Abfragen je PDF | {result['queries']} |",
            f"| Größe | {result['bytes'] / 1024:.0f} KiB |",
            f"| Systemlast (1 min) vorher / nachher | {load_before[0]:.2f} / {load_after[0]:.2f} |",
            "",
        ]
    )
    print(report)
    out = BASE_DIR / "bench" / "results" / f"report-{today}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
