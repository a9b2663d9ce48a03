#!/usr/bin/env python3
"""Copy front-end vendor assets from node_modules into coalicion/static/vendor/.

Usage (from anywhere):

    npm ci --ignore-scripts
    python3 scripts/vendor_assets.py [--clean]

The project root is taken from this file's location (scripts/..). Every
source file is checked before anything is copied: if one is missing, or an
installed package's version differs from the exact pin in package.json, the
script exits with status 1 and names the problem. Otherwise it prints one line
per vendored file. Running it again gives the same result (files whose content
is already identical are left untouched). ``--clean`` first removes the whole
generated coalicion/static/vendor/ folder, dropping files no longer listed.

Standard library only (Python 3.11+).
"""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "coalicion" / "static" / "vendor"

# npm package -> (vendor sub-folder, [(source path inside the package, target file name)])
# Versions are checked against package-lock.json (so transitive packages such
# as vega-tooltip are covered too) and, for direct ones, package.json's pins.
# Source maps are copied where the minified file references one: Django's
# ManifestStaticFilesStorage (collectstatic) fails on a sourceMappingURL whose
# target is missing.
ASSETS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "htmx.org": (
        "htmx",
        [
            ("dist/htmx.min.js", "htmx.min.js"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "vega": (
        "vega",
        [
            ("build/vega.min.js", "vega.min.js"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "vega-lite": (
        "vega-lite",
        [
            ("build/vega-lite.min.js", "vega-lite.min.js"),
            ("build/vega-lite.min.js.map", "vega-lite.min.js.map"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    "vega-embed": (
        "vega-embed",
        [
            ("build/vega-embed.min.js", "vega-embed.min.js"),
            ("build/vega-embed.min.js.map", "vega-embed.min.js.map"),
            ("LICENSE", "LICENSE"),
        ],
    ),
    # vega-interpreter 2.x ships only an ES module (build/vega-interpreter.js,
    # importing the bare specifier 'vega-util'), no UMD build. vega-embed 7's
    # UMD bundle already contains the same vega-interpreter and uses it when
    # embedded with {ast: true}; only the licence is vendored for attribution.
    "vega-interpreter": (
        "vega-interpreter",
        [
            ("LICENSE", "LICENSE"),
        ],
    ),
    # vega-tooltip (exact dependency of vega-embed, bundled in it) injects its
    # default CSS as a <style> element, which style-src 'self' blocks. Its CSS
    # is therefore extracted into a static file (see TOOLTIP_CSS below); use it
    # with vegaEmbed option tooltip: {disableDefaultStyle: true}.
    "vega-tooltip": (
        "vega-tooltip",
        [
            ("LICENSE", "LICENSE"),
        ],
    ),
    "@picocss/pico": (
        "pico",
        [
            ("css/pico.min.css", "pico.min.css"),
            ("css/pico.classless.min.css", "pico.classless.min.css"),
            ("LICENSE.md", "LICENSE.md"),
        ],
    ),
    "axe-core": (
        "axe-core",
        [
            ("axe.min.js", "axe.min.js"),
            ("LICENSE", "LICENSE"),
            ("LICENSE-3RD-PARTY.txt", "LICENSE-3RD-PARTY.txt"),
        ],
    ),
    "world-atlas": (
        "world-atlas",
        [
            ("countries-50m.json", "countries-50m.json"),
            ("countries-110m.json", "countries-110m.json"),
            ("LICENSE", "LICENSE"),
        ],
    ),
}

# (package, TypeScript source holding `export default \`...css...\`;`, vendor sub-folder, target)
TOOLTIP_CSS = ("vega-tooltip", "src/style.ts", "vega-tooltip", "vega-tooltip.css")
CSS_IN_TS = re.compile(r"export default `([^`]*)`;")


def fail(message: str) -> None:
    print(f"vendor_assets: ERROR: {message}", file=sys.stderr)
    sys.exit(1)


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"cannot read {path}: {exc}")


def extract_css(ts_file: Path) -> str | None:
    match = CSS_IN_TS.search(ts_file.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def check() -> tuple[list[tuple[Path, Path]], tuple[Path, str]]:
    """Return the (source, target) pairs and the tooltip CSS (target, text).

    Exits 1 naming every problem found, before anything is written.
    """
    if not NODE_MODULES.is_dir():
        fail(f"{NODE_MODULES} not found: run `npm ci --ignore-scripts` in {ROOT} first")
    pins = read_json(ROOT / "package.json").get("dependencies", {})
    locked = read_json(ROOT / "package-lock.json").get("packages", {})
    problems: list[str] = []
    pairs: list[tuple[Path, Path]] = []
    for package, (folder, files) in ASSETS.items():
        pkg_dir = NODE_MODULES / package
        pkg_json = pkg_dir / "package.json"
        wanted = locked.get(f"node_modules/{package}", {}).get("version")
        if wanted is None:
            problems.append(f"{package} is not in package-lock.json")
        elif package in pins and pins[package] != wanted:
            problems.append(
                f"package.json pins {package} {pins[package]} but the lock has {wanted}"
            )
        if not pkg_json.is_file():
            problems.append(f"missing file {pkg_json} (package {package} not installed)")
        else:
            installed = json.loads(pkg_json.read_text(encoding="utf-8")).get("version")
            if wanted is not None and installed != wanted:
                problems.append(
                    f"{package} {installed} installed but package-lock.json has {wanted}: "
                    "run `npm ci --ignore-scripts`"
                )
        for src_rel, dest_name in files:
            src = pkg_dir / src_rel
            if not src.is_file():
                problems.append(f"missing file {src}")
            pairs.append((src, VENDOR / folder / dest_name))
    package, src_rel, folder, dest_name = TOOLTIP_CSS
    ts_file = NODE_MODULES / package / src_rel
    css = None
    if not ts_file.is_file():
        problems.append(f"missing file {ts_file}")
    else:
        css = extract_css(ts_file)
        if css is None or "#vg-tooltip-element" not in css:
            problems.append(f"no `export default `...`;` tooltip CSS found in {ts_file}")
    if problems:
        fail("\n  " + "\n  ".join(problems))
    return pairs, (VENDOR / folder / dest_name, css)


def main(argv: list[str]) -> int:
    unknown = [a for a in argv if a != "--clean"]
    if unknown:
        fail(f"unknown argument(s) {' '.join(unknown)}; usage: vendor_assets.py [--clean]")
    pairs, (css_dest, css) = check()
    if "--clean" in argv and VENDOR.exists():
        shutil.rmtree(VENDOR)
        print(f"removed {VENDOR.relative_to(ROOT)}/")
    for src, dest in pairs:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_file() and filecmp.cmp(src, dest, shallow=False):
            status = "unchanged"
        else:
            shutil.copyfile(src, dest)
            status = "copied   "
        print(f"{status} {src.relative_to(ROOT)} -> {dest.relative_to(ROOT)}")
    package, src_rel, _, _ = TOOLTIP_CSS
    header = f"/* Extracted from {package}/{src_rel} by scripts/vendor_assets.py */\n"
    text = header + css
    if css_dest.is_file() and css_dest.read_text(encoding="utf-8") == text:
        status = "unchanged"
    else:
        css_dest.parent.mkdir(parents=True, exist_ok=True)
        css_dest.write_text(text, encoding="utf-8")
        status = "extracted"
    print(f"{status} node_modules/{package}/{src_rel} -> {css_dest.relative_to(ROOT)}")
    print(f"vendor_assets: {len(pairs) + 1} files in {VENDOR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
