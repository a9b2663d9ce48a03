"""The Spanish catalogues say one thing one way (docs/glossary.md).

Every Spanish catalogue (the root's and each app's) is read as text: no
entry is fuzzy or untranslated, the placeholders of each translation are
those of its msgid, no translation uses a term the glossary bans ("never
…"), and the same msgid is not translated two ways in two catalogues (the
root catalogue would silently win everywhere)."""

import ast
import re
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[1]
GLOSSARY = BASE / "docs" / "glossary.md"


def catalogues(language: str) -> list[Path]:
    root = BASE / "locale" / language / "LC_MESSAGES" / "django.po"
    apps = sorted((BASE / "coalicion").glob(f"*/locale/{language}/LC_MESSAGES/*.po"))
    return [root, *apps]


def entries(path: Path) -> list[dict]:
    """The entries of a .po file: flags, msgctxt, msgid, msgid_plural and
    msgstr (a list: one string, or one per plural form), with their line.
    Obsolete entries (#~) and the header are left out."""
    found = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines or all(line.startswith("#") for line in lines):
            continue
        entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                text = ast.literal_eval(line)
                if isinstance(key, int):
                    entry["msgstr"][key] += text
                else:
                    entry[key] += text
            else:
                keyword, _, quoted = line.partition(" ")
                plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
                key = int(plural.group(1)) if plural else keyword
                if keyword == "msgstr":
                    key = 0
                if isinstance(key, int):
                    entry["msgstr"][key] = ast.literal_eval(quoted)
                else:
                    entry[key] = ast.literal_eval(quoted)
        if entry.get("msgid"):
            entry["msgstr"] = [entry["msgstr"][index] for index in sorted(entry["msgstr"])]
            entry["where"] = f"{path.relative_to(BASE)}: {entry['msgid'][:60]!r}"
            found.append(entry)
    return found


PLACEHOLDER = re.compile(r"%\([^)]+\)[-+ #0-9.]*[sdifr]|%[sdif]|\{[A-Za-z_][A-Za-z_0-9]*\}")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def banned_terms() -> list[str]:
    """The words the glossary forbids: every quoted term after "never"."""
    terms = []
    for clause in re.findall(r"never ((?:\"[^\"]+\"(?:, | or )?)+)", GLOSSARY.read_text()):
        terms += re.findall(r"\"([^\"]+)\"", clause)
    return terms


# Style rules of the glossary that are not single terms.
STYLE = {
    "«": "quotation marks are “…”, not «…»",
    "»": "quotation marks are “…”, not «…»",
    "p. ej.": 'write "por ejemplo", not "p. ej."',
}
SECRETARIAT = re.compile(r"\bSecretaría\b(?! Técnica)")


def problems_of(entry: dict, bans: list[str]) -> list[str]:
    problems = []
    if "fuzzy" in entry["flags"]:
        problems.append("fuzzy")
    sources = [entry["msgid"]] + (
        [entry["msgid_plural"]] * (len(entry["msgstr"]) - 1) if entry["msgid_plural"] else []
    )
    for source, translation in zip(sources, entry["msgstr"], strict=True):
        if not translation.strip():
            problems.append("untranslated")
            continue
        if placeholders(translation) != placeholders(source):
            problems.append(f"placeholders {placeholders(translation)} ≠ {placeholders(source)}")
        words = PLACEHOLDER.sub(" ", translation)
        for term in bans:
            if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", words, re.IGNORECASE):
                problems.append(f"the glossary bans “{term}”: {translation!r}")
        problems += [rule for mark, rule in STYLE.items() if mark in translation]
        if SECRETARIAT.search(translation):
            problems.append(f"the Secretariat is the “Secretaría Técnica”: {translation!r}")
    return problems


def test_the_glossary_bans_the_terms_it_names():
    bans = banned_terms()
    assert {"doble factor", "verificación en dos pasos", "MFA", "completitud", "hash"} <= set(bans)


@pytest.mark.parametrize("path", catalogues("es"), ids=lambda p: str(p.relative_to(BASE)))
def test_every_spanish_entry_is_translated_with_the_glossarys_words(path):
    bans = banned_terms()
    problems = [
        f"{entry['where']}: {problem}"
        for entry in entries(path)
        for problem in problems_of(entry, bans)
    ]
    assert not problems, "\n".join(problems)


def test_the_check_finds_what_it_should():
    """A catalogue entry with each kind of mistake is caught."""
    bans = banned_terms()
    good = {"flags": set(), "msgid": "Hello %(name)s", "msgid_plural": None}
    assert problems_of({**good, "msgstr": ["Hola, %(name)s"]}, bans) == []
    assert problems_of({**good, "msgstr": ["Hola, %(nombre)s"]}, bans)
    assert problems_of({**good, "msgstr": [""]}, bans) == ["untranslated"]
    assert problems_of({**good, "flags": {"fuzzy"}, "msgstr": ["Hola, %(name)s"]}, bans)
    assert problems_of({**good, "msgstr": ["Active el MFA, %(name)s"]}, bans)
    assert problems_of({**good, "msgstr": ["La Completitud de %(name)s"]}, bans)
    assert problems_of({**good, "msgstr": ["La huella de %(name)s"]}, bans) == []
    assert problems_of({**good, "msgstr": ["El hash de %(name)s"]}, bans)
    assert problems_of({**good, "msgstr": ["«%(name)s» de la Secretaría"]}, bans)
    plural = {**good, "msgid_plural": "Hello %(counter)s people"}
    assert problems_of({**plural, "msgstr": ["Hola, %(name)s", "Hola, %(counter)s"]}, bans) == []
    assert problems_of({**plural, "msgstr": ["Hola, %(name)s", "Hola a todos"]}, bans)


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_catalogue_contradicts_another(language):
    """Django looks a msgid up in the root catalogue before the apps': an
    app's different translation of the same msgid is never shown. One English
    word that needs two translations needs a context (pgettext)."""
    seen: dict[tuple, tuple] = {}
    clashes = []
    for path in catalogues(language):
        for entry in entries(path):
            if "fuzzy" in entry["flags"] or not any(entry["msgstr"]):
                continue
            key = (entry["msgctxt"], entry["msgid"])
            translation = (tuple(entry["msgstr"]), entry["where"])
            if key in seen and seen[key][0] != translation[0]:
                clashes.append(f"{seen[key][1]} {seen[key][0]} ≠ {translation[1]} {translation[0]}")
            seen.setdefault(key, translation)
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize("path", catalogues("en"), ids=lambda p: str(p.relative_to(BASE)))
def test_no_english_entry_is_fuzzy_or_changes_placeholders(path):
    problems = []
    for entry in entries(path):
        if "fuzzy" in entry["flags"]:
            problems.append(f"{entry['where']}: fuzzy")
        sources = [entry["msgid"]] + [entry["msgid_plural"] or entry["msgid"]] * 5
        for source, translation in zip(sources, entry["msgstr"], strict=False):
            if translation and placeholders(translation) != placeholders(source):
                problems.append(f"{entry['where']}: placeholders of {translation!r}")
    assert not problems, "\n".join(problems)
