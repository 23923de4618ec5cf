"""Readers, one module a file format, each turning a file's bytes into an `Extracted` (grid.py)."""

# The file names fenjie takes. A file's format is told by its bytes, not its name (fenjie.pipeline.detect);
# these pick the files of a folder (`fenjie batch`) and are listed in messages.
SUPPORTED = (".docx", ".doc", ".wps", ".rtf", ".odt", ".html", ".htm", ".xlsx", ".xls", ".et", ".ods", ".txt",
             ".pdf", ".ofd")
