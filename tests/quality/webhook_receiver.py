"""A Slack-like webhook for tests: appends each POSTed JSON body as a line to a file.

Run as `python webhook_receiver.py OUT`; binds a free port on 127.0.0.1 and prints it.
"""

import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path


class _Handler(BaseHTTPRequestHandler):
    out: Path

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.out.open("ab") as file:
            file.write(body + b"\n")
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    _Handler.out = Path(sys.argv[1])
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
