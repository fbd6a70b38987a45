"""`manage.py healthcheck`: the /healthz checks from the command line (docker-compose's health check)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parplan.health import run_checks


class Command(BaseCommand):
    help = "Check the database, Redis and the worker heartbeat; exit 1 when one fails."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--only", action="append", choices=["database", "redis", "worker"], help="Run only these checks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checks = run_checks(options["only"])
        for check in checks:
            self.stdout.write(f"{check.name}: {'ok' if check.ok else 'FAILING'} ({check.detail})")
        failing = [check.name for check in checks if not check.ok]
        if failing:
            raise CommandError(f"failing: {', '.join(failing)}")
