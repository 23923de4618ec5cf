"""The JSON writer: the public contract, UTF-8, not ASCII-escaped, byte-identical across runs."""

from __future__ import annotations

import json
from pathlib import Path

from fenjie.model import Document
from fenjie.render.atomic import write_bytes
from fenjie.render.options import JsonOptions


def dumps(document: Document) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def write(document: Document, folder: Path, options: JsonOptions | None = None) -> list[Path]:
    return [write_bytes(folder / "notice.json", dumps(document).encode("utf-8"))]
