"""Synthetic scale data for benchmarks: networks, institutions, contact persons and offers by the ten thousand.

    python manage.py seed_scale --partners 10000                  # 50 networks of 200, ~100,000 offers
    python manage.py seed_scale --partners 10000 --big-network 10000 --replace

Everything it creates is recognisable: networks `scale-001` … (“Skalierungsnetz 001”), municipalities
“Prüfstadt 001” … in the Kreis “Skalierungskreis (synthetisch)”, institutions “Familienzentrum Nord 1234”.
`--big-network N` adds the network `scale-gesamt` in which the first N institutions are members as well, so one
register holds them all. The same arguments give the same data (fixed random seed). Rows go in with PostgreSQL COPY,
in chunks, ids reserved from the sequences; the whole run is one transaction. Without `--replace` it refuses to
run when scale networks exist; with it, the previous scale data is deleted first (raw SQL, in dependency order).
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections.abc import Iterable, Sequence

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import ProtectedError, RestrictedError

from partners.demo import FEMALE_NAMES, LAST_NAMES, MALE_NAMES, STREETS, TYPES
from partners.management.commands._scale.governance import MODELS as GOVERNANCE_MODELS
from partners.management.commands._scale.governance import GovernanceSeeder, delete_governance
from partners.models import (
    AccessRoute,
    ContactPerson,
    District,
    FederalState,
    Language,
    LifeStage,
    Membership,
    Municipality,
    Network,
    Offer,
    Partner,
    Sector,
)

SLUG_PREFIX = "scale-"
BIG_SLUG = "scale-gesamt"
KREIS = "Skalierungskreis (synthetisch)"
DISTRICTS = ("Nord", "Süd", "Ost", "West", "Mitte", "Altstadt")
CHUNK = 2000  # institutions per round of COPY statements: bounded memory at 50,000 and more
PREFIXES = {
    "hebamme": "Hebammenpraxis",
    "babylotsen": "Babylotsendienst",
    "kita": "Kita",
    "familienzentrum": "Familienzentrum",
    "familienbildung": "Familienbildungsstätte",
    "kinderarzt": "Kinderarztpraxis",
    "erziehungsberatung": "Erziehungsberatungsstelle",
    "schwangerschaftsberatung": "Schwangerschaftsberatung",
    "fruehfoerderung": "Frühförderstelle",
    "grundschule": "Grundschule",
    "weiterfuehrende": "Gesamtschule",
    "jugendzentrum": "Jugendzentrum",
    "sportverein": "Sportverein",
    "migration": "Migrationsberatung",
    "jobcenter": "Jobcenter-Beratung",
    "musikschule": "Musikschule",
    "bibliothek": "Stadtteilbibliothek",
    "familienbuero": "Familienbüro",
}
TITLE_VARIANTS = ("", "", "", " am Vormittag", " am Nachmittag", " für Väter", " – Gruppe 2", " online", " im Sommer")


def qn(name: str) -> str:
    return connection.ops.quote_name(name)


class Table:
    """COPY rows into one model's table; columns are the model's concrete fields (generated ones excepted)."""

    def __init__(self, model: type[models.Model], *, with_pk: bool = False, now: datetime.datetime):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.generated and (with_pk or not f.primary_key)]
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.has_default():
                self.defaults[f.attname] = f.get_default()
            else:
                self.defaults[f.attname] = None if f.null else ""

    def row(self, **values) -> tuple:
        defaults = self.defaults
        return tuple(values[f.attname] if f.attname in values else defaults[f.attname] for f in self.fields)

    def copy(self, cursor, rows: Iterable[tuple]) -> int:
        columns = ", ".join(qn(f.column) for f in self.fields)
        count = 0
        with cursor.copy(f"COPY {qn(self.model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count


def copy_pairs(cursor, through: type[models.Model], left: str, right: str, rows: Sequence[tuple[int, int]]) -> int:
    """COPY (left_id, right_id) rows into an m2m through table."""
    table = qn(through._meta.db_table)
    left_col = through._meta.get_field(left).column
    right_col = through._meta.get_field(right).column
    with cursor.copy(f"COPY {table} ({qn(left_col)}, {qn(right_col)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)


def reserve_ids(cursor, model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [table, model._meta.pk.column, count],
    )
    return [row[0] for row in cursor.fetchall()]


def scale_networks():
    return Network.objects.filter(slug__startswith=SLUG_PREFIX)


def delete_scale_data() -> dict[str, int]:
    """Remove everything a previous seed_scale created. Institutions that are also members of another network are
    left alone (they are not scale data)."""
    counts: dict[str, int] = {}
    network_ids = list(scale_networks().values_list("pk", flat=True))
    if not network_ids:
        return counts
    membership, network = qn(Membership._meta.db_table), qn(Network._meta.db_table)
    offer, partner = qn(Offer._meta.db_table), qn(Partner._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS scale_partner")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE scale_partner ON COMMIT DROP AS
                SELECT m.partner_id AS id FROM {membership} m WHERE m.network_id = ANY(%s)
                EXCEPT SELECT m.partner_id FROM {membership} m WHERE NOT (m.network_id = ANY(%s))""",
            [network_ids, network_ids],
        )
        cursor.execute("ALTER TABLE scale_partner ADD PRIMARY KEY (id)")
        cursor.execute("ANALYZE scale_partner")
        counts.update(delete_governance(cursor, network_ids))
        for field in Offer._meta.many_to_many:
            through = field.remote_field.through
            cursor.execute(
                f"DELETE FROM {qn(through._meta.db_table)} t USING {offer} o, scale_partner s "
                f"WHERE t.offer_id = o.id AND o.partner_id = s.id"
            )
        cursor.execute(f"DELETE FROM {offer} o USING scale_partner s WHERE o.partner_id = s.id")
        counts["Angebote"] = cursor.rowcount
        for field in Partner._meta.many_to_many:
            through = field.remote_field.through
            cursor.execute(
                f"DELETE FROM {qn(through._meta.db_table)} t USING scale_partner s WHERE t.partner_id = s.id"
            )
        cursor.execute(
            f"DELETE FROM {qn(ContactPerson._meta.db_table)} c USING scale_partner s WHERE c.partner_id = s.id"
        )
        cursor.execute(f"DELETE FROM {membership} WHERE network_id = ANY(%s)", [network_ids])
        cursor.execute(f"DELETE FROM {partner} p USING scale_partner s WHERE p.id = s.id")
        counts["Einrichtungen"] = cursor.rowcount
        cursor.execute(f"SELECT count(*) FROM {network} WHERE id = ANY(%s)", [network_ids])
        counts["Netzwerke"] = cursor.fetchone()[0]
    scale_networks().delete()  # the ORM takes care of roles, audit entries and whatever else hangs on a network
    Municipality.objects.filter(kreis=KREIS).delete()
    return counts


class Command(BaseCommand):
    help = (
        "Legt synthetische Skalierungsdaten an (Netzwerke „scale-…“, Einrichtungen, Ansprechpersonen, Angebote) – "
        "für Messungen, nie in Produktion."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partners", type=int, default=10000, help="Zahl der Einrichtungen (Standard 10000)")
        parser.add_argument(
            "--offers-per-partner", type=int, default=10, help="Angebote je Einrichtung im Mittel (Standard 10)"
        )
        parser.add_argument("--network-size", type=int, default=200, help="Einrichtungen je Netzwerk (Standard 200)")
        parser.add_argument(
            "--big-network",
            type=int,
            default=0,
            metavar="N",
            help="zusätzlich das Netzwerk „scale-gesamt“, in dem die ersten N Einrichtungen Mitglied sind",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Startwert des Zufallsgenerators")
        parser.add_argument("--replace", action="store_true", help="vorhandene Skalierungsdaten zuerst löschen")

    def handle(self, *args, **options):
        partners, size = options["partners"], options["network_size"]
        offers_avg, big = options["offers_per_partner"], options["big_network"]
        if partners < 1 or size < 1:
            raise CommandError("--partners und --network-size müssen mindestens 1 sein.")
        if offers_avg < 0:
            raise CommandError("--offers-per-partner darf nicht negativ sein.")
        if not 0 <= big <= partners:
            raise CommandError("--big-network muss zwischen 0 und --partners liegen.")
        started = time.monotonic()
        # Outside a surrounding transaction (tests), deleting and seeding commit separately so that VACUUM can
        # free the old rows in between and the new ones reuse the space instead of doubling the tables.
        standalone = not connection.in_atomic_block
        try:
            if scale_networks().exists():
                if not options["replace"]:
                    raise CommandError(
                        "Es gibt schon Skalierungsdaten (Netzwerke „scale-…“). Doppelt anlegen geht nicht: "
                        "mit --replace werden die alten zuerst gelöscht."
                    )
                phase = time.monotonic()
                with transaction.atomic():
                    removed = delete_scale_data()
                summary = ", ".join(f"{n} {label}" for label, n in removed.items())
                if standalone:
                    self.maintain("VACUUM")
                self.stdout.write(f"Alte Skalierungsdaten gelöscht ({summary}) in {time.monotonic() - phase:.1f} s")
            with transaction.atomic():
                counts = Seeder(
                    partners=partners,
                    network_size=size,
                    offers_avg=offers_avg,
                    big_network=big,
                    seed=options["seed"],
                    log=self.stdout.write,
                ).run()
        except (IntegrityError, ProtectedError, RestrictedError) as exc:
            raise CommandError(f"Skalierungsdaten lassen sich nicht ersetzen: {exc}") from exc
        phase = time.monotonic()
        self.maintain("VACUUM (ANALYZE)" if standalone else "ANALYZE")
        self.stdout.write(
            f"Statistiken aktualisiert ({'VACUUM ANALYZE' if standalone else 'ANALYZE'}) in {time.monotonic() - phase:.1f} s"
        )
        total = time.monotonic() - started
        line = ", ".join(f"{n:,} {label}".replace(",", ".") for label, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Fertig in {total:.1f} s: {line}"))

    def maintain(self, statement: str) -> None:
        """VACUUM and/or ANALYZE the tables seed_scale fills (VACUUM only outside a transaction)."""
        tables = [model._meta.db_table for model in (Partner, Offer, ContactPerson, Membership, District)]
        tables += [model._meta.db_table for model in GOVERNANCE_MODELS]
        for model in (Partner, Offer):
            tables += [field.remote_field.through._meta.db_table for field in model._meta.many_to_many]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{statement} {qn(table)}")


class Seeder:
    """Generates the rows in a fixed order from one random generator, so the same arguments give the same data."""

    def __init__(self, *, partners: int, network_size: int, offers_avg: int, big_network: int, seed: int, log):
        self.partners = partners
        self.network_size = network_size
        self.offers_avg = offers_avg
        self.big_network = big_network
        self.rng = random.Random(seed)
        self.seed = seed
        self.log = log
        self.now = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
        self.counts: dict[str, int] = {}

    def add(self, label: str, n: int) -> None:
        self.counts[label] = self.counts.get(label, 0) + n

    def run(self) -> dict[str, int]:
        from partners.taxonomy_defaults import install

        if not LifeStage.objects.exists():
            install()
        self.life_stages = dict(LifeStage.objects.values_list("slug", "pk"))
        self.sectors = dict(Sector.objects.values_list("slug", "pk"))
        self.access = dict(AccessRoute.objects.values_list("slug", "pk"))
        self.languages = dict(Language.objects.values_list("slug", "pk"))
        self.other_languages = [pk for slug, pk in self.languages.items() if slug != "de"]
        phase = time.monotonic()
        self.networks, self.districts = self.create_networks()
        self.log(
            f"{len(self.networks)} Netzwerke mit je einer Kommune und {len(DISTRICTS)} Sozialräumen "
            f"in {time.monotonic() - phase:.1f} s"
        )
        phase = time.monotonic()
        for start in range(0, self.partners, CHUNK):
            self.seed_chunk(start, min(self.partners, start + CHUNK))
        self.log(f"Einrichtungen, Ansprechpersonen und Angebote per COPY in {time.monotonic() - phase:.1f} s")
        phase = time.monotonic()
        GovernanceSeeder(networks=self.networks, seed=self.seed, now=self.now, table_class=Table, add=self.add).run()
        self.log(
            f"Vereinbarungen, Unterschriften, Gremien, Sitzungen und Protokolle per COPY in "
            f"{time.monotonic() - phase:.1f} s (ohne PDFs)"
        )
        return self.counts

    def create_networks(self) -> tuple[list[Network], list[list[int]]]:
        count = math.ceil(self.partners / self.network_size)
        municipalities = Municipality.objects.bulk_create(
            [
                Municipality(name=f"Prüfstadt {n:03d}", kind="stadt", kreis=KREIS, federal_state=FederalState.NW)
                for n in range(1, count + 1)
            ]
        )
        networks = Network.objects.bulk_create(
            [
                Network(
                    name=f"Skalierungsnetz {n:03d}",
                    slug=f"{SLUG_PREFIX}{n:03d}",
                    region=f"Stadt Prüfstadt {n:03d}",
                    federal_state=FederalState.NW,
                    jugendamt=f"Jugendamt Prüfstadt {n:03d}",
                    focus="Synthetische Daten für Last- und Geschwindigkeitsmessungen",
                    since=2020,
                )
                for n in range(1, count + 1)
            ]
        )
        through = Network.municipalities.through
        links = [
            through(network_id=net.pk, municipality_id=mun.pk)
            for net, mun in zip(networks, municipalities, strict=True)
        ]
        if self.big_network:
            big = Network.objects.create(
                name="Skalierungsnetz gesamt",
                slug=BIG_SLUG,
                region="Skalierungskreis",
                federal_state=FederalState.NW,
                jugendamt="Jugendamt Skalierungskreis",
                focus="Alle synthetischen Einrichtungen in einem Register",
                since=2020,
            )
            links += [through(network_id=big.pk, municipality_id=mun.pk) for mun in municipalities]
            self.big = big
        through.objects.bulk_create(links)
        districts = District.objects.bulk_create(
            [District(municipality=mun, name=name) for mun in municipalities for name in DISTRICTS]
        )
        per_network = [[d.pk for d in districts[i * len(DISTRICTS) : (i + 1) * len(DISTRICTS)]] for i in range(count)]
        self.add("Netzwerke", len(networks) + (1 if self.big_network else 0))
        return networks, per_network

    def seed_chunk(self, start: int, stop: int) -> None:
        rng, now = self.rng, self.now
        type_keys = list(PREFIXES)
        all_templates = [(key, template) for key in type_keys for template in TYPES[key].offers]
        partner_table = Table(Partner, with_pk=True, now=now)
        offer_table = Table(Offer, with_pk=True, now=now)
        contact_table = Table(ContactPerson, now=now)
        membership_table = Table(Membership, now=now)
        with connection.cursor() as cursor:
            partner_ids = reserve_ids(cursor, Partner, stop - start)
            partner_rows, contact_rows, membership_rows = [], [], []
            partner_sectors, partner_districts, partner_languages = [], [], []
            offers: list[tuple] = []  # (partner_id, template, district ids, language ids, published, cost)
            for index, pk in zip(range(start, stop), partner_ids, strict=True):
                number = index + 1
                net = index // self.network_size
                network = self.networks[net]
                key = rng.choice(type_keys)
                kind = TYPES[key]
                districts = self.districts[net]
                home = rng.randrange(len(districts))
                district_name = DISTRICTS[home]
                city = f"Prüfstadt {net + 1:03d}"
                name = f"{PREFIXES[key]} {district_name} {number}"
                created = now - datetime.timedelta(days=rng.randint(30, 2400), minutes=rng.randint(0, 1440))
                updated = created + datetime.timedelta(days=rng.randint(0, 25))
                state = rng.choices(("geprueft", "eingereicht", "entwurf"), weights=(70, 15, 15))[0]
                domain = f"einrichtung-{number}.scale.example"
                partner_rows.append(
                    partner_table.row(
                        id=pk,
                        name=name,
                        kind=rng.choice(kind.kinds),
                        traeger=f"Familienhilfe Prüfstadt {net + 1:03d} e. V." if rng.random() < 0.6 else "",
                        street=f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
                        postcode=f"4{net % 1000:03d}{home}",
                        city=city,
                        phone=f"0211 {5000000 + number}",
                        email=f"kontakt@{domain}",
                        website=f"https://{domain}" if rng.random() < 0.4 else "",
                        description=rng.choice(kind.descriptions),
                        accessibility=rng.choice(Partner.Accessibility.values),
                        profile_state=state,
                        submitted_at=updated if state != "entwurf" else None,
                        reviewed_at=updated if state == "geprueft" else None,
                        archived_at=updated if rng.random() < 0.02 else None,
                        created=created,
                        updated=updated,
                    )
                )
                member_state = rng.choices(("aktiv", "eingeladen", "beendet"), weights=(90, 6, 4))[0]
                since = created.date() if member_state != "eingeladen" else None
                until = since + datetime.timedelta(days=400) if member_state == "beendet" else None
                membership_rows.append(
                    membership_table.row(
                        partner_id=pk, network_id=network.pk, state=member_state, since=since, until=until
                    )
                )
                if index < self.big_network:
                    membership_rows.append(
                        membership_table.row(
                            partner_id=pk, network_id=self.big.pk, state="aktiv", since=created.date(), until=None
                        )
                    )
                sector_keys = dict.fromkeys((kind.sectors[0], rng.choice(kind.sectors)))
                partner_sectors += [(pk, self.sectors[s]) for s in sector_keys]
                served = {districts[home]}
                if rng.random() < 0.4:
                    served.add(rng.choice(districts))
                partner_districts += [(pk, d) for d in served]
                languages = {self.languages["de"]}
                if rng.random() < 0.35:
                    languages.add(rng.choice(self.other_languages))
                partner_languages += [(pk, lang) for lang in languages]
                for n in range(rng.randint(1, 2)):
                    female = rng.random() < 0.7
                    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
                    last = rng.choice(LAST_NAMES)
                    contact_rows.append(
                        contact_table.row(
                            partner_id=pk,
                            name=f"{first} {last}",
                            function=kind.functions[n % len(kind.functions)].split("|")[0 if female else -1],
                            phone=f"0211 {5000000 + number}-{10 + n}",
                            email=f"person{n + 1}@{domain}",
                            consent_internal=rng.random() < 0.85,
                            consent_public=rng.random() < 0.3,
                        )
                    )
                for _ in range(rng.randint(1, 2 * self.offers_avg - 1) if self.offers_avg else 0):
                    if rng.random() < 0.75:
                        template = rng.choice(kind.offers)
                    else:
                        template = rng.choice(all_templates)[1]
                    offer_districts = {districts[home]}
                    if rng.random() < 0.3:
                        offer_districts.add(rng.choice(districts))
                    offer_languages = {self.languages["de"]}
                    if rng.random() < 0.3:
                        offer_languages.add(rng.choice(self.other_languages))
                    offers.append(
                        (
                            pk,
                            template,
                            offer_districts,
                            offer_languages,
                            rng.random() < 0.85,
                            rng.choice(TITLE_VARIANTS),
                        )
                    )
            offer_ids = reserve_ids(cursor, Offer, len(offers))
            offer_rows, stages, routes, offer_districts_rows, offer_languages_rows = [], [], [], [], []
            for offer_id, (partner_id, template, districts, languages, published, variant) in zip(
                offer_ids, offers, strict=True
            ):
                offer_rows.append(
                    offer_table.row(
                        id=offer_id,
                        partner_id=partner_id,
                        title=f"{template.title}{variant}",
                        description=template.description,
                        cost=template.cost,
                        cost_note=template.cost_note,
                        published=published,
                    )
                )
                stages += [(offer_id, self.life_stages[s]) for s in template.life_stages]
                routes += [(offer_id, self.access[a]) for a in template.access]
                offer_districts_rows += [(offer_id, d) for d in districts]
                offer_languages_rows += [(offer_id, lang) for lang in languages]

            self.add("Einrichtungen", partner_table.copy(cursor, partner_rows))
            self.add("Mitgliedschaften", membership_table.copy(cursor, membership_rows))
            self.add("Ansprechpersonen", contact_table.copy(cursor, contact_rows))
            self.add("Angebote", offer_table.copy(cursor, offer_rows))
            links = 0
            links += copy_pairs(cursor, Partner.sectors.through, "partner", "sector", partner_sectors)
            links += copy_pairs(cursor, Partner.districts.through, "partner", "district", partner_districts)
            links += copy_pairs(cursor, Partner.languages.through, "partner", "language", partner_languages)
            links += copy_pairs(cursor, Offer.life_stages.through, "offer", "lifestage", stages)
            links += copy_pairs(cursor, Offer.access_routes.through, "offer", "accessroute", routes)
            links += copy_pairs(cursor, Offer.districts.through, "offer", "district", offer_districts_rows)
            links += copy_pairs(cursor, Offer.languages.through, "offer", "language", offer_languages_rows)
            self.add("Zuordnungen", links)
