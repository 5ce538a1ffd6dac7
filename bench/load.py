"""`make load`: a bounded load test on loopback – gunicorn and PostgreSQL as in production, locust as the visitors.

    make load                                    # 16 Nutzer, 60 s
    make load ARGS="--users 32"                  # wo knickt es ab?
    make load ARGS="--users 8 --duration 30 --no-write"

The morning the new agreement version goes out: partners sign it through the link in their e-mail and then look at
their own dashboard, coordinators work through the register, the Jugendamt checks its deadlines, parents search the
public offer finder (bench/load_flows.py says exactly what each does).

Steps:
1. The database `<name>_bench_load` next to DATABASE_URL (bench/run.py `database_for`) is migrated and seeded with
   `seed_scale --partners 2000` unless it holds exactly that (bench/run.py `ensure_data`). Then, through the services:
   in every `scale-…` network a new published version of the agreement, and one-time signing links for partners
   (`agreement_invite` returns the raw token); the load accounts (coordination and Jugendamt in the first four
   networks, each with a TOTP device whose codes the visitors compute; one partner contact per invited partner; a
   Jugendamt address in every network, which the signing e-mails go to), all with one known password. Partners who signed in an earlier run cannot sign again; when fewer are left than a run can
   use, the data is seeded anew.
2. gunicorn on 127.0.0.1 and a free port with production settings (DEBUG off, own SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,
   two-factor duty on, static files collected and served by whitenoise, e-mail into a temporary folder); sync workers,
   2 × CPU + 1 unless `--workers` says otherwise. The visitors send what a TLS-terminating proxy in front of it adds
   (X-Forwarded-Proto: https) and a browser on https sends with a form (Referer, Origin), and keep the Secure cookies.
3. locust headless (`FastHttpUser`, bench/locustfile.py): `--users` visitors (16), all started within about 4 s,
   `--duration` seconds (60), pauses of 0.5–2 s between steps; every request's time is recorded.
4. Throughput, p50/p95/p99 per step and overall, errors (another status than expected, no answer, a signature not
   accepted, a page without what it must show); a check that every accepted signature is in the database. One Markdown
   table on stdout and in bench/results/load-<date>.md. Exit code 1 on any error. gunicorn is stopped on every way out,
   Ctrl+C included.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import math
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
RESULTS = BASE_DIR / "bench" / "results"

from bench.bench_partners import percentile  # noqa: E402  (the path above first)
from bench.load_flows import FLOWS, signings_needed, users_per_flow  # noqa: E402

PARTNERS = 2000
STAFF_NETWORKS = 4  # coordination and Jugendamt work in scale-001 … scale-004
PASSWORD = "lastprobe-nur-lokal-2026"
DOMAIN = "lastprobe.example"
NEW_VERSION = datetime.date(2026, 10, 1)  # the seeded agreements are on the version of 01.01.2020
STOP_TIMEOUT = 20  # seconds locust gives a visitor to finish the round it is in when the time is up


# ---------------------------------------------------------------------------------------------------------------------
# Preparation in the database (Django set up in this process)
# ---------------------------------------------------------------------------------------------------------------------


def staff_accounts(*, role: str, count: int, networks: list, password_hash: str) -> list[dict]:
    """`count` accounts with `role`, spread over `networks`, each with a confirmed TOTP device; returns the logins."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from praevnet.models import NetworkRole, User

    accounts = []
    for number in range(1, count + 1):
        network = networks[(number - 1) % len(networks)]
        email = f"{role}-{number:02d}@{DOMAIN}"
        label = "Koordination" if role == NetworkRole.Role.COORDINATOR else "Jugendamt"
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"password": password_hash, "first_name": "Lastprobe", "last_name": f"{label} {number:02d}"},
        )
        NetworkRole.objects.filter(user=user).exclude(network=network).delete()
        NetworkRole.objects.update_or_create(user=user, network=network, defaults={"role": role, "partner": None})
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="Lastprobe", confirmed=True
        )
        accounts.append({"email": email, "password": PASSWORD, "totp_key": device.key, "network": network.slug})
    return accounts


def notified_staff(*, networks: list, password_hash: str) -> None:
    """A Jugendamt address in every network, so every signature sends its e-mail as in a real installation."""
    from praevnet.models import NetworkRole, User

    for network in networks:
        user, _ = User.objects.update_or_create(
            email=f"jugendamt-post-{network.slug}@{DOMAIN}",
            defaults={"password": password_hash, "first_name": "Lastprobe", "last_name": "Jugendamt (Post)"},
        )
        NetworkRole.objects.update_or_create(
            user=user, network=network, defaults={"role": NetworkRole.Role.JUGENDAMT, "partner": None}
        )


def new_version(network):
    """The network's new published agreement version (created once, through the services, from the seeded one)."""
    from agreements import services
    from agreements.models import AgreementTemplate

    existing = AgreementTemplate.objects.filter(network=network, version_date=NEW_VERSION).first()
    if existing is not None:
        return existing
    old = AgreementTemplate.objects.filter(network=network).order_by("version_date").first()
    data = {name: getattr(old, name) for name in services.TEMPLATE_FIELDS}
    data.update(
        version_date=NEW_VERSION, body=old.body + "\n\n## Neu in dieser Fassung\n\nKinderschutz (§ 8a SGB VIII)."
    )
    template = services.template_create(network=network, actor=None, data=data, signatories=["Leitung des Jugendamtes"])
    return services.template_publish(template=template, actor=None)


def signing_candidates(networks, templates):
    """Agreements whose partner can be invited to the new version: in force on the old one, or invited."""
    from agreements.models import Agreement

    signed = Agreement.objects.filter(network__in=networks, status=Agreement.Status.SIGNED).values("partner_id")
    return (
        Agreement.objects.filter(network__in=networks, status__in=[Agreement.Status.IN_FORCE, Agreement.Status.INVITED])
        .exclude(partner_id__in=signed)
        .exclude(template__in=[t for t in templates.values() if t.pk], status=Agreement.Status.IN_FORCE)
        .select_related("network", "partner")
        .order_by("network__slug", "partner_id")
    )


def invite(*, networks, templates: dict, needed: int, password_hash: str) -> list[dict]:
    """One-time signing links for `needed` partners (a new one replaces an unused older one) and their contacts."""
    from django.db import transaction

    from agreements import services
    from praevnet.models import NetworkRole, User

    signings, seen = [], set()
    with transaction.atomic():
        for agreement in signing_candidates(networks, templates).iterator(chunk_size=500):
            if len(signings) >= needed:
                break
            partner, network = agreement.partner, agreement.network
            if partner.pk in seen:
                continue
            seen.add(partner.pk)
            template = templates[network.pk]
            address = services.invitation_address(partner) or f"einrichtung-{partner.pk}@{DOMAIN}"
            try:
                _, token = services.agreement_invite(
                    network=network, partner=partner, template=template, email=address, actor=None
                )
            except services.AgreementError:
                continue
            signings.append(
                {
                    "token": token,
                    "network": network.slug,
                    "network_id": network.pk,
                    "partner": partner.pk,
                    "email": f"partner-{partner.pk}@{DOMAIN}",
                    "password": PASSWORD,
                    "title": str(template),
                }
            )
        emails = [s["email"] for s in signings]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        User.objects.bulk_create(
            User(email=s["email"], password=password_hash, first_name="Lastprobe", last_name=f"Kontakt {s['partner']}")
            for s in signings
            if s["email"] not in existing
        )
        users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
        NetworkRole.objects.bulk_create(
            (
                NetworkRole(
                    user_id=users[s["email"]],
                    network_id=s["network_id"],
                    role=NetworkRole.Role.PARTNER,
                    partner_id=s["partner"],
                )
                for s in signings
            ),
            ignore_conflicts=True,
        )
    return signings


def prepare(*, users: int, needed: int) -> dict | None:
    """The plan for the visitors (accounts, links, meetings); None when fewer than `needed` partners can still sign."""
    from django.contrib.auth.hashers import make_password

    from meetings.models import Meeting
    from partners.management.commands.seed_scale import BIG_SLUG, SLUG_PREFIX
    from partners.models import Network
    from praevnet.models import NetworkRole, User

    networks = list(Network.objects.filter(slug__startswith=SLUG_PREFIX).exclude(slug=BIG_SLUG).order_by("slug"))
    templates = {network.pk: new_version(network) for network in networks}
    available = signing_candidates(networks, templates).values("partner_id").distinct().count()
    if available < needed:
        return None
    # Contacts of partners from an earlier seeding lost their role with it; nobody else uses these accounts.
    User.objects.filter(email__startswith="partner-", email__endswith=f"@{DOMAIN}", network_roles=None).delete()
    password_hash = make_password(PASSWORD)  # once: hashing a password takes a good part of a second
    notified_staff(networks=networks, password_hash=password_hash)
    staff_networks = networks[:STAFF_NETWORKS]
    share = users_per_flow(users)
    meetings = {}
    for network in staff_networks:
        meeting = (
            Meeting.objects.filter(body__network=network, protocol_state="genehmigt").order_by("-starts_at").first()
        )
        meetings[network.slug] = meeting.pk
    return {
        "coordinators": staff_accounts(
            role=NetworkRole.Role.COORDINATOR,
            count=max(share["coordinator"], 1),
            networks=staff_networks,
            password_hash=password_hash,
        ),
        "jugendamt": staff_accounts(
            role=NetworkRole.Role.JUGENDAMT,
            count=max(share["jugendamt"], 1),
            networks=staff_networks,
            password_hash=password_hash,
        ),
        "networks": [network.slug for network in staff_networks],
        "meetings": meetings,
        "signings": invite(networks=networks, templates=templates, needed=needed, password_hash=password_hash),
        "available": available,
    }


def count_signatures(since: datetime.datetime) -> int:
    from agreements.models import Signature

    return Signature.objects.filter(
        side=Signature.Side.PARTNER, signed_at__gte=since, agreement__template__version_date=NEW_VERSION
    ).count()


# ---------------------------------------------------------------------------------------------------------------------
# gunicorn and locust
# ---------------------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def app_environment(url: str, port: int, tmp: Path) -> dict[str, str]:
    """Production settings for gunicorn: the same variables an installation sets (see .env.example)."""
    env = {key: value for key, value in os.environ.items() if key not in {"SECURE_SSL_REDIRECT", "EMAIL_BACKEND"}}
    env.update(
        DJANGO_SETTINGS_MODULE="praevnet.settings",
        DATABASE_URL=url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"https://127.0.0.1:{port}",
        TWO_FACTOR_REQUIRED="true",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        # An SMTP server is not part of the test: the messages are rendered and written to files instead.
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp / "mail"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


class Gunicorn:
    """gunicorn in its own process group (Ctrl+C in the terminal reaches the driver, which stops it)."""

    def __init__(self, env: dict[str, str], port: int, workers: int, log_path: Path):
        self.env, self.port, self.workers, self.log_path = env, port, workers, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).parent / "gunicorn"), "praevnet.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers), "--worker-class", "sync"]
        command += ["--timeout", "30", "--graceful-timeout", "5", "--no-control-socket"]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_until_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn ist beendet:\n{self.log()[-3000:]}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"/healthz antwortet nach {timeout:.0f} s nicht mit 200:\n{self.log()[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat (Linux); (0, 0) elsewhere."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def run_locust(args, base_url: str, plan_path: Path, results_path: Path, log_path: Path) -> subprocess.Popen:
    spawn_rate = max(1, math.ceil(args.users / 4))  # everybody there within about 4 s
    command = [str(Path(sys.executable).parent / "locust"), "-f", str(BASE_DIR / "bench" / "locustfile.py")]
    command += ["--headless", "--users", str(args.users), "--spawn-rate", str(spawn_rate)]
    command += ["--run-time", f"{args.duration}s", "--stop-timeout", str(STOP_TIMEOUT), "--host", base_url]
    command += ["--only-summary", "--exit-code-on-error", "0", "--loglevel", "WARNING"]
    env = {**os.environ, "LOAD_PLAN": str(plan_path), "LOAD_RESULTS": str(results_path)}
    with open(log_path, "wb") as log:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


# ---------------------------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------------------------


def fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")


def summarise(samples: list[dict]) -> dict:
    times = [s["ms"] for s in samples]
    return {
        "count": len(samples),
        "errors": sum(1 for s in samples if s["error"]),
        "p50": percentile(times, 0.50) if times else 0.0,
        "p95": percentile(times, 0.95) if times else 0.0,
        "p99": percentile(times, 0.99) if times else 0.0,
        "max": max(times, default=0.0),
    }


def report(result: dict, args, context: dict) -> tuple[str, int]:
    samples = result["samples"]
    order = [step.label for flow in FLOWS for step in (*flow.login, *flow.steps)]
    by_label: dict[str, list[dict]] = {}
    for sample in samples:
        by_label.setdefault(sample["name"], []).append(sample)
    started = min((s["start"] for s in samples), default=0.0)
    ended = max((s["start"] + s["ms"] / 1000 for s in samples), default=0.0)
    window = max(ended - started, 1e-9)
    total = summarise(samples)
    errors = total["errors"] + len(result.get("problems", []))
    shares = users_per_flow(args.users)
    mix = ", ".join(f"{shares[f.key]} × {f.label}" for f in FLOWS)
    load_before = ", ".join(f"{v:.2f}" for v in context["load_before"])
    load_after = ", ".join(f"{v:.2f}" for v in context["load_after"])
    verdict = "**0 Fehler.**" if not errors else f"**{errors} Fehler – Ziel (0 Fehler) NICHT erreicht.**"
    lines = [
        f"# Lasttest: {args.users} Nutzer, {args.duration} s ({context['when']:%d.%m.%Y %H:%M})",
        "",
        f"praevnet unter gunicorn ({context['workers']} Sync-Worker) auf 127.0.0.1, DEBUG aus, Zwei-Faktor-Pflicht an, "
        "statische Dateien über whitenoise; Last mit locust (FastHttpUser) auf derselben Maschine. Datenbank "
        f"`{context['database']}`, Daten {context['seeded']}: {fmt(context['partners'])} Einrichtungen in "
        f"{context['networks']} Netzwerken `scale-…`, neue Fassung der Vereinbarung in jedem; "
        f"{fmt(context['links'])} Einladungslinks vorbereitet (noch {fmt(context['available'])} Einrichtungen "
        "konnten unterzeichnen).",
        f"Nutzer: {mix}; alle nach ≈ 4 s gestartet, Pausen 0,5–2 s zwischen den Schritten; zum Ende beenden die "
        f"Nutzer ihre Runde (höchstens {STOP_TIMEOUT} s).",
        "",
        verdict
        + f" {fmt(total['count'])} Anfragen in {fmt(window, 1)} s = **{fmt(total['count'] / window, 1)} Anfragen/s**; "
        f"p50 {fmt(total['p50'])} ms, p95 {fmt(total['p95'])} ms, p99 {fmt(total['p99'])} ms. "
        f"Unterschriften angenommen: {fmt(context['signed_ok'])}, in der Datenbank: {fmt(context['signed_db'])}; "
        f"E-Mails darüber ans Jugendamt: {fmt(context['mails'])}.",
        "",
        "| Schritt | Anfragen | Fehler | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label in sorted(by_label, key=lambda name: order.index(name) if name in order else len(order)):
        row = summarise(by_label[label])
        lines.append(
            f"| {label} | {fmt(row['count'])} | {fmt(row['errors'])} | {fmt(row['p50'])} | {fmt(row['p95'])} | "
            f"{fmt(row['p99'])} | {fmt(row['max'])} |"
        )
    lines.append(
        f"| **alle** | **{fmt(total['count'])}** | **{fmt(total['errors'])}** | **{fmt(total['p50'])}** | "
        f"**{fmt(total['p95'])}** | **{fmt(total['p99'])}** | **{fmt(total['max'])}** |"
    )
    messages: dict[str, int] = {}
    for sample in samples:
        if sample["error"]:
            key = f"{sample['name']}: {sample['error']}"
            messages[key] = messages.get(key, 0) + 1
    for problem in result.get("problems", []):
        messages[problem] = messages.get(problem, 0) + 1
    if messages:
        lines += ["", "Fehler:", ""]
        lines += [f"- {count} × {text}" for text, count in sorted(messages.items(), key=lambda kv: -kv[1])[:15]]
    cpu = f", CPU während des Laufs zu {fmt(context['cpu_busy'])} % ausgelastet" if context["cpu_busy"] else ""
    lines += [
        "",
        f"{context['versions']}, {os.cpu_count()} CPU-Kerne{cpu}, Systemlast (1/5/15 min) vorher "
        f"{load_before}, nachher {load_after}."
        + (" locust meldete über 90 % CPU im Lastprozess." if result.get("cpu_warning") else ""),
        "",
    ]
    return "\n".join(lines), errors


# ---------------------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------------------


def setup_django(url: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        DEBUG="true",  # this process only prepares and counts; the app under test runs in gunicorn with DEBUG off
        DJANGO_SETTINGS_MODULE="praevnet.settings",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",  # the invitations are not sent
    )
    import django

    django.setup()


def interrupted(signum, frame):
    raise KeyboardInterrupt


def prepare_run(args) -> dict:
    """Database, data and plan; returns what the measurement and the report need."""
    from bench.run import database_for, ensure_data
    from praevnet.dev import database_url, ensure_database

    url = database_for(database_url(), "load")
    ensure_database(url)
    setup_django(url)
    import django
    from django.core.management import call_command
    from django.db import connection

    from partners.models import Network, Partner

    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(f"Lasttest: Datenbank {database}, {args.users} Nutzer, {args.duration} s", file=sys.stderr)
    call_command("migrate", verbosity=0)
    seeded = ensure_data(args.partners, reseed=args.reseed)
    needed = signings_needed(args.users, args.duration + STOP_TIMEOUT)
    plan = prepare(users=args.users, needed=needed)
    if plan is None:
        print(f"Weniger als {needed} Einrichtungen können noch unterzeichnen: lege die Daten neu an.", file=sys.stderr)
        seeded = ensure_data(args.partners, reseed=True)
        plan = prepare(users=args.users, needed=needed)
    if plan is None:
        raise SystemExit(f"Auch nach dem Neuanlegen keine {needed} Einladungslinks möglich – --partners erhöhen.")
    print(f"{len(plan['signings'])} Einladungslinks vorbereitet; Daten {seeded}.", file=sys.stderr)
    context = {
        "url": url,
        "database": database,
        "seeded": seeded,
        "partners": Partner.objects.filter(memberships__network__slug__startswith="scale-").distinct().count(),
        "networks": Network.objects.filter(slug__startswith="scale-").count(),
        "links": len(plan["signings"]),
        "available": plan["available"],
        "workers": args.workers,
        "versions": f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server}",
    }
    connection.close()
    return {"plan": plan, "context": context}


def measure(args, plan: dict, context: dict, tmp: Path) -> tuple[str, int]:
    """Start gunicorn, let locust run, count; gunicorn and locust are stopped on every way out."""
    from django.utils import timezone

    port = free_port()
    env = app_environment(context["url"], port, tmp)
    app = Gunicorn(env, port, args.workers, tmp / "gunicorn.log")
    locust = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env, check=True
        )
        app.start()
        app.wait_until_healthy()
        print(f"gunicorn mit {args.workers} Workern auf 127.0.0.1:{port}; locust läuft …", file=sys.stderr)
        plan_path, results_path = tmp / "plan.json", tmp / "results.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        load_before, cpu_before = os.getloadavg(), cpu_times()
        started = timezone.now()
        locust = run_locust(args, f"http://127.0.0.1:{port}", plan_path, results_path, tmp / "locust.log")
        locust.wait(timeout=args.duration + STOP_TIMEOUT + 120)
        busy, total = (after - before for after, before in zip(cpu_times(), cpu_before, strict=True))
        load_after = os.getloadavg()
        if not results_path.exists():
            raise RuntimeError(f"locust hat keine Ergebnisse geschrieben:\n{(tmp / 'locust.log').read_text()[-3000:]}")
        result = json.loads(results_path.read_text(encoding="utf-8"))
        problems = result.setdefault("problems", [])
        if app.process.poll() is not None:
            problems.append("gunicorn ist während des Laufs beendet worden")
    finally:
        if locust is not None and locust.poll() is None:
            locust.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                locust.wait(timeout=10)
        app.stop()
    signed_ok = sum(1 for s in result["samples"] if s["key"] == "sign_post" and not s["error"])
    signed_db = count_signatures(started)
    if signed_db != signed_ok:
        problems.append(f"Unterschriften in der Datenbank ({signed_db}) ≠ angenommene Unterschriften ({signed_ok})")
    logged = [line for line in app.log().splitlines() if " ERROR " in line or "Traceback" in line]
    if logged:
        problems.append(f"gunicorn-Protokoll: {logged[0][:200]}")
    mail_dir = tmp / "mail"
    context = {
        **context,
        "when": datetime.datetime.now(),
        "signed_ok": signed_ok,
        "signed_db": signed_db,
        # the file backend appends messages of the same second to one file, each closed by a line of 79 dashes
        "mails": sum(path.read_bytes().count(b"-" * 79) for path in mail_dir.iterdir()) if mail_dir.exists() else 0,
        "cpu_busy": 100 * busy / total if total else 0.0,
        "load_before": load_before,
        "load_after": load_after,
    }
    return report(result, args, context)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16, help="gleichzeitige Nutzer (Standard 16)")
    parser.add_argument("--duration", type=int, default=60, help="Dauer in Sekunden (Standard 60)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn-Worker")
    parser.add_argument("--partners", type=int, default=PARTNERS, help=f"Einrichtungen (Standard {PARTNERS})")
    parser.add_argument("--reseed", action="store_true", help="Skalierungsdaten in jedem Fall neu anlegen")
    parser.add_argument("--no-write", action="store_true", help="kein Bericht unter bench/results/")
    args = parser.parse_args()
    if args.users < 1 or args.duration < 5:
        parser.error("--users ≥ 1 und --duration ≥ 5 Sekunden")
    if args.partners < 200 * STAFF_NETWORKS:
        parser.error(f"--partners braucht mindestens {200 * STAFF_NETWORKS} (vier volle Netzwerke).")
    signal.signal(signal.SIGTERM, interrupted)
    try:
        prepared = prepare_run(args)
        with tempfile.TemporaryDirectory(prefix="praevnet-last-") as tmp:
            text, errors = measure(args, prepared["plan"], prepared["context"], Path(tmp))
    except KeyboardInterrupt:
        print("\nAbgebrochen.", file=sys.stderr)
        return 130
    except (RuntimeError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"FEHLER: {exc}", file=sys.stderr)
        return 1
    print(text)
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        target = RESULTS / f"load-{datetime.date.today():%Y-%m-%d}.md"
        target.write_text(text, encoding="utf-8")
        print(f"Bericht: {target.relative_to(BASE_DIR)}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
