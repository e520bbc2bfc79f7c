"""Reading input files within limits, and the context layers, with the same error style.

Every file the tool reads is untrusted: it must be a regular file (a FIFO would block
forever, ``/dev/zero`` would never end) and no larger than :data:`LIMITS.max_input_bytes`,
checked before reading and enforced while reading (a file can grow, ``/proc`` files report
size 0).
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from geo._errors import NO_VALUE, Problem, ValidationError, reading
from geo._progress import advance, step

if TYPE_CHECKING:  # geopandas is imported when a layer is read, not by the command line's start
    import geopandas as gpd

#: Default size limit of one input file; ``GEO_MAX_INPUT_MB`` or ``--max-input-mb`` raise it.
DEFAULT_MAX_INPUT_MB = 1024


@dataclass
class Limits:
    """Limits that keep a hostile or mistaken input from exhausting the machine.

    Attributes
    ----------
    max_input_bytes : int
        Largest input file read.
    max_depth : int
        Deepest nesting of lists and objects in one field (sources, tags).
    max_field_chars : int
        Longest text in one field.
    max_columns : int
        Most columns of a table (CSV header, Parquet schema).
    """

    max_input_bytes: int = int(os.environ.get("GEO_MAX_INPUT_MB", DEFAULT_MAX_INPUT_MB)) << 20
    max_depth: int = 16
    max_field_chars: int = 131_072  # the csv module's own field limit
    max_columns: int = 1_000


LIMITS = Limits()
_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _problem(name: str, message: str, value: object = NO_VALUE) -> ValidationError:
    return ValidationError([Problem(name, "file", "", value, message)])


def check_input_file(path: str | Path, name: str | None = None) -> int:
    """Return the size of ``path`` if it is a regular file within the size limit.

    Raises
    ------
    ValidationError
        Missing, a directory, not a regular file, or over :data:`LIMITS`.
    """
    name = str(path) if name is None else name
    try:
        st = os.stat(path)  # follows symlinks: a link to /dev/zero is a device
    except FileNotFoundError:
        raise _problem(name, "file not found; check the path") from None
    except NotADirectoryError:
        raise _problem(name, "file not found (a part of the path is not a directory)") from None
    except PermissionError:
        raise _problem(name, "permission denied; check the file's permissions") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _problem(name, "is a symbolic link that loops; give a file on disk") from None
        raise _problem(name, f"cannot be read: {exc.strerror or exc}") from None
    mode = stat.S_IFMT(st.st_mode)
    if mode == stat.S_IFDIR:
        raise _problem(name, "is a directory; give a .geojson or .csv file")
    if mode != stat.S_IFREG:
        kind = _KINDS.get(mode, "not a regular file")
        raise _problem(name, f"is {kind}, not a regular file; give a file on disk")
    _check_size(st.st_size, name)
    return st.st_size


def _check_size(size: int, name: str) -> None:
    limit = LIMITS.max_input_bytes
    if size > limit:
        msg = (
            f"file is {size / 2**20:,.0f} MB, over the {limit / 2**20:,.0f} MB limit for one "
            "input; raise it with --max-input-mb (or GEO_MAX_INPUT_MB) or split the file"
        )
        raise _problem(name, msg)


def read_bounded(path: str | Path, name: str | None = None) -> bytes:
    """Read a regular file of at most :data:`LIMITS.max_input_bytes` bytes."""
    name = str(path) if name is None else name
    size = check_input_file(path, name)
    try:
        with open(path, "rb") as fh:
            data = _read_all(fh, size, name)
    except PermissionError:
        raise _problem(name, "permission denied; check the file's permissions") from None
    except IsADirectoryError:  # pragma: no cover - checked above, unless it changed since
        raise _problem(name, "is a directory; give a .geojson or .csv file") from None
    _check_size(len(data), name)
    return data


#: Bytes read at a time (the progress display counts them).
_CHUNK = 16 << 20


def _read_all(fh: Any, size: int, name: str) -> bytes:
    """The file's bytes, at most the size limit plus one: read whole when small, else into
    one buffer of the file's size a chunk at a time, with the progress display counting
    them (no second copy). A file that grows while it is read, or says it is empty as
    /proc files do, is read on to the limit."""
    limit = LIMITS.max_input_bytes + 1
    if size < _CHUNK:
        return fh.read(limit)
    step(f"reading {name}", total=size)
    buf = bytearray(min(size, limit))
    view = memoryview(buf)
    read = 0
    while read < len(buf):
        n = fh.readinto(view[read : read + _CHUNK])
        if not n:
            break
        read += n
        advance(n)
    view.release()
    del buf[read:]
    more = fh.read(limit - read) if read == len(buf) and read < limit else b""
    if more:  # the file grew: what it holds now, up to the limit
        buf += more
    # a bytearray has every method the readers use on bytes, without a copy of the file
    return cast(bytes, buf)


def read_layer(
    path: str | Path, *, geom_types: tuple[str, ...], fields: tuple[str, ...]
) -> gpd.GeoDataFrame:
    """Read a vector file, check geometry types and fields, return it in EPSG:4326.

    Raises
    ------
    ValidationError
        Naming the file, the feature and the field at fault.
    """
    name = str(path)
    with reading(name):
        return _read_layer(path, name, geom_types=geom_types, fields=fields)


def _read_layer(
    path: str | Path, name: str, *, geom_types: tuple[str, ...], fields: tuple[str, ...]
) -> gpd.GeoDataFrame:
    import geopandas as gpd

    check_input_file(path, name)
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise _problem(name, f"cannot be read as vector data: {exc}") from None
    problems = []
    if gdf.empty:
        problems.append(Problem(name, "file", "", NO_VALUE, "has no features"))
    for f in fields:
        if f not in gdf.columns:
            msg = f"required property missing from every feature; the file has {list(gdf.columns[:-1])}"
            problems.append(Problem(name, "file", f, NO_VALUE, msg))
    kinds = gdf.geometry.geom_type
    for i in (~kinds.isin(geom_types)).to_numpy().nonzero()[0]:
        msg = f"geometry type not accepted here; accepted: {', '.join(geom_types)}"
        problems.append(Problem(name, f"feature {i + 1}", "geometry", kinds.iat[i], msg))
    if problems:
        raise ValidationError(problems)
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    elif not (gdf.crs.is_geographic or gdf.crs.is_projected):
        msg = f"CRS {gdf.crs.name!r} is not horizontal; accepted: a geographic or projected CRS"
        raise _problem(name, msg)
    return gdf.to_crs("EPSG:4326")
