"""How every HTTP process is started: one set of uvicorn options for every role.

Each role's app factory reads its own settings in the worker; the command reads them first
too, so that a missing or malformed variable stops it in one line, before uvicorn starts.
"""

import argparse
import sys
from collections.abc import Sequence

from ingest_service.settings import RoleSettings, SettingsError


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=whole_number, default=1, help="worker processes")


def serve(factory: str, args: argparse.Namespace) -> None:
    """Runs the app that `factory` ("module:function") builds, in each worker."""
    import uvicorn

    uvicorn.run(
        factory,
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_level="warning",
    )


def role_main(
    role: str, factory: str, settings: type[RoleSettings], argv: Sequence[str] | None
) -> int:
    """The command line of a process that serves one role alone."""
    parser = argparse.ArgumentParser(prog=f"python -m {role}", description=f"Serve {role} alone.")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    try:
        settings.from_env()
    except SettingsError as exc:
        print(f"{role}: configuration error: {exc}", file=sys.stderr)
        return 2
    serve(factory, args)
    return 0


def whole_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)
