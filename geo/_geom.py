"""Geometry helpers shared by the border and province joins."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

from geo import _twins

#: Points below which :func:`first_containing` tests every point: the cell grid costs more
#: to classify than it saves.
GRID_MIN_POINTS = 150_000
#: Cells per side of the first grid level, and how each cell is split at each of the next
#: levels (32 x 4 x 4 = 512 cells per side at the finest level).
GRID_FIRST, GRID_SPLIT, GRID_LEVELS = 32, 4, 3
MIXED = -2


def first_containing(
    x: np.ndarray, y: np.ndarray, polygons: Sequence[shapely.Geometry] | np.ndarray
) -> np.ndarray:
    """Index of the first polygon that contains each point ``(x[i], y[i])``, or -1.

    For many points, a grid over the polygons answers first (:class:`_CellGrid`): a cell
    that no polygon edge crosses gives the answer of its centre to every point in it; only
    the points in the cells along the edges (4 % of the cells for the shipped provinces)
    are tested one by one. The answer is the same as :func:`first_containing_exact`'s.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if len(x) < GRID_MIN_POINTS or not len(polygons) or _twins.exact():
        return first_containing_exact(x, y, polygons)
    grid = _CellGrid(polygons)
    found = grid.lookup(x, y)
    rest = np.flatnonzero(found == MIXED)
    if rest.size:
        found[rest] = first_containing_exact(x[rest], y[rest], polygons)
    return found


def first_containing_exact(
    x: np.ndarray, y: np.ndarray, polygons: Sequence[shapely.Geometry] | np.ndarray
) -> np.ndarray:
    """:func:`first_containing` by a test of every point.

    A bounding-box cut, then prepared point-in-polygon on the candidates only: about 15
    times faster than an STRtree "within" query for a million points and 41 polygons, and
    points already placed are not tested again.
    """
    found = np.full(len(x), -1, dtype=np.int64)
    for k, geom in enumerate(polygons):
        x0, y0, x1, y1 = geom.bounds
        cand = np.flatnonzero((found < 0) & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        if cand.size:
            shapely.prepare(geom)
            found[cand[shapely.contains_xy(geom, x[cand], y[cand])]] = k
    return found


class _CellGrid:
    """Cells over the polygons' extent, each ``k`` (inside polygon ``k`` and no polygon
    before it), -1 (inside none) or :data:`MIXED` (a polygon's edge crosses it).

    The edges are walked in steps of at most half a cell and every cell a step can touch
    is marked mixed. A cell that no edge crosses lies wholly inside or wholly outside each
    polygon, so the polygon holding its centre holds all of it; those centres are tested at
    the coarsest level where a block of cells has no mixed cell, so few are tested.
    """

    def __init__(self, polygons: Sequence[shapely.Geometry] | np.ndarray) -> None:
        geoms = np.asarray(polygons, dtype=object)
        bounds = shapely.bounds(geoms)
        self.x0, self.y0 = float(np.nanmin(bounds[:, 0])), float(np.nanmin(bounds[:, 1]))
        x1, y1 = self.x1, self.y1 = float(np.nanmax(bounds[:, 2])), float(np.nanmax(bounds[:, 3]))
        n = self.n = GRID_FIRST * GRID_SPLIT ** (GRID_LEVELS - 1)
        self.w = max(x1 - self.x0, 1e-9) / n
        self.h = max(y1 - self.y0, 1e-9) / n
        mixed = self._crossed(geoms)
        labels = np.full((n, n), MIXED, dtype=np.int64)
        size = n
        for level in range(GRID_LEVELS):
            size //= GRID_FIRST if level == 0 else GRID_SPLIT
            m = n // size
            block_mixed = mixed.reshape(m, size, m, size).any(axis=(1, 3))
            todo = ~block_mixed & (labels[::size, ::size] == MIXED)
            ix, iy = np.nonzero(todo)
            if ix.size:
                cx = self.x0 + (ix + 0.5) * size * self.w
                cy = self.y0 + (iy + 0.5) * size * self.h
                block = np.full((m, m), MIXED, dtype=np.int64)
                block[ix, iy] = first_containing_exact(cx, cy, geoms)
                fine = np.repeat(np.repeat(block, size, axis=0), size, axis=1)
                labels = np.where(fine != MIXED, fine, labels)
        self.labels = labels

    def _crossed(self, geoms: np.ndarray) -> np.ndarray:
        """Cells an edge of a polygon may touch (a margin of a thousandth of a cell)."""
        n = self.n
        rings = shapely.get_parts(shapely.boundary(geoms))
        rings = shapely.segmentize(rings, 0.5 * min(self.w, self.h))
        xy, ring = shapely.get_coordinates(rings, return_index=True)
        same = ring[1:] == ring[:-1]
        a, b = xy[:-1][same], xy[1:][same]
        pad_x, pad_y = self.w * 1e-3, self.h * 1e-3
        cols = [
            np.floor((np.minimum(a[:, 0], b[:, 0]) - pad_x - self.x0) / self.w),
            np.floor((np.maximum(a[:, 0], b[:, 0]) + pad_x - self.x0) / self.w),
        ]
        rows = [
            np.floor((np.minimum(a[:, 1], b[:, 1]) - pad_y - self.y0) / self.h),
            np.floor((np.maximum(a[:, 1], b[:, 1]) + pad_y - self.y0) / self.h),
        ]
        mixed = np.zeros((n, n), dtype=bool)
        for c in cols:
            for r in rows:
                mixed[
                    np.clip(c, 0, n - 1).astype(np.int64), np.clip(r, 0, n - 1).astype(np.int64)
                ] = True
        return mixed

    def lookup(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The cell's label for each point: -1 outside the polygons' extent, :data:`MIXED`
        where the cell cannot tell (and for non-finite coordinates)."""
        out = (x < self.x0) | (x > self.x1) | (y < self.y0) | (y > self.y1)
        found = np.where(out, -1, MIXED)
        ok = np.flatnonzero(~out & np.isfinite(x) & np.isfinite(y))
        # a point on a cell's edge may fall either side: both cells were marked with a margin
        ix = np.clip(np.floor((x[ok] - self.x0) / self.w), 0, self.n - 1).astype(np.int64)
        iy = np.clip(np.floor((y[ok] - self.y0) / self.h), 0, self.n - 1).astype(np.int64)
        found[ok] = self.labels[ix, iy]
        return found
