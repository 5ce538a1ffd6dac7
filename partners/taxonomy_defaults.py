"""The German default lists every installation starts with; coordinators' administrators can edit them in /admin/."""

LIFE_STAGES = [
    # (slug, name, age from, age to)
    ("schwangerschaft", "Schwangerschaft und Geburt", None, 0),
    ("0-3", "0 bis 3 Jahre", 0, 3),
    ("3-6", "3 bis 6 Jahre", 3, 6),
    ("grundschule", "Grundschule", 6, 10),
    ("weiterfuehrende-schule", "Weiterführende Schule", 10, 16),
    ("schule-beruf", "Übergang Schule–Beruf", 15, 21),
    ("junge-erwachsene", "Junge Erwachsene", 18, 27),
    ("eltern-familie", "Eltern und Familie", None, None),
]

SECTORS = [
    ("gesundheit", "Gesundheitswesen"),
    ("schwangerenberatung", "Schwangerenberatung"),
    ("jugendhilfe", "Kinder- und Jugendhilfe"),
    ("fruehfoerderung", "Frühförderung"),
    ("kita", "Kindertagesbetreuung"),
    ("schule", "Schule"),
    ("soziales", "Soziales"),
    ("integration", "Integration und Migration"),
    ("arbeit", "Arbeit und Beruf"),
    ("ehrenamt", "Ehrenamt, Sport und Kultur"),
]

ACCESS_ROUTES = [
    ("sprechstunde", "Offene Sprechstunde"),
    ("telefonisch", "Telefonisch"),
    ("aufsuchend", "Hausbesuch / aufsuchend"),
    ("vermittlung", "Nach Vermittlung"),
    ("online", "Online"),
]

LANGUAGES = [
    ("de", "Deutsch"),
    ("leichte-sprache", "Leichte Sprache"),
    ("en", "Englisch"),
    ("tr", "Türkisch"),
    ("ar", "Arabisch"),
    ("ru", "Russisch"),
    ("uk", "Ukrainisch"),
    ("pl", "Polnisch"),
    ("ro", "Rumänisch"),
    ("bg", "Bulgarisch"),
    ("fr", "Französisch"),
    ("ku", "Kurdisch"),
    ("fa", "Farsi/Dari"),
    ("dgs", "Deutsche Gebärdensprache"),
]


def install(apps=None) -> None:
    """Create the default entries that are missing (used by a data migration and by tests)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    LifeStage = apps.get_model("partners", "LifeStage")
    for order, (slug, name, age_from, age_to) in enumerate(LIFE_STAGES):
        LifeStage.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order, "age_from": age_from, "age_to": age_to}
        )
    for model_name, rows in (("Sector", SECTORS), ("AccessRoute", ACCESS_ROUTES), ("Language", LANGUAGES)):
        model = apps.get_model("partners", model_name)
        for order, (slug, name) in enumerate(rows):
            model.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})
