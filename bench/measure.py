"""Measure on the database of DATABASE_URL (one backend, one process).

    DATABASE_URL=sqlite:////tmp/b.sqlite3 python -m bench.measure --backend sqlite

migrates and seeds that database (unless --no-seed), then runs every
measurement of bench/measurements/ and prints one BENCH line per result, or
one SKIP line per measurement that cannot run. `python -m bench` runs this
once per backend on a temporary database.
"""

import argparse
import importlib
import os
import pkgutil
import sys
import warnings
from io import StringIO


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure", description=__doc__)
    parser.add_argument("--backend", required=True, help="Label of the lines (sqlite, …).")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-seed", action="store_true", help="Measure the database as it is.")
    parser.add_argument("--only", nargs="*", default=None, help="Names of measurements to run.")
    parser.add_argument("--exclude", nargs="*", default=(), help="Names of measurements to skip.")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalicion.settings")
    # Whitenoise warns when static files were not collected: irrelevant here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    import bench
    import bench.measurements
    from coalicion.monitoring.management.commands.seed_synthetic import real_plan

    if not args.no_seed:
        call_command("migrate", interactive=False, verbosity=0)
        out = StringIO()
        call_command("seed_synthetic", years=args.years, scale=args.scale, stdout=out)
        print(f"# {out.getvalue().strip()}", flush=True)

    for module in pkgutil.iter_modules(bench.measurements.__path__):
        importlib.import_module(f"bench.measurements.{module.name}")
    # Measured as a server process is once started (coalicion/wsgi.py).
    from coalicion.core.heap import settle_after_start

    settle_after_start()

    context = bench.Context(
        backend=args.backend,
        runs=args.runs,
        plan=real_plan(),
        as_of=timezone.localdate(),
        scale=args.scale,
    )
    for name, func in bench.MEASUREMENTS.items():
        if (args.only and name not in args.only) or name in args.exclude:
            continue
        try:
            results = func(context)
        except bench.Skip as skip:
            print(f"SKIP {name} {args.backend} {skip}", flush=True)
            continue
        for result in results:
            print(result.line(args.backend, scale=args.scale), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
