"""A bounded load test of `fenjie serve` on loopback: N uploads of the seed from C concurrent clients.

    .venv/bin/pip install -e '.[dev]' && .venv/bin/python bench/serve_load.py [--uploads 200] [--clients 20]

Starts a server on a fresh data folder (127.0.0.1, default --workers and --queue), sends the uploads,
checks that every answer is 201 (none lost, no 5xx) and that the list holds every notice once, and
prints one Markdown table (README, "fenjie serve: load") with the latency percentiles.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCX = ROOT / "samples" / "jining-2024.docx"


def start(data: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "fenjie", "serve", "--data", str(data), "--port", str(port)],
                              stdout=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/api/v1/notices", timeout=1)
            return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    seed = SEED_DOCX.read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        server, url = start(Path(folder))
        try:
            latencies: list[float] = []
            statuses: Counter[int] = Counter()
            ids: list[int] = []
            todo = iter(range(args.uploads))
            lock = threading.Lock()

            def client() -> None:
                with httpx.Client(timeout=300) as http:
                    while True:
                        with lock:
                            if next(todo, None) is None:
                                return
                        started = time.perf_counter()
                        answer = http.post(f"{url}/api/v1/notices", files={"file": ("seed.docx", seed)})
                        with lock:
                            latencies.append(time.perf_counter() - started)
                            statuses[answer.status_code] += 1
                            if answer.status_code == 201:
                                ids.append(answer.json()["id"])

            started = time.perf_counter()
            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            listed = [n["id"] for n in httpx.get(f"{url}/api/v1/notices").json()["notices"]]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    lost = args.uploads - len(set(ids) & set(listed))
    cuts = statistics.quantiles(latencies, n=100)
    print(f"| measure | result |\n| --- | --- |\n"
          f"| uploads of the seed .docx, {args.clients} concurrent clients | {args.uploads} |\n"
          f"| answers | {', '.join(f'{n} × {s}' for s, n in sorted(statuses.items()))} |\n"
          f"| lost (answered but not listed, or not answered 201) | {lost} |\n"
          f"| latency p50 / p95 / max | {cuts[49]:.2f} s / {cuts[94]:.2f} s / {max(latencies):.2f} s |\n"
          f"| throughput | {args.uploads / elapsed:.1f} uploads/s ({elapsed:.1f} s in all) |\n")
    print(f"Measured on {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end.")
    if lost or any(s >= 500 for s in statuses):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
