"""Reading the context layers (line, provinces, crossings) with the same error style."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo._errors import NO_VALUE, Problem, ValidationError


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
    if not Path(path).is_file():
        raise ValidationError(
            [Problem(name, "file", "", NO_VALUE, "file not found; check the path")]
        )
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises DataSourceError and friends
        raise ValidationError(
            [Problem(name, "file", "", NO_VALUE, f"cannot be read as vector data: {exc}")]
        ) from None
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
    return gdf.to_crs("EPSG:4326")
