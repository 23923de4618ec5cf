"""`python -m fenjie` runs the command line, as the `fenjie` script does."""

from fenjie.cli import app

app(prog_name="fenjie")
