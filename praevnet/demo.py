"""Demo data: the five networks of the seed documents with invented institutions and people.

Idempotent: every object is looked up by a natural key and updated, so `load_demo` can run on every `make run`.
All people, e-mail addresses and institutions are invented.
"""

from __future__ import annotations

import datetime
import zlib
from dataclasses import dataclass

from django.db import transaction

from agreements.demo import load_agreement_demo
from goals.demo import load_goal_demo
from meetings.demo import load_meeting_demo
from partners.demo import load_partner_demo
from partners.models import FederalState, Membership, Municipality, Network, Partner
from praevnet.models import NetworkRole, User

DEMO_PASSWORD = "praevnet-demo"
DEMO_DOMAIN = "praevnet.example"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoNetwork:
    slug: str
    name: str
    region: str
    state: str
    jugendamt: str
    focus: str
    leitbild: str
    since: int
    place: str
    weekday: int
    start: datetime.time
    municipalities: list[tuple[str, str, str]]  # (name, kind, kreis)
    partners: list[tuple[str, str, str, str, str, str]]  # (name, kind, traeger, street, postcode, city)
    people: list[tuple[str, str]]  # coordinator, jugendamt, partner 1, partner 2 (first, last)


NETWORKS: list[DemoNetwork] = [
    DemoNetwork(
        slug="unser-dingg",
        name="Unser DINgg Dinslaken",
        region="Stadt Dinslaken",
        state=FederalState.NW,
        jugendamt="Jugendamt der Stadt Dinslaken",
        focus="Präventions- und Bildungskette von der Geburt bis zum Einstieg in den Beruf",
        leitbild=(
            "**Umfassende Prävention von Anfang an ist der Grundstein für ein Aufwachsen in Wohlergehen. "
            "Alle Kinder und Jugendlichen in Dinslaken sollen die bestmögliche Erziehung, Bildung, Beratung, "
            "Betreuung und Teilhabe in allen Bereichen erhalten.**\n\n"
            "Um ein Kind zu erziehen, braucht es ein ganzes *Dorf*. Dieses Dorf wollen wir sein: eine lückenlose "
            "Präventions- und Bildungskette entlang der Lebensbiografie von Kindern und Jugendlichen."
        ),
        since=2018,
        place="Rathaus Dinslaken, Sitzungssaal",
        weekday=Network.Weekday.TUESDAY,
        start=datetime.time(14, 0),
        municipalities=[("Dinslaken", "stadt", "Kreis Wesel")],
        partners=[
            (
                "Familienzentrum Sonnenblume",
                "kita",
                "Ev. Kirchengemeinde Lohberg-Süd",
                "Blumenstraße 12",
                "46535",
                "Dinslaken",
            ),
            ("Hebammenpraxis Lindenhof", "praxis", "", "Lindenallee 3", "46535", "Dinslaken"),
            (
                "Erziehungsberatungsstelle am Neutor",
                "traeger",
                "Beratungsverbund Niederrhein e. V.",
                "Neutorplatz 8",
                "46535",
                "Dinslaken",
            ),
            (
                "Kinder- und Jugendarztpraxis Dr. Hallmann",
                "praxis",
                "",
                "Duisburger Straße 140",
                "46535",
                "Dinslaken",
            ),
            ("Grundschule am Stadtpark", "schule", "Stadt Dinslaken", "Parkweg 20", "46537", "Dinslaken"),
            ("Sportverein Eintracht Hiesfeld e. V.", "verein", "", "Am Sportplatz 4", "46539", "Dinslaken"),
            ("Familienbildungswerk Niederrhein e. V.", "verein", "", "Wallstraße 21", "46535", "Dinslaken"),
        ],
        people=[("Sabine", "Terlinden"), ("Markus", "Overkamp"), ("Jana", "Wiesmann"), ("Ömer", "Kaplan")],
    ),
    DemoNetwork(
        slug="fruehe-hilfen-duisburg",
        name="Frühe Hilfen Duisburg",
        region="Stadt Duisburg",
        state=FederalState.NW,
        jugendamt="Jugendamt der Stadt Duisburg",
        focus="Schwangere, Mütter, Väter und Kinder von 0 bis 3 Jahren",
        leitbild=(
            "„Die Kooperation wird gelebt in einer Haltung der gegenseitigen Wertschätzung, Akzeptanz und "
            "Gleichberechtigung sowohl gegenüber den anderen Akteuren als auch gegenüber den Familien. Das Vorgehen "
            "ist transparent, die Hilfen orientieren sich an dem Bedarf der Familien.“\n\n"
            "Das Netzwerk der Frühen Hilfen ist der erste Baustein der kommunalen Präventionskette."
        ),
        since=2012,
        place="Rathaus Duisburg, Raum 100",
        weekday=Network.Weekday.WEDNESDAY,
        start=datetime.time(10, 0),
        municipalities=[("Duisburg", "kreisfreie_stadt", "")],
        partners=[
            ("Schwangerschaftsberatung Lebensweg e. V.", "verein", "", "Königstraße 45", "47051", "Duisburg"),
            (
                "Babylotsen am Klinikum Nord",
                "ggmbh",
                "Klinikverbund Rhein-Ruhr gGmbH",
                "Fahrner Straße 133",
                "47169",
                "Duisburg",
            ),
            (
                "Frühförderstelle Kleine Schritte",
                "traeger",
                "Lebenshilfe Westliches Ruhrgebiet e. V.",
                "Mülheimer Straße 80",
                "47058",
                "Duisburg",
            ),
            (
                "Familienhebammen-Dienst Duisburg",
                "amt",
                "Gesundheitsamt der Stadt Duisburg",
                "Ruhrorter Straße 195",
                "47119",
                "Duisburg",
            ),
            (
                "Kita Pusteblume",
                "kita",
                "Kita-Verbund Duisburg-Süd gGmbH",
                "Am Buchenbaum 7",
                "47259",
                "Duisburg",
            ),
            ("Mütterzentrum Marxloh", "verein", "", "Weseler Straße 50", "47169", "Duisburg"),
            ("Familienbildungswerk Niederrhein e. V.", "verein", "", "Wallstraße 21", "46535", "Dinslaken"),
        ],
        people=[("Katrin", "Brüggemann"), ("Thomas", "Hülsmann"), ("Aylin", "Demir"), ("Frank", "Stappert")],
    ),
    DemoNetwork(
        slug="kreis-coesfeld",
        name="Präventionskette Kreis Coesfeld",
        region="Kreis Coesfeld",
        state=FederalState.NW,
        jugendamt="Jugendamt des Kreises Coesfeld",
        focus="Gelingendes Aufwachsen und lebenslanges Lernen in gemeinsamer Verantwortung",
        leitbild=(
            "- Teilhabe ermöglichen\n- an Stärken orientieren\n- Chancengerechtigkeit sicherstellen\n"
            "- Vielfalt fördern\n\n"
            "Wir sorgen für ein familiengerechtes Lebensumfeld mit kurzen Wegen für Kinder, Jugendliche, junge "
            "Erwachsene und Familien unabhängig von ihrer Herkunft im Kreis Coesfeld."
        ),
        since=2019,
        place="Kreishaus Coesfeld, Großer Sitzungssaal",
        weekday=Network.Weekday.THURSDAY,
        start=datetime.time(15, 0),
        municipalities=[
            ("Ascheberg", "gemeinde", "Kreis Coesfeld"),
            ("Billerbeck", "stadt", "Kreis Coesfeld"),
            ("Coesfeld", "stadt", "Kreis Coesfeld"),
            ("Dülmen", "stadt", "Kreis Coesfeld"),
            ("Havixbeck", "gemeinde", "Kreis Coesfeld"),
            ("Lüdinghausen", "stadt", "Kreis Coesfeld"),
            ("Nordkirchen", "gemeinde", "Kreis Coesfeld"),
            ("Nottuln", "gemeinde", "Kreis Coesfeld"),
            ("Olfen", "stadt", "Kreis Coesfeld"),
            ("Rosendahl", "gemeinde", "Kreis Coesfeld"),
            ("Senden", "gemeinde", "Kreis Coesfeld"),
        ],
        partners=[
            (
                "Familienzentrum Kunterbunt Dülmen",
                "kita",
                "Caritasverband im Kreis e. V.",
                "Marktstraße 9",
                "48249",
                "Dülmen",
            ),
            (
                "Jugendmigrationsdienst Coesfeld",
                "traeger",
                "Bildungswerk Münsterland e. V.",
                "Bahnhofstraße 30",
                "48653",
                "Coesfeld",
            ),
            (
                "Offene Ganztagsschule Lüdinghausen",
                "schule",
                "Stadt Lüdinghausen",
                "Schulstraße 2",
                "59348",
                "Lüdinghausen",
            ),
            (
                "Beratungsstelle für Eltern, Kinder und Jugendliche Nottuln",
                "traeger",
                "Diakonie Baumberge e. V.",
                "Kirchplatz 5",
                "48301",
                "Nottuln",
            ),
            ("Musikschule Baumberge", "verein", "", "Burgstraße 14", "48329", "Havixbeck"),
            (
                "Übergangsmanagement Schule–Beruf",
                "amt",
                "Kreis Coesfeld",
                "Friedrich-Ebert-Straße 7",
                "48653",
                "Coesfeld",
            ),
        ],
        people=[
            ("Christina", "Lammers"),
            ("Bernd", "Schulze Wierling"),
            ("Nadine", "Hölscher"),
            ("Pawel", "Nowak"),
        ],
    ),
    DemoNetwork(
        slug="infamilie-dortmund",
        name="INFamilie Dortmund",
        region="Stadt Dortmund",
        state=FederalState.NW,
        jugendamt="Jugendamt der Stadt Dortmund",
        focus="Quartiere mit herausfordernden Lagen; Babylotsen, Familiengrundschulzentren, Familienbüros",
        leitbild=(
            "Mit unserer Arbeit tragen wir dazu bei, dass alle Menschen entlang ihrer Lebensbiografie "
            "bedarfsgerechte Bedingungen für ein gutes Aufwachsen in Dortmund erhalten, indem wir Ressourcen "
            "zielgerecht und wirksam einsetzen, präventiv und intervenierend arbeiten und Zugangsbarrieren abbauen."
        ),
        since=2012,
        place="Rathaus Dortmund, Friedensplatz",
        weekday=Network.Weekday.MONDAY,
        start=datetime.time(13, 30),
        municipalities=[("Dortmund", "kreisfreie_stadt", "")],
        partners=[
            (
                "Familienbüro Nordstadt",
                "amt",
                "Jugendamt der Stadt Dortmund",
                "Leopoldstraße 16",
                "44147",
                "Dortmund",
            ),
            (
                "Familiengrundschulzentrum Westerbleichstraße",
                "schule",
                "Stadt Dortmund",
                "Westerbleichstraße 40",
                "44147",
                "Dortmund",
            ),
            (
                "Babylotsinnen Dortmund-Mitte",
                "ggmbh",
                "Kinderklinik Westfalen gGmbH",
                "Beurhausstraße 40",
                "44137",
                "Dortmund",
            ),
            (
                "Kita-Sozialarbeit Hörde",
                "traeger",
                "Sozialwerk Ruhr e. V.",
                "Hermannstraße 70",
                "44263",
                "Dortmund",
            ),
            ("Elterncafé Scharnhorst", "verein", "", "Gleiwitzstraße 277", "44328", "Dortmund"),
            (
                "Stadtteilbibliothek Eving",
                "amt",
                "Stadt- und Landesbibliothek Dortmund",
                "Deutsche Straße 27",
                "44339",
                "Dortmund",
            ),
        ],
        people=[("Melanie", "Kowalczyk"), ("Stefan", "Rehberg"), ("Fatma", "Yıldız"), ("Lukas", "Brinkhoff")],
    ),
    DemoNetwork(
        slug="interprochance-weiterstadt",
        name="InterProChance Weiterstadt",
        region="Landkreis Darmstadt-Dieburg und Stadt Weiterstadt",
        state=FederalState.HE,
        jugendamt="Jugendamt des Landkreises Darmstadt-Dieburg",
        focus="Interkommunales Projekt für mehr Chancengerechtigkeit",
        leitbild=(
            "Eine detaillierte Analyse der sozialen Lage ist die Basis für eine Politik zur Stärkung sozialer "
            "Gerechtigkeit und zur Verbesserung gesellschaftlicher Teilhabe. Jede Kommune ist anders: Wir handeln "
            "sozialraumbezogen und gemeinsam."
        ),
        since=2014,
        place="Bürgerzentrum Weiterstadt",
        weekday=Network.Weekday.WEDNESDAY,
        start=datetime.time(16, 0),
        municipalities=[("Weiterstadt", "stadt", "Landkreis Darmstadt-Dieburg")],
        partners=[
            (
                "Stadtteilbüro Weiterstadt-Riedbahn",
                "amt",
                "Stadt Weiterstadt",
                "Riedbahnstraße 11",
                "64331",
                "Weiterstadt",
            ),
            (
                "Familienzentrum Apfelbaum",
                "kita",
                "Ev. Dekanat Darmstadt-Land",
                "Apfelbaumgasse 4",
                "64331",
                "Weiterstadt",
            ),
            (
                "Schulsozialarbeit Gesamtschule Weiterstadt",
                "traeger",
                "Jugendhilfe Südhessen gGmbH",
                "Carl-Ulrich-Straße 5",
                "64331",
                "Weiterstadt",
            ),
            (
                "Sprachpatenschaften Weiterstadt e. V.",
                "verein",
                "",
                "Darmstädter Straße 70",
                "64331",
                "Weiterstadt",
            ),
            (
                "Jobcoaching Darmstadt-Dieburg",
                "institut",
                "Institut für Arbeit und Bildung Südhessen",
                "Albinistraße 23",
                "64807",
                "Dieburg",
            ),
        ],
        people=[
            ("Annette", "Gerbig"),
            ("Rüdiger", "Lautenschläger"),
            ("Svetlana", "Peters"),
            ("Hakan", "Aydın"),
        ],
    ),
]

AREA_CODES = {
    "Dinslaken": "02064",
    "Duisburg": "0203",
    "Coesfeld": "02541",
    "Dülmen": "02594",
    "Lüdinghausen": "02591",
    "Nottuln": "02502",
    "Havixbeck": "02507",
    "Dortmund": "0231",
    "Weiterstadt": "06150",
    "Dieburg": "06071",
}

FUNCTIONS = {
    NetworkRole.Role.COORDINATOR: "Netzwerkkoordination",
    NetworkRole.Role.JUGENDAMT: "Leitung Jugendamt",
    NetworkRole.Role.PARTNER: "Ansprechperson",
}


def _short(slug: str) -> str:
    return {
        "unser-dingg": "dinslaken",
        "fruehe-hilfen-duisburg": "duisburg",
        "kreis-coesfeld": "coesfeld",
        "infamilie-dortmund": "dortmund",
        "interprochance-weiterstadt": "weiterstadt",
    }[slug]


def _user(email: str, first: str, last: str, **extra) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first, last_name=last, **extra)
    return user


def _partner(name: str, kind: str, traeger: str, street: str, postcode: str, city: str) -> Partner:
    slug = name.lower().replace(" ", "").replace(".", "")[:24]
    partner, _ = Partner.objects.update_or_create(
        name=name,
        postcode=postcode,
        defaults={
            "kind": kind,
            "traeger": traeger,
            "street": street,
            "city": city,
            "phone": f"{AREA_CODES.get(city, '0800')} {zlib.crc32(name.encode()) % 900000 + 100000}",
            "email": f"kontakt@{slug}.example",
        },
    )
    return partner


@transaction.atomic
def load_demo() -> list[tuple[str, str, str]]:
    """Create or update the demo networks; return the logins as (network, role, e-mail)."""
    logins: list[tuple[str, str, str]] = []
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        User.objects.create_superuser(ADMIN_EMAIL, DEMO_PASSWORD, first_name="Systemadministration", last_name="")
    logins.append(("alle Netzwerke", "Systemadministration", ADMIN_EMAIL))

    for number, spec in enumerate(NETWORKS):
        network, _ = Network.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "region": spec.region,
                "federal_state": spec.state,
                "jugendamt": spec.jugendamt,
                "focus": spec.focus,
                "leitbild": spec.leitbild,
                "since": spec.since,
                "meeting_place": spec.place,
                "meeting_weekday": spec.weekday,
                "meeting_start": spec.start,
                "meeting_minutes": 120,
                "contact_email": f"praeventionskette@{_short(spec.slug)}.{DEMO_DOMAIN}",
                "contact_phone": f"0{20 + number}1 555 {100 + number * 7}",
            },
        )
        for name, kind, kreis in spec.municipalities:
            municipality, _ = Municipality.objects.get_or_create(
                name=name, kreis=kreis, defaults={"kind": kind, "federal_state": spec.state}
            )
            network.municipalities.add(municipality)

        partners = [_partner(*row) for row in spec.partners]
        for index, partner in enumerate(partners):
            # the second-to-last institution has been invited but has not joined yet
            state = Membership.State.INVITED if index == len(partners) - 2 else Membership.State.ACTIVE
            Membership.objects.get_or_create(
                partner=partner,
                network=network,
                defaults={
                    "state": state,
                    "since": datetime.date(max(spec.since, 2019) + index % 5, 1 + (index * 2) % 12, 1)
                    if state == Membership.State.ACTIVE
                    else None,
                },
            )

        short = _short(spec.slug)
        roles = [
            (NetworkRole.Role.COORDINATOR, f"koordination.{short}@{DEMO_DOMAIN}", None),
            (NetworkRole.Role.JUGENDAMT, f"jugendamt.{short}@{DEMO_DOMAIN}", None),
            (
                NetworkRole.Role.PARTNER,
                f"partner1.{short}@{DEMO_DOMAIN}",
                partners[-1] if short == "dinslaken" else partners[0],
            ),
            (NetworkRole.Role.PARTNER, f"partner2.{short}@{DEMO_DOMAIN}", partners[1]),
        ]
        for (role, email, partner), (first, last) in zip(roles, spec.people, strict=True):
            user = _user(email, first, last, phone=f"0{20 + number}1 555 {200 + len(logins)}")
            NetworkRole.objects.update_or_create(
                user=user,
                network=network,
                defaults={"role": role, "partner": partner, "function": FUNCTIONS[role]},
            )
            label = NetworkRole.Role(role).label + (f" ({partner.name})" if partner else "")
            logins.append((spec.name, label, email))

        if short == "duisburg":
            # One person in two networks: the Familienbildungswerk is a member in Dinslaken and Duisburg, and its
            # contact person acts for it in both, so the network switcher shows both.
            fbw = partners[-1]
            multi = User.objects.get(email=f"partner1.dinslaken@{DEMO_DOMAIN}")
            NetworkRole.objects.update_or_create(
                user=multi,
                network=network,
                defaults={
                    "role": NetworkRole.Role.PARTNER,
                    "partner": fbw,
                    "function": FUNCTIONS[NetworkRole.Role.PARTNER],
                },
            )
            logins.append((spec.name, f"Kooperationspartner ({fbw.name}), auch in Dinslaken", multi.email))

    load_partner_demo()
    load_agreement_demo()
    load_meeting_demo()
    load_goal_demo()
    return logins
