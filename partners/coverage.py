"""Coverage of the prevention chain: how many published offers each life stage has in each Sozialraum (or sector,
or access route) – an empty cell is a gap in the chain ("lückenlos entlang der Lebensbiografie", seed Dinslaken).

Counts are of distinct published offers of active members. An offer counts once in every cell it belongs to, so
a row's cells can add up to more than the row's total (an offer for 0-3 and 3-6 years is in both columns).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from partners.filters_directory import network_offers
from partners.models import AccessRoute, District, LifeStage, Network, Sector

AXES = {
    "sozialraum": "Sozialräume",
    "handlungsfeld": "Handlungsfelder",
    "zugangsweg": "Zugangswege",
}
# How each axis is reached from an offer, and the directory filter a cell links to.
AXIS_LOOKUP = {"sozialraum": "districts", "handlungsfeld": "partner__sectors", "zugangsweg": "access_routes"}
AXIS_FILTER = {"sozialraum": "district", "handlungsfeld": "sector", "zugangsweg": "access_route"}
SCOPES = {"netzwerk": "dieses Netzwerk", "kreis": "der ganze Kreis"}


@dataclass
class Row:
    key: int | None
    label: str
    group: str = ""
    cells: list[int] = field(default_factory=list)
    total: int = 0

    @property
    def gaps(self) -> int:
        return sum(1 for n in self.cells if n == 0)


@dataclass
class Matrix:
    axis: str
    scope: str
    networks: list[Network]
    kreis: str
    columns: list[LifeStage]
    rows: list[Row]
    column_totals: list[int]
    offers: int
    without_stage: int
    without_axis: int

    @property
    def axis_label(self) -> str:
        return AXES[self.axis]

    @property
    def gaps(self) -> int:
        return sum(row.gaps for row in self.rows)

    @property
    def cells(self) -> int:
        return len(self.rows) * len(self.columns)

    @property
    def empty_columns(self) -> list[LifeStage]:
        return [stage for stage, total in zip(self.columns, self.column_totals, strict=True) if total == 0]

    @property
    def grouped(self) -> bool:
        return len({row.group for row in self.rows if row.group}) > 1


def kreis_of(network: Network) -> str:
    """The Kreis of the network's municipalities (the first one, if they lie in several); '' for a kreisfreie Stadt."""
    names = sorted({name for name in network.municipalities.values_list("kreis", flat=True) if name})
    return names[0] if names else ""


def kreis_networks(kreis: str) -> list[Network]:
    return list(Network.objects.filter(is_active=True, municipalities__kreis=kreis).distinct().order_by("name"))


def axis_rows(axis: str, networks: list[Network], kreis: str) -> list[Row]:
    if axis == "sozialraum":
        districts = District.objects.select_related("municipality")
        districts = (
            districts.filter(municipality__kreis=kreis)
            if kreis
            else districts.filter(municipality__networks__in=networks).distinct()
        )
        rows = [Row(key=d.pk, label=d.name, group=d.municipality.name) for d in districts]
        rows.sort(key=lambda row: (row.group.casefold(), row.label.casefold()))
        # A Kreis whose municipalities are each one Sozialraum of their own name needs no group headings.
        sizes = Counter(row.group for row in rows)
        if all(sizes[row.group] == 1 and row.label == row.group for row in rows):
            for row in rows:
                row.group = ""
        return rows
    model = Sector if axis == "handlungsfeld" else AccessRoute
    return [Row(key=pk, label=name) for pk, name in model.objects.values_list("pk", "name")]


def coverage_matrix(*, network: Network, axis: str = "sozialraum", scope: str = "netzwerk") -> Matrix:
    """The matrix of life stages × `axis` for the network, or for every active network in its Kreis."""
    axis = axis if axis in AXES else "sozialraum"
    kreis = kreis_of(network) if scope == "kreis" else ""
    scope = "kreis" if kreis else "netzwerk"
    networks = kreis_networks(kreis) if kreis else [network]
    ids = network_offers(networks, published_only=True).order_by()
    lookup = AXIS_LOOKUP[axis]

    columns = list(LifeStage.objects.all())
    rows = axis_rows(axis, networks, kreis)
    index = {row.key: row for row in rows}
    position = {stage.pk: i for i, stage in enumerate(columns)}
    for row in rows:
        row.cells = [0] * len(columns)

    pairs = ids.values("life_stages", lookup).annotate(n=Count("pk", distinct=True))
    for pair in pairs:
        row, column = index.get(pair[lookup]), position.get(pair["life_stages"])
        if row is not None and column is not None:
            row.cells[column] = pair["n"]
    for pair in ids.values(lookup).annotate(n=Count("pk", distinct=True)):
        if pair[lookup] in index:
            index[pair[lookup]].total = pair["n"]
    by_stage = {
        pair["life_stages"]: pair["n"] for pair in ids.values("life_stages").annotate(n=Count("pk", distinct=True))
    }
    return Matrix(
        axis=axis,
        scope=scope,
        networks=networks,
        kreis=kreis,
        columns=columns,
        rows=rows,
        column_totals=[by_stage.get(stage.pk, 0) for stage in columns],
        offers=ids.count(),
        without_stage=ids.filter(life_stages__isnull=True).count(),
        without_axis=ids.filter(**{f"{lookup}__isnull": True}).count(),
    )
