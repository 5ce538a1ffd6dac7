"""`make bench`: the main pages at S (Kreis) and L (Land) scale, against two baselines on the same data.

    make bench                                   # S = 2.000, L = 50.000 Einrichtungen
    make bench ARGS="--s 500 --l 2000"           # kleiner, schneller
    DATABASE_URL=… .venv/bin/python bench/run.py --s 2000 --l 50000 --repeat 20

Two databases next to the one in DATABASE_URL: <name>_bench_s and <name>_bench_l (never the demo or app database
itself). Each is migrated and seeded with `seed_scale --partners N` unless it already holds exactly N scale
institutions with meetings (then it is reused; `--reseed` forces seeding). Each dataset is measured in a process of
its own (Django binds one database per process): the Django test client requests every page through all middleware,
with session, permission checks and templates, DEBUG off, two-factor duty off; per page `--warmup` calls, then
`--repeat` timed calls: median and 95th percentile of the server time, and the number of SQL queries of one call.

Pages are measured in the network `scale-001` (200 institutions in both datasets, so L/S shows what the size of the
whole installation costs a Kreis), as its coordinator; the admin changelist as a superuser. Baselines: the floor (a
bare view returning a fixed string, bench/urls.py) and the Django admin changelist of all partners. One Markdown table
on stdout and in bench/results/bench-<date>.md. PDFs are measured by bench_agreements.py, bench_meetings.py and
bench_report.py; this report lists their latest results.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
RESULTS = BASE_DIR / "bench" / "results"

from bench.bench_partners import percentile, setup_django  # noqa: E402  (the path above first)

BENCH_USER = "bench.koordination@praevnet.example"
BENCH_ADMIN = "bench.admin@praevnet.example"
NETWORK = "scale-001"
PDF_SCRIPTS = (
    ("agreements", "Vereinbarungs-PDF", "bench_agreements.py"),
    ("meetings", "Protokoll-PDF", "bench_meetings.py"),
    ("report", "Jahresbericht-PDF", "bench_report.py"),
)


def database_for(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "praevnet"
    return urlunsplit(parts._replace(path=f"/{name}_bench_{suffix}"))


# ---------------------------------------------------------------------------------------------------------------------
# One dataset (child process)
# ---------------------------------------------------------------------------------------------------------------------


def ensure_data(partners: int, *, reseed: bool) -> str:
    from django.core.management import call_command

    from meetings.models import Meeting
    from partners.management.commands.seed_scale import SLUG_PREFIX
    from partners.models import Membership, Network

    existing = Network.objects.filter(slug__startswith=SLUG_PREFIX).exists()
    members = Membership.objects.filter(network__slug__startswith=SLUG_PREFIX).count()
    meetings = Meeting.objects.filter(body__network__slug__startswith=SLUG_PREFIX).exists()
    if existing and not reseed and members == partners and meetings:
        return "vorhanden (wiederverwendet)"
    started = time.monotonic()
    call_command("seed_scale", partners=partners, replace=existing, stdout=sys.stderr)
    return f"neu angelegt in {time.monotonic() - started:.1f} s"


def users(network):
    from praevnet.models import NetworkRole, User

    user = User.objects.filter(email=BENCH_USER).first() or User.objects.create_user(
        BENCH_USER, "bench-nur-lokal-2026", first_name="Bench", last_name="Koordination"
    )
    NetworkRole.objects.update_or_create(
        user=user, network=network, defaults={"role": NetworkRole.Role.COORDINATOR, "partner": None}
    )
    admin = User.objects.filter(email=BENCH_ADMIN).first() or User.objects.create_superuser(
        BENCH_ADMIN, "bench-nur-lokal-2026", first_name="Bench", last_name="Admin"
    )
    return user, admin


def measure(client, url: str, params: dict, *, repeat: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url, params)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params}: HTTP {response.status_code}")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, params)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return {
        "url": url + (f"?{'&'.join(f'{k}={v}' for k, v in params.items())}" if params else ""),
        "median": statistics.median(times) * 1000,
        "p95": percentile(times, 0.95) * 1000,
        "queries": len(queries.captured_queries),
    }


def measure_dataset(partners: int, *, repeat: int, warmup: int, reseed: bool) -> dict:
    setup_django(os.environ["DATABASE_URL"])
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import reverse

    from meetings.models import Meeting
    from partners.models import Offer, Partner

    call_command("migrate", verbosity=0)
    seeded = ensure_data(partners, reseed=reseed)
    from partners.models import Network

    network = Network.objects.get(slug=NETWORK)
    user, admin = users(network)
    partner = Partner.objects.in_network(network).order_by("pk").first()
    meeting = Meeting.objects.filter(body__network=network, protocol_state="genehmigt").order_by("-starts_at").first()
    slug = {"network": network.slug}
    with override_settings(ROOT_URLCONF="bench.urls"):
        pages = [
            ("floor", "Boden: nackte View (fester Text)", reverse("bench_floor"), {}, user),
            ("admin", "Django-Admin: Änderungsliste Einrichtungen", "/admin/partners/partner/", {}, admin),
            ("dashboard", "Übersicht (Dashboard)", reverse("dashboard", kwargs=slug), {}, user),
            ("partner_list", "Partnerliste", reverse("partners:partner_list", kwargs=slug), {}, user),
            (
                "partner_search",
                "Partnersuche „Hebamme“",
                reverse("partners:partner_list", kwargs=slug),
                {"q": "Hebamme"},
                user,
            ),
            (
                "partner_detail",
                "Einrichtung (Detail)",
                reverse("partners:partner_detail", kwargs={**slug, "pk": partner.pk}),
                {},
                user,
            ),
            ("finder", "Angebotsfinder, Suche „Sprachförderung“", reverse("public:finder", kwargs=slug), {}, None),
            (
                "meeting",
                "Sitzung (genehmigtes Protokoll)",
                reverse("meetings:meeting_detail", kwargs={**slug, "pk": meeting.pk}),
                {},
                user,
            ),
            ("coverage", "Abdeckungsmatrix", reverse("partners:coverage", kwargs=slug), {}, user),
        ]
        results = {}
        for key, label, url, params, who in pages:
            if key == "finder":
                params = {"q": "Sprachförderung"}
            client = Client()
            if who is not None:
                client.force_login(who)
            results[key] = {"label": label, **measure(client, url, params, repeat=repeat, warmup=warmup)}
    return {
        "partners": Partner.objects.count(),
        "offers": Offer.objects.count(),
        "meetings": Meeting.objects.count(),
        "seeded": seeded,
        "pages": results,
    }


# ---------------------------------------------------------------------------------------------------------------------
# Both datasets (parent process)
# ---------------------------------------------------------------------------------------------------------------------


def run_child(url: str, partners: int, args) -> dict:
    from praevnet.dev import ensure_database

    ensure_database(url)
    command = [sys.executable, __file__, "--child", str(partners), "--repeat", str(args.repeat)]
    command += ["--warmup", str(args.warmup)] + (["--reseed"] if args.reseed else [])
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"Messung mit {partners} Einrichtungen fehlgeschlagen (Exit {done.returncode}).")
    return json.loads(done.stdout.strip().splitlines()[-1])  # the last line; anything else went to stderr


def fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}".replace(".", ",") + " ×" if b else "–"


def report(small: dict, large: dict, args) -> str:
    def count(n):
        return f"{n:,}".replace(",", ".")

    lines = [
        f"# Seiten bei S und L ({datetime.date.today():%d.%m.%Y})",
        "",
        f"S: {count(small['partners'])} Einrichtungen, {count(small['offers'])} Angebote, "
        f"{count(small['meetings'])} Sitzungen ({small['seeded']}); "
        f"L: {count(large['partners'])} Einrichtungen, {count(large['offers'])} Angebote, "
        f"{count(large['meetings'])} Sitzungen ({large['seeded']}).",
        f"Gemessen im Netzwerk `{NETWORK}` (200 Einrichtungen in beiden) als Koordinatorin, die Admin-Liste als "
        f"Superuser; Django-Test-Client, DEBUG aus; je Seite {args.warmup} Aufwärmaufrufe, {args.repeat} Messungen. "
        "Zeiten in ms (Median / 95. Perzentil), Abfragen = SQL-Abfragen eines Aufrufs. Verhältnisse mit den Medianen "
        "bei L, Seite/Admin auch bei S (die Admin-Liste zählt und zeigt die Einrichtungen der ganzen Installation, bei "
        "S also weniger); L/S = Median L / Median S (Ziel ≤ 1,5); Seite/Admin < 0,2 heißt mindestens 5 × schneller "
        "als die Admin-Liste.",
        "",
        "| Seite | S Median | S p95 | S Abfr. | L Median | L p95 | L Abfr. | Seite/Boden | Seite/Admin | "
        "Seite/Admin bei S | L/S |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    floor, admin = large["pages"]["floor"]["median"], large["pages"]["admin"]["median"]
    small_admin = small["pages"]["admin"]["median"]
    for key, s in small["pages"].items():
        big = large["pages"][key]
        lines.append(
            f"| {s['label']} | {fmt(s['median'])} | {fmt(s['p95'])} | {s['queries']} | {fmt(big['median'])} | "
            f"{fmt(big['p95'])} | {big['queries']} | {ratio(big['median'], floor)} | {ratio(big['median'], admin)} | "
            f"{ratio(s['median'], small_admin)} | {ratio(big['median'], s['median'])} |"
        )
    lines += ["", "## PDFs", "", "Gemessen von den eigenen Skripten (nicht hier wiederholt); letzte Ergebnisse:", ""]
    for prefix, label, script in PDF_SCRIPTS:
        latest = sorted(RESULTS.glob(f"{prefix}-*.md"))
        where = f"`bench/results/{latest[-1].name}`" if latest else "noch keine Messung"
        lines.append(f"- {label}: `bench/{script}` → {where}")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    lines += ["", f"Python {platform.python_version()}, {os.cpu_count()} CPU-Kerne, Systemlast {load}.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--s", type=int, default=2000, help="Einrichtungen im Datensatz S (Standard 2000)")
    parser.add_argument("--l", type=int, default=50000, help="Einrichtungen im Datensatz L (Standard 50000)")
    parser.add_argument("--repeat", type=int, default=20, help="gemessene Aufrufe je Seite (Standard 20)")
    parser.add_argument("--warmup", type=int, default=3, help="Aufwärmaufrufe je Seite (Standard 3)")
    parser.add_argument("--reseed", action="store_true", help="Skalierungsdaten in jedem Fall neu anlegen")
    parser.add_argument("--no-write", action="store_true", help="kein Bericht unter bench/results/")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure_dataset(args.child, repeat=args.repeat, warmup=args.warmup, reseed=args.reseed)
        print(json.dumps(result))
        return 0
    if min(args.s, args.l) < 200:
        parser.error("--s und --l brauchen mindestens 200 Einrichtungen (ein volles Netzwerk scale-001).")
    sys.path.insert(0, str(BASE_DIR))
    from praevnet.dev import database_url

    base = database_url()
    small = run_child(database_for(base, "s"), args.s, args)
    large = run_child(database_for(base, "l"), args.l, args)
    text = report(small, large, args)
    print(text)
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        target = RESULTS / f"bench-{datetime.date.today():%Y-%m-%d}.md"
        target.write_text(text, encoding="utf-8")
        print(f"Bericht: {target.relative_to(BASE_DIR)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
