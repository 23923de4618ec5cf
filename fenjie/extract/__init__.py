"""Readers, one module a file format, each turning a file's bytes into an `Extracted` (grid.py).

The formats are one table, `formats.FORMATS`; `detect.py` tells a file's format by its bytes and calls its reader.
"""

# The file names fenjie takes, from the table: they pick the files of a folder (`fenjie batch`) and are listed
# in messages. A file's format is told by its bytes, not its name (fenjie.extract.detect).
from fenjie.extract.formats import SUPPORTED as SUPPORTED
