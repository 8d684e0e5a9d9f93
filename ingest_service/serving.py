"""How every HTTP process is started: one uvicorn configuration for every role.

Each role's app factory reads its own settings in the worker; the command reads them first
too, so that a missing or malformed variable stops it in one line, before uvicorn starts.
Every way the service is started goes through `serve` (`clickstream serve`, `python -m
ingest_service`, `python -m orchestration.dashboard`, the images, the tests), so these
choices hold everywhere:
- uvicorn's `proxy_headers` is off, so neither its defaults nor `FORWARDED_ALLOW_IPS` in
  the environment can rewrite the client address: `client_address` alone reads the
  forwarding headers, with `CLICKSTREAM_TRUSTED_PROXIES`.
- the HTTP protocol is `LimitedHttpProtocol`: bounded head size, read time and
  connection count, from the settings.
"""

import argparse
import resource
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ingest_service.settings import HttpSettings, SettingsError

if TYPE_CHECKING:  # uvicorn is imported only by the commands that serve
    from ingest_service.http_protocol import LimitedConfig

PROTOCOL = "ingest_service.http_protocol:LimitedHttpProtocol"
# Files a worker opens besides its connections: the store, the lake, logs, libraries.
SPARE_FILES = 256


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--workers", type=whole_number, default=1, help="worker processes")


def server_config(
    factory: str, args: argparse.Namespace, settings: HttpSettings
) -> "LimitedConfig":
    """The server of the app that `factory` ("module:function") builds in each worker."""
    from ingest_service.http_protocol import ConnectionLimits, LimitedConfig

    return LimitedConfig(
        factory,
        limits=ConnectionLimits(
            max_connections=settings.max_connections,
            idle_timeout_s=settings.idle_timeout_s,
            request_timeout_s=settings.request_timeout_s,
        ),
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        http=PROTOCOL,
        ws="none",
        proxy_headers=False,
        access_log=False,
        log_level="warning",
    )


def serve(factory: str, args: argparse.Namespace, settings: HttpSettings) -> int:
    """Runs until stopped, with worker processes when asked; the exit status, as uvicorn's."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    config = server_config(factory, args, settings)
    _allow_open_files(config.limits.max_connections + SPARE_FILES)
    if config.workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return 0
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else STARTUP_FAILURE


def role_main(
    role: str, factory: str, settings: type[HttpSettings], argv: Sequence[str] | None
) -> int:
    """The command line of a process that serves one role alone."""
    parser = argparse.ArgumentParser(prog=f"python -m {role}", description=f"Serve {role} alone.")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return serve(factory, args, settings.from_env())
    except SettingsError as exc:
        print(f"{role}: configuration error: {exc}", file=sys.stderr)
        return 2


def whole_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def _allow_open_files(needed: int) -> None:
    """Raises this process's (and so each worker's) open-file limit to `needed` if it may.

    The connection cap only protects the server if it is reached before the descriptors
    run out: past that, connections would be refused with nothing logged.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise SettingsError(
                f"CLICKSTREAM_MAX_CONNECTIONS: needs {needed} open files with {SPARE_FILES}"
                f" spare; this process may open {hard} (ulimit -n)"
            )
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
