"""Conversions in child processes: bounded in number, in time, and unable to take the server down.

Each upload is converted in a fresh process forked from a server process that has fenjie's readers
loaded already (multiprocessing's forkserver), so a conversion starts in milliseconds, a hostile
file that hangs or crashes its reader costs one child, and a slot is freed by killing it.
"""

from __future__ import annotations

import multiprocessing
import os
import pkgutil
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fenjie import extract
from fenjie.errors import FenjieError
from fenjie.extract.grid import Extracted
from fenjie.model import Document
from fenjie.pipeline import read_notice

TIMEOUT = 150.0  # seconds; beyond LibreOffice's own 120 s, so that it reports its failure first
KILL_GRACE = 3.0  # after SIGTERM, for the reader to stop LibreOffice before SIGKILL

_CONTEXT = multiprocessing.get_context("forkserver")
# The main script is loaded once in the fork server too: else every child would import it again (the
# `fenjie` script: its command line and all) before converting, which costs more than the conversion.
_MAIN = ["__main__"] if os.path.isfile(getattr(sys.modules["__main__"], "__file__", None) or "") else []
_READERS = [f"fenjie.extract.{module.name}" for module in pkgutil.iter_modules(extract.__path__)]
_CONTEXT.set_forkserver_preload([*_MAIN, __name__, *_READERS])


class ServeError(FenjieError):
    """A request the server cannot satisfy, with the HTTP status that says so."""

    status = 400

    def __init__(self, problem: str, code: str | None = None, status: int | None = None):
        super().__init__(problem)
        if code:
            self.code = code
        if status:
            self.status = status


class Busy(ServeError):
    code = "busy"
    status = 429


class ConversionFailed(ServeError):
    """The worker gave no answer: it ran out of time or died."""

    status = 422


@dataclass(frozen=True)
class Converted:
    document: dict  # notice.json
    grid: dict  # the task table as read: {"ncols", "rows": [{"header", "cells": [{text,row,col,rowspan,colspan}]}]}


class Converter:
    """At most `workers` conversions at once and `queue` more waiting; past that, `Busy`."""

    def __init__(self, workers: int = 2, queue: int = 32, timeout: float = TIMEOUT, rules: str | None = None,
                 units: str | None = None):
        self.workers, self.queue, self.timeout, self.rules, self.units = workers, queue, timeout, rules, units
        self._slots = threading.BoundedSemaphore(workers)
        self._lock = threading.Lock()
        self.pending = 0  # running + waiting
        self.running: set = set()  # the conversion processes alive now

    @contextmanager
    def reserve(self) -> Iterator[None]:
        """A place in the queue, then a slot; `Busy` at once when the queue is full."""
        with self._lock:
            if self.pending >= self.workers + self.queue:
                raise Busy(f"{self.pending} conversions are running or waiting; try again shortly")
            self.pending += 1
        try:
            with self._slots:
                yield
        finally:
            with self._lock:
                self.pending -= 1

    def convert(self, path: Path, name: str) -> Converted:
        """Convert the stored upload at PATH (NAME is the client's file name, for messages and source.name)."""
        with self.reserve():
            return self._in_child(path, name)

    def _in_child(self, path: Path, name: str) -> Converted:
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        process = _CONTEXT.Process(target=_child, args=(sender, str(path), name, self.rules, self.units), daemon=True)
        process.start()
        sender.close()
        self.running.add(process)
        try:
            if not receiver.poll(self.timeout):
                raise ConversionFailed(f"{name}: the conversion took longer than {self.timeout:g} s and was stopped",
                                       "timeout")
            try:
                outcome = receiver.recv()
            except EOFError:
                raise ConversionFailed(f"{name}: the conversion process died (exit code {_exit_code(process)})",
                                       "worker-died") from None
        finally:
            _stop(process)
            self.running.discard(process)
            receiver.close()
        if outcome[0] == "ok":
            return Converted(document=outcome[1], grid=outcome[2])
        _, code, message = outcome
        raise ServeError(message, code, status_of(code))


    def stop(self) -> None:
        """Kill every running conversion (the server is stopping); their requests answer worker-died."""
        for process in list(self.running):
            process.kill()


STATUS = {"too-large": 413, "unsupported-format": 415, "encrypted": 422, "internal": 500}


def status_of(code: str) -> int:
    """The HTTP status of a conversion error code: 422 unless the code says otherwise."""
    return STATUS.get(code, 422)


def _exit_code(process) -> int | None:
    process.join(1)
    return process.exitcode


def _stop(process) -> None:
    """End the child: SIGTERM first, so that a reader running LibreOffice stops it, then SIGKILL."""
    if process.is_alive():
        process.terminate()
        process.join(KILL_GRACE)
    if process.is_alive():
        process.kill()
    process.join()


def _child(sender, path: str, name: str, rules: str | None, units: str | None) -> None:
    # SIGTERM raises SystemExit, so that the LibreOffice runner's cleanup (killing its process group) runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        document, extracted = read_notice(Path(path).read_bytes(), name, rules, units)
        sender.send(("ok", document.model_dump(mode="json"), task_grid(document, extracted)))
    except FenjieError as error:
        sender.send(("error", error.code, str(error)))
    except Exception as error:  # a bug of ours: the server answers, it does not crash
        sender.send(("error", "internal", f"{name}: unexpected {type(error).__name__}: {error}"))
    finally:
        sender.close()
        os._exit(0)  # skip the interpreter's teardown: the answer is sent


def task_grid(document: Document, extracted: Extracted) -> dict:
    """The table the rows came from, cell by cell with its merges, for the review page's 原表 tab."""
    index = getattr(document.rows[0].source, "table", None) if document.rows else None  # prose rows have none
    grid = next((g for g in extracted.tables if g.index == index), None)
    if grid is None:
        return {"ncols": 0, "rows": []}
    return {"ncols": grid.ncols, "rows": [
        {"header": row.header, "source": list(row.source),
         "cells": [{"text": cell.text, "row": cell.row, "col": cell.col, "rowspan": cell.rowspan,
                    "colspan": cell.colspan} for cell in row.cells]}
        for row in grid.rows]}
