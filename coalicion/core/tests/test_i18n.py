"""Bilingual content: the active language's field, Spanish where it is missing."""

from django.utils import translation

from coalicion.core.i18n import localized


def test_localized_falls_back_to_spanish(settings):
    class Item:
        name = "Prevención"
        name_en = ""

    with translation.override("en"):
        assert localized(Item, "name") == "Prevención"
        Item.name_en = "Prevention"
        assert localized(Item, "name") == "Prevention"
    with translation.override("es"):
        assert localized(Item, "name") == "Prevención"


def test_every_catalog_counts_plurals_like_the_projects():
    """An app catalog with other plural forms than the project's (gettext's
    three Spanish forms against two) silently shows English for some counts."""
    import re
    from pathlib import Path

    from django.conf import settings

    def plural_forms(path: Path) -> str:
        match = re.search(r'"Plural-Forms: ([^"\\]*)', path.read_text(encoding="utf-8"))
        return match.group(1) if match else ""

    base = Path(settings.BASE_DIR)
    for language in ("es", "en"):
        expected = plural_forms(base / "locale" / language / "LC_MESSAGES" / "django.po")
        for catalog in (base / "coalicion").glob(f"*/locale/{language}/LC_MESSAGES/django.po"):
            assert plural_forms(catalog) == expected, catalog
