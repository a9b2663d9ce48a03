from django.conf import settings
from django.contrib.staticfiles.management.commands.collectstatic import (
    Command as CollectStatic,
)
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor

from coalicion.composition.planfile import load_plan, read_plan_file
from coalicion.core import figures
from coalicion.core.planfile import PlanFileError
from coalicion.plans.models import Plan


class Command(BaseCommand):
    help = (
        "Bring this installation up to date in one step, safe to run again: "
        "apply migrations, create the cache table, load the Coalition's plan if "
        "it is missing, collect the static files. Says what it did."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--create-database",
            action="store_true",
            help="PostgreSQL: create the database named in DATABASE_URL if it does not exist.",
        )
        parser.add_argument(
            "--no-static", action="store_true", help="Leave the static files alone."
        )

    def handle(self, *args, create_database=False, no_static=False, **options):
        self.changed = 0
        if create_database:
            self.create_database()
        self.migrate()
        self.create_cache_table()
        self.ensure_plan()
        self.forget_figures()
        if not no_static:
            self.collect_static()
        if self.changed:
            self.stdout.write(self.style.SUCCESS("Deployed."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing to do: everything was already in place."))

    def report(self, what: str, *, changed: bool) -> None:
        self.changed += changed
        self.stdout.write(f"  {what}")

    def forget_figures(self) -> None:
        # A new release may compute its figures differently: none computed
        # by the previous one is served again (ADR 0055).
        namespaces = figures.forget_all()
        self.report(
            f"computed figures: recomputed on first use ({', '.join(namespaces)})", changed=False
        )

    def create_database(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        name = connection.settings_dict["NAME"]
        if connection.vendor != "postgresql":
            self.report(f"database: {connection.vendor}, nothing to create", changed=False)
            return
        try:
            connection.ensure_connection()
        except OperationalError as unreachable:
            # The server's maintenance database, with the same credentials.
            with connection._nodb_cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone():
                    raise CommandError(
                        f"The database {name} exists but cannot be reached: {unreachable}"
                    ) from None
                cursor.execute("CREATE DATABASE " + connection.ops.quote_name(name))
            self.report(f"database {name}: created", changed=True)
        else:
            self.report(f"database {name}: exists", changed=False)

    def migrate(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not pending:
            self.report("migrations: none to apply", changed=False)
            return
        call_command("migrate", interactive=False, verbosity=0)
        self.report(f"migrations: {len(pending)} applied", changed=True)

    def create_cache_table(self) -> None:
        tables = [
            cache["LOCATION"]
            for cache in settings.CACHES.values()
            if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        ]
        if not tables:
            self.report("cache table: not needed by this cache", changed=False)
            return
        existing = set(connections[DEFAULT_DB_ALIAS].introspection.table_names())
        missing = [table for table in tables if table not in existing]
        if not missing:
            self.report(f"cache table {', '.join(tables)}: exists", changed=False)
            return
        call_command("createcachetable", verbosity=0)
        self.report(f"cache table {', '.join(missing)}: created", changed=True)

    def ensure_plan(self) -> None:
        path = settings.COALICION_PLAN_FILE
        try:
            code = read_plan_file(path)["plan"]["code"]
            if Plan.objects.filter(code=code).exists():
                self.report(
                    f"plan {code}: already loaded (`manage.py load_plan` re-applies {path})",
                    changed=False,
                )
                return
            load_plan(path=path)
        except PlanFileError as exc:
            raise CommandError(f"The plan was not loaded.\n{exc}") from None
        self.report(f"plan {code}: loaded from {path}", changed=True)

    def collect_static(self) -> None:
        collector = CollectStatic(stdout=self.stdout, stderr=self.stderr)
        collector.set_options(
            interactive=False,
            verbosity=0,
            link=False,
            clear=False,
            dry_run=False,
            ignore_patterns=[],
            use_default_ignore_patterns=True,
            post_process=True,
        )
        collected = collector.collect()
        copied = len(collected["modified"])
        unchanged = len(collected["unmodified"])
        self.report(
            f"static files: {copied} copied, {unchanged} unchanged ({settings.STATIC_ROOT})",
            changed=bool(copied),
        )
