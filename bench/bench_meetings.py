"""Protokoll-PDF einer großen Sitzung messen: 15 TOPs, 60 Anwesende, 30 Aufgaben (Ziel: Median ≤ 300 ms).

    DATABASE_URL=… .venv/bin/python bench/bench_meetings.py [--runs 20]
    .venv/bin/python bench/bench_meetings.py          # ohne DATABASE_URL: eigene Datenbank praevnet_bench

Ablauf: migrieren; in einer Transaktion ein Netzwerk mit 60 Einrichtungen, einem Lenkungskreis und einer Sitzung
mit 15 TOPs (je ein Absatz Protokoll), 60 Anwesenden, 3 Gästen, 8 Empfehlungen und 30 Aufgaben anlegen; das PDF
einmal zum Aufwärmen und dann `--runs`-mal mit `meetings.documents.render_protocol` erzeugen (Datenbank-Abfragen,
Template und WeasyPrint, wie bei der Genehmigung); Median, 95. Perzentil, Seitenzahl und SQL-Abfragen je PDF
ausgeben und nach bench/results/meetings-<Datum>.md schreiben. Die Transaktion wird am Ende zurückgerollt.
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

TARGET_MS = 300


class Rollback(Exception):
    pass


def build(n_items: int, n_attendees: int, n_actions: int):
    from django.utils import timezone

    from meetings import services
    from meetings.models import ActionItem, AgendaItem, Body, BodyMember, Meeting, Participant, Recommendation
    from partners.models import Membership, Network, Partner

    network = Network.objects.create(
        name="Messnetz Protokoll (synthetisch)",
        slug="bench-protokoll",
        region="Prüfstadt",
        federal_state="NW",
        jugendamt="Jugendamt Prüfstadt",
    )
    partners = Partner.objects.bulk_create(
        [
            Partner(name=f"Familienzentrum Prüfstadt {i:02d}", city="Prüfstadt", postcode="47051")
            for i in range(n_attendees)
        ]
    )
    Membership.objects.bulk_create([Membership(partner=p, network=network, state="aktiv") for p in partners])
    body = Body.objects.create(network=network, name="Lenkungskreis Prüfstadt")
    BodyMember.objects.bulk_create(
        [BodyMember(body=body, partner=p, name=f"Person {i:02d} Beispiel") for i, p in enumerate(partners)]
    )
    start = timezone.make_aware(datetime.datetime(2026, 3, 11, 10, 0))
    meeting = Meeting.objects.create(
        body=body,
        title="1. Lenkungskreis 2026",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="Rathaus, Raum 100",
        chair="Dr. Karla Vogt",
        minute_taker="Jugendamt Prüfstadt",
    )
    note = (
        "Die Anwesenden besprechen den Stand der Arbeit, die Erfahrungen der letzten Monate und die nächsten Schritte. "
        "Mehrere Einrichtungen berichten von Wartezeiten; eine Untergruppe soll Vorschläge vorbereiten. "
    ) * 3
    items = AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                number=i + 1,
                title=f"Thema {i + 1}: Bericht und Aussprache",
                notes=note,
                minutes=10,
                presenter_partner=partners[i] if i % 3 == 0 else None,
                is_partner_presentation=i % 3 == 0,
                speaker_name="Dr. Miriam Albrecht" if i % 3 == 1 else "",
                speaker_organisation="Landeskoordinierungsstelle" if i % 3 == 1 else "",
            )
            for i in range(n_items)
        ]
    )
    Participant.objects.bulk_create(
        [
            Participant(
                meeting=meeting,
                partner=p,
                name=f"Person {i:02d} Beispiel",
                organisation=p.name,
                reply="zugesagt",
                attendance="anwesend",
            )
            for i, p in enumerate(partners)
        ]
        + [
            Participant(
                meeting=meeting, name=f"Gast {i}", organisation="Hochschule", is_guest=True, attendance="anwesend"
            )
            for i in range(3)
        ]
    )
    Recommendation.objects.bulk_create(
        [
            Recommendation(meeting=meeting, agenda_item=items[i], text=f"Der Lenkungskreis empfiehlt Maßnahme {i + 1}.")
            for i in range(8)
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                meeting=meeting,
                agenda_item=items[i % n_items],
                text=f"Aufgabe {i + 1}: Unterlagen vorbereiten und verschicken",
                responsible_partner=partners[i],
                due_date=datetime.date(2026, 5, 1),
            )
            for i in range(n_actions)
        ]
    )
    return services, meeting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from bench_partners import database_url, setup_django

    setup_django(database_url())
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from meetings import documents

    call_command("migrate", verbosity=0)
    result = {}
    try:
        with transaction.atomic():
            _services, meeting = build(15, 60, 30)
            documents.render_protocol(meeting)  # warm-up: WeasyPrint import, fonts, stylesheet
            timings = []
            for _ in range(args.runs):
                began = time.perf_counter()
                pdf = documents.render_protocol(meeting)
                timings.append((time.perf_counter() - began) * 1000)
            with CaptureQueriesContext(connection) as queries:
                documents.render_protocol(meeting)
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

    verdict = "erreicht" if result["median"] <= TARGET_MS else "NICHT erreicht"
    today = datetime.date.today().isoformat()
    report = "\n".join(
        [
            f"# Protokoll-PDF – {today}",
            "",
            f"Rechner: {platform.node()} ({os.cpu_count()} Kerne), Python {platform.python_version()}",
            "",
            "| Messung | Wert |",
            "|---|---|",
            "| Sitzung | 15 TOPs, 60 Anwesende + 3 Gäste, 8 Empfehlungen, 30 Aufgaben |",
            f"| Läufe | {args.runs} |",
            f"| Median | {result['median']:.0f} ms (Ziel ≤ {TARGET_MS} ms: {verdict}) |",
            f"| 95. Perzentil | {result['p95']:.0f} ms |",
            f"| Seiten | {result['pages']} |",
            f"| SQL-Abfragen je PDF | {result['queries']} |",
            f"| Größe | {result['bytes'] / 1024:.0f} KiB |",
            "",
        ]
    )
    print(report)
    out = BASE_DIR / "bench" / "results" / f"meetings-{today}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
