"""Hand memory that is no longer used back to the operating system between stages.

Large inputs pass through stages (read, validate, enrich, encode the page, write) that each
free most of what they allocated. The allocators keep freed memory for reuse: Arrow's pool
(mimalloc or jemalloc) and the C library's heap, where Python's objects live. A later stage
then grows from a high base and the process's peak is the sum of what several stages held.
:func:`give_back` returns the free pages at a stage boundary; it costs a few milliseconds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys


def give_back() -> None:
    """Return free memory of Arrow's pool and of the C heap (glibc) to the system."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    """glibc's ``malloc_trim``, or None on other C libraries and systems."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
