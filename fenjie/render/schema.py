"""The JSON Schema of the contract, generated from the model (published as schemas/notice.schema.json)."""

from __future__ import annotations

import json

from fenjie.model import SCHEMA_VERSION, Document


def schema_json() -> str:
    schema = Document.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://fenjie.invalid/schemas/notice-{SCHEMA_VERSION}.schema.json",
        **schema,
    }
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
