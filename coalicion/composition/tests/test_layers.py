"""Layers point down (STYLE rule 11, ADR 0011): core imports no app, no app
imports the composition, and no apps import each other in a circle. The
checks are those of `scripts/app_imports.py`, which lists the imports."""

import importlib.util
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "app_imports.py"
_spec = importlib.util.spec_from_file_location("app_imports", SCRIPT)
app_imports = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(app_imports)


def test_core_imports_no_app_not_even_in_its_tests():
    found = {
        (source, other): files
        for (source, other), files in {
            **app_imports.app_imports(),
            **app_imports.app_imports(tests=True),
        }.items()
        if source == "core"
    }
    assert found == {}


def test_no_app_imports_the_composition():
    found = {
        (source, other): files
        for (source, other), files in app_imports.app_imports().items()
        if other == "composition" and (source, other) not in app_imports.TOLERATED
    }
    assert found == {}


def test_the_apps_do_not_import_each_other_in_a_circle():
    edges = [edge for edge in app_imports.app_imports() if edge not in app_imports.TOLERATED]
    assert app_imports.cycles(edges) == []


def test_a_circle_is_found_and_named():
    edges = [("plans", "legal"), ("legal", "membership"), ("membership", "plans"), ("a", "b")]
    assert app_imports.cycles(edges) == [["legal", "membership", "plans"]]


def test_an_import_inside_a_function_counts(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    for app in ("one", "two"):
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "one" / "views.py").write_text(
        "def view():\n    from coalicion.two.models import Thing\n    return Thing\n"
    )
    (tmp_path / "two" / "models.py").write_text("import coalicion.one\n")
    found = app_imports.app_imports(tmp_path)
    assert set(found) == {("one", "two"), ("two", "one")}
    assert app_imports.cycles(found) == [["one", "two"]]
