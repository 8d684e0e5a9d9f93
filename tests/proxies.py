"""Real reverse proxies in front of a test server: HAProxy and nginx from Debian.

Each runs in the foreground in its own temp dir, on a free port, with its own config,
and is stopped by its pid (SIGKILL as the fallback), as `serving` stops the service.
"""

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.servers import free_port, stop, wait_ready

HAPROXY = "/usr/sbin/haproxy"
NGINX = "/usr/sbin/nginx"

# `option forwardfor` as most HAProxy set-ups have it: it adds an X-Forwarded-For line of
# its own, after any the client sent.
HAPROXY_CONFIG = """\
global
    maxconn 200
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    option forwardfor
frontend public
    bind 127.0.0.1:{port}
    default_backend service
backend service
    server app 127.0.0.1:{backend_port}
"""

# A bare `proxy_pass`: nginx forwards no client address at all, and connects from loopback.
NGINX_CONFIG = """\
{user}
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log;
events {{ worker_connections 128; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{ proxy_pass http://127.0.0.1:{backend_port}; }}
    }}
}}
"""


@contextmanager
def haproxy(backend_url: str, directory: Path) -> Iterator[str]:
    """HAProxy with `option forwardfor` in front of `backend_url`; yields its base URL."""
    port = free_port()
    config = directory / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, backend_port=_port_of(backend_url)))
    with _running([HAPROXY, "-db", "-f", str(config)], port, directory / "haproxy.log") as url:
        yield url


@contextmanager
def nginx(backend_url: str, directory: Path) -> Iterator[str]:
    """nginx with a bare `proxy_pass` to `backend_url`; yields its base URL."""
    port = free_port()
    # As root, nginx's workers would switch to `nobody`, who cannot write the temp dir.
    user = "user root;" if os.geteuid() == 0 else ""
    config = directory / "nginx.conf"
    config.write_text(
        NGINX_CONFIG.format(
            user=user, directory=directory, port=port, backend_port=_port_of(backend_url)
        )
    )
    command = [NGINX, "-p", str(directory), "-e", "stderr", "-c", str(config), "-g", "daemon off;"]
    with _running(command, port, directory / "nginx.log") as url:
        yield url


def _port_of(url: str) -> int:
    port = httpx.URL(url).port
    assert port is not None
    return port


@contextmanager
def _running(command: list[str], port: int, log_path: Path) -> Iterator[str]:
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(f"{url}/ready", process, log_path, name=log_path.stem)
        yield url
    finally:
        stop(process)
