from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorCombinable, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.validators import phone_validator, postcode_validator


class FederalState(models.TextChoices):
    """The 16 Länder; the codes are those of the `holidays` library (ISO 3166-2:DE without prefix)."""

    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class Municipality(models.Model):
    """A Stadt or Gemeinde; several of them can belong to one Kreis and to one network."""

    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(
        _("Art"),
        max_length=20,
        choices=[
            ("stadt", _("Stadt")),
            ("gemeinde", _("Gemeinde")),
            ("kreisfreie_stadt", _("kreisfreie Stadt")),
            ("kreis", _("Kreis")),
        ],
        default="stadt",
    )
    kreis = models.CharField(_("Kreis"), max_length=120, blank=True, help_text=_("leer bei kreisfreien Städten"))
    federal_state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices)

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kreis"], name="municipality_unique_in_kreis")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class PublicSection(models.TextChoices):
    """The parts of a network profile a coordinator can show on the public page."""

    LEITBILD = "leitbild", _("Leitbild")
    FACTS = "eckdaten", _("Eckdaten (seit, Einwohner, Kinder unter 18, Schwerpunkt)")
    FIELDS = "handlungsfelder", _("Handlungsfelder")
    QUOTE = "zitat", _("Zitat der kommunalen Spitze")
    GOALS = "ziele", _("Strategische Ziele")
    CONTACT = "kontakt", _("Ansprechpersonen und Kontakt der Koordination")


class Network(models.Model):
    """A prevention network (Präventionskette, Netzwerk Frühe Hilfen) of a city or Kreis."""

    PublicSection = PublicSection
    # What the coordination keeps of the network profile (saved by partners.services.network_update).
    PROFILE_FIELDS = (
        "inhabitants",
        "children_under_18",
        "fields_of_action",
        "quote",
        "quote_author",
        "coordination_contact",
        "public_profile",
        "public_sections",
    )

    class Rhythm(models.TextChoices):
        MONTHLY = "monthly", _("monatlich")
        QUARTERLY = "quarterly", _("vierteljährlich")
        HALF_YEARLY = "half_yearly", _("halbjährlich")
        YEARLY = "yearly", _("jährlich")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Montag")
        TUESDAY = 1, _("Dienstag")
        WEDNESDAY = 2, _("Mittwoch")
        THURSDAY = 3, _("Donnerstag")
        FRIDAY = 4, _("Freitag")

    name = models.CharField(_("Name"), max_length=200, unique=True, help_text=_("z. B. Frühe Hilfen Duisburg"))
    slug = models.SlugField(_("Kurzname in Adressen"), max_length=60, unique=True)
    region = models.CharField(
        _("Kommune/Kreis"),
        max_length=200,
        help_text=_("Gebietskörperschaft, z. B. Stadt Duisburg oder Kreis Coesfeld"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="networks", verbose_name=_("Städte und Gemeinden")
    )
    federal_state = models.CharField(
        _("Bundesland"),
        max_length=2,
        choices=FederalState.choices,
        help_text=_("für die gesetzlichen Feiertage"),
    )
    jugendamt = models.CharField(_("zuständiges Jugendamt"), max_length=200)
    leitbild = models.TextField(_("Leitbild"), blank=True)
    focus = models.CharField(
        _("Schwerpunkt"), max_length=200, blank=True, help_text=_("z. B. Kinder von 0 bis 3 Jahren")
    )
    since = models.PositiveSmallIntegerField(
        _("besteht seit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("Jahr der Gründung"),
    )
    meeting_place = models.CharField(_("üblicher Sitzungsort"), max_length=200, default="Rathaus")
    meeting_weekday = models.PositiveSmallIntegerField(
        _("üblicher Wochentag"), choices=Weekday.choices, default=Weekday.WEDNESDAY
    )
    meeting_start = models.TimeField(_("übliche Anfangszeit"), default=datetime.time(14, 0))
    meeting_minutes = models.PositiveSmallIntegerField(
        _("übliche Dauer (Minuten)"), default=120, validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    meeting_rhythm = models.CharField(
        _("Sitzungsrhythmus"), max_length=20, choices=Rhythm.choices, default=Rhythm.QUARTERLY
    )
    logo = models.ImageField(_("Logo"), upload_to="networks/logos/", blank=True)
    contact_email = models.EmailField(_("E-Mail der Koordination"), blank=True)
    contact_phone = models.CharField(_("Telefon der Koordination"), max_length=40, blank=True)
    # The network profile (as the Dortmund profile shows it); the public page shows only what `public_sections` lists.
    inhabitants = models.PositiveIntegerField(
        _("Einwohnerzahl"), null=True, blank=True, validators=[MaxValueValidator(50_000_000)]
    )
    children_under_18 = models.PositiveIntegerField(
        _("Kinder unter 18"), null=True, blank=True, validators=[MaxValueValidator(50_000_000)]
    )
    fields_of_action = models.TextField(
        _("Handlungsfelder des Netzwerks"),
        blank=True,
        help_text=_("Eines je Zeile, z. B. Babylotsen, Familiengrundschulzentren, Familienbüros, Kita-Sozialarbeit"),
    )
    quote = models.TextField(_("Zitat der kommunalen Spitze"), blank=True)
    quote_author = models.CharField(
        _("Zitat von"), max_length=200, blank=True, help_text=_("Name und Funktion, z. B. Dezernentin für Jugend")
    )
    coordination_contact = models.TextField(
        _("Ansprechpersonen der Koordination"),
        blank=True,
        help_text=_("Namen, Funktion und Anschrift, wie sie auf der Profilseite stehen sollen"),
    )
    public_profile = models.BooleanField(
        _("Profil öffentlich zeigen"),
        default=False,
        help_text=_("Eine Seite ohne Anmeldung, die nur die unten angekreuzten Teile zeigt"),
    )
    public_sections = ArrayField(
        models.CharField(max_length=20, choices=PublicSection.choices),
        verbose_name=_("öffentlich sichtbar"),
        default=list,
        blank=True,
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dashboard", kwargs={"network": self.slug})

    @property
    def fields_of_action_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.fields_of_action.splitlines() if line.strip(" -•\t")]

    def is_public(self, section: str) -> bool:
        return self.public_profile and section in self.public_sections

    @property
    def meeting_hours_label(self) -> str:
        hours, minutes = divmod(self.meeting_minutes, 60)
        if minutes == 0:
            return f"{hours} Std." if hours else ""
        return f"{hours} Std. {minutes} Min." if hours else f"{minutes} Min."


class Taxonomy(models.Model):
    """An editable list entry (Lebensphase, Handlungsfeld, Zugangsweg, Sprache) with a fixed display order."""

    name = models.CharField(_("Bezeichnung"), max_length=120, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class LifeStage(Taxonomy):
    """A stage of the Lebensbiografie (Schwangerschaft/Geburt, 0-3 Jahre …)."""

    age_from = models.PositiveSmallIntegerField(_("Alter von (Jahre)"), null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(_("Alter bis (Jahre)"), null=True, blank=True)

    class Meta(Taxonomy.Meta):
        verbose_name = _("Lebensphase")
        verbose_name_plural = _("Lebensphasen")


class Sector(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")


class AccessRoute(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("Zugangsweg")
        verbose_name_plural = _("Zugangswege")


class Language(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("Sprache")
        verbose_name_plural = _("Sprachen")


class District(models.Model):
    """A Sozialraum or Quartier of one municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts", verbose_name=_("Kommune")
    )
    name = models.CharField(_("Name"), max_length=120)

    class Meta:
        verbose_name = _("Sozialraum")
        verbose_name_plural = _("Sozialräume")
        ordering = ["municipality__name", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_in_municipality")]

    def __str__(self) -> str:
        return self.name if self.name == self.municipality.name else f"{self.municipality.name}-{self.name}"


class WordParts(SearchVectorCombinable, Func):
    """The inner parts of a text's long words as German lexemes: SQL function `praevnet_word_parts` (migration 0007).

    "Erziehungsberatungsstelle" yields "beratungsstell", "stell" …, so a prefix query for "Beratung" finds it in the
    GIN index; only words of 8 letters or more are split, into parts of at least 4 letters.
    """

    function = "praevnet_word_parts"
    output_field = SearchVectorField()


def prefix_query(text: str) -> SearchQuery | None:
    """German full-text query in which every word also matches as a prefix (Hebamme → Hebammenpraxis)."""
    words = [re.sub(r"[^\w]", "", word) for word in text.split()]
    words = [word for word in words if word][:8]
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="german")


def institution_key(name: str, postcode: str) -> tuple[str, str]:
    """Name (case and spaces ignored) and postcode: what makes two entries the same institution."""
    return " ".join(name.split()).lower(), postcode.strip()


# An institution's name alone, as the finder searches it; indexed (partner_name_gin), so keep the two the same.
NAME_VECTOR = SearchVector("name", config="german")


class PartnerQuerySet(models.QuerySet):
    def by_institution_key(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Partner]:
        """The existing partners for `institution_key`s (the oldest where two already share one), with networks."""
        names = {name for name, _ in keys if name}
        if not names:
            return {}
        normalised = Lower(Trim(Func(F("name"), Value(r"\s+"), Value(" "), Value("g"), function="regexp_replace")))
        partners = (
            self.annotate(key_name=normalised)
            .filter(key_name__in=names)
            .prefetch_related(models.Prefetch("memberships", queryset=Membership.objects.select_related("network")))
            .order_by("pk")
        )
        existing: dict[tuple[str, str], Partner] = {}
        for partner in partners:
            key = (partner.key_name, partner.postcode.strip())
            if key in keys:
                existing.setdefault(key, partner)
        return existing

    def active(self) -> PartnerQuerySet:
        return self.filter(archived_at__isnull=True)

    def in_network(self, network) -> PartnerQuerySet:
        return self.filter(memberships__network=network)

    def search(self, text: str, *, network: Network | None = None) -> PartnerQuerySet:
        """Name, Träger, place, description and the offers' titles and descriptions, German stemming and prefixes;
        the name also matches inside compound words (beratung → Erziehungsberatungsstelle, see WordParts).

        With ``network`` only the offers of its members are searched: PostgreSQL then reads a small network's offers
        by institution instead of every matching offer of the whole installation (Land scale, 500,000 offers: 28 →
        2 ms), and a large network's through the GIN index as before."""
        matching = matching_ids(text, network=network)
        return self if matching is None else self.filter(pk__in=matching)


def matching_ids(text: str, *, network: Network | None = None) -> models.QuerySet | None:
    """The ids of the institutions `PartnerQuerySet.search` finds, as a subquery of its own (None: no word to look
    for). With `network`, only its members (of any state). The register fetches them once and hands them to its count
    and page, which apply the rest of the register's conditions to these few ids."""
    query = prefix_query(text)
    if query is None:
        return None
    partners = Partner.objects.filter(search_vector=query)
    offers = Offer.objects.filter(search_vector=query)
    if network is not None:
        # both sides: at Land scale a word like "Hebamme" names thousands of institutions, a network holds 200
        members = Membership.objects.filter(network=network).values("partner_id")
        partners, offers = partners.filter(pk__in=members), offers.filter(partner_id__in=members)
    # One IN over the union of two searches; a correlated EXISTS per partner was 5x slower at 100k offers.
    return (
        partners.order_by().values_list("pk", flat=True).union(offers.order_by().values_list("partner_id", flat=True))
    )


class Partner(models.Model):
    """A partner institution (Einrichtung, Kooperationspartner); can be a member of several networks."""

    class Kind(models.TextChoices):
        TRAEGER = "traeger", _("Träger")
        VEREIN = "verein", _("Verein")
        AMT = "amt", _("Amt/Behörde")
        INSTITUT = "institut", _("Institut")
        GGMBH = "ggmbh", _("gGmbH")
        PRAXIS = "praxis", _("Praxis")
        EINZELPERSON = "einzelperson", _("Einzelperson")
        KITA = "kita", _("Kindertageseinrichtung")
        SCHULE = "schule", _("Schule")
        SONSTIGE = "sonstige", _("Sonstige")

    class Accessibility(models.TextChoices):
        UNKNOWN = "unbekannt", _("keine Angabe")
        FULL = "barrierefrei", _("barrierefrei")
        PARTIAL = "teilweise", _("teilweise barrierefrei")
        NONE = "nein", _("nicht barrierefrei")

    class ProfileState(models.TextChoices):
        DRAFT = "entwurf", _("Entwurf")
        SUBMITTED = "eingereicht", _("eingereicht")
        REVIEWED = "geprueft", _("geprüft")

    name = models.CharField(_("Name der Einrichtung"), max_length=200)
    kind = models.CharField(_("Organisationsform"), max_length=20, choices=Kind.choices, default=Kind.TRAEGER)
    traeger = models.CharField(_("Träger"), max_length=200, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postcode = models.CharField(_("PLZ"), max_length=5, blank=True, validators=[postcode_validator])
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, validators=[phone_validator])
    email = models.EmailField(_("E-Mail"), blank=True)
    website = models.URLField(_("Webseite"), blank=True)
    description = models.TextField(_("Kurzbeschreibung"), blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="partners", verbose_name=_("Handlungsfelder"))
    districts = models.ManyToManyField(
        District,
        blank=True,
        related_name="partners",
        verbose_name=_("Sozialräume"),
        help_text=_("in denen die Einrichtung arbeitet"),
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="partners", verbose_name=_("Sprachen"))
    accessibility = models.CharField(
        _("Barrierefreiheit"), max_length=20, choices=Accessibility.choices, default=Accessibility.UNKNOWN
    )
    accessibility_note = models.CharField(_("Hinweise zur Barrierefreiheit"), max_length=300, blank=True)
    profile_state = models.CharField(
        _("Profilstatus"), max_length=20, choices=ProfileState.choices, default=ProfileState.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geprüft von"),
    )
    review_comment = models.TextField(_("Anmerkung der Koordination"), blank=True)
    version = models.PositiveIntegerField(_("Version"), default=1, help_text=_("steigt mit jeder Änderung"))
    updated = models.DateTimeField(_("zuletzt geändert"), auto_now=True)
    created = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archiviert am"), null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("name", weight="A", config="german")
        + SearchVector("traeger", "city", weight="B", config="german")
        + SearchVector("description", weight="C", config="german")
        # the inner parts of long words of the name, so "Beratung" finds "Erziehungsberatungsstelle" through the index
        # (SQL function from migration 0007; a LIKE '%…%' over every name cost more than the rest of the search)
        + WordParts("name"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Kooperationspartner")
        verbose_name_plural = _("Kooperationspartner")
        ordering = ["name"]
        indexes = [
            GinIndex(fields=["search_vector"], name="partner_search_gin"),
            GinIndex(NAME_VECTOR, name="partner_name_gin"),
            # the register's default order: a big network's first page walks this instead of sorting everyone
            models.Index(fields=["name"], name="partner_name_idx"),
            # index-only counts of the register and of the profiles waiting for review
            models.Index(fields=["id"], condition=Q(archived_at__isnull=True), name="partner_active_idx"),
            # the few archived ones: "not archived" is an anti-join on this instead of a look at every institution
            models.Index(fields=["id"], condition=Q(archived_at__isnull=False), name="partner_archived_idx"),
            models.Index(
                fields=["id"],
                condition=Q(archived_at__isnull=True, profile_state="eingereicht"),
                name="partner_waiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def changed_since_review(self) -> bool:
        """Saved again after the coordination reviewed it (a few seconds of slack for the review save itself)."""
        return bool(
            self.reviewed_at
            and self.profile_state == self.ProfileState.REVIEWED
            and (self.updated - self.reviewed_at).total_seconds() > 5
        )

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)


class Membership(models.Model):
    """A partner institution's membership in one network."""

    class State(models.TextChoices):
        INVITED = "eingeladen", _("eingeladen")
        ACTIVE = "aktiv", _("aktiv")
        ENDED = "beendet", _("beendet")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("Kooperationspartner")
    )
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("Netzwerk")
    )
    state = models.CharField(_("Status"), max_length=20, choices=State.choices, default=State.INVITED)
    since = models.DateField(_("Mitglied seit"), null=True, blank=True)
    until = models.DateField(_("Mitglied bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        ordering = ["network__name", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "network"], name="membership_once_per_network"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
                violation_error_message=_("„Mitglied bis“ darf nicht vor „Mitglied seit“ liegen."),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "partner"], name="membership_network_partner_idx"),
            # the active members of a network without visiting the table (finder, directory, coverage)
            models.Index(fields=["network", "partner"], condition=Q(state="aktiv"), name="membership_active_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner} in {self.network}"


class ContactPerson(models.Model):
    """A contact person of a partner institution; listed internally and publicly only with consent."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("Einrichtung")
    )
    name = models.CharField(_("Name"), max_length=150)
    function = models.CharField(_("Funktion"), max_length=150, blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, validators=[phone_validator])
    email = models.EmailField(_("E-Mail"), blank=True)
    consent_internal = models.BooleanField(
        _("im internen Verzeichnis zeigen"), default=False, help_text=_("Einwilligung der Person liegt vor")
    )
    consent_public = models.BooleanField(
        _("öffentlich zeigen"), default=False, help_text=_("Einwilligung der Person liegt vor")
    )
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    """An offer (Angebot) of a partner along the Lebensbiografie."""

    class Cost(models.TextChoices):
        FREE = "kostenlos", _("kostenlos")
        REDUCED = "ermaessigt", _("Kosten, ermäßigt möglich")
        PAID = "kostenpflichtig", _("kostenpflichtig")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="offers", verbose_name=_("Einrichtung"))
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    life_stages = models.ManyToManyField(LifeStage, blank=True, related_name="offers", verbose_name=_("Lebensphasen"))
    access_routes = models.ManyToManyField(
        AccessRoute, blank=True, related_name="offers", verbose_name=_("Zugangswege")
    )
    districts = models.ManyToManyField(District, blank=True, related_name="offers", verbose_name=_("Sozialräume"))
    languages = models.ManyToManyField(Language, blank=True, related_name="offers", verbose_name=_("Sprachen"))
    cost = models.CharField(_("Kosten"), max_length=20, choices=Cost.choices, default=Cost.FREE)
    cost_note = models.CharField(_("Hinweis zu Kosten"), max_length=200, blank=True)
    published = models.BooleanField(
        _("veröffentlichen"), default=False, help_text=_("im öffentlichen Angebotsfinder für Familien zeigen")
    )
    updated = models.DateTimeField(_("zuletzt geändert"), auto_now=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="german")
        + SearchVector("description", weight="B", config="german"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        ordering = ["title"]
        indexes = [
            GinIndex(fields=["search_vector"], name="offer_search_gin"),
            # the public finder's order: its first page walks this instead of sorting 100,000 offers
            models.Index(fields=["title", "id"], name="offer_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title
