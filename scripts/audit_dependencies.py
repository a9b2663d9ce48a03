"""`make audit` (part of `make test`): pip-audit against the lock.

constraints.txt pins every installed Python package, transitive ones
included; it is audited as it is (no resolution, no install). The outcome is
one of three, said in one line (ADR 0063):

- known vulnerabilities: listed, and the command fails;
- the advisory database could not be reached (offline, a timeout, or every
  package "not found" because the JSON API is not served): "dependencies NOT
  checked", and the command does not fail, so that CI is not at the mercy of
  the network, but it is never a silent pass;
- otherwise "no known vulnerabilities", naming any package that could not be
  checked.
"""

import json
import os
import subprocess  # nosec B404
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = os.environ.get("AUDIT_LOCK", str(ROOT / "constraints.txt"))
TIMEOUT = int(os.environ.get("AUDIT_TIMEOUT", "180"))
UNREACHABLE = "pip-audit: advisory database unreachable, dependencies NOT checked"


def main() -> int:
    command = [
        str(ROOT / ".venv" / "bin" / "pip-audit"),
        *("--requirement", LOCK),
        *("--no-deps", "--disable-pip", "--progress-spinner", "off"),
        *("--timeout", "20", "--format", "json"),
    ]
    try:
        result = subprocess.run(  # noqa: S603  # nosec B603
            command, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        print(f"{UNREACHABLE} (no answer in {TIMEOUT} s)")
        return 0
    try:
        dependencies = json.loads(result.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"{UNREACHABLE} ({reason[:300]})")
        return 0
    status, lines = summarize(dependencies)
    print("\n".join(lines))
    return status


def summarize(dependencies: list[dict]) -> tuple[int, list[str]]:
    """The exit status and the lines to print for pip-audit's JSON list."""
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    if vulnerable:
        lines = []
        for dependency in vulnerable:
            for vuln in dependency["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                lines.append(
                    f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})"
                )
        lines.append(
            f"pip-audit: known vulnerabilities in {len(vulnerable)} pinned packages (above)."
        )
        return 1, lines
    if not dependencies or len(skipped) == len(dependencies):
        reason = skipped[0]["skip_reason"] if skipped else "no package audited"
        return 0, [f"{UNREACHABLE} ({reason})"]
    checked = len(dependencies) - len(skipped)
    lines = [f"pip-audit: no known vulnerabilities in {checked} pinned packages ({LOCK})."]
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        lines.append(f"pip-audit: NOT checked (not found in the advisory database): {names}")
    return 0, lines


if __name__ == "__main__":
    sys.exit(main())
