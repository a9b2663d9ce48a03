"""`make audit`: pip-audit's verdict is never a silent pass (ADR 0063)."""

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

NOT_FOUND = "Dependency not found on PyPI and could not be audited: {} (1.0)"


def test_a_known_vulnerability_fails_and_names_the_fix():
    status, lines = audit.summarize(
        [
            {
                "name": "django",
                "version": "4.2.0",
                "vulns": [{"id": "PYSEC-2023-100", "fix_versions": ["4.2.2"]}],
            },
            {"name": "pyyaml", "version": "6.0.3", "vulns": []},
        ]
    )
    assert status == 1
    assert "django 4.2.0: PYSEC-2023-100 (fixed in 4.2.2)" in lines
    assert "known vulnerabilities in 1 pinned packages" in lines[-1]


def test_an_unreachable_advisory_database_is_said_and_does_not_fail():
    status, lines = audit.summarize(
        [{"name": n, "skip_reason": NOT_FOUND.format(n)} for n in ("django", "pyyaml")]
    )
    assert status == 0
    assert lines[0].startswith("pip-audit: advisory database unreachable, dependencies NOT checked")


def test_a_clean_audit_names_the_packages_it_could_not_check():
    status, lines = audit.summarize(
        [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "private-pkg", "skip_reason": NOT_FOUND.format("private-pkg")},
        ]
    )
    assert status == 0
    assert "no known vulnerabilities in 1 pinned packages" in lines[0]
    assert lines[1].endswith("NOT checked (not found in the advisory database): private-pkg")
