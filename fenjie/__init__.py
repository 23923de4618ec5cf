"""fenjie (分解): task-breakdown notices in, structured data and per-unit letters out."""

from fenjie.model import Document

__version__ = "0.1.0"


def convert(path, **options) -> Document:
    """Read one notice file and return its `Document` (see `fenjie.pipeline.convert`)."""
    from fenjie.pipeline import convert as _convert

    return _convert(path, **options)


def collect(paths, notice, as_of=None):
    """Read returned ledgers against a notice (a `Document` or its notice.json): a `Progress`
    (see `fenjie.ledger.collect.collect`)."""
    from fenjie.ledger.collect import collect as _collect

    return _collect(paths, notice, as_of)


__all__ = ["Document", "collect", "convert", "__version__"]
