"""Agreement PDF: median render time (goal ≤ 100 ms for about three pages plus the Prüfprotokoll page), compared with
converting an equivalent .docx to PDF with LibreOffice headless – what coordinators do today.

    DATABASE_URL=… DEBUG=true .venv/bin/python bench/bench_agreements.py [--runs 30] [--office-runs 5]
    .venv/bin/python bench/bench_agreements.py        # without DATABASE_URL: database praevnet_bench on the
                                                      # embedded PostgreSQL of `make run` (never the demo database)

Steps: migrate; load the demo (idempotent; it has the three seed agreements Dinslaken, Duisburg, Weiterstadt in force,
signed online); for each seed, render the agreement's PDF exactly as the countersignature does
(`agreements.services.render_agreement_pdf`: context from the database, Django template, WeasyPrint with the cached
stylesheet and fonts) – 3 warm-up renders, then `--runs` measured ones: median, 95th percentile, minimum, pages.
The first render of the process (WeasyPrint import, fonts, stylesheet) is reported separately.

LibreOffice: the same agreement's HTML (the PDF template without the print stylesheet) is converted to .docx by
`soffice --headless --convert-to docx` once (not timed), then that .docx is converted to PDF `--office-runs` times
(one soffice process per conversion, as a user or a script does it; the first, which creates the LibreOffice profile,
is a warm-up). The ratio is LibreOffice's median divided by ours. Without soffice the report says so and measures
only ours. Output: Markdown on stdout and in bench/results/agreements-<date>.md. Machine load is part of the report;
compare figures from the same machine under the same load.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.bench_partners import database_url, percentile, setup_django  # noqa: E402  (the path above first)

SEEDS = ["unser-dingg", "fruehe-hilfen-duisburg", "interprochance-weiterstadt"]
GOAL_MS = 100.0


def pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def timed(function, runs: int, warmup: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of `runs` calls after `warmup` calls (CPU time says how much of the wall time
    was work of this process, and how much waiting for a CPU that other processes used)."""
    for _ in range(warmup):
        function()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def soffice_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_convert(binary: str, source: Path, target_format: str, outdir: Path, profile: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (time.perf_counter() - start) * 1000


def office_version(binary: str) -> str:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.splitlines()[0] if out else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--office-runs", type=int, default=5)
    args = parser.parse_args()

    setup_django(database_url())
    from django.core.management import call_command
    from django.template.loader import render_to_string

    from agreements import services
    from agreements.models import Agreement

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())

    load = os.getloadavg()
    lines = [
        f"# Kooperationsvereinbarung als PDF – {datetime.date.today():%d.%m.%Y}",
        "",
        f"Maschine: {platform.machine()}, {os.cpu_count()} Kerne, Last {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"
        f" (1/5/15 min), Python {platform.python_version()}.",
        "",
    ]
    agreements = []
    for slug in SEEDS:
        agreement = (
            Agreement.objects.filter(network__slug=slug, status=Agreement.Status.IN_FORCE, signatures__method="online")
            .select_related("network", "partner", "template")
            .distinct()
            .order_by("pk")
            .first()
        )
        if agreement is not None:
            agreements.append(agreement)
    if not agreements:
        print("Keine Demo-Vereinbarung in Kraft gefunden – wurde die Demo geladen?", file=sys.stderr)
        return 1

    start = time.perf_counter()
    services.render_agreement_pdf(agreements[0])
    first_ms = (time.perf_counter() - start) * 1000

    lines += [
        "## praevnet (WeasyPrint)",
        "",
        f"`render_agreement_pdf` wie bei der Gegenzeichnung; {args.runs} Messungen nach 3 zum Aufwärmen. Erster Aufruf "
        f"im Prozess (Import, Schriften, Stylesheet): {first_ms:.0f} ms.",
        "",
        "| Vereinbarung | Seiten | Median | 95. Perzentil | Minimum | CPU-Zeit (Median) | Ziel ≤ 100 ms |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    medians = {}
    for agreement in agreements:
        pdf = services.render_agreement_pdf(agreement)
        times, cpu = timed(lambda a=agreement: services.render_agreement_pdf(a), args.runs, 3)
        median = statistics.median(times)
        medians[agreement.network.slug] = (median, pages(pdf))
        lines.append(
            f"| {agreement.network.name} | {pages(pdf)} | {median:.0f} ms | {percentile(times, 0.95):.0f} ms | "
            f"{min(times):.0f} ms | {statistics.median(cpu):.0f} ms | "
            f"{'erreicht' if median <= GOAL_MS else 'verfehlt'} |"
        )
    reference = agreements[0]
    ours_ms, ours_pages = medians[reference.network.slug]
    lines.append("")

    binary = soffice_binary()
    lines += ["## LibreOffice headless (.docx → PDF)", ""]
    if binary is None:
        lines += [
            "soffice ist nicht installiert: nur praevnet gemessen (z. B. `apt-get install libreoffice-writer`).",
            "",
        ]
    else:
        with tempfile.TemporaryDirectory(prefix="praevnet-bench-") as tmp:
            folder = Path(tmp)
            profile = folder / "profil"
            html = render_to_string(
                "pdf/agreement.html", {**services.agreement_pdf_context(reference), "pdf_stylesheet_attached": True}
            )
            source = folder / "vereinbarung.html"
            source.write_text(html, encoding="utf-8")
            docx_dir = folder / "docx"
            office_convert(binary, source, "docx:MS Word 2007 XML", docx_dir, profile)
            docx = docx_dir / "vereinbarung.docx"
            pdf_dir = folder / "pdf"
            times = [office_convert(binary, docx, "pdf", pdf_dir, profile) for _ in range(args.office_runs + 1)][1:]
            office_pdf = (pdf_dir / "vereinbarung.pdf").read_bytes()
            office_ms = statistics.median(times)
            lines += [
                f"{office_version(binary)}. Dieselbe Vereinbarung ({reference.network.name}) als HTML → .docx "
                f"({docx.stat().st_size // 1024} KB, nicht gemessen), dann .docx → PDF, je ein soffice-Prozess; "
                f"{args.office_runs} Messungen nach einer zum Aufwärmen (legt das Profil an).",
                "",
                "| | Seiten | Median | Minimum |",
                "|---|---:|---:|---:|",
                f"| LibreOffice .docx → PDF | {pages(office_pdf)} | {office_ms:.0f} ms | {min(times):.0f} ms |",
                f"| praevnet (WeasyPrint) | {ours_pages} | {ours_ms:.0f} ms | |",
                "",
                f"**Verhältnis: LibreOffice braucht das {office_ms / ours_ms:.0f}-Fache** der Zeit von praevnet "
                "(mit Prozessstart, wie beim Umwandeln einzelner Dateien).",
                "",
            ]
    report = "\n".join(lines)
    print(report)
    results = BASE_DIR / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"agreements-{datetime.date.today():%Y-%m-%d}.md").write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
