"""Partnerliste und Suche bei 10.000 Einrichtungen / 100.000 Angeboten messen (Ziel: ≤ 50 ms Serverzeit je Seite).

    DATABASE_URL=… DEBUG=true .venv/bin/python bench/bench_partners.py --partners 10000
    .venv/bin/python bench/bench_partners.py                 # ohne DATABASE_URL: eigene Datenbank praevnet_bench
                                                             # auf der eingebetteten PostgreSQL von `make run`

Ablauf: migrieren; Skalierungsdaten anlegen, falls sie fehlen oder nicht zur verlangten Größe passen
(`seed_scale --partners N --big-network N --replace`: N/200 Netzwerke zu je 200 Einrichtungen und dazu das Netzwerk
`scale-gesamt`, in dem alle N Mitglied sind – so misst die Liste einmal ein übliches und einmal ein Register mit
allen N Einrichtungen); eine Koordinatorin für `scale-001` und `scale-gesamt` anlegen; dann jede Seite mit dem
Django-Test-Client aufrufen (durch alle Middleware, mit Sitzung, Rechteprüfung und Template), nach dem Aufwärmen
30-mal messen und Median und 95. Perzentil ausgeben, dazu die Zahl der SQL-Abfragen je Seite. Für die Suche läuft
EXPLAIN ANALYZE über die Abfragen der Seite; der Bericht sagt, ob die GIN-Indizes (partner_search_gin,
offer_search_gin) benutzt werden. Ergebnis: eine Markdown-Tabelle auf stdout und in bench/results/partners-<Datum>.md.

Zwei-Faktor-Pflicht ist für die Messung aus (TWO_FACTOR_REQUIRED=false), DEBUG wird nach dem Start abgeschaltet
(kein Abfrageprotokoll, Templates ohne Debug-Modus – wie in Produktion).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

BENCH_DB = "praevnet_bench"
BENCH_USER = "bench.koordination@praevnet.example"
SEARCH_INDEXES = ("partner_search_gin", "offer_search_gin")


def database_url() -> str:
    """DATABASE_URL if set; otherwise a database of its own on the embedded server, never the demo database."""
    from praevnet.dev import embedded_url, ensure_database

    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        url = re.sub(r"/praevnet(\?|$)", rf"/{BENCH_DB}\1", embedded_url(), count=1)
    ensure_database(url)
    return url


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ["TWO_FACTOR_REQUIRED"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "praevnet.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # before the first request: no query log, template engine without debug mode
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


# ---------------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------------


def ensure_scale_data(partners: int, *, reseed: bool) -> str:
    """Seed unless the scale data of this size is there; return what happened, with the seed time."""
    from django.core.management import call_command

    from partners.management.commands.seed_scale import BIG_SLUG, SLUG_PREFIX
    from partners.models import Membership, Network

    existing = Network.objects.filter(slug__startswith=SLUG_PREFIX).exists()
    in_big = Membership.objects.filter(network__slug=BIG_SLUG).count()
    total = Membership.objects.filter(network__slug__startswith=SLUG_PREFIX).exclude(network__slug=BIG_SLUG).count()
    if existing and not reseed and in_big == partners and total == partners:
        return "vorhanden (nicht neu angelegt)"
    started = time.monotonic()
    call_command("seed_scale", partners=partners, big_network=partners, replace=existing)
    return f"{time.monotonic() - started:.1f} s (seed_scale --partners {partners} --big-network {partners})"


def bench_user(networks):
    from praevnet.models import NetworkRole, User

    user = User.objects.filter(email=BENCH_USER).first() or User.objects.create_user(
        BENCH_USER, "bench-nur-lokal-2026", first_name="Bench", last_name="Koordination"
    )
    for network in networks:
        NetworkRole.objects.update_or_create(
            user=user, network=network, defaults={"role": NetworkRole.Role.COORDINATOR, "partner": None}
        )
    return user


# ---------------------------------------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def summarise(times: list[float]) -> tuple[float, float]:
    return statistics.median(times) * 1000, percentile(times, 0.95) * 1000


def capture(run) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run()
    return list(queries.captured_queries)


def explain(sql: str) -> tuple[float, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    total = next((float(m.group(1)) for line in lines if (m := re.search(r"Execution Time: ([\d.]+) ms", line))), 0.0)
    return total, "\n".join(lines)


class Case:
    def __init__(self, label: str, params: dict, *, search: bool = False, explain: bool = False):
        self.label, self.params, self.search, self.explain = label, params, search, explain or search


def page_cases(life_stage_id: int, district_id: int, members: int) -> list[Case]:
    last = max(1, -(-members // 100))
    deep = str(min(20, last))
    return [
        Case("Liste, Standard (Seite 1 von 25)", {}),
        Case("Liste, Name absteigend", {"sort": "-name"}),
        Case("Liste, nach Angeboten sortiert", {"sort": "-offer_count"}),
        Case(f"Liste, 100 je Seite, Seite {deep}", {"per_page": "100", "page": deep}),
        Case(
            "Filter Lebensphase 0–3 + Sozialraum",
            {"life_stage": life_stage_id, "district": district_id},
            explain=True,
        ),
        Case("Suche „Hebamme“", {"q": "Hebamme"}, search=True),
        Case("Suche „Sprachförderung Kita“", {"q": "Sprachförderung Kita"}, search=True),
    ]


def measure_pages(client, url: str, cases: list[Case], repeat: int, warmup: int) -> list[dict]:
    rows = []
    for case in cases:
        for _ in range(warmup):
            response = client.get(url, case.params)
            assert response.status_code == 200, (case.label, response.status_code)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url, case.params)
            times.append(time.perf_counter() - started)
        match = re.search(r"([\d.]+) Einrichtung", response.content.decode())
        queries = capture(lambda case=case: client.get(url, case.params))
        slowest = max(queries, key=lambda q: float(q["time"]))
        median, p95 = summarise(times)
        rows.append(
            {
                "label": case.label,
                "median": median,
                "p95": p95,
                "queries": len(queries),
                "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
                "slowest_ms": float(slowest["time"]) * 1000,
                "hits": match.group(1) if match else "–",
                "captured": queries,
                "case": case,
            }
        )
    return rows


def measure_querysets(network, life_stage, district, repeat: int, warmup: int) -> list[dict]:
    """The register's reads without the page: count + first 25 by name, as the list view makes them."""
    from partners.filters import PartnerFilter
    from partners.models import Partner

    def current_filter():
        return PartnerFilter(
            {"life_stage": life_stage.pk, "district": district.pk}, Partner.objects.in_network(network), network=network
        ).qs

    base = Partner.objects.in_network(network).active()
    variants = []
    for text in ("Hebamme", "Sprachförderung Kita"):
        case = Case(text, {"q": text}, search=True)
        variants.append((f"QuerySet search(„{text}“)", lambda text=text: base.search(text), case))
    case = Case("Filter", {}, explain=True)
    variants.append(("QuerySet Lebensphase + Sozialraum", current_filter, case))

    rows = []
    for label, make, case in variants:

        def run(make=make):
            queryset = make().order_by("name")
            return queryset.count(), list(queryset[:25])

        for _ in range(warmup):
            run()
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            hits, _page = run()
            times.append(time.perf_counter() - started)
        median, p95 = summarise(times)
        queries = capture(run)
        rows.append(
            {
                "label": f"{label}: count + 25",
                "median": median,
                "p95": p95,
                "queries": len(queries),
                "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
                "slowest_ms": max(float(q["time"]) for q in queries) * 1000,
                "hits": str(hits),
                "captured": queries,
                "case": case,
            }
        )
    return rows


def explain_queries(rows: list[dict]) -> list[dict]:
    """EXPLAIN ANALYZE the register's own SELECTs (count and page) of the search and filter measurements."""
    findings = []
    for row in rows:
        if not row["case"].explain:
            continue
        for query in row["captured"]:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or '"partners_membership"."network_id"' not in sql:
                continue
            execution_ms, plan = explain(sql)
            findings.append(
                {
                    "label": row["label"],
                    "kind": "COUNT" if "COUNT(" in sql.upper()[:200] else "Seite",
                    "execution_ms": execution_ms,
                    "uses": [name for name in SEARCH_INDEXES if name in plan],
                    "seq_scans": sorted(set(re.findall(r"Seq Scan on (\w+)", plan))),
                    "plan": plan,
                    "sql": sql,
                }
            )
    return findings


# ---------------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------------


def table(rows: list[tuple[str, str, dict]]) -> str:
    lines = [
        "| Messung | Register | Median ms | p95 ms | SQL-Abfragen | SQL gesamt ms | langsamste ms | Treffer |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for scope, size, row in rows:
        lines.append(
            f"| {row['label']} | {scope} ({size}) | {row['median']:.1f} | {row['p95']:.1f} | {row['queries']} | "
            f"{row['sql_ms']:.1f} | {row['slowest_ms']:.1f} | {row['hits']} |"
        )
    return "\n".join(lines)


def environment() -> str:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server}, "
        f"{os.cpu_count()} CPU-Kerne, {platform.machine()}, Systemlast (1/5/15 min) {load}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=10000, help="Einrichtungen (Standard 10000)")
    parser.add_argument("--repeat", type=int, default=30, help="gemessene Aufrufe je Seite (Standard 30)")
    parser.add_argument("--warmup", type=int, default=5, help="Aufwärmaufrufe je Seite (Standard 5)")
    parser.add_argument("--reseed", action="store_true", help="Skalierungsdaten in jedem Fall neu anlegen")
    parser.add_argument("--no-write", action="store_true", help="kein Bericht unter bench/results/")
    args = parser.parse_args()

    setup_django(database_url())
    from django.core.management import call_command
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from partners.management.commands.seed_scale import BIG_SLUG
    from partners.models import District, LifeStage, Network, Offer, Partner

    call_command("migrate", verbosity=0)
    seeded = ensure_scale_data(args.partners, reseed=args.reseed)
    small = Network.objects.get(slug="scale-001")
    big = Network.objects.get(slug=BIG_SLUG)
    user = bench_user([small, big])
    client = Client()
    client.force_login(user)
    youngest = LifeStage.objects.get(slug="0-3")
    offers = Offer.objects.count()
    partners = Partner.objects.count()

    results: list[tuple[str, str, dict]] = []
    for network in (small, big):
        members = Partner.objects.in_network(network).count()
        size = f"{members:,}".replace(",", ".")
        district = District.objects.filter(municipality__networks=network).order_by("pk").first()
        try:
            url = reverse("partners:partner_list", kwargs={"network": network.slug})
        except NoReverseMatch:
            url = None
        if url:
            rows = measure_pages(client, url, page_cases(youngest.pk, district.pk, members), args.repeat, args.warmup)
            results += [(network.slug, size, row) for row in rows]
        results += [
            (network.slug, size, row)
            for row in measure_querysets(network, youngest, district, args.repeat, args.warmup)
        ]

    findings = explain_queries([row for scope, _, row in results if scope == BIG_SLUG])
    report = [
        f"# Partnerregister: Liste und Suche bei {args.partners:,} Einrichtungen".replace(",", "."),
        "",
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {environment()}.",
        f"Datenbank: {partners:,} Einrichtungen, {offers:,} Angebote insgesamt.".replace(",", "."),
        f"Skalierungsdaten: {seeded}.",
        f"Je Seite {args.warmup} Aufwärmaufrufe, dann {args.repeat} gemessene (Django-Test-Client, volle Middleware, "
        "DEBUG aus). Ziel: ≤ 50 ms Serverzeit.",
        "",
        table(results),
        "",
        "## EXPLAIN ANALYZE von Suche und Filter im Register mit allen Einrichtungen",
        "",
        "| Messung | Abfrage | Ausführung ms | GIN-Index benutzt | Seq Scan auf |",
        "|---|---|---:|---|---|",
    ]
    for finding in findings:
        report.append(
            f"| {finding['label']} | {finding['kind']} | {finding['execution_ms']:.1f} | "
            f"{', '.join(finding['uses']) or '—'} | {', '.join(finding['seq_scans']) or '—'} |"
        )
    searches = [f for f in findings if "Suche" in f["label"] or "search" in f["label"]]
    slowest = max(searches or findings, key=lambda f: f["execution_ms"]) if findings else None
    if slowest:
        report += [
            "",
            f"Langsamste Suchabfrage ({slowest['label']}, {slowest['kind']}):",
            "",
            "```sql",
            slowest["sql"],
            "```",
            "",
            "```",
            slowest["plan"],
            "```",
        ]
    text = "\n".join(report) + "\n"
    print(text)
    if not args.no_write:
        target = BASE_DIR / "bench" / "results" / f"partners-{datetime.date.today():%Y-%m-%d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"Bericht: {target.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
