"""The `clickstream` command. Each subcommand reads the settings once and fails in one line."""

import argparse
import itertools
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from ingest_service.serving import add_server_arguments, serve, whole_number
from ingest_service.settings import (
    DataSettings,
    LakeSettings,
    RoleSettings,
    ServeSettings,
    SettingsError,
    StoreSettings,
)
from ingest_service.store import StoreUnavailable, open_store

# Each subcommand reads the settings of what it touches, and only those.
Command = Callable[[argparse.Namespace, Any], int]
_GENERATE_CHUNK = 20_000


def _serve(args: argparse.Namespace, settings: ServeSettings) -> int:
    return serve("orchestration.server:app_from_env", args, settings)


def _generate(args: argparse.Namespace, settings: StoreSettings) -> int:
    from ingest_service.synthetic import clicks_on, synthetic_clicks
    from orchestration.progress import progress

    store = open_store(settings)
    store.setup()
    clicks = synthetic_clicks(
        args.start, args.days, args.clicks_per_day, seed=args.seed, weekly=True
    )
    days = (args.start + timedelta(days=offset) for offset in range(args.days))
    total = sum(clicks_on(day, args.clicks_per_day, weekly=True) for day in days)
    stored = 0
    with progress("generate", total) as bar:
        while chunk := list(itertools.islice(clicks, _GENERATE_CHUNK)):
            stored += sum(store.write(chunk))
            bar.advance(len(chunk))
    store.close()
    print(f"stored {stored:,} clicks over {args.days} day(s) from {args.start}")
    return 0


def _setup(args: argparse.Namespace, settings: DataSettings) -> int:
    from ingest_service.contract import CLICK_SCHEMA
    from orchestration.resources import lake_access
    from orchestration.resources.lake import CLICKS_TABLE

    store = open_store(settings)
    store.setup()
    store.close()
    print(f"click store ready ({settings.env})")
    # The catalog's clicks table (Glue's in aws mode), so SQL works before the first export.
    access = lake_access(settings)
    lake, catalog = access.lake, access.catalog
    catalog.ensure_table(CLICKS_TABLE, CLICK_SCHEMA, lake.table_uri(CLICKS_TABLE))
    print(f"catalog table {CLICKS_TABLE} ready at {lake.table_uri(CLICKS_TABLE)}")
    return 0


def _erase(args: argparse.Namespace, settings: DataSettings) -> int:
    from orchestration.erase import VisitorIds, describe, erase_visitor
    from orchestration.funnels import FunnelConfigError

    if args.anonymous_id is None and args.session_id is None:
        print("clickstream erase: give --anonymous-id or --session-id", file=sys.stderr)
        return 2
    visitor = VisitorIds(anonymous_id=args.anonymous_id, session_id=args.session_id)
    try:
        erased = erase_visitor(settings, visitor)
    except FunnelConfigError as exc:
        print(f"clickstream erase: nothing erased: {exc}", file=sys.stderr)
        return 1
    print(describe(*erased))
    return 0


def _query(args: argparse.Namespace, settings: LakeSettings) -> int:
    from orchestration.query_output import QueryFailed, run_query, write_result

    try:
        table = run_query(settings, args.sql)
    except QueryFailed as exc:
        print(f"clickstream: query failed: {exc}", file=sys.stderr)
        return 1
    write_result(table, args.format)
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clickstream",
        description="Clickstream analytics: click intake, daily lake pipeline, dashboards.",
        epilog="Configuration comes from CLICKSTREAM_* environment variables (see README).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve", help="run the intake and the dashboard (HTTP API and web app)"
    )
    add_server_arguments(serve)
    serve.set_defaults(handler=_serve, settings=ServeSettings)

    generate = commands.add_parser(
        "generate", help="fill the store with synthetic journeys (page views and clicks)"
    )
    generate.add_argument("--start", type=_day, required=True, help="first day, YYYY-MM-DD")
    generate.add_argument("--days", type=whole_number, default=1, help="number of days")
    generate.add_argument(
        "--clicks-per-day",
        type=whole_number,
        default=1000,
        help="events (page views and clicks) on an average day; weekdays get more",
    )
    generate.add_argument("--seed", type=int, default=0, help="random seed (same seed, same data)")
    generate.set_defaults(handler=_generate, settings=StoreSettings)

    query = commands.add_parser("query", help="run SQL on the lake's tables (DuckDB locally)")
    query.add_argument("sql", help='a statement, e.g. "SELECT count(*) FROM clicks"')
    query.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help="output format"
    )
    query.set_defaults(handler=_query, settings=LakeSettings)

    setup = commands.add_parser("setup", help="create what the configured mode needs; idempotent")
    setup.set_defaults(handler=_setup, settings=DataSettings)

    erase = commands.add_parser(
        "erase",
        help="remove a visitor from the store, the lake, its summaries and cached figures;"
        " idempotent",
    )
    erase.add_argument("--anonymous-id", metavar="ID", help="the tracker's anonymous visitor id")
    erase.add_argument("--session-id", metavar="ID", help="a session id")
    erase.set_defaults(handler=_erase, settings=DataSettings)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        role: type[RoleSettings] = args.settings
        settings = role.from_env()
        handler: Command = args.handler
        return handler(args, settings)
    except SettingsError as exc:
        print(f"clickstream: configuration error: {exc}", file=sys.stderr)
        return 2
    except StoreUnavailable as exc:
        print(f"clickstream: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
