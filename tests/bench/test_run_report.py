"""`make bench`'s table: the ratios are worked out from the medians of the right dataset."""

from __future__ import annotations

import argparse

from bench.run import report


def dataset(partners: int, **medians: float) -> dict:
    labels = {"floor": "Boden", "admin": "Admin-Liste", "partner_list": "Partnerliste"}
    return {
        "partners": partners,
        "offers": partners * 10,
        "meetings": 8,
        "seeded": "vorhanden (wiederverwendet)",
        "pages": {key: {"label": labels[key], "median": m, "p95": m + 1, "queries": 7} for key, m in medians.items()},
    }


def test_page_admin_ratio_at_l_and_at_s_and_l_over_s():
    small = dataset(2000, floor=2.0, admin=40.0, partner_list=10.0)
    large = dataset(50000, floor=2.5, admin=60.0, partner_list=11.0)
    table = report(small, large, argparse.Namespace(warmup=3, repeat=20))
    row = next(line for line in table.splitlines() if line.startswith("| Partnerliste"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    # S median, p95, queries, L median, p95, queries, page/floor (L), page/admin (L), page/admin (S), L/S
    assert cells[1:] == ["10,0", "11,0", "7", "11,0", "12,0", "7", "4,40 ×", "0,18 ×", "0,25 ×", "1,10 ×"]
    assert "2.000 Einrichtungen" in table and "50.000 Einrichtungen" in table
