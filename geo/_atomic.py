"""Files written whole or not at all: a temporary file beside the target, then a rename.

Every output of the tool (pages, images, event tables, reports, snippets) goes through
:func:`write_bytes_atomic`, so a failed or interrupted run leaves the old file or nothing,
never half a file.
"""

from __future__ import annotations

import errno
import glob
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from geo._errors import InputError
from geo._progress import advance, step


def write_text_atomic(
    text: str | Sequence[str], path: str | Path, *, inputs: Sequence[str | Path] = ()
) -> Path:
    """Write ``text`` (or the concatenation of a list of texts) as UTF-8 to ``path``
    atomically (see :func:`write_bytes_atomic`).

    Each text is encoded and written a block at a time, so a large page never exists whole
    as bytes beside its text. Text that cannot be encoded (an unpaired surrogate) is an
    error before the file is in place, never half a file.
    """
    texts = [text] if isinstance(text, str) else list(text)
    step(f"writing {path}", total=sum(len(t) for t in texts))
    return write_bytes_atomic(_utf8_blocks(texts, path), path, inputs=inputs)


#: Characters encoded at a time by write_text_atomic.
_BLOCK = 1 << 22


def _utf8_blocks(texts: Sequence[str], path: str | Path) -> Iterator[bytes]:
    done = 0
    for text in texts:
        for i in range(0, len(text), _BLOCK):
            try:
                block = text[i : i + _BLOCK]
                yield block.encode("utf-8")
                advance(len(block))
            except UnicodeEncodeError as exc:
                at = done + i + exc.start
                msg = f"{path}: the output holds text that is not valid Unicode at character {at}"
                raise InputError(msg) from None
        done += len(text)


def write_bytes_atomic(
    data: bytes | Iterable[bytes], path: str | Path, *, inputs: Sequence[str | Path] = ()
) -> Path:
    """Write ``data`` (bytes, or blocks of bytes) to ``path`` through a temporary file and
    a rename.

    A crash or an error leaves either the old file or the new one, never half a file; the
    temporary files of an earlier run that was killed are removed first. ``path`` is
    checked with :func:`check_output` (``inputs`` are the files it must not overwrite); a
    symbolic link is followed, so the link stays and its target gets the new content.
    Errors name ``path``, never the temporary file.
    """
    target = check_output(path, inputs=inputs)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for block in [data] if isinstance(data, bytes | bytearray) else data:
                fh.write(block)
        # mkstemp makes the file private (0600); give it the usual permissions for a new file
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(path)


def check_output(path: str | Path, *, inputs: Sequence[str | Path] = ()) -> Path:
    """The real file an output goes to, after refusing what must not be overwritten.

    Raises
    ------
    InputError
        ``path`` is a directory (or ends with a separator), a device, FIFO or socket, or
        the same file as one of ``inputs``.
    """
    text = os.fspath(path)
    if text.endswith((os.sep, "/")) or Path(text).is_dir():
        msg = f"{text}: is a directory; give a file name such as {Path(text) / 'conflict_map.html'}"
        raise InputError(msg)
    given = Path(text)
    try:
        target = Path(os.path.realpath(text, strict=given.is_symlink()))
    except OSError as exc:
        if exc.errno == errno.ELOOP or isinstance(exc, RuntimeError):
            msg = f"{text}: is a symbolic link that loops; give a file name"
            raise InputError(msg) from None
        target = Path(os.path.realpath(text))  # a link to a file not made yet

    if (given.exists() and not given.is_file()) or (target.exists() and not target.is_file()):
        msg = f"{text}: is not a regular file (a device, FIFO or socket); give a file name"
        raise InputError(msg)
    for source in inputs:
        if os.path.realpath(source) == str(target):
            msg = f"{text}: is the input file {os.fspath(source)!r}; choose another output name"
            raise InputError(msg)
    return target


#: How old a temporary file without a readable process id must be before it is removed.
_STALE_SECONDS = 600


def _remove_stale_temps(target: Path) -> None:
    """Remove ``.NAME.<pid>.*.tmp`` files left by a run that was killed mid-write."""
    now = time.time()
    for tmp in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        pid_text = tmp.name[len(target.name) + 2 :].split(".", 1)[0]
        try:
            if pid_text.isdigit():
                if _alive(int(pid_text)):
                    continue
            elif now - tmp.stat().st_mtime < _STALE_SECONDS:
                continue
            tmp.unlink()
        except OSError:
            continue  # gone already, or not ours to remove


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True
