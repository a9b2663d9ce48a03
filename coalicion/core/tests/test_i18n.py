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
