"""The notes on the data speak to a reader, in the page's language: every note
in Spanish and English, no file keys, no "null", no internal files; a passage
in the other language carries its `lang`."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from coalicion.composition.planfile import read_plan_file
from coalicion.core.i18n import FOREIGN_PASSAGE, plain_passages
from coalicion.core.planfile import PlanFileError
from coalicion.legal.models import Instrument
from coalicion.plans.models import Activity, Result
from coalicion.plans.tests.test_pages import get
from conftest import MINI_PLAN

# What a reader should never see in a note: keys of the file (`general.typos`,
# `unmapped_dates`, `described_in_plan`), YAML values, internal files.
JARGON = re.compile(
    r"\b[a-z]+_[a-z_]+\b"  # snake_case keys
    r"|\b[a-z]+\.[a-z]+\b"  # dotted keys (general.typos)
    r"|\bnull\b|\[\]|SPEC|\.md\b|\.ya?ml\b|\bkind:|\bparties\b(?= is)",
)
URL = re.compile(r"https?://\S+|\b[\w-]+\.(?:com|gob|org)\S*")


def _notes_in_file() -> list[tuple[str, object]]:
    """Every `note` of the plan file with its place, and every top-level note."""
    root = yaml.safe_load(Path(settings.COALICION_PLAN_FILE).read_text(encoding="utf-8"))
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "note" and value is not None:
                    found.append((f"{where}.note", value))
                elif key == "where":
                    found.append((f"{where}.where", value))
                else:
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, f"{where}[{i}]")

    walk(root, "")
    return found


def test_every_note_in_the_file_is_given_in_spanish_and_english():
    notes = _notes_in_file()
    assert len(notes) > 100
    for where, note in notes:
        assert isinstance(note, dict) and set(note) == {"es", "en"}, where
        assert note["es"].strip() and note["en"].strip(), where


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_note_speaks_in_file_keys_null_or_internal_files(language):
    for where, note in _notes_in_file():
        text = URL.sub("", plain_passages(note[language]))
        assert not JARGON.search(text), (where, JARGON.search(text)[0], text)


def test_spanish_notes_quote_english_only_as_marked_passages():
    english_words = re.compile(r"\b(the|and|of|kept|printed|with|which)\b")
    for where, note in _notes_in_file():
        text = FOREIGN_PASSAGE.sub("", note["es"])
        assert not english_words.search(URL.sub("", text)), (where, text)


def test_the_notes_page_reads_in_spanish_on_the_spanish_site(client, plan):
    html = get(client, "plans:notes", [plan.code]).content.decode()
    first = plan.data_notes[0]
    assert first["where"] in html and first["note"][:40] in html
    assert first["note_en"][:40] not in html
    main = html[html.index("<main") : html.index("</main>")]
    assert ' lang="en"' not in main
    assert "general.typos" not in html and "null" not in html and "SPEC" not in html
    assert "Erratas del documento" in html
    assert "«tráfico ilícito para migrantes»" in html


def test_the_notes_page_marks_spanish_quotations_on_the_english_site(client, plan):
    html = get(client, "plans:notes", [plan.code], language="en").content.decode()
    assert "Typos in the document" in html
    assert '<span lang="es">tráfico ilícito para migrantes</span>' in html
    assert "[[es:" not in html


def test_item_notes_are_stored_in_both_languages(plan):
    result = Result.objects.get(objective__axis__plan=plan, code="2.3")
    assert result.note.startswith("El documento rotula") and result.note_en
    activity = Activity.objects.filter(code="3.1.1-1").first()
    assert activity.note and activity.note_en
    instrument = Instrument.objects.get(code="icrmw")
    assert "ninguna línea en blanco" in instrument.note
    assert "no blank line" in instrument.note_en


def test_the_legal_framework_says_why_a_row_stays_unassigned(client, plan):
    html = get_framework(client, "es")
    row = html[html.index('id="icrmw"') :]
    row = row[: row.index("</tr>")]
    assert "Nota sobre los datos" in row
    assert "ninguna línea en blanco" in row
    english = get_framework(client, "en")
    row = english[english.index('id="icrmw"') :]
    assert "no blank line" in row[: row.index("</tr>")]


def get_framework(client, language):
    return client.get(f"/{language}/legal/instruments/").content.decode()


def test_a_note_that_is_not_bilingual_is_refused(tmp_path):
    path = tmp_path / "plan.yaml"
    text = MINI_PLAN.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            '{es: "Inventado para las pruebas.", en: "Invented for tests."}',
            '"Invented for tests."',
        ),
        encoding="utf-8",
    )
    with pytest.raises(PlanFileError) as error:
        read_plan_file(path)
    assert error.value.problems == ["notes[1].note: expected {es: ..., en: ...}"]
