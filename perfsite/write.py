"""Stage 6, write: the new site replaces the output folder whole, or not at all.

Files are written to a fresh folder beside the destination, and only when every
file is written is the old output moved aside and the new one renamed into its
place. A build that fails at any point leaves the previous output exactly as it
was. To protect publishers' own files, a folder is replaced only when it is empty
or was made by a previous build (it holds the marker file).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .source import safe_relative

MARKER = ".perfsite-output"
MARKER_TEXT = "This folder is written by perfsite build and replaced whole on every build.\n"


class OutputFolderError(Exception):
    """The destination cannot safely be replaced (a usage error, not a data error)."""


def check_destination(out: Path, site_root: Path) -> None:
    out = out.resolve()
    site_root = site_root.resolve()
    if out == site_root or site_root.is_relative_to(out):
        raise OutputFolderError(f"The output folder {out} would replace the site folder itself; "
                                "choose a folder inside it, like output/, or elsewhere.")
    for protected in ("data", "content", "site_templates"):
        if out.is_relative_to(site_root / protected):
            raise OutputFolderError(f"The output folder {out} is inside the site's {protected}/ folder; "
                                    "choose another, like output/.")
    if out.exists():
        if not out.is_dir():
            raise OutputFolderError(f"The output path {out} is a file; choose a folder.")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise OutputFolderError(f"The output folder {out} already holds files that a build did not write, "
                                    "so it will not be replaced. Choose an empty or new folder.")


def write_site(files: dict[str, bytes], out: Path, site_root: Path) -> None:
    """Write every file to a new folder, then swap it in place of ``out``."""
    check_destination(out, site_root)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for path, content in sorted(files.items()):
            target = staging / safe_relative(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a web server must read it
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    retired.rmdir()
    os.rename(out, retired)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(retired, out)  # put the previous site back
        raise
    shutil.rmtree(retired, ignore_errors=True)
