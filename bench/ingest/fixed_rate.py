"""A constant-rate load generator (wrk2's method; Debian has no wrk2).

Requests are scheduled at fixed times (rate per second) and each one's latency is
measured from its scheduled time, not from when a free connection sent it: when the
server falls behind, the waiting counts (no coordinated omission). Runs on uvloop,
with raw HTTP/1.1 keep-alive connections, so the generator is not the bottleneck at the
rates measured here; it reports how late it sent requests, to prove that.
"""

import argparse
import asyncio
import json
import statistics
import time
import uuid

import uvloop

CLICK = {
    "button": "Buy now",
    "timestamp": "2026-11-24T21:30:00",
    "pageUrl": "https://shop.example/pricing",
    "device": {
        "deviceType": "desktop",
        "platform": "MacIntel",
        "browser": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    },
    "location": {"city": "Unknown", "country": "Unknown"},
}


def request_bytes(host: str, port: int) -> bytes:
    body = json.dumps({"id": str(uuid.uuid4()), **CLICK}).encode()
    head = (
        f"POST /clicks HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def run(
    host: str, port: int, rate: int, seconds: float, connections: int
) -> dict[str, float]:
    total = int(rate * seconds)
    requests = [request_bytes(host, port) for _ in range(total)]
    latencies: list[float] = []
    late: list[float] = []
    statuses: dict[int, int] = {}
    next_index = 0
    start = time.perf_counter() + 0.2

    async def connection() -> None:
        nonlocal next_index
        reader, writer = await asyncio.open_connection(host, port)
        while next_index < total:
            index = next_index
            next_index += 1
            scheduled = start + index / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            late.append(max(0.0, time.perf_counter() - scheduled))
            writer.write(requests[index])
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - scheduled)
            statuses[status] = statuses.get(status, 0) + 1
        writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=1000)
    return {
        "rate": rate,
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[499] * 1000, 2),
        "p99_ms": round(cuts[989] * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2),
        "sent_late_p99_ms": round(statistics.quantiles(late, n=100)[98] * 1000, 2),
        "non_2xx": sum(n for s, n in statuses.items() if not 200 <= s < 300),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    uvloop.install()
    result = asyncio.run(run("127.0.0.1", args.port, args.rate, args.seconds, args.connections))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
