"""A progress display on stderr for long work: reading, validating, enriching, rendering,
writing. Shown only on a terminal, for large inputs, and never with ``--quiet``.

Library code marks its stages with :func:`step`, a no-op unless the command line opened a
:func:`display`; the display (rich) is transient, so the final summary line is unchanged.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

#: Inputs at least this large (bytes, all files together) get a progress display.
LARGE_INPUT = 8 << 20
_active: list[Any] = []  # [progress, task] while a display is open


def wanted(paths: Sequence[str], *, quiet: bool = False, stream: Any = None) -> bool:
    """Whether to show progress: a terminal, not quiet, and large inputs."""
    stream = sys.stderr if stream is None else stream
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return False
    total = 0
    for p in paths:
        try:
            total += os.stat(p).st_size
        except OSError:
            continue  # the reader reports it
    return total >= LARGE_INPUT


@contextmanager
def display(enabled: bool) -> Iterator[None]:
    """Open the progress display for the duration of a command (if ``enabled``)."""
    if not enabled:
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        refresh_per_second=10,
    )
    with progress:
        task = progress.add_task("starting", total=None)
        _active[:] = [progress, task]
        try:
            yield
        finally:
            _active.clear()


def step(description: str) -> None:
    """Name the stage now running on the display, if one is open."""
    if _active:
        progress, task = _active
        progress.update(task, description=description)
