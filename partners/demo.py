"""Demo data for the partner register: Sozialräume, 25–60 invented institutions per demo network with contact
persons and offers along the Lebensbiografie.

`load_partner_demo()` runs after `praevnet.demo.load_demo` has created the five networks, their municipalities and
the few institutions listed there. It is idempotent (an institution is keyed by name and postcode; one that exists is
left as it is, so edits made in the demo survive a reload) and deterministic (every network has its own fixed random
seed, and nothing generated depends on what is already in the database). Everything is inserted with bulk_create,
many-to-many rows through their through models. All institutions, people, addresses and numbers are invented.
"""

from __future__ import annotations

import datetime
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from partners.models import (
    AccessRoute,
    ContactPerson,
    District,
    Language,
    LifeStage,
    Membership,
    Network,
    Offer,
    Partner,
    Sector,
)

TODAY = datetime.date(2026, 11, 1)  # the demo's "now" for invented dates, so every run produces the same ones


# ---------------------------------------------------------------------------------------------------------------------
# Institution types: names, Träger, offers
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferTemplate:
    title: str
    description: str
    life_stages: tuple[str, ...]
    access: tuple[str, ...] = ("sprechstunde",)
    cost: str = Offer.Cost.FREE
    cost_note: str = ""


@dataclass(frozen=True)
class InstitutionType:
    key: str
    names: tuple[str, ...]  # patterns with {motto}, {district}, {surname}, {saint}, {city}, {poet}
    kinds: tuple[str, ...]
    traeger: tuple[str, ...]  # patterns; "" means no Träger (practices, small associations)
    sectors: tuple[str, ...]  # the first one always, up to two more of the rest
    descriptions: tuple[str, ...]
    functions: tuple[str, ...]
    offers: tuple[OfferTemplate, ...]
    languages: tuple[str, ...] = ("en", "tr", "ar")
    keywords: tuple[str, ...] = ()  # recognise the institutions praevnet/demo.py lists by their names


FREE, REDUCED, PAID = Offer.Cost.FREE, Offer.Cost.REDUCED, Offer.Cost.PAID

TYPES: dict[str, InstitutionType] = {
    t.key: t
    for t in [
        InstitutionType(
            key="hebamme",
            names=("Hebammenpraxis {motto}", "Hebammengemeinschaft {district}", "Hebammenpraxis am {poet}platz"),
            kinds=(Partner.Kind.PRAXIS,),
            traeger=("",),
            sectors=("gesundheit", "schwangerenberatung"),
            descriptions=(
                "Freiberufliche Hebammen begleiten Schwangerschaft, Geburt und Wochenbett. Wir kommen auch nach Hause.",
                "Unsere Hebammen beraten werdende Eltern und begleiten Familien im ersten Lebensjahr des Kindes.",
            ),
            functions=("Hebamme", "Hebamme", "Familienhebamme", "Praxisorganisation"),
            offers=(
                OfferTemplate(
                    "Offene Hebammensprechstunde",
                    "Fragen zu Schwangerschaft, Stillen und den ersten Wochen mit dem Baby – ohne Termin. "
                    "Auch für Familien ohne eigene Hebamme.",
                    ("schwangerschaft", "0-3"),
                    ("sprechstunde", "telefonisch"),
                ),
                OfferTemplate(
                    "Babymassage-Kurs",
                    "Fünf Treffen für Eltern mit Babys von sechs Wochen bis sechs Monaten. Sanfte Berührung "
                    "stärkt die Bindung und beruhigt.",
                    ("0-3",),
                    ("sprechstunde", "vermittlung"),
                    REDUCED,
                    "Kosten übernimmt oft die Krankenkasse.",
                ),
                OfferTemplate(
                    "Geburtsvorbereitungskurs",
                    "Wir bereiten Sie und Ihre Begleitperson auf die Geburt vor: Atmung, Ablauf, erste Tage.",
                    ("schwangerschaft",),
                    ("vermittlung",),
                    FREE,
                    "Die Krankenkasse zahlt den Kurs für die Schwangere.",
                ),
                OfferTemplate(
                    "Wochenbettbetreuung zu Hause",
                    "Die Hebamme besucht Mutter und Kind nach der Geburt zu Hause und hilft beim Stillen und "
                    "bei der Pflege des Babys.",
                    ("schwangerschaft", "0-3"),
                    ("aufsuchend",),
                ),
                OfferTemplate(
                    "Rückbildungskurs mit Baby",
                    "Beckenboden und Rücken stärken – die Babys sind dabei. Beginn sechs bis acht Wochen nach "
                    "der Geburt.",
                    ("0-3", "eltern-familie"),
                    ("vermittlung",),
                ),
            ),
            languages=("en", "tr", "ar", "ru", "pl"),
            keywords=("hebamm",),
        ),
        InstitutionType(
            key="babylotsen",
            names=("Babylotsen im Geburtshaus {motto}",),
            kinds=(Partner.Kind.GGMBH,),
            traeger=("Geburtshilfe {region} gGmbH",),
            sectors=("gesundheit", "jugendhilfe"),
            descriptions=(
                "Babylotsinnen sprechen Familien schon in der Geburtsklinik an und vermitteln passende Hilfen.",
            ),
            functions=("Babylotsin|Babylotse", "Sozialarbeiterin|Sozialarbeiter"),
            offers=(
                OfferTemplate(
                    "Babylotsen-Gespräch auf der Wochenstation",
                    "Nach der Geburt fragen wir, was Ihre Familie braucht, und vermitteln Hilfen im Stadtteil.",
                    ("schwangerschaft", "0-3"),
                    ("aufsuchend", "vermittlung"),
                ),
                OfferTemplate(
                    "Lotsensprechstunde für Schwangere",
                    "Beratung zu Anträgen, Hebammensuche und Unterstützung nach der Geburt.",
                    ("schwangerschaft",),
                    ("sprechstunde", "telefonisch"),
                ),
            ),
            keywords=("babylots",),
        ),
        InstitutionType(
            key="kita",
            names=("Kita {motto}", "Kita {district}", "Städtische Kita {poet}straße", "Kindertagesstätte St. {saint}"),
            kinds=(Partner.Kind.KITA,),
            traeger=(
                "Stadt {city}",
                "Kita-Verbund {region} gGmbH",
                "Ev. Kirchengemeinde {district}",
                "Kath. Kirchengemeinde St. {saint}",
                "Elterninitiative {motto} e. V.",
            ),
            sectors=("kita", "jugendhilfe"),
            descriptions=(
                "Wir betreuen Kinder von einem Jahr bis zum Schuleintritt in altersgemischten Gruppen.",
                "Kindertagesstätte mit Schwerpunkt Sprache und Bewegung. Eltern sind bei uns jederzeit willkommen.",
            ),
            functions=("Kita-Leitung", "stellv. Leitung", "Erzieherin|Erzieher", "Sprachfachkraft"),
            offers=(
                OfferTemplate(
                    "Sprachförderung in der Kita",
                    "Alltagsintegrierte Sprachbildung für alle Kinder, dazu kleine Sprachgruppen für Kinder mit "
                    "Förderbedarf.",
                    ("3-6",),
                    ("vermittlung",),
                ),
                OfferTemplate(
                    "Eltern-Kind-Gruppe",
                    "Einmal in der Woche spielen, singen und basteln – für Kinder unter drei mit Mutter oder Vater.",
                    ("0-3", "eltern-familie"),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Elterncafé",
                    "Jeden Freitagmorgen Kaffee, Austausch und Antworten auf Erziehungsfragen. Kinder dürfen mit.",
                    ("eltern-familie", "3-6"),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Vorschulprogramm Schlaufüchse",
                    "Im letzten Kita-Jahr bereiten wir die Kinder spielerisch auf die Schule vor.",
                    ("3-6",),
                    ("vermittlung",),
                ),
            ),
            keywords=("kita", "kindertages"),
        ),
        InstitutionType(
            key="familienzentrum",
            names=("Familienzentrum {motto}", "Familienzentrum {district}", "Familienzentrum St. {saint}"),
            kinds=(Partner.Kind.KITA, Partner.Kind.TRAEGER),
            traeger=(
                "Stadt {city}",
                "Familienhilfe {region} e. V.",
                "Ev. Kirchengemeinde {district}",
                "Kath. Kirchengemeinde St. {saint}",
            ),
            sectors=("kita", "jugendhilfe", "soziales"),
            descriptions=(
                "Kita und Anlaufstelle für Familien im Quartier: Beratung, Bildung und Begegnung unter einem Dach.",
                "Unser Familienzentrum verbindet Betreuung, Elternbildung und Beratung – nah, offen und kostenlos.",
            ),
            functions=(
                "Leitung",
                "Koordination Familienzentrum",
                "Sozialpädagogin|Sozialpädagoge",
                "Erzieherin|Erzieher",
            ),
            offers=(
                OfferTemplate(
                    "Elterncafé",
                    "Offener Treff für Mütter und Väter mit Frühstück. Einmal im Monat kommt eine Fachkraft der "
                    "Erziehungsberatung dazu.",
                    ("eltern-familie", "0-3", "3-6"),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Erziehungsberatung vor Ort",
                    "Die Erziehungsberatungsstelle hält bei uns eine offene Sprechstunde ab – vertraulich und ohne "
                    "lange Wartezeit.",
                    ("eltern-familie", "3-6"),
                    ("sprechstunde", "telefonisch"),
                ),
                OfferTemplate(
                    "Spielgruppe für Kinder unter drei",
                    "Erste Erfahrungen in der Gruppe, begleitet von einem Elternteil.",
                    ("0-3",),
                    ("sprechstunde",),
                    REDUCED,
                    "2 € je Treffen, mit Familienpass frei.",
                ),
                OfferTemplate(
                    "Sprachkurs für Mütter mit Kinderbetreuung",
                    "Deutsch für den Alltag, während die Kinder nebenan betreut werden.",
                    ("eltern-familie",),
                    ("vermittlung", "sprechstunde"),
                ),
                OfferTemplate(
                    "Sprachförderung in der Kita",
                    "Alltagsintegrierte Sprachbildung für alle Kinder unserer Kita.",
                    ("3-6",),
                    ("vermittlung",),
                ),
            ),
            languages=("tr", "ar", "ru", "uk", "bg", "ro"),
            keywords=("familienzentrum",),
        ),
        InstitutionType(
            key="familienbildung",
            names=("Familienbildungsstätte {district}", "Mütter- und Väterzentrum {motto}", "Familientreff {motto}"),
            kinds=(Partner.Kind.VEREIN, Partner.Kind.TRAEGER),
            traeger=("", "Familienbildung {region} e. V.", "Ev. Kirchengemeinde {district}"),
            sectors=("jugendhilfe", "soziales", "ehrenamt"),
            descriptions=(
                "Kurse, Treffs und Beratung für Familien in allen Lebensphasen – vom Babykurs bis zum "
                "Elternabend zur Pubertät.",
            ),
            functions=("Leitung", "Kursorganisation", "Pädagogische Mitarbeiterin|Pädagogischer Mitarbeiter"),
            offers=(
                OfferTemplate(
                    "Elternkurs „Starke Eltern – starke Kinder“",
                    "Acht Abende zu Erziehung, Grenzen und Gelassenheit im Familienalltag.",
                    ("eltern-familie", "grundschule"),
                    ("sprechstunde", "online"),
                    REDUCED,
                ),
                OfferTemplate(
                    "Babytreff",
                    "Eltern mit Babys im ersten Lebensjahr treffen sich, eine Fachkraft beantwortet Fragen.",
                    ("0-3",),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Familienfrühstück",
                    "Jeden ersten Samstag im Monat frühstücken Familien aus dem Stadtteil gemeinsam.",
                    ("eltern-familie", "3-6"),
                    ("sprechstunde",),
                ),
            ),
            keywords=("familienbildung", "mütterzentrum", "elterncafé", "familientreff"),
        ),
        InstitutionType(
            key="kinderarzt",
            names=("Kinderarztpraxis Dr. {surname}", "Kinder- und Jugendarztpraxis Dr. {surname}"),
            kinds=(Partner.Kind.PRAXIS,),
            traeger=("",),
            sectors=("gesundheit",),
            descriptions=(
                "Kinder- und Jugendmedizin mit allen Vorsorgeuntersuchungen und Impfungen.",
                "Hausärztliche Versorgung von Kindern und Jugendlichen, Entwicklungsdiagnostik und Impfberatung.",
            ),
            functions=("Praxisinhaberin|Praxisinhaber", "Medizinische Fachangestellte|Medizinischer Fachangestellter"),
            offers=(
                OfferTemplate(
                    "Vorsorgeuntersuchungen U1 bis U9",
                    "Regelmäßige Untersuchungen zur gesunden Entwicklung Ihres Kindes.",
                    ("0-3", "3-6"),
                    ("vermittlung", "telefonisch"),
                ),
                OfferTemplate(
                    "Impfsprechstunde",
                    "Beratung und Impfungen nach den Empfehlungen der Ständigen Impfkommission.",
                    ("0-3", "3-6", "grundschule"),
                    ("telefonisch",),
                ),
                OfferTemplate(
                    "Jugendsprechstunde J1",
                    "Untersuchung und vertrauliches Gespräch für Jugendliche zwischen 12 und 14 Jahren.",
                    ("weiterfuehrende-schule",),
                    ("telefonisch",),
                ),
            ),
            languages=("en", "tr", "ar", "ru", "fr"),
            keywords=("kinderarzt", "jugendarzt"),
        ),
        InstitutionType(
            key="erziehungsberatung",
            names=("Erziehungsberatungsstelle {district}", "Erziehungsberatungsstelle am {poet}platz"),
            kinds=(Partner.Kind.TRAEGER,),
            traeger=("Beratungsverbund {region} e. V.", "Stadt {city}", "Caritative Familienhilfe {region} e. V."),
            sectors=("jugendhilfe", "soziales"),
            descriptions=(
                "Beratung für Eltern, Kinder und Jugendliche bei Erziehungsfragen, Trennung und Krisen – "
                "kostenlos und vertraulich.",
            ),
            functions=(
                "Leitung",
                "Diplom-Psychologin|Diplom-Psychologe",
                "Sozialpädagogin|Sozialpädagoge",
                "Sekretariat",
            ),
            offers=(
                OfferTemplate(
                    "Erziehungsberatung",
                    "Sie machen sich Sorgen um Ihr Kind oder der Familienalltag ist anstrengend? Wir suchen "
                    "gemeinsam nach Lösungen.",
                    ("eltern-familie", "3-6", "grundschule"),
                    ("telefonisch", "sprechstunde"),
                ),
                OfferTemplate(
                    "Schreibaby-Sprechstunde",
                    "Hilfe für Eltern, deren Baby viel schreit oder schlecht schläft.",
                    ("0-3",),
                    ("telefonisch", "aufsuchend"),
                ),
                OfferTemplate(
                    "Trennungs- und Scheidungsberatung",
                    "Beratung für Eltern in Trennung, damit die Kinder gut durch diese Zeit kommen.",
                    ("eltern-familie",),
                    ("telefonisch",),
                ),
                OfferTemplate(
                    "Jugendberatung",
                    "Jugendliche können sich auch ohne ihre Eltern an uns wenden. Alles bleibt vertraulich.",
                    ("weiterfuehrende-schule", "junge-erwachsene"),
                    ("online", "telefonisch"),
                ),
            ),
            keywords=("erziehungsberatung", "beratungsstelle für eltern"),
        ),
        InstitutionType(
            key="schwangerschaftsberatung",
            names=("Schwangerschaftsberatung {district}", "Schwangerschaftsberatungsstelle {motto}"),
            kinds=(Partner.Kind.TRAEGER, Partner.Kind.VEREIN),
            traeger=("Beratungsverbund {region} e. V.", "Frauen- und Familienhilfe {region} e. V."),
            sectors=("schwangerenberatung", "soziales", "gesundheit"),
            descriptions=(
                "Wir beraten Schwangere und ihre Partner zu allen Fragen rund um Schwangerschaft und Geburt, "
                "auch zu finanziellen Hilfen.",
            ),
            functions=("Beraterin|Berater", "Sozialarbeiterin|Sozialarbeiter", "Leitung"),
            offers=(
                OfferTemplate(
                    "Schwangerschaftsberatung",
                    "Beratung zu Mutterschutz, Elterngeld und Ihren Rechten. Auf Wunsch anonym.",
                    ("schwangerschaft",),
                    ("telefonisch", "sprechstunde"),
                ),
                OfferTemplate(
                    "Hilfe bei Anträgen für die Erstausstattung",
                    "Wir helfen beim Antrag auf Mittel der Bundesstiftung Mutter und Kind.",
                    ("schwangerschaft", "eltern-familie"),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Sexualpädagogik in Schulklassen",
                    "Workshops zu Liebe, Körper und Verhütung für Schulklassen ab Klasse 7.",
                    ("weiterfuehrende-schule",),
                    ("vermittlung",),
                ),
            ),
            languages=("en", "tr", "ar", "ru", "uk", "ro", "bg"),
            keywords=("schwangerschaft", "schwangeren"),
        ),
        InstitutionType(
            key="fruehfoerderung",
            names=("Frühförderstelle {motto}", "Interdisziplinäre Frühförderstelle {district}"),
            kinds=(Partner.Kind.TRAEGER, Partner.Kind.GGMBH),
            traeger=("Lebensbrücke {region} e. V.", "Kinderhilfe {region} gGmbH"),
            sectors=("fruehfoerderung", "gesundheit", "jugendhilfe"),
            descriptions=(
                "Heilpädagogische und therapeutische Förderung für Kinder bis zum Schuleintritt, deren "
                "Entwicklung Unterstützung braucht.",
            ),
            functions=("Heilpädagogin|Heilpädagoge", "Leitung", "Logopädin|Logopäde", "Ergotherapeutin|Ergotherapeut"),
            offers=(
                OfferTemplate(
                    "Heilpädagogische Frühförderung",
                    "Förderung in der Frühförderstelle oder bei Ihnen zu Hause, abgestimmt mit Kinderarzt und Kita.",
                    ("0-3", "3-6"),
                    ("vermittlung", "aufsuchend"),
                ),
                OfferTemplate(
                    "Offene Entwicklungsberatung",
                    "Sie fragen sich, ob Ihr Kind sich gut entwickelt? Kommen Sie vorbei – ohne Überweisung.",
                    ("0-3", "3-6", "eltern-familie"),
                    ("sprechstunde", "telefonisch"),
                ),
            ),
            keywords=("frühförder", "fruehfoerder"),
        ),
        InstitutionType(
            key="grundschule",
            names=("Grundschule am {poet}park", "{poet}-Grundschule", "Gemeinschaftsgrundschule {district}"),
            kinds=(Partner.Kind.SCHULE,),
            traeger=("Stadt {city}",),
            sectors=("schule", "jugendhilfe"),
            descriptions=(
                "Grundschule mit offenem Ganztag. Schulsozialarbeit und Familienberatung sind im Haus.",
                "Zwei- bis dreizügige Grundschule im Quartier mit Schwerpunkt Lesen und Bewegung.",
            ),
            functions=("Schulleitung", "Schulsozialarbeit", "Koordination Ganztag"),
            offers=(
                OfferTemplate(
                    "Hausaufgabenhilfe",
                    "Nach dem Unterricht helfen Lehrkräfte und Ehrenamtliche bei den Hausaufgaben.",
                    ("grundschule",),
                    ("vermittlung",),
                ),
                OfferTemplate(
                    "Offener Ganztag",
                    "Betreuung bis 16 Uhr mit Mittagessen, Lernzeit und AGs.",
                    ("grundschule",),
                    ("vermittlung",),
                    REDUCED,
                    "Elternbeitrag nach Einkommen.",
                ),
                OfferTemplate(
                    "Elternsprechstunde der Schulsozialarbeit",
                    "Vertrauliche Beratung für Eltern bei Sorgen rund um Schule und Familie.",
                    ("grundschule", "eltern-familie"),
                    ("sprechstunde", "telefonisch"),
                ),
                OfferTemplate(
                    "Lesepatenschaften",
                    "Ehrenamtliche lesen einmal pro Woche mit einzelnen Kindern.",
                    ("grundschule",),
                    ("vermittlung",),
                ),
            ),
            keywords=("grundschul", "ganztagsschule"),
        ),
        InstitutionType(
            key="weiterfuehrende",
            names=("Gesamtschule {district}", "{poet}-Realschule", "Sekundarschule {district}"),
            kinds=(Partner.Kind.SCHULE,),
            traeger=("Stadt {city}",),
            sectors=("schule", "arbeit"),
            descriptions=("Weiterführende Schule mit Schulsozialarbeit und Berufsorientierung ab Klasse 8.",),
            functions=("Schulsozialarbeit", "Schulleitung", "Studien- und Berufswahlkoordination"),
            offers=(
                OfferTemplate(
                    "Schulsozialarbeit",
                    "Ansprechpartnerin für Schülerinnen, Schüler und Eltern bei Konflikten und Sorgen.",
                    ("weiterfuehrende-schule",),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Berufsorientierung ab Klasse 8",
                    "Potenzialanalyse, Berufsfelderkundung und Praktikum – Schritt für Schritt zum Beruf.",
                    ("weiterfuehrende-schule", "schule-beruf"),
                    ("vermittlung",),
                ),
                OfferTemplate(
                    "Hausaufgabenhilfe",
                    "Lernzeit mit älteren Schülerinnen und Schülern als Tutoren.",
                    ("weiterfuehrende-schule",),
                    ("sprechstunde",),
                ),
            ),
            keywords=("gesamtschule", "realschule", "schulsozialarbeit", "sekundarschule"),
        ),
        InstitutionType(
            key="jugendzentrum",
            names=("Jugendzentrum {district}", "Jugendtreff {motto}", "Kinder- und Jugendhaus {district}"),
            kinds=(Partner.Kind.TRAEGER, Partner.Kind.VEREIN),
            traeger=("Stadt {city}", "Jugendwerk {region} e. V.", "Ev. Kirchengemeinde {district}"),
            sectors=("jugendhilfe", "ehrenamt"),
            descriptions=(
                "Offene Kinder- und Jugendarbeit: Treff, Beratung, Ferienprogramm und Projekte im Stadtteil.",
            ),
            functions=("Leitung", "Jugendarbeiterin|Jugendarbeiter", "Sozialpädagogin|Sozialpädagoge"),
            offers=(
                OfferTemplate(
                    "Offener Treff",
                    "Von Montag bis Freitag ab 14 Uhr: Billard, Kochen, Musik und jemand zum Reden.",
                    ("weiterfuehrende-schule", "junge-erwachsene"),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Hausaufgabenhilfe",
                    "Hilfe bei Hausaufgaben und Referaten, dienstags und donnerstags.",
                    ("grundschule", "weiterfuehrende-schule"),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Ferienprogramm",
                    "Ausflüge, Workshops und Spiele in den Sommerferien für Kinder von 6 bis 14 Jahren.",
                    ("grundschule", "weiterfuehrende-schule"),
                    ("sprechstunde",),
                    REDUCED,
                    "Kleiner Beitrag je Ausflug, mit Bildungspaket frei.",
                ),
                OfferTemplate(
                    "Mädchentreff",
                    "Ein geschützter Raum für Mädchen ab zehn Jahren – mittwochs ab 16 Uhr.",
                    ("weiterfuehrende-schule",),
                    ("sprechstunde",),
                ),
            ),
            keywords=("jugendzentrum", "jugendtreff", "jugendhaus"),
        ),
        InstitutionType(
            key="sportverein",
            names=("SV {district} e. V.", "TuS {motto} e. V.", "Turnverein {district} 1899 e. V."),
            kinds=(Partner.Kind.VEREIN,),
            traeger=("",),
            sectors=("ehrenamt",),
            descriptions=("Sportverein mit Angeboten für Kinder und Familien. Probetraining jederzeit möglich.",),
            functions=("Vorsitzende|Vorsitzender", "Jugendwartin|Jugendwart", "Übungsleiterin|Übungsleiter"),
            offers=(
                OfferTemplate(
                    "Eltern-Kind-Turnen",
                    "Bewegungslandschaft für Kinder von eins bis vier Jahren mit Mama oder Papa.",
                    ("0-3", "3-6"),
                    ("sprechstunde",),
                    PAID,
                    "Vereinsbeitrag, Zuschuss über das Bildungspaket möglich.",
                ),
                OfferTemplate(
                    "Kinderturnen",
                    "Laufen, Springen, Klettern: Turnen für Kinder im Kita-Alter.",
                    ("3-6",),
                    ("sprechstunde",),
                    PAID,
                ),
                OfferTemplate(
                    "Fußball für Kinder",
                    "Training für Mädchen und Jungen ab sechs Jahren, zweimal pro Woche.",
                    ("grundschule",),
                    ("sprechstunde",),
                    REDUCED,
                ),
                OfferTemplate(
                    "Schwimmkurs für Kinder",
                    "Seepferdchen-Kurs in kleinen Gruppen für Kinder ab fünf Jahren.",
                    ("3-6", "grundschule"),
                    ("vermittlung",),
                    REDUCED,
                ),
            ),
            languages=("en", "tr"),
            keywords=("sportverein", "turnverein", "tus ", "sv "),
        ),
        InstitutionType(
            key="migration",
            names=("Migrationsberatung {district}", "Integrationsagentur {region}", "Sprachcafé {motto}"),
            kinds=(Partner.Kind.TRAEGER, Partner.Kind.VEREIN),
            traeger=("Interkulturelles Zentrum {region} e. V.", "Sozialdienst {region} e. V."),
            sectors=("integration", "soziales"),
            descriptions=(
                "Beratung und Begleitung für zugewanderte Familien – zu Sprache, Aufenthalt, Arbeit und Schule.",
            ),
            functions=("Migrationsberaterin|Migrationsberater", "Sprachmittlerin|Sprachmittler", "Leitung"),
            offers=(
                OfferTemplate(
                    "Migrationsberatung für Erwachsene",
                    "Beratung zu Aufenthalt, Sprachkursen, Anerkennung von Abschlüssen und Behördenpost.",
                    ("eltern-familie", "junge-erwachsene"),
                    ("sprechstunde", "telefonisch"),
                ),
                OfferTemplate(
                    "Begleitung zu Ämtern",
                    "Ehrenamtliche Sprachmittlerinnen begleiten Familien zu Terminen bei Ämtern und Schulen.",
                    ("eltern-familie",),
                    ("vermittlung",),
                ),
                OfferTemplate(
                    "Sprachcafé",
                    "Deutsch sprechen üben bei Tee und Kuchen – alle Niveaus willkommen.",
                    ("eltern-familie", "junge-erwachsene"),
                    ("sprechstunde",),
                ),
            ),
            languages=("en", "tr", "ar", "ru", "uk", "pl", "ro", "bg", "fa", "ku", "fr"),
            keywords=("migration", "integration", "sprachpaten", "sprachcafé"),
        ),
        InstitutionType(
            key="jobcenter",
            names=("Jobcenter-Beratung {district}", "Jugendberufsagentur {city}", "Ausbildungslotsen {district}"),
            kinds=(Partner.Kind.AMT, Partner.Kind.INSTITUT),
            traeger=("Jobcenter {city}", "Bildungswerk {region} e. V."),
            sectors=("arbeit", "soziales"),
            descriptions=(
                "Beratung und Vermittlung für junge Menschen und Eltern auf dem Weg in Ausbildung und Arbeit.",
            ),
            functions=("Berufsberaterin|Berufsberater", "Fallmanagerin|Fallmanager", "Teamleitung"),
            offers=(
                OfferTemplate(
                    "Bewerbungstraining",
                    "Lebenslauf, Anschreiben und Vorstellungsgespräch üben – in kleinen Gruppen.",
                    ("schule-beruf", "junge-erwachsene"),
                    ("sprechstunde", "online"),
                ),
                OfferTemplate(
                    "Berufsberatung für junge Menschen",
                    "Welche Ausbildung passt zu mir? Beratung für Jugendliche ab der 9. Klasse.",
                    ("schule-beruf",),
                    ("telefonisch", "sprechstunde"),
                ),
                OfferTemplate(
                    "Beratung für Alleinerziehende",
                    "Teilzeitausbildung, Kinderbetreuung, Leistungen: Wir klären Ihre Fragen gemeinsam.",
                    ("eltern-familie", "junge-erwachsene"),
                    ("telefonisch",),
                ),
            ),
            keywords=("jobcenter", "jobcoach", "berufsagentur", "übergang", "ausbildungslotsen"),
        ),
        InstitutionType(
            key="musikschule",
            names=("Musikschule {district}", "Musikschule {motto}"),
            kinds=(Partner.Kind.AMT, Partner.Kind.VEREIN),
            traeger=("Stadt {city}", ""),
            sectors=("ehrenamt", "schule"),
            descriptions=("Musikunterricht für alle Altersstufen, Ensembles und Kooperationen mit Kitas und Schulen.",),
            functions=("Schulleitung", "Verwaltung", "Musikpädagogin|Musikpädagoge"),
            offers=(
                OfferTemplate(
                    "Musikalische Früherziehung",
                    "Singen, Tanzen und erste Instrumente für Kinder von vier bis sechs Jahren.",
                    ("3-6",),
                    ("sprechstunde",),
                    PAID,
                    "Ermäßigung für Geschwister und mit Familienpass.",
                ),
                OfferTemplate(
                    "Eltern-Kind-Musizieren",
                    "Lieder, Reime und Rhythmus für Babys und Kleinkinder mit ihren Eltern.",
                    ("0-3",),
                    ("sprechstunde",),
                    REDUCED,
                ),
                OfferTemplate(
                    "Instrumentalunterricht",
                    "Einzel- und Gruppenunterricht für Kinder und Jugendliche.",
                    ("grundschule", "weiterfuehrende-schule"),
                    ("sprechstunde",),
                    PAID,
                ),
            ),
            languages=("en",),
            keywords=("musikschule",),
        ),
        InstitutionType(
            key="bibliothek",
            names=("Stadtteilbibliothek {district}", "Bücherei {district}"),
            kinds=(Partner.Kind.AMT,),
            traeger=("Stadtbibliothek {city}", "Stadt {city}"),
            sectors=("ehrenamt", "schule"),
            descriptions=("Bücher, Medien und Lernorte für alle – mit Veranstaltungen für Kinder und Familien.",),
            functions=("Leitung", "Bibliothekarin|Bibliothekar"),
            offers=(
                OfferTemplate(
                    "Bücherbabys",
                    "Reime, Fingerspiele und erste Bilderbücher für Babys ab sechs Monaten mit ihren Eltern.",
                    ("0-3",),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Vorlesestunde",
                    "Jeden Mittwoch lesen Ehrenamtliche Geschichten für Kinder ab vier Jahren vor.",
                    ("3-6",),
                    ("sprechstunde",),
                ),
                OfferTemplate(
                    "Lernort für Schülerinnen und Schüler",
                    "Ruhige Arbeitsplätze, WLAN und Hilfe bei der Recherche für Referate.",
                    ("grundschule", "weiterfuehrende-schule"),
                    ("sprechstunde",),
                ),
            ),
            languages=("en", "tr", "ar", "uk"),
            keywords=("bibliothek", "bücherei"),
        ),
        InstitutionType(
            key="familienbuero",
            names=("Familienbüro {district}", "Stadtteilbüro {district}"),
            kinds=(Partner.Kind.AMT,),
            traeger=("Jugendamt der Stadt {city}", "Stadt {city}"),
            sectors=("jugendhilfe", "soziales"),
            descriptions=("Erste Anlaufstelle für Familien im Stadtteil: Information, Willkommensbesuche, Lotsen.",),
            functions=("Leitung Familienbüro", "Sozialarbeiterin|Sozialarbeiter", "Verwaltungsfachkraft"),
            offers=(
                OfferTemplate(
                    "Willkommensbesuch für Neugeborene",
                    "Wir besuchen Familien nach der Geburt und bringen Informationen und ein kleines Geschenk mit.",
                    ("0-3",),
                    ("aufsuchend",),
                ),
                OfferTemplate(
                    "Beratung zu Leistungen für Familien",
                    "Kindergeld, Elterngeld, Bildungspaket: Wir helfen beim Ausfüllen der Anträge.",
                    ("eltern-familie",),
                    ("sprechstunde", "telefonisch"),
                ),
                OfferTemplate(
                    "Kita-Platz-Beratung",
                    "Wir helfen bei der Suche nach einem Betreuungsplatz.",
                    ("0-3", "3-6"),
                    ("sprechstunde", "online"),
                ),
            ),
            languages=("en", "tr", "ar", "ro", "bg", "uk"),
            keywords=("familienbüro", "stadtteilbüro"),
        ),
    ]
}

# Classification of institutions that praevnet/demo.py lists, in this order (first match wins).
CLASSIFY_ORDER = (
    "hebamme",
    "babylotsen",
    "schwangerschaftsberatung",
    "fruehfoerderung",
    "grundschule",
    "kita",
    "familienzentrum",
    "erziehungsberatung",
    "weiterfuehrende",
    "jugendzentrum",
    "sportverein",
    "musikschule",
    "bibliothek",
    "migration",
    "jobcenter",
    "familienbuero",
    "familienbildung",
)

MOTTOS = (
    "Regenbogen",
    "Sonnenschein",
    "Löwenzahn",
    "Kunterbunt",
    "Sternschnuppe",
    "Arche",
    "Lichtblick",
    "Wurzelwerk",
    "Pfiffikus",
    "Abenteuerland",
    "Kleine Strolche",
    "Lummerland",
    "Sonnenkinder",
    "Rappelkiste",
    "Mondschein",
    "Brückenschlag",
    "Apfelbaum",
    "Rasselbande",
    "Windrose",
    "Morgenrot",
    "Zaubergarten",
    "Wolkenburg",
    "Kompass",
    "Lindenhof",
    "Ahornblatt",
)
SAINTS = ("Marien", "Josef", "Antonius", "Elisabeth", "Barbara", "Michael", "Martin", "Ludger", "Bonifatius", "Anna")
POETS = ("Goethe", "Schiller", "Heine", "Droste", "Kästner", "Lessing", "Eichendorff", "Fontane", "Brecht", "Lindgren")
SURNAMES = (
    "Averkamp",
    "Brökelmann",
    "Dahlhoff",
    "Esselborn",
    "Fennekold",
    "Grevinghoff",
    "Holtermann-Yilmaz",
    "Iserloh",
    "Janßenberg",
    "Kettelhake",
    "Lindscheid",
    "Mertensmeyer",
    "Nordhoff-Aksoy",
    "Overbrink",
    "Pöppelbaum",
    "Quernheim",
    "Rüdenkamp",
    "Schmalenbeck",
    "Tönnesmann",
    "Uhlendorff",
    "Vennekötter",
    "Wellersiek",
)
FEMALE_NAMES = (
    "Anja",
    "Birgit",
    "Claudia",
    "Derya",
    "Elena",
    "Franziska",
    "Gül",
    "Hannah",
    "Irina",
    "Julia",
    "Katharina",
    "Leonie",
    "Miriam",
    "Nicole",
    "Olga",
    "Petra",
    "Rana",
    "Sandra",
    "Tanja",
    "Ulrike",
    "Vanessa",
    "Yasemin",
)
MALE_NAMES = (
    "Andreas",
    "Benjamin",
    "Christian",
    "Dennis",
    "Emre",
    "Florian",
    "Georg",
    "Hendrik",
    "Jonas",
    "Karim",
    "Matthias",
    "Nils",
    "Oliver",
    "Patrick",
    "Sebastian",
    "Tobias",
)
LAST_NAMES = (
    "Albersmann",
    "Bergkötter",
    "Czerwinski",
    "Demirtaş",
    "Eickholt",
    "Feldkamp",
    "Gerdemann",
    "Haverkämper",
    "Ilić",
    "Jöstingmeier",
    "Kaltenborn",
    "Lüttgenau",
    "Moravec",
    "Niehüser",
    "Oltmanns",
    "Perković",
    "Rademacherová",
    "Sahinoğlu",
    "Terhorst",
    "Uphoff",
    "Vogelsang-Kaya",
    "Westendorp",
    "Zielinski-Brand",
    "Bockholt",
    "Hünteler",
)
STREETS = (
    "Hauptstraße",
    "Kirchstraße",
    "Schulstraße",
    "Bahnhofstraße",
    "Lindenstraße",
    "Gartenstraße",
    "Am Markt",
    "Friedhofstraße",
    "Mühlenweg",
    "Wiesenweg",
    "Ringstraße",
    "Birkenallee",
    "Feldstraße",
    "Am Stadtpark",
    "Rosenstraße",
    "Kastanienweg",
    "Parkstraße",
    "Bergstraße",
    "Im Winkel",
    "Brückenstraße",
)
ACCESSIBILITY_NOTES = {
    Partner.Accessibility.FULL: ("Eingang ebenerdig, barrierefreies WC im Erdgeschoss.", "Aufzug vorhanden.", ""),
    Partner.Accessibility.PARTIAL: (
        "Eingang mit Rampe an der Rückseite, Beratungsräume im 1. OG ohne Aufzug.",
        "Erdgeschoss stufenlos, kein barrierefreies WC.",
    ),
    Partner.Accessibility.NONE: ("Räume im 2. OG, kein Aufzug. Termine im Erdgeschoss nach Absprache.",),
    Partner.Accessibility.UNKNOWN: ("",),
}


# ---------------------------------------------------------------------------------------------------------------------
# The five demo networks: Sozialräume, postcodes, area codes, how many institutions, which kinds
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    municipality: str
    name: str
    postcodes: tuple[str, ...]
    area_code: str
    label: str = ""  # how institutions name the quarter ("Nordstadt"); the first part of the name if empty

    @property
    def short(self) -> str:
        return self.label or self.name.split("/")[0]


@dataclass(frozen=True)
class NetworkPlan:
    slug: str
    generated: int  # invented institutions on top of those praevnet/demo.py lists (5–7), so 25–60 in all
    region: str  # for invented Träger names
    quarters: tuple[Quarter, ...]
    weights: dict[str, int] = field(default_factory=dict)  # extra weight per type on top of 1
    gemeinden: frozenset[str] = frozenset()  # municipalities that are a Gemeinde, not a Stadt


def _city(name: str, area_code: str, quarters: dict[str, tuple[str, ...]], labels=None) -> tuple[Quarter, ...]:
    labels = labels or {}
    return tuple(
        Quarter(name, quarter, postcodes, area_code, labels.get(quarter, "")) for quarter, postcodes in quarters.items()
    )


COESFELD = {
    # municipality: (postcode, area code)
    "Coesfeld": ("48653", "02541"),
    "Dülmen": ("48249", "02594"),
    "Lüdinghausen": ("59348", "02591"),
    "Nottuln": ("48301", "02502"),
    "Havixbeck": ("48329", "02507"),
    "Billerbeck": ("48727", "02543"),
    "Ascheberg": ("59387", "02593"),
    "Nordkirchen": ("59394", "02596"),
    "Olfen": ("59399", "02595"),
    "Rosendahl": ("48720", "02547"),
    "Senden": ("48308", "02597"),
}

PLANS: tuple[NetworkPlan, ...] = (
    NetworkPlan(
        slug="unser-dingg",
        generated=27,
        region="Niederrhein",
        quarters=_city(
            "Dinslaken",
            "02064",
            {
                "Innenstadt": ("46535",),
                "Lohberg": ("46537",),
                "Hiesfeld": ("46539",),
                "Eppinghoven": ("46535",),
                "Averbruch": ("46537",),
                "Bruch": ("46535",),
            },
            {"Innenstadt": "Dinslaken-Mitte"},
        ),
        weights={"kita": 2, "grundschule": 2, "familienzentrum": 1},
    ),
    NetworkPlan(
        slug="fruehe-hilfen-duisburg",
        generated=45,
        region="Rhein-Ruhr",
        quarters=(
            *_city(
                "Duisburg",
                "0203",
                {
                    "Hamborn": ("47166", "47167", "47169"),
                    "Walsum": ("47178", "47179"),
                    "Meiderich/Beeck": ("47137", "47138", "47139"),
                    "Mitte": ("47051", "47053", "47057", "47058", "47059"),
                    "Süd": ("47239", "47249", "47259", "47269", "47279"),
                },
                {"Mitte": "Duisburg-Mitte", "Süd": "Duisburg-Süd"},
            ),
            Quarter("Duisburg", "Homberg/Ruhrort/Baerl", ("47198", "47199", "47119"), "02066"),
            Quarter("Duisburg", "Rheinhausen", ("47226", "47228", "47229"), "02065"),
        ),
        weights={"hebamme": 4, "kinderarzt": 2, "schwangerschaftsberatung": 2, "familienzentrum": 2, "babylotsen": 1},
    ),
    NetworkPlan(
        slug="kreis-coesfeld",
        generated=52,
        region="Münsterland",
        quarters=tuple(Quarter(name, name, (code,), area) for name, (code, area) in COESFELD.items()),
        weights={"grundschule": 2, "kita": 2, "sportverein": 1, "musikschule": 1, "jobcenter": 1},
        gemeinden=frozenset({"Ascheberg", "Havixbeck", "Nordkirchen", "Nottuln", "Rosendahl", "Senden"}),
    ),
    NetworkPlan(
        slug="infamilie-dortmund",
        generated=38,
        region="Westfalen",
        quarters=_city(
            "Dortmund",
            "0231",
            {
                "Innenstadt-Nord": ("44145", "44147"),
                "Innenstadt-West": ("44135", "44137", "44139"),
                "Innenstadt-Ost": ("44141", "44143"),
                "Eving": ("44339",),
                "Scharnhorst": ("44328", "44329"),
                "Brackel": ("44309",),
                "Aplerbeck": ("44287", "44289"),
                "Hörde": ("44263", "44265", "44269"),
                "Hombruch": ("44225", "44227"),
                "Lütgendortmund": ("44388",),
                "Huckarde": ("44369",),
                "Mengede": ("44357", "44359"),
            },
            {"Innenstadt-Nord": "Nordstadt", "Innenstadt-West": "Kreuzviertel", "Innenstadt-Ost": "Kaiserviertel"},
        ),
        weights={"familienbuero": 1, "grundschule": 2, "migration": 2, "familienzentrum": 1},
    ),
    NetworkPlan(
        slug="interprochance-weiterstadt",
        generated=22,
        region="Südhessen",
        quarters=_city(
            "Weiterstadt",
            "06150",
            {
                "Kernstadt": ("64331",),
                "Braunshardt": ("64331",),
                "Gräfenhausen": ("64331",),
                "Schneppenhausen": ("64331",),
                "Riedbahn": ("64331",),
            },
            {"Kernstadt": "Weiterstadt"},
        ),
        weights={"jobcenter": 1, "migration": 1, "jugendzentrum": 1},
    ),
)

# Duisburg's test scenario: a coordinator filters "0 bis 3 Jahre" and "Hamborn" and finds the midwives.
HAMBORN_MIDWIVES = (
    ("Hebammenpraxis Storchennest Hamborn", "47166", "Duisburger Straße 212"),
    ("Hebammengemeinschaft Marxloh", "47169", "Kaiser-Wilhelm-Straße 61"),
)


# ---------------------------------------------------------------------------------------------------------------------
# Plain specifications (no database): what one run wants to exist
# ---------------------------------------------------------------------------------------------------------------------


@dataclass
class OfferSpec:
    template: OfferTemplate
    districts: list[Quarter]
    access: list[str]
    languages: list[str]
    published: bool


@dataclass
class ContactSpec:
    name: str
    function: str
    phone: str
    email: str
    consent_internal: bool
    consent_public: bool


@dataclass
class PartnerSpec:
    type: InstitutionType
    name: str
    kind: str
    traeger: str
    street: str
    postcode: str
    city: str
    phone: str
    email: str
    website: str
    description: str
    accessibility: str
    accessibility_note: str
    sectors: list[str]
    districts: list[Quarter]
    languages: list[str]
    contacts: list[ContactSpec]
    offers: list[OfferSpec]
    membership_state: str = Membership.State.ACTIVE
    since: datetime.date | None = None
    until: datetime.date | None = None
    profile_state: str = Partner.ProfileState.REVIEWED
    moments: dict[str, datetime.datetime] = field(default_factory=dict)  # created, updated, submitted, reviewed


def ascii_slug(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        text = text.replace(umlaut, plain)
    return slugify(text)


def _phone(rng: random.Random, area_code: str) -> str:
    if len(area_code) == 4:  # big cities: seven-digit numbers, often with an extension
        return f"{area_code} {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
    return f"{area_code} {rng.randint(10, 99)}{rng.randint(100, 999)}"


def _moment(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.datetime:
    day = start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)), datetime.UTC)


def _fill(pattern: str, rng: random.Random, plan: NetworkPlan, quarter: Quarter) -> str:
    city = quarter.municipality
    district = quarter.short
    if "{city}" in pattern and city in plan.gemeinden:
        pattern = pattern.replace("Stadt {city}", "Gemeinde {city}")
    return pattern.format(
        motto=rng.choice(MOTTOS),
        district=district,
        surname=rng.choice(SURNAMES),
        saint=rng.choice(SAINTS),
        city=city,
        poet=rng.choice(POETS),
        region=plan.region,
    )


def _contacts(rng: random.Random, kind: InstitutionType, phone: str, domain: str, count: int) -> list[ContactSpec]:
    contacts: list[ContactSpec] = []
    used: set[str] = set()
    female_share = 0.95 if kind.key == "hebamme" else 0.7
    while len(contacts) < count:
        female = rng.random() < female_share
        first, last = rng.choice(FEMALE_NAMES if female else MALE_NAMES), rng.choice(LAST_NAMES)
        if f"{first} {last}" in used:
            continue
        used.add(f"{first} {last}")
        forms = kind.functions[len(contacts) % len(kind.functions)].split("|")
        internal = rng.random() < 0.85
        area, number = phone.split(" ", 1)
        contacts.append(
            ContactSpec(
                name=f"{first} {last}",
                function=forms[0] if female or len(forms) == 1 else forms[1],
                phone=f"{area} {number.replace(' ', '')}-{rng.randint(10, 49)}",
                email=f"{ascii_slug(first)}.{ascii_slug(last)}".replace("-", "") + f"@{domain}",
                consent_internal=internal,
                consent_public=internal and rng.random() < 0.35,
            )
        )
    return contacts


def _offers(
    rng: random.Random, kind: InstitutionType, home: Quarter, served: list[Quarter], languages: list[str], count: int
) -> list[OfferSpec]:
    templates = rng.sample(kind.offers, min(count, len(kind.offers)))
    offers = []
    for template in templates:
        extra = [quarter for quarter in served if quarter != home and rng.random() < 0.5]
        access = list(template.access)
        if "telefonisch" not in access and rng.random() < 0.3:
            access.append("telefonisch")
        offers.append(
            OfferSpec(
                template=template,
                districts=[home, *extra],
                access=access,
                languages=[lang for lang in languages if lang == "de" or rng.random() < 0.6],
                published=rng.random() < 0.85,
            )
        )
    return offers


def _languages(rng: random.Random, kind: InstitutionType) -> list[str]:
    languages = ["de"]
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        language = rng.choice(kind.languages)
        if language not in languages:
            languages.append(language)
    if rng.random() < 0.12:
        languages.append("leichte-sprache")
    if rng.random() < 0.04:
        languages.append("dgs")
    return languages


def _accessibility(rng: random.Random) -> tuple[str, str]:
    value = rng.choices(
        [Partner.Accessibility.FULL, Partner.Accessibility.PARTIAL, Partner.Accessibility.NONE, "unbekannt"],
        weights=[40, 25, 10, 25],
    )[0]
    return value, rng.choice(ACCESSIBILITY_NOTES[value])


def _partner_spec(
    rng: random.Random,
    plan: NetworkPlan,
    kind: InstitutionType,
    home: Quarter,
    name: str,
    *,
    postcode: str | None = None,
    street: str | None = None,
    first_offer: OfferTemplate | None = None,
) -> PartnerSpec:
    served = [home, *(q for q in rng.sample(plan.quarters, min(2, len(plan.quarters))) if q != home)]
    served = served[: rng.choice((1, 1, 2, 3))]
    languages = _languages(rng, kind)
    phone = _phone(rng, home.area_code)
    domain = f"{ascii_slug(name)[:40].strip('-')}.example"
    accessibility, note = _accessibility(rng)
    sectors = [kind.sectors[0], *rng.sample(kind.sectors[1:], rng.randint(0, min(2, len(kind.sectors) - 1)))]
    offers = _offers(rng, kind, home, served, languages, rng.choice((1, 2, 2, 3, 3, 4)))
    if first_offer is not None:
        offers = [o for o in offers if o.template != first_offer]
        offers.insert(0, OfferSpec(first_offer, [home], list(first_offer.access), ["de"], True))
    legal_form = rng.choice(kind.kinds)
    traeger = _fill(rng.choice(kind.traeger), rng, plan, home)
    if not traeger and legal_form == Partner.Kind.AMT:
        traeger = _fill("Stadt {city}", rng, plan, home)
    saint = re.search(r"St\. (\w+)", name)
    if saint and "Kirchengemeinde" in traeger:  # a church Kita's Träger is its own parish
        traeger = f"Kath. Kirchengemeinde St. {saint.group(1)}"
    return PartnerSpec(
        type=kind,
        name=name,
        kind=legal_form,
        traeger=traeger,
        street=street or f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
        postcode=postcode or rng.choice(home.postcodes),
        city=home.municipality,
        phone=phone,
        email=f"kontakt@{domain}",
        website=f"https://www.{domain}" if rng.random() < 0.6 else "",
        description=rng.choice(kind.descriptions),
        accessibility=accessibility,
        accessibility_note=note,
        sectors=sectors,
        districts=served,
        languages=languages,
        contacts=_contacts(rng, kind, phone, domain, rng.choice((1, 1, 2, 2, 3))),
        offers=offers,
    )


def _type_sequence(rng: random.Random, plan: NetworkPlan, count: int) -> list[InstitutionType]:
    """Every type once (so all life stages and districts get offers), then weighted by the network's focus."""
    keys = [key for key in TYPES if key != "babylotsen"]
    rng.shuffle(keys)
    population = list(TYPES)
    weights = [1 + plan.weights.get(key, 0) for key in population]
    while len(keys) < count:
        keys.append(rng.choices(population, weights=weights)[0])
    return [TYPES[key] for key in keys[:count]]


def _lifecycle(rng: random.Random, specs: list[PartnerSpec], protected: int) -> None:
    """Membership states (mostly active, a few invited, one or two ended) and profile states with dates."""
    indices = list(range(protected, len(specs)))
    rng.shuffle(indices)
    invited = set(indices[: 3 if len(specs) > 40 else 2])
    ended = set(indices[len(invited) : len(invited) + (2 if len(specs) > 40 else 1)])
    submitted = set(indices[len(invited) + len(ended) :][: max(2, len(specs) // 7)])
    for index, spec in enumerate(specs):
        created = _moment(rng, datetime.date(2019, 1, 1), datetime.date(2024, 12, 31))
        if index in invited:
            spec.membership_state = Membership.State.INVITED
            spec.profile_state = Partner.ProfileState.DRAFT
            created = _moment(rng, datetime.date(2026, 8, 1), TODAY)
            updated = created
        elif index in ended:
            spec.membership_state = Membership.State.ENDED
            spec.since = _moment(rng, datetime.date(2015, 1, 1), datetime.date(2019, 12, 31)).date()
            spec.until = _moment(rng, datetime.date(2022, 1, 1), datetime.date(2025, 12, 31)).date()
            spec.profile_state = Partner.ProfileState.REVIEWED
            created = datetime.datetime.combine(spec.since, datetime.time(9), datetime.UTC)
            spec.moments["reviewed"] = created + datetime.timedelta(days=30)
            updated = spec.moments["reviewed"]
        else:
            spec.since = _moment(rng, datetime.date(2015, 1, 1), datetime.date(2026, 10, 31)).date()
            created = min(created, datetime.datetime.combine(spec.since, datetime.time(9), datetime.UTC))
            if index in submitted:
                spec.profile_state = Partner.ProfileState.SUBMITTED
                spec.moments["submitted"] = _moment(rng, datetime.date(2026, 9, 1), TODAY)
                updated = spec.moments["submitted"]
            elif rng.random() < 0.12:
                spec.profile_state = Partner.ProfileState.DRAFT
                updated = _moment(rng, datetime.date(2026, 1, 1), TODAY)
            else:
                spec.profile_state = Partner.ProfileState.REVIEWED
                reviewed = _moment(rng, max(created.date(), datetime.date(2024, 1, 1)), TODAY)
                spec.moments["reviewed"] = reviewed
                # most unchanged since the review; some edited afterwards ("geprüft, danach geändert")
                later = rng.random() < 0.12 and reviewed.date() < TODAY
                updated = _moment(rng, reviewed.date() + datetime.timedelta(days=1), TODAY) if later else reviewed
        spec.moments["created"] = created
        spec.moments["updated"] = max(updated, created)


def network_specs(plan: NetworkPlan, reserved: Iterable[str] = ()) -> list[PartnerSpec]:
    """The invented institutions of one demo network, the same on every run."""
    rng = random.Random(f"praevnet-partner-demo:{plan.slug}")
    taken = {name.casefold() for name in reserved}
    specs: list[PartnerSpec] = []
    if plan.slug == "fruehe-hilfen-duisburg":
        hamborn = next(q for q in plan.quarters if q.name == "Hamborn")
        hebamme = TYPES["hebamme"]
        consultation, massage = hebamme.offers[0], hebamme.offers[1]
        for (name, postcode, street), first in zip(HAMBORN_MIDWIVES, (consultation, massage), strict=True):
            specs.append(
                _partner_spec(rng, plan, hebamme, hamborn, name, postcode=postcode, street=street, first_offer=first)
            )
            taken.add(name.casefold())
    protected = len(specs)
    quarters = list(plan.quarters)
    rng.shuffle(quarters)
    for number, kind in enumerate(_type_sequence(rng, plan, plan.generated - protected)):
        home = quarters[number % len(quarters)]  # round robin: every Sozialraum gets institutions and offers
        for _attempt in range(30):
            name = _fill(rng.choice(kind.names), rng, plan, home)
            if plan.slug == "kreis-coesfeld" and home.municipality not in name and rng.random() < 0.7:
                stem, association = name.removesuffix(" e. V."), name.endswith(" e. V.")
                name = f"{stem} {home.municipality}" + (" e. V." if association else "")
            if name.casefold() not in taken:
                break
        else:
            name = f"{name} {home.municipality} {number}"
        taken.add(name.casefold())
        specs.append(_partner_spec(rng, plan, kind, home, name))
    _lifecycle(rng, specs, protected)
    return specs


def classify(name: str) -> InstitutionType:
    lowered = f"{name.casefold()} "
    for key in CLASSIFY_ORDER:
        if any(word in lowered for word in TYPES[key].keywords):
            return TYPES[key]
    return TYPES["familienbildung"]


# ---------------------------------------------------------------------------------------------------------------------
# Writing: only what is missing
# ---------------------------------------------------------------------------------------------------------------------


class _Lookups:
    """Taxonomy and district ids by slug or (municipality, name), read once per run."""

    def __init__(self):
        self.life_stages = dict(LifeStage.objects.values_list("slug", "pk"))
        self.sectors = dict(Sector.objects.values_list("slug", "pk"))
        self.access = dict(AccessRoute.objects.values_list("slug", "pk"))
        self.languages = dict(Language.objects.values_list("slug", "pk"))
        self.districts: dict[tuple[str, str], int] = {}

    def district(self, quarter: Quarter) -> int:
        return self.districts[(quarter.municipality, quarter.name)]


def _ensure_districts(plans_networks, lookups: _Lookups) -> None:
    wanted = []
    for plan, network in plans_networks:
        municipalities = {m.name: m for m in network.municipalities.all()}
        for quarter in plan.quarters:
            if quarter.municipality in municipalities:
                wanted.append(District(municipality=municipalities[quarter.municipality], name=quarter.name))
    District.objects.bulk_create(wanted, ignore_conflicts=True)
    for municipality, name, pk in District.objects.filter(
        municipality__networks__in=[network for _, network in plans_networks]
    ).values_list("municipality__name", "name", "pk"):
        lookups.districts[(municipality, name)] = pk


class _Batch:
    """Rows collected over all networks and written with one bulk_create per table."""

    def __init__(self):
        self.partner_sectors: list = []
        self.partner_districts: list = []
        self.partner_languages: list = []
        self.contacts: list[ContactPerson] = []
        self.offers: list[tuple[Offer, OfferSpec]] = []

    def add_partner_links(self, partner_id: int, spec_sectors, spec_districts, spec_languages, lookups) -> None:
        self.partner_sectors += [
            Partner.sectors.through(partner_id=partner_id, sector_id=lookups.sectors[s]) for s in spec_sectors
        ]
        self.partner_districts += [
            Partner.districts.through(partner_id=partner_id, district_id=lookups.district(q)) for q in spec_districts
        ]
        self.partner_languages += [
            Partner.languages.through(partner_id=partner_id, language_id=lookups.languages[lang])
            for lang in spec_languages
        ]

    def add_offers(self, partner_id: int, offers: list[OfferSpec]) -> None:
        for spec in offers:
            offer = Offer(
                partner_id=partner_id,
                title=spec.template.title,
                description=spec.template.description,
                cost=spec.template.cost,
                cost_note=spec.template.cost_note,
                published=spec.published,
            )
            self.offers.append((offer, spec))

    def write(self, lookups: _Lookups) -> None:
        Partner.sectors.through.objects.bulk_create(self.partner_sectors, ignore_conflicts=True)
        Partner.districts.through.objects.bulk_create(self.partner_districts, ignore_conflicts=True)
        Partner.languages.through.objects.bulk_create(self.partner_languages, ignore_conflicts=True)
        ContactPerson.objects.bulk_create(self.contacts)
        Offer.objects.bulk_create([offer for offer, _ in self.offers])
        stages, routes, districts, languages = [], [], [], []
        for offer, spec in self.offers:
            stages += [
                Offer.life_stages.through(offer_id=offer.pk, lifestage_id=lookups.life_stages[s])
                for s in spec.template.life_stages
            ]
            routes += [
                Offer.access_routes.through(offer_id=offer.pk, accessroute_id=lookups.access[a]) for a in spec.access
            ]
            districts += [
                Offer.districts.through(offer_id=offer.pk, district_id=lookups.district(q)) for q in spec.districts
            ]
            languages += [
                Offer.languages.through(offer_id=offer.pk, language_id=lookups.languages[lang])
                for lang in spec.languages
            ]
        Offer.life_stages.through.objects.bulk_create(stages)
        Offer.access_routes.through.objects.bulk_create(routes)
        Offer.districts.through.objects.bulk_create(districts)
        Offer.languages.through.objects.bulk_create(languages)


def _new_partner(spec: PartnerSpec, reviewer_id: int | None) -> Partner:
    return Partner(
        name=spec.name,
        kind=spec.kind,
        traeger=spec.traeger,
        street=spec.street,
        postcode=spec.postcode,
        city=spec.city,
        phone=spec.phone,
        email=spec.email,
        website=spec.website,
        description=spec.description,
        accessibility=spec.accessibility,
        accessibility_note=spec.accessibility_note,
        profile_state=spec.profile_state,
        submitted_at=spec.moments.get("submitted") or spec.moments.get("reviewed"),
        reviewed_at=spec.moments.get("reviewed"),
        reviewed_by_id=reviewer_id if "reviewed" in spec.moments else None,
    )


def _enrich_listed(plan: NetworkPlan, network: Network, own_names: set[str], batch: _Batch, lookups, done) -> None:
    """Institutions that praevnet/demo.py lists get Sozialräume, Handlungsfelder and offers if they have none."""
    listed = (
        Partner.objects.filter(memberships__network=network)
        .exclude(pk__in=done)
        .order_by("pk")
        .prefetch_related("sectors", "districts", "offers")
    )
    for partner in listed:
        if (partner.name, partner.postcode) in own_names:
            continue
        done.add(partner.pk)
        rng = random.Random(f"praevnet-partner-demo:{partner.name}:{partner.postcode}")
        kind = classify(partner.name)
        home = next(
            (q for q in plan.quarters if partner.postcode in q.postcodes and q.municipality == partner.city),
            next((q for q in plan.quarters if partner.postcode in q.postcodes), plan.quarters[0]),
        )
        spec = _partner_spec(rng, plan, kind, home, partner.name)
        batch.add_partner_links(
            partner.pk,
            spec.sectors if not partner.sectors.all() else (),
            spec.districts if not partner.districts.all() else (),
            (),
            lookups,
        )
        if not partner.offers.all():
            batch.add_offers(partner.pk, spec.offers[:3])


@transaction.atomic
def load_partner_demo() -> None:
    """Give every demo network its Sozialräume and 25–60 invented institutions with contacts and offers.

    Creates only what is missing; a network that does not exist (yet) is skipped.
    """
    from partners.taxonomy_defaults import install
    from praevnet.demo import NETWORKS  # here, not at the top: praevnet.demo calls this function
    from praevnet.models import NetworkRole

    if not LifeStage.objects.exists():
        install()
    networks = {n.slug: n for n in Network.objects.filter(slug__in=[p.slug for p in PLANS])}
    plans_networks = [(plan, networks[plan.slug]) for plan in PLANS if plan.slug in networks]
    if not plans_networks:
        return
    lookups = _Lookups()
    _ensure_districts(plans_networks, lookups)
    listed_names = {row[0] for spec in NETWORKS for row in spec.partners}
    reviewers = dict(
        NetworkRole.objects.filter(network__in=networks.values(), role=NetworkRole.Role.COORDINATOR).values_list(
            "network_id", "user_id"
        )
    )

    all_specs = [(plan, network, network_specs(plan, listed_names)) for plan, network in plans_networks]
    names = {spec.name for _, _, specs in all_specs for spec in specs}
    existing = {
        (name, postcode): pk
        for name, postcode, pk in Partner.objects.filter(name__in=names).values_list("name", "postcode", "pk")
    }
    new = [
        (network, spec)
        for _, network, specs in all_specs
        for spec in specs
        if (spec.name, spec.postcode) not in existing
    ]
    partners = Partner.objects.bulk_create([_new_partner(spec, reviewers.get(network.pk)) for network, spec in new])
    batch = _Batch()
    moments = []
    for partner, (_network, spec) in zip(partners, new, strict=True):
        existing[(spec.name, spec.postcode)] = partner.pk
        partner.created, partner.updated = spec.moments["created"], spec.moments["updated"]
        moments.append(partner)
        batch.add_partner_links(partner.pk, spec.sectors, spec.districts, spec.languages, lookups)
        batch.contacts += [ContactPerson(partner_id=partner.pk, **vars(c)) for c in spec.contacts]
        batch.add_offers(partner.pk, spec.offers)
    # auto_now/auto_now_add set "now" on insert; the demo wants a history that looks lived in
    Partner.objects.bulk_update(moments, ["created", "updated"], batch_size=500)

    Membership.objects.bulk_create(
        [
            Membership(
                partner_id=existing[(spec.name, spec.postcode)],
                network=network,
                state=spec.membership_state,
                since=spec.since,
                until=spec.until,
            )
            for _, network, specs in all_specs
            for spec in specs
        ],
        ignore_conflicts=True,
    )
    done: set[int] = set(existing.values())
    own = {(spec.name, spec.postcode) for _, _, specs in all_specs for spec in specs}
    for plan, network in plans_networks:
        _enrich_listed(plan, network, own, batch, lookups, done)
    batch.write(lookups)


def demo_summary() -> list[tuple[str, int, int]]:
    """(network, institutions, offers) per demo network – for a quick look in the shell."""
    rows = []
    for network in Network.objects.filter(slug__in=[p.slug for p in PLANS]).order_by("name"):
        partners = Partner.objects.filter(memberships__network=network)
        rows.append((network.name, partners.count(), Offer.objects.filter(partner__in=partners).count()))
    return rows
