"""The annual report of a network (Jahresbericht / Mitteilung an den Jugendhilfeausschuss): page, PDF and CSV.

Coordination and Jugendamt (Perm.VIEW_PARTNERS) see it; the figures come from praevnet.report.annual_report_data.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.shortcuts import render

from partners.exporter import csv_cell
from partners.models import Network
from praevnet import charts
from praevnet.access import Perm, method_checked, network_view, only
from praevnet.pdf import render_pdf
from praevnet.report import annual_report_data, default_year, valid_year, year_range

YEAR_ERROR = "Bitte ein Jahr zwischen {first} und {last} wählen."


def report_charts(data: dict, *, fluid: bool = False) -> dict:
    """The report's charts (inline SVG; ``fluid`` for the web page); the same numbers are in the tables beside them."""
    year = data["year"]
    members = data["members"]
    meetings = data["meetings"]
    lights = data["goals"]["traffic_lights"]
    return {
        "members": charts.bar_chart(
            f"Mitgliedseinrichtungen am 31.12.{year} nach Handlungsfeld",
            [(row["name"], row["members"]) for row in members["by_sector"]],
            fluid=fluid,
        ),
        "agreements": charts.stacked_bar(
            f"Kooperationsvereinbarungen am 31.12.{year} nach Status",
            [(row["label"], row["count"]) for row in data["agreements"]["by_state"]],
        ),
        "attendance": charts.bar_chart(
            f"Anwesenheitsquote je Sitzung {year}",
            [
                (f"{row['date']:%d.%m.%Y} {row['title']}", row["rate"])
                for row in meetings["rows"]
                if row["rate"] is not None
            ],
            unit="%",
            max_value=100,
            label_max=44,
            fluid=fluid,
        ),
        "attendance_sectors": charts.bar_chart(
            f"Anwesenheitsquote {year} nach Handlungsfeld",
            [(row["name"], row["rate"]) for row in meetings["by_sector"]],
            unit="%",
            max_value=100,
        ),
        "lights": charts.stacked_bar(
            f"Bewertung der Handlungsziele {year}",
            [
                ("grün – auf gutem Weg", lights["gruen"]),
                ("gelb – mit Verzögerung", lights["gelb"]),
                ("rot – gefährdet", lights["rot"]),
                ("noch nicht bewertet", lights["offen"]),
            ],
            colors=[charts.LIGHTS[key] for key in ("gruen", "gelb", "rot", "offen")],
        ),
    }


def _year_or_404(year: int) -> int:
    if not valid_year(year):
        first, last = year_range()
        raise Http404(YEAR_ERROR.format(first=first, last=last))
    return year


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def report(request, network: Network):
    """Choose the year, see the key figures, download the PDF or the CSV."""
    only(request, "GET")
    first, last = year_range()
    raw = request.GET.get("jahr", "").strip()
    error, status = "", 200
    year = default_year()
    if raw:
        try:
            year = int(raw)
        except ValueError:
            year = None
        if year is None or not valid_year(year):
            error, status, year = YEAR_ERROR.format(first=first, last=last), 400, default_year()
    years = list(range(last, max(first, last - 10) - 1, -1))
    if year not in years:
        years.append(year)
    data = annual_report_data(network, year)
    context = {
        "network": network,
        "year": year,
        "years": years,
        "error": error,
        "report": data,
        "charts": report_charts(data, fluid=True),
    }
    return render(request, "praevnet/report.html", context, status=status)


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def report_pdf(request, network: Network, year: int):
    only(request, "GET")
    data = annual_report_data(network, _year_or_404(year))
    pdf = render_pdf(
        "pdf/annual_report.html", {"network": network, "report": data, "charts": report_charts(data)}, request=request
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="jahresbericht-{network.slug}-{year}.pdf"'
    return response


@method_checked
@network_view(Perm.VIEW_PARTNERS)
def report_csv(request, network: Network, year: int):
    only(request, "GET")
    data = annual_report_data(network, _year_or_404(year))
    response = HttpResponse(report_to_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jahresbericht-{network.slug}-{year}.csv"'
    return response


# ---------------------------------------------------------------------------------------------------------------------
# CSV: one section per block, a title line, German headers, an empty line between sections
# ---------------------------------------------------------------------------------------------------------------------


def _cell(value) -> str:
    """Like the register export (formula guard, dates as 31.12.2025), numbers with a decimal comma."""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    return csv_cell(value)


def report_sections(data: dict) -> list[tuple[str, list[str], list[list]]]:
    """(title, headers, rows) per block of the report."""
    year = data["year"]
    members, meetings, actions, coverage, goals = (
        data["members"],
        data["meetings"],
        data["actions"],
        data["coverage"],
        data["goals"],
    )
    sections = [
        (
            f"Mitgliedseinrichtungen nach Handlungsfeld {year}",
            ["Handlungsfeld", f"Mitglieder am 31.12.{year}", "beigetreten", "ausgeschieden"],
            [[r["name"], r["members"], r["joined"], r["left"]] for r in members["by_sector"]]
            + [["gesamt (jede Einrichtung einmal)", members["total"], members["joined"], members["left"]]],
        ),
        (
            f"Beitritte und Austritte {year}",
            ["Einrichtung", "Art", "Datum"],
            [[r["name"], "beigetreten", r["date"]] for r in members["joined_list"]]
            + [[r["name"], "ausgeschieden", r["date"]] for r in members["left_list"]],
        ),
        (
            f"Kooperationsvereinbarungen nach Status am 31.12.{year}",
            ["Status", "Anzahl"],
            [[r["label"], r["count"]] for r in data["agreements"]["by_state"]]
            + [["gesamt", data["agreements"]["total"]]],
        ),
        (
            f"Sitzungen {year}",
            [
                "Datum",
                "Gremium",
                "Sitzung",
                "Status",
                "Protokoll",
                "eingeladene Plätze",
                "anwesend",
                "entschuldigt",
                "abwesend",
                "Gäste",
                "Anwesenheitsquote (%)",
            ],
            [
                [
                    r["date"],
                    r["body"],
                    r["title"],
                    r["state"],
                    r["protocol"],
                    r["seats"],
                    r["present"],
                    r["excused"],
                    r["absent"],
                    r["guests"],
                    r["rate"],
                ]
                for r in meetings["rows"]
            ],
        ),
        (
            f"Anwesenheit nach Handlungsfeld {year}",
            ["Handlungsfeld", "eingeladene Plätze", "anwesend", "Anwesenheitsquote (%)"],
            [[r["name"], r["seats"], r["present"], r["rate"]] for r in meetings["by_sector"]]
            + [["alle Sitzungen mit Anwesenheitsliste", "", "", meetings["rate"]]],
        ),
        (
            f"Empfehlungen aus genehmigten Protokollen {year}",
            ["Datum", "Sitzung", "TOP", "Empfehlung"],
            [[r["date"], r["meeting"], r["top"], r["text"]] for r in data["recommendations"]],
        ),
        (
            f"Aufgaben {year}",
            ["Kennzahl", "Anzahl"],
            [
                ["in Sitzungen des Jahres beschlossen", actions["opened"]],
                ["im Jahr erledigt", actions["closed"]],
                [f"offen am 31.12.{year}", actions["open_at_end"]],
            ],
        ),
        (
            f"In Sitzungen {year} beschlossene Aufgaben",
            ["beschlossen am", "Aufgabe", "verantwortlich", "zu erledigen bis", "erledigt am"],
            [[r["date"], r["text"], r["responsible"], r["due"], r["done"]] for r in actions["items"]],
        ),
        (
            f"Abdeckung der Präventionskette (Lebensphasen × {coverage['axis_label']}, Stand "
            f"{data['generated']:%d.%m.%Y})",
            [coverage["axis_label"], *coverage["columns"], "gesamt"],
            [[r["label"], *r["cells"], r["total"]] for r in coverage["rows"]]
            + [["je Lebensphase", *coverage["column_totals"], coverage["offers"]]],
        ),
        (
            "Lücken der Präventionskette",
            [coverage["axis_label"], "Lebensphase"],
            [[g["row"], g["stage"]] for g in coverage["gap_list"]],
        ),
        (
            f"Ziele und Wirkung {year}",
            ["Ziel", "Handlungsziel", "verantwortlich", f"Bewertung {year}", "Kommentar"],
            [
                [
                    f"{g['label']}. {g['title']}",
                    a["title"],
                    a["owner"],
                    a["review"]["assessment_label"] if a["review"] else "noch nicht bewertet",
                    a["review"]["comment"] if a["review"] else "",
                ]
                for g in goals["goals"]
                for a in g["action_goals"]
            ],
        ),
        (
            f"Indikatoren {year}",
            ["Handlungsziel", "Indikator", "Einheit", "Zielwert", "gemessen"],
            [
                [a["title"], i["name"], i["unit"], i["target"], i["measured"]]
                for g in goals["goals"]
                for a in g["action_goals"]
                for i in a["indicators"]
            ],
        ),
        (
            f"Kennzahlen der Einrichtungen {year} ({goals['figures']['reported']} von "
            f"{goals['figures']['asked']} gemeldet)",
            ["Kennzahl", "Einheit", "Summe"],
            [[d["name"], d["unit"], d["total"]] for d in data["figure_totals"]],
        ),
        (
            f"Kennzahlen nach Handlungsfeld {year}",
            ["Handlungsfeld", *(d["name"] for d in goals["figures"]["definitions"])],
            [[r["name"], *r["values"]] for r in goals["figures"]["by_sector"]],
        ),
        (
            f"Nächste Schritte {year}",
            ["Schritt", "verantwortlich", "bis", "erledigt am"],
            [[s["title"], s["responsible"], s["due"], s["done_on"]] for s in goals["next_steps"]],
        ),
    ]
    return sections


def report_to_csv(data: dict) -> bytes:
    """UTF-8 with BOM and ';' (German Excel); every text cell through the register export's formula guard."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    network = data["network"]
    writer.writerow([_cell(f"Jahresbericht {data['year']}"), _cell(network["name"])])
    writer.writerow([_cell("erstellt am"), _cell(data["generated"])])
    for title, headers, rows in report_sections(data):
        writer.writerow([])
        writer.writerow([_cell(title)])
        writer.writerow([_cell(h) for h in headers])
        if rows:
            writer.writerows([_cell(value) for value in row] for row in rows)
        else:
            writer.writerow([_cell("keine Einträge")])
    return buffer.getvalue().encode("utf-8-sig")
