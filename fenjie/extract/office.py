"""Formats fenjie does not parse itself (.doc, .wps, .rtf, .odt, .xls, .et, .ods), converted by LibreOffice.

Each run gets its own temporary folder and LibreOffice user profile (so runs never share or lock a
profile, and the user's own LibreOffice settings play no part), a timeout, and a profile that
points every network access at a closed local port and never updates links: a document cannot
make the conversion fetch anything.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from fenjie.errors import ConverterFailed, ConverterMissing

TIMEOUT = 120  # seconds; a notice converts in 2-5 s, most of it LibreOffice starting
PROGRAMS = ("soffice", "libreoffice")
CLOSED_PORT = 9  # the discard port: nothing listens on it

# The private profile's settings: a dead proxy for every scheme, links and external references
# never loaded, macros never run. (registry path, property, value)
PROFILE_SETTINGS = [
    ("org.openoffice.Inet/Settings", "ooInetProxyType", "2"),  # 2: manual proxy
    ("org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
    *(("org.openoffice.Inet/Settings", f"ooInet{scheme}Proxy{key}", value)
      for scheme in ("HTTP", "HTTPS", "FTP") for key, value in (("Name", "127.0.0.1"), ("Port", str(CLOSED_PORT)))),
    ("org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("org.openoffice.Office.Writer/Content/Update", "Link", "2"),  # 2: never update links
    ("org.openoffice.Office.Calc/Content/Update", "Link", "2"),
]


def profile_registry() -> str:
    """registrymodifications.xcu holding PROFILE_SETTINGS."""
    items = "".join(f'<item oor:path="/{path}"><prop oor:name="{prop}" oor:op="fuse"><value>{value}</value></prop>'
                    "</item>\n" for path, prop, value in PROFILE_SETTINGS)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            f"{items}</oor:items>\n")


def office_program(name: str) -> str:
    for program in PROGRAMS:
        found = shutil.which(program)
        if found:
            return found
    raise ConverterMissing("this format needs LibreOffice to convert it", name)


def convert_with_office(data: bytes, source_suffix: str, target: str, name: str, timeout: float = TIMEOUT) -> bytes:
    """The bytes of `data` (a `source_suffix` file) converted by LibreOffice to `target` (docx or xlsx)."""
    with tempfile.TemporaryDirectory(prefix="fenjie-office-") as folder:
        source = Path(folder) / f"input.{source_suffix}"
        source.write_bytes(data)
        (converted,) = convert_files_with_office([source], target, Path(folder) / "out", name, timeout)
        return converted.read_bytes()


def convert_files_with_office(sources: list[Path], target: str, out: Path, name: str,
                              timeout: float = TIMEOUT) -> list[Path]:
    """SOURCES converted to TARGET (docx, xlsx, pdf) by one LibreOffice run into OUT; the converted files.

    One run for many files: LibreOffice's start is most of the time of a small document.
    """
    program = office_program(name)
    with tempfile.TemporaryDirectory(prefix="fenjie-office-") as folder:
        work = Path(folder)
        profile = work / "profile" / "user"
        profile.mkdir(parents=True)
        (profile / "registrymodifications.xcu").write_text(profile_registry(), encoding="utf-8")
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible",
                   "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                   "--convert-to", target, "--outdir", str(out), *map(str, sources)]
        stderr = run_bounded(command, work, timeout + len(sources), name)
    converted = [out / f"{source.stem}.{target}" for source in sources]
    if not all(path.is_file() for path in converted):
        reason = stderr.strip().splitlines()[-1] if stderr.strip() else "it wrote no output"
        raise ConverterFailed(f"LibreOffice could not convert the file: {reason}", name)
    return converted


def run_bounded(command: list[str], cwd: Path, timeout: float, name: str) -> str:
    """Run LibreOffice in its own process group, killed whole when it overruns; its stderr."""
    environment = {**os.environ, "http_proxy": f"http://127.0.0.1:{CLOSED_PORT}",
                   "https_proxy": f"http://127.0.0.1:{CLOSED_PORT}", "no_proxy": ""}
    with subprocess.Popen(command, cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except BaseException as error:
            # Also on Ctrl-C: in its own session LibreOffice would not see the signal and run on.
            with contextlib.suppress(ProcessLookupError):  # it may have ended on its own meanwhile
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            if isinstance(error, subprocess.TimeoutExpired):
                raise ConverterFailed(f"LibreOffice did not finish within {timeout:g} s", name) from None
            raise
    return stderr
