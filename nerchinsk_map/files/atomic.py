"""Write a file completely or not at all, and never onto something that is not a file.

An output path that is a device, a FIFO or a socket (``/dev/null`` run as root) is refused, as
is an existing folder; the messages name the path the user gave, never the hidden temporary
file. A symbolic link is written through: its target file is replaced and the link stays.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError

SPECIAL = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def _refuse_special(path: Path, given: Path) -> None:
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # nothing there yet (the parent is checked apart)
        return
    except OSError as exc:
        raise OutputError(f"{given}: cannot be written ({exc.strerror})") from None
    for test, what in SPECIAL:
        if test(mode):
            hint = "; give a file name inside it" if what == "a folder" else "; give the path of a regular file"
            raise OutputError(f"{given}: is {what}, not a regular file{hint}")


def _check_writable_below(given: Path, folder: Path) -> None:
    """Raise :class:`OutputError` (naming ``given``) unless the nearest existing folder at or
    above ``folder`` is a folder that can be written."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise OutputError(f"{given}: {existing} is a file, not a folder")
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"{given}: cannot write in the folder {existing} (permission denied)")


def output_file(target: str | os.PathLike[str]) -> Path:
    """The file to replace for the output path ``target``, checked before any work is done.

    A symbolic link resolves to its target (written through); a device, FIFO, socket or
    folder, or a parent folder that cannot be written, raises :class:`OutputError` with a
    one-line message naming ``target``.
    """
    given = Path(target)
    real = Path(os.path.realpath(given))
    _refuse_special(real, given)
    _check_writable_below(given, real.parent)
    return real


def output_folder(target: str | os.PathLike[str]) -> Path:
    """Check a folder that files will be written into (``export``): it must be a folder, or
    not exist yet below a folder that can be written; raise :class:`OutputError` otherwise."""
    given = Path(target)
    real = Path(os.path.realpath(given))
    if real.exists() and not real.is_dir():
        raise OutputError(f"{given}: exists and is not a folder")
    _check_writable_below(given, real)
    return real


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only if the block succeeds.

    A failure inside the block removes the temporary file and leaves any earlier ``target``
    untouched. ``target`` is checked with :func:`output_file` first; a failure to write
    (permissions, a full disk) is reported as :class:`OutputError` naming ``target``.
    """
    given = Path(target)
    real = output_file(given)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=suffix or ".tmp", dir=real.parent)
    except OSError as exc:
        raise OutputError(f"{given}: cannot be written ({exc.strerror or exc})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the file ordinary permissions
    try:
        try:
            yield tmp_path
            _refuse_special(real, given)  # still a file (or nothing) at the moment of the swap
            os.replace(tmp_path, real)
        except OSError as exc:
            if exc.filename is None or Path(exc.filename) not in (tmp_path, real):
                raise
            raise OutputError(f"{given}: cannot be written ({exc.strerror or exc}); nothing was changed") from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_text_atomic(target: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically and return the path given."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)
