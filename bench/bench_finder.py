"""Öffentlichen Angebotsfinder bei 100.000 Angeboten messen (Ziel: Suche ≤ 50 ms Serverzeit, Median).

    DATABASE_URL=postgres://…/praevnet_find_bench .venv/bin/python bench/bench_finder.py
    .venv/bin/python bench/bench_finder.py --partners 10000 --repeat 30

Wie bench/bench_partners.py: migrieren; Skalierungsdaten anlegen, falls sie fehlen oder nicht passen
(`seed_scale --partners N --big-network N --replace`: 10.000 Einrichtungen mit ≈ 100.000 Angeboten, dazu das Netzwerk
`scale-gesamt`, in dem alle Mitglied sind); dann jede Finder-Seite ohne Anmeldung mit dem Django-Test-Client aufrufen
(volle Middleware, Template, DEBUG aus), nach dem Aufwärmen `--repeat`-mal messen, Median und 95. Perzentil ausgeben,
dazu die Zahl der SQL-Abfragen und ihre Summe. Gemessen wird das Netzwerk mit allen Angeboten (`scale-gesamt`) und
ein übliches mit 200 Einrichtungen (`scale-001`). Die Systemlast (load average) steht im Bericht: die Maschine wird
geteilt. Ergebnis: Markdown auf stdout und in bench/results/finder-<Datum>.md.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.bench_partners import (  # noqa: E402  (the path above first)
    capture,
    database_url,
    ensure_scale_data,
    environment,
    explain,
    setup_django,
    summarise,
)

TARGET_MS = 50.0


def cases(network) -> list[tuple[str, str, dict]]:
    """(label, kind, GET parameters) for the finder list; kind "search" marks the figure the issue names."""
    from partners.models import District, Language, LifeStage, Sector

    district = District.objects.filter(municipality__networks=network).order_by("pk").first()
    turkish = Language.objects.get(slug="tr")
    youngest = LifeStage.objects.get(slug="0-3")
    kita = Sector.objects.get(slug="kita")
    return [
        ("Startseite des Finders (alle Angebote, Seite 1)", "list", {}),
        ("Suche „Hebamme“", "search", {"q": "Hebamme"}),
        ("Suche „Sprachförderung Kita“", "search", {"q": "Sprachförderung Kita"}),
        ("Suche „Eltern“ (viele Treffer)", "search", {"q": "Eltern"}),
        ("Suche „Beratung“ + Alter 2 + kostenlos", "search", {"q": "Beratung", "age": "2", "cost": "kostenlos"}),
        ("Alter 2 + kostenlos", "filter", {"age": "2", "cost": "kostenlos"}),
        (
            "Lebensphase 0–3 + Sozialraum + Türkisch",
            "filter",
            {"life_stage": youngest.pk, "district": district.pk, "language": turkish.pk},
        ),
        ("Thema Kita + Seite 50", "filter", {"topic": kita.pk, "page": "50"}),
    ]


def measure(client, url: str, params: dict, repeat: int, warmup: int) -> dict:
    for _ in range(warmup):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code)
        assert not response.cookies, "the finder must not set a cookie"
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append(time.perf_counter() - started)
    queries = capture(lambda: client.get(url, params))
    median, p95 = summarise(times)
    hits = re.search(r"((?:Mehr als )?\d[\d.]*) Angebot", response.content.decode())
    return {
        "median": median,
        "p95": p95,
        "queries": len(queries),
        "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
        "slowest_ms": max(float(q["time"]) for q in queries) * 1000,
        "slowest_sql": max(queries, key=lambda q: float(q["time"]))["sql"],
        "hits": hits.group(1).replace("Mehr als ", "> ") if hits else "–",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=10000, help="Einrichtungen (Standard 10000 ≈ 100.000 Angebote)")
    parser.add_argument("--repeat", type=int, default=30, help="gemessene Aufrufe je Seite (Standard 30)")
    parser.add_argument("--warmup", type=int, default=5, help="Aufwärmaufrufe je Seite (Standard 5)")
    parser.add_argument("--reseed", action="store_true", help="Skalierungsdaten in jedem Fall neu anlegen")
    parser.add_argument("--no-write", action="store_true", help="kein Bericht unter bench/results/")
    args = parser.parse_args()

    setup_django(database_url())
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from partners.filters_directory import public_offers
    from partners.management.commands.seed_scale import BIG_SLUG
    from partners.models import Network, Offer

    call_command("migrate", verbosity=0)
    seeded = ensure_scale_data(args.partners, reseed=args.reseed)
    client = Client()  # anonymous, like a parent on the phone
    rows = []
    for slug in (BIG_SLUG, "scale-001"):
        network = Network.objects.get(slug=slug)
        url = reverse("public:finder", kwargs={"network": slug})
        shown = public_offers(network).count()
        for label, kind, params in cases(network):
            row = measure(client, url, params, args.repeat, args.warmup)
            rows.append({"network": slug, "offers": shown, "label": label, "kind": kind, **row})
        detail = public_offers(network).order_by("pk").values_list("pk", flat=True).first()
        row = measure(
            client, reverse("public:finder_offer", kwargs={"network": slug, "pk": detail}), {}, args.repeat, 2
        )
        rows.append({"network": slug, "offers": shown, "label": "Seite eines Angebots", "kind": "detail", **row})

    load = environment()
    searches = [row for row in rows if row["kind"] == "search" and row["network"] == BIG_SLUG]
    worst = max(searches, key=lambda row: row["median"])
    verdict = "erreicht" if worst["median"] <= TARGET_MS else "NICHT erreicht"
    lines = [
        "# Öffentlicher Angebotsfinder: Suche bei 100.000 Angeboten",
        "",
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {load}.",
        f"Datenbank: {Offer.objects.count():,} Angebote insgesamt. Skalierungsdaten: {seeded}.".replace(",", "."),
        f"Je Seite {args.warmup} Aufwärmaufrufe, dann {args.repeat} gemessene (Django-Test-Client ohne Anmeldung, "
        f"volle Middleware, DEBUG aus). Ziel: Suche ≤ {TARGET_MS:.0f} ms Serverzeit (Median).",
        "",
        f"**Ergebnis: langsamste Suche im Netzwerk mit allen Angeboten {worst['median']:.1f} ms Median "
        f"({worst['label']}) – Ziel {verdict}.**",
        "",
        "| Messung | Netzwerk (veröffentlichte Angebote) | Median ms | p95 ms | SQL-Abfragen | SQL gesamt ms | "
        "langsamste ms | Treffer |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        shown = f"{row['offers']:,}".replace(",", ".")
        lines.append(
            f"| {row['label']} | {row['network']} ({shown}) | {row['median']:.1f} | {row['p95']:.1f} | "
            f"{row['queries']} | {row['sql_ms']:.1f} | {row['slowest_ms']:.1f} | {row['hits']} |"
        )
    slowest = max((row for row in rows if row["network"] == BIG_SLUG), key=lambda row: row["slowest_ms"])
    execution_ms, plan = explain(slowest["slowest_sql"])
    lines += [
        "",
        f"Langsamste Abfrage ({slowest['label']}, EXPLAIN ANALYZE {execution_ms:.1f} ms):",
        "",
        "```sql",
        slowest["slowest_sql"],
        "```",
        "",
        "```",
        plan,
        "```",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        target = BASE_DIR / "bench" / "results" / f"finder-{datetime.date.today():%Y-%m-%d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"Bericht: {target.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
