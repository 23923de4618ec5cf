"""A `fenjie serve` killed (SIGKILL) in the middle of uploads and edits loses nothing it had answered,
and starts again on the same data."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from conftest import SEED_DOCX


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(data: Path) -> tuple[subprocess.Popen, str]:
    """`fenjie serve --open SEED` on DATA: the seed is converted at start, unless it is stored already."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "fenjie", "serve", "--data", str(data), "--port", str(port),
                               "--open", str(SEED_DOCX)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    assert server.stdout.readline().strip() == f"{SEED_DOCX} -> {url}/notices/1"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/notices", timeout=1).status_code == 200:
                return server, url
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError(f"the server did not start: {server.stderr.read()}")


def test_sigkill_loses_nothing_answered(tmp_path):
    data = tmp_path / "data"
    server, url = start(data)
    seed = SEED_DOCX.read_bytes()
    first = 1  # the notice --open made
    uploaded: list[int] = [first]
    edited: dict[int, str] = {}  # edit number -> the requirement it set, for every answered edit
    stop = threading.Event()
    wrong: list[str] = []  # answers that were neither a success nor a cut connection
    answered = [0, 0]  # answered edits per edit worker: each row is edited before the kill

    def upload() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                try:
                    answer = client.post(f"{url}/api/v1/notices", files={"file": ("seed.docx", seed)})
                except httpx.TransportError:
                    return
                if answer.status_code != 201:
                    wrong.append(answer.text)
                    return
                uploaded.append(answer.json()["id"])

    def edit(worker: int) -> None:
        with httpx.Client(timeout=30) as client:
            for n in range(10_000):
                if stop.is_set():
                    return
                text = f"要求 {worker}-{n}"
                try:
                    answer = client.patch(f"{url}/api/v1/notices/{first}/rows/1.1.{worker + 1}",
                                          json={"requirement": text})
                except httpx.TransportError:
                    return
                if answer.status_code != 200:
                    wrong.append(answer.text)
                    return
                edited[answer.json()["edit"]] = text
                answered[worker] += 1

    threads = [threading.Thread(target=upload) for _ in range(2)] + [
        threading.Thread(target=edit, args=(w,)) for w in range(2)]
    for thread in threads:
        thread.start()
    waited = time.monotonic() + 120
    while (len(uploaded) < 4 or min(answered) < 5) and time.monotonic() < waited and not wrong:
        time.sleep(0.05)  # work under way on both sides
    os.killpg(server.pid, signal.SIGKILL)  # the server and its conversion processes, mid-request
    server.wait()
    stop.set()
    for thread in threads:
        thread.join(30)
    assert wrong == []
    assert len(uploaded) >= 4 and min(answered) >= 5, (uploaded, answered)  # the kill came in the middle of work

    with sqlite3.connect(data / "fenjie.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    server, url = start(data)
    try:
        notices = {n["id"]: n for n in httpx.get(f"{url}/api/v1/notices").json()["notices"]}
        assert set(uploaded) <= set(notices)
        assert [n["file_name"] for n in notices.values()].count(SEED_DOCX.name) == 1  # --open found it again
        assert all(notices[i]["rows"] == 73 and notices[i]["units"] == 47 for i in uploaded)
        changes = {c["edit"]: c for c in httpx.get(f"{url}/api/v1/notices/{first}/changes").json()["changes"]}
        assert all(changes[e]["new"] == text for e, text in edited.items())
        # The corrected notice is the last stored edit of each row (maybe one that was stored but not answered).
        rows = {r["id"]: r for r in httpx.get(f"{url}/api/v1/notices/{first}").json()["notice"]["rows"]}
        for row_id in ("1.1.1", "1.1.2"):
            last = max((c for c in changes.values() if c["target"] == row_id), key=lambda c: c["edit"])
            assert rows[row_id]["requirement"] == last["new"]
        # Every stored notice has its file, and no file is left of an upload that was cut off.
        assert sorted(p.name for p in (data / "files").iterdir()) == sorted(map(str, notices))
        # It goes on working.
        assert httpx.post(f"{url}/api/v1/notices", files={"file": ("seed.docx", seed)}, timeout=30).status_code == 201
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
