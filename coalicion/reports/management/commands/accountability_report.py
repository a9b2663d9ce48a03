"""python manage.py accountability_report --term <id or years> --lang es
--as-of YYYY-MM-DD --out file.pdf [--xlsx file.xlsx] [--archive]
[--end-of-term presidency|secretariat]

The biennial accountability report (SPEC §4) from the command line, with its
progress on the terminal; the same files as the web page's. With
--end-of-term, the end-of-term report of the Presidency or the Secretariat
instead (its term by --term, or the latest one begun by the data date)."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coalicion.membership.models import Organ
from coalicion.plans.models import Plan
from coalicion.plans.selectors import current_plan
from coalicion.reports import generation, selectors
from coalicion.reports.assembly import term_period
from coalicion.reports.models import IssuedReport, sha256


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"{raw!r} is not a date: write it as YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = "Generate the accountability report of a Secretariat term or date range (PDF, XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--term", help="A Secretariat term (its id) or years: 2018-2019.")
        parser.add_argument("--from", dest="start", help="First day of a date range (YYYY-MM-DD).")
        parser.add_argument("--to", dest="end", help="Last day of a date range (YYYY-MM-DD).")
        parser.add_argument("--lang", default="es", choices=["es", "en"])
        parser.add_argument("--as-of", dest="as_of", help="Date of the data (default: today).")
        parser.add_argument("--out", help="Where to write the PDF.")
        parser.add_argument("--xlsx", help="Where to write the tables as XLSX.")
        parser.add_argument("--plan", help="The plan's code (default: the current plan).")
        parser.add_argument(
            "--archive", action="store_true", help="Keep the report in the archive too."
        )
        parser.add_argument(
            "--end-of-term",
            dest="end_of_term",
            choices=[Organ.Code.PRESIDENCY, Organ.Code.SECRETARIAT],
            help="The end-of-term report of this organ instead (--term: its term's id or years; "
            "default: its latest term).",
        )
        parser.add_argument("--list-terms", action="store_true", help="List the terms and stop.")

    def handle(self, *args, **options):
        if options["list_terms"]:
            if options["end_of_term"]:
                for term in selectors.organ_terms():
                    self.stdout.write(f"{term.pk}\t{selectors.organ_term_label(term)}")
                return
            for term in selectors.secretariat_terms():
                self.stdout.write(f"{term.pk}\t{selectors.term_label(term)}")
            return
        if not options["out"]:
            raise CommandError("Give --out: where to write the PDF.")
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        if as_of > timezone.localdate():
            raise CommandError("The date of the data cannot be in the future.")
        period = self._period(options, as_of)
        plan = self._plan(options["plan"])
        started = time.monotonic()

        def step(text: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:5.1f} s] {text}")

        build = generation.build_term if options["end_of_term"] else generation.build
        pdf, xlsx, _data = build(
            plan=plan,
            **({"term": period.term} if options["end_of_term"] else {"period": period}),
            as_of=as_of,
            lang=options["lang"],
            xlsx=bool(options["xlsx"] or options["archive"]),
            steps=step,
        )
        Path(options["out"]).write_bytes(pdf)
        step(f"PDF: {options['out']} ({len(pdf):,} bytes, SHA-256 {sha256(pdf)})")
        if options["xlsx"]:
            Path(options["xlsx"]).write_bytes(xlsx)
            step(f"XLSX: {options['xlsx']} ({len(xlsx):,} bytes, SHA-256 {sha256(xlsx)})")
        if options["archive"]:
            report = IssuedReport.objects.create(
                kind=(
                    IssuedReport.Kind.TERM
                    if options["end_of_term"]
                    else IssuedReport.Kind.ACCOUNTABILITY
                ),
                plan=plan,
                term=period.term,
                start=period.start,
                end=period.end,
                as_of=as_of,
                language=options["lang"],
                parameters={"command": True, "term": options["term"] or ""},
                status=IssuedReport.Status.DONE,
                finished_at=timezone.now(),
                pdf=pdf,
                pdf_sha256=sha256(pdf),
                xlsx=xlsx,
                xlsx_sha256=sha256(xlsx),
            )
            step(f"Archived as report {report.pk}.")
        self.stdout.write(self.style.SUCCESS("Done."))

    def _period(self, options, as_of):
        if options["end_of_term"]:
            try:
                term = selectors.find_organ_term(
                    options["end_of_term"], options["term"] or "", as_of=as_of
                )
            except selectors.PeriodError as exc:
                raise CommandError(str(exc)) from exc
            return term_period(term, as_of=as_of)
        if options["term"]:
            try:
                return selectors.find_period(options["term"], as_of=as_of)
            except selectors.PeriodError as exc:
                raise CommandError(str(exc)) from exc
        if options["start"] and options["end"]:
            start, end = _date(options["start"]), _date(options["end"])
            if end < start:
                raise CommandError("--to comes before --from.")
            return selectors.date_range(start, end)
        raise CommandError("Give --term (a term's id or years) or --from and --to.")

    def _plan(self, code):
        if code:
            plan = Plan.objects.filter(code=code).first()
            if plan is None:
                raise CommandError(f"There is no plan {code!r}.")
            return plan
        plan = current_plan()
        if plan is None:
            raise CommandError("No plan is loaded.")
        return plan
