"""Extracted grids and paragraphs -> the `Document` model (assembled in `document.py`)."""

from fenjie.normalize.document import normalize

__all__ = ["normalize"]
