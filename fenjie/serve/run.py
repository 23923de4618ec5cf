"""Starting the server: where its data lives, the notices to open first, uvicorn."""

from __future__ import annotations

from pathlib import Path

import click
import uvicorn
from fastapi import FastAPI

from fenjie.errors import FenjieError


def default_data() -> Path:
    """The user's data folder: ~/.local/share/fenjie on Linux, %LOCALAPPDATA%\\fenjie on Windows."""
    from platformdirs import user_data_path

    return user_data_path("fenjie", appauthor=False)


def run(app: FastAPI, host: str, port: int, files: list[Path]) -> None:
    service = app.state.service
    base = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    for path in files:
        try:
            notice_id = service.open_file(path)
        except FenjieError as error:
            click.echo(f"error: {error} [{error.code}]", err=True)
            raise click.exceptions.Exit(1) from None
        click.echo(f"{path} -> {base}/notices/{notice_id}")
    click.echo(f"fenjie serve: {base}/  (API docs {base}/docs; data in {service.settings.data}; Ctrl-C stops)")
    # On Ctrl-C, requests get 5 s to finish; then the conversions still running are killed (the app's lifespan).
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
