"""PDF documents compiled with Typst (the `typst` wheel: no system libraries, no network).

Templates live in ``coalicion/templates/typst/`` and start from ``_base.typ``. The data reach
the template as JSON through Typst's ``sys.inputs``: user text is inserted as content and never
parsed as markup, so nothing has to be escaped. Only the fonts shipped in
``coalicion/templates/typst/fonts/`` and those embedded in Typst are used, never the system's,
and ``_base.typ`` writes no creation date: the same template and data give the same bytes on
every machine.
"""

import json
import logging
from pathlib import Path
from typing import Any

import typst
from django.core.serializers.json import DjangoJSONEncoder

logger = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates" / "typst"
FONTS_DIR = TEMPLATES_DIR / "fonts"


class PdfError(Exception):
    """A PDF could not be produced; the message is Typst's (or names the missing template)."""


def render_pdf(*, template: str, data: dict[str, Any], root: Path | None = None) -> bytes:
    """Compile ``template`` (a path relative to ``root``) with ``data`` and return the PDF.

    ``data`` must be JSON-serialisable; dates, datetimes, decimals and lazy translations are
    converted by Django's JSON encoder (dates as ISO strings). The template reads it as
    ``data`` from ``_base.typ``. ``root`` defaults to the templates folder; Typst reads no
    file outside it. Typst's warnings are logged.
    """
    root_dir = (root or TEMPLATES_DIR).resolve()
    source = (root_dir / template).resolve()
    if not source.is_relative_to(root_dir) or not source.is_file():
        raise PdfError(f"No Typst template {template!r} in {root_dir}")
    inputs = {"data": json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)}
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(source),
            root=str(root_dir),
            font_paths=[str(FONTS_DIR)],
            ignore_system_fonts=True,
            sys_inputs=inputs,
            format="pdf",
        )
    except typst.TypstError as exc:
        raise PdfError(_describe(exc, template)) from exc
    for warning in warnings:
        logger.warning("Typst warning: %s", _describe(warning, template))
    return pdf


def _describe(diagnostic: typst.TypstError | typst.TypstWarning, template: str) -> str:
    # `diagnostic` is Typst's full report: message, file, line, the source and hints.
    text = getattr(diagnostic, "diagnostic", "") or getattr(diagnostic, "message", "")
    return f"{template}: {(text or str(diagnostic)).strip()}"
