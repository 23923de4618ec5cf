"""fenjie (分解): task-breakdown notices in, structured data and per-unit letters out."""

from fenjie.model import Document

__version__ = "0.1.0"


def convert(path, **options) -> Document:
    """Read one notice file and return its `Document` (see `fenjie.pipeline.convert`)."""
    from fenjie.pipeline import convert as _convert

    return _convert(path, **options)


__all__ = ["Document", "convert", "__version__"]
