"""JSON Schemas of the public contracts, generated from their models (published in schemas/)."""

from __future__ import annotations

import json
from typing import Any

from fenjie.model import SCHEMA_VERSION, Document


def schema_json(model: Any = Document, name: str = "notice", version: str = SCHEMA_VERSION) -> str:
    """The schema of MODEL (the notice's contract, or another model with `model_json_schema`), published as
    schemas/NAME.schema.json."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://fenjie.invalid/schemas/{name}-{version}.schema.json",
        **model.model_json_schema(),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
