#!/usr/bin/env python3
"""List which app of Coalición imports which (STYLE rule 11, ADR 0011).

Usage (from anywhere):

    python3 scripts/app_imports.py          # the app → app imports, then any cycle
    python3 scripts/app_imports.py --files  # with the importing files

An app is a folder of `coalicion/`; every `import coalicion.<app>…` and
`from coalicion.<app>… import …` counts, at the top of a module or inside a
function. Migrations are left out (Django writes them); tests are listed
apart, since a test may use any app to set up its data. Exits with status 1
when the apps' code (tests aside) depends on itself in a circle.

Standard library only (Python 3.11+); `coalicion/composition/tests/test_layers.py`
runs the same checks in the test suite.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "coalicion"

Edges = dict[tuple[str, str], list[str]]

# Imports that point up, kept on purpose for a while, with the reason. They
# are listed but left out of the cycle check.
TOLERATED = {
    ("plans", "composition"): (
        "coalicion.plans.actions.load_plan and coalicion.plans.planfile.read_plan_file "
        "delegate to the composition's loader for coalicion.monitoring (seed_synthetic), "
        "which another change is restructuring; remove them once it imports the loader "
        "from coalicion.composition.planfile"
    ),
}


def apps(package: Path = PACKAGE) -> list[str]:
    return sorted(p.name for p in package.iterdir() if (p / "__init__.py").exists())


def imported_modules(path: Path) -> list[str]:
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.append(node.module)
            modules.extend(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            modules.extend(alias.name for alias in node.names)
    return modules


def app_imports(package: Path = PACKAGE, *, tests: bool = False) -> Edges:
    """{(app, imported app): [files]}: the apps' code, or only their tests."""
    known = set(apps(package))
    edges: Edges = defaultdict(list)
    for app in sorted(known):
        for path in sorted((package / app).rglob("*.py")):
            parts = path.relative_to(package / app).parts
            if "migrations" in parts or ("tests" in parts) != tests:
                continue
            for module in imported_modules(path):
                names = module.split(".")
                if len(names) > 1 and names[0] == "coalicion" and names[1] in known:
                    other = names[1]
                    where = str(path.relative_to(package.parent))
                    if other != app and where not in edges[(app, other)]:
                        edges[(app, other)].append(where)
    return dict(edges)


def cycles(edges) -> list[list[str]]:
    """Every group of apps that import each other in a circle (strongly
    connected components of more than one app), each sorted."""
    graph: dict[str, set[str]] = defaultdict(set)
    for app, other in edges:
        graph[app].add(other)
        graph.setdefault(other, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(app: str) -> None:  # Tarjan's algorithm
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in sorted(graph[app]):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return sorted(found)


def main(argv: list[str]) -> int:
    with_files = "--files" in argv
    for title, edges in (("apps", app_imports()), ("tests", app_imports(tests=True))):
        print(f"# {title}")
        importers = sorted({app for app, _ in edges})
        for app in importers:
            targets = sorted(other for source, other in edges if source == app)
            print(f"{app} -> {', '.join(targets)}")
            if with_files:
                for other in targets:
                    for where in edges[(app, other)]:
                        print(f"    {other}: {where}")
    for (app, other), reason in TOLERATED.items():
        print(f"tolerated: {app} -> {other}: {reason}")
    found = cycles(edge for edge in app_imports() if edge not in TOLERATED)
    for group in found:
        print(f"cycle: {' <-> '.join(group)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
