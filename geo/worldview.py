"""Worldviews: how a map draws, names and captions disputed Kashmir and the Durand Line.

One table (:data:`WORLDVIEWS`) read by the page and the stills alike. Each preset says
whether the Line of Control is drawn (dashed), whether the Pakistan-administered
territories (Gilgit-Baltistan, Azad Jammu and Kashmir) are drawn as India with the
boundary India's official maps show, what the territories on either side are called, how
the Durand Line is described in the legend, and the caption every output carries when
its frame includes Kashmir. The geometry is ``data/disputed.geojson``
(``scripts/make_disputed.py``); which official depiction each preset follows is in
``data/SOURCES.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo._errors import NO_VALUE, InputError, Problem, ValidationError
from geo._messages import N_

if TYPE_CHECKING:
    import geopandas as gpd

#: The kinds of feature of the disputed layer (``kind``), each needed once.
KINDS = (
    "line_of_control",
    "india_claim_line",
    "pakistan_administered",
    "india_administered",
    "aksai_chin",
    "trans_karakoram",
    "line_of_actual_control",
    "india_claim_line_china",
)
#: The China-administered areas India claims (``kind``), named by the worldview.
CHINA_AREAS = ("aksai_chin", "trans_karakoram")
#: The provinces (``iso_3166_2`` of ``provinces.geojson``) named by the worldview.
TERRITORIES = {"PK-GB": "gilgit_baltistan", "PK-JK": "azad_kashmir"}
#: Their names in ``provinces.geojson``: a map names them the worldview's way instead.
TERRITORY_NAMES = ("Gilgit-Baltistan", "Azad Jammu and Kashmir")
#: The stable ids (SVG ``gid``, page layer names) of what a worldview draws.
GIDS = {
    "loc": "worldview-line-of-control",
    "claim": "worldview-india-claim-line",
    "territory": "worldview-territory",
    "lac": "worldview-line-of-actual-control",
    "china": "worldview-china-administered",
}


@dataclass(frozen=True)
class Worldview:
    """How one preset draws Kashmir and describes the Durand Line.

    Attributes
    ----------
    name : str
        The preset's key (``--worldview``).
    loc : bool
        Draw the Line of Control, dashed.
    as_india : bool
        Draw the Pakistan-administered territories and the China-administered areas India
        claims (Aksai Chin, the Shaksgam Valley) as India (the neighbours' fill) and the
        boundaries India's official maps show, solid; no Line of Control nor Line of
        Actual Control. Otherwise the Line of Actual Control is drawn dashed.
    labels : dict
        Names of ``gilgit_baltistan``, ``azad_kashmir``, ``india_administered``,
        ``aksai_chin`` and ``trans_karakoram``, a line break before the status (the page
        and the stills break the name there).
    loc_label, claim_label : str
        Their legend entries.
    durand : str
        The Durand Line's legend entry.
    caption : str
        What every output whose frame includes Kashmir says about the depiction.
    china_caption : str
        Said after it when the frame includes the China-administered areas or the Line
        of Actual Control.
    follows : str
        The official depiction the preset follows (``data/SOURCES.md``).
    """

    name: str
    loc: bool
    as_india: bool
    labels: dict[str, str]
    durand: str
    caption: str
    china_caption: str
    follows: str
    loc_label: str = N_("Line of Control (de facto; not an agreed border)")
    claim_label: str = ""
    #: What the province outlines' tooltips give as the country of the two territories
    #: (their ``country`` code otherwise).
    territory_country: str = "PAK (Pakistan-administered; disputed)"
    #: The tooltip of the territory drawn as India (``as_india``).
    territory_tooltip: str = ""
    #: The Line of Actual Control's legend entry and tooltip (drawn unless ``as_india``).
    lac_label: str = N_("Line of Actual Control (India–China; de facto)")
    #: The one legend entry of the two dashed lines when a map shows both.
    lines_label: str = N_("Line of Control, Line of Actual Control (de facto; not agreed borders)")
    #: The tooltip of the China-administered areas drawn as India (``as_india``).
    china_tooltip: str = ""


_NEUTRAL_LABELS = {
    "gilgit_baltistan": "Gilgit-Baltistan\n(Pakistan-administered; disputed)",
    "azad_kashmir": "Azad Jammu and Kashmir\n(Pakistan-administered; disputed)",
    "india_administered": "Jammu and Kashmir, Ladakh\n(India-administered; disputed)",
    "aksai_chin": "Aksai Chin\n(China-administered; claimed by India)",
    "trans_karakoram": "Shaksgam Valley\n(China-administered; claimed by India)",
}
_NEUTRAL_CHINA = N_("Aksai Chin and the Shaksgam Valley: administered by China, claimed by India.")
_NEUTRAL_KASHMIR = N_(
    "Kashmir by de facto control: the Line of Control (dashed) is no agreed border; India and Pakistan each claim the whole former princely state of Jammu and Kashmir."
)

WORLDVIEWS: dict[str, Worldview] = {
    "neutral": Worldview(
        name="neutral",
        loc=True,
        as_india=False,
        labels=_NEUTRAL_LABELS,
        durand="Durand Line (not recognised by Afghanistan)",
        caption=_NEUTRAL_KASHMIR,
        china_caption=_NEUTRAL_CHINA,
        follows="no government's map: de facto lines, the disputed areas marked as such",
    ),
    "india": Worldview(
        name="india",
        loc=False,
        as_india=True,
        labels={
            "gilgit_baltistan": "Gilgit-Baltistan\n(Ladakh, India)",
            "azad_kashmir": "Pakistan-occupied Kashmir\n(Jammu and Kashmir, India)",
            "india_administered": "Jammu and Kashmir, Ladakh\n(India)",
            "aksai_chin": "Aksai Chin\n(Ladakh, India)",
            "trans_karakoram": "Shaksgam Valley\n(Ladakh, India)",
        },
        durand=(
            "Durand Line (not recognised by Afghanistan; India's maps show its part along "
            "Gilgit-Baltistan as India's border)"
        ),
        claim_label="India's boundary, as India's official maps draw it",
        territory_country="IND (India's official map; Pakistan-administered)",
        territory_tooltip=(
            "Gilgit-Baltistan (Ladakh) and Pakistan-occupied Kashmir (Jammu and Kashmir): "
            "India, as India's official map shows them; administered by Pakistan"
        ),
        china_tooltip=(
            "Aksai Chin and the Shaksgam Valley (Ladakh): India, as India's official map "
            "shows them; administered by China"
        ),
        caption=(
            "Kashmir as on India's official map (Nov 2019): Pakistan-administered Kashmir "
            "shown as India."
        ),
        china_caption=(
            "Aksai Chin and the Shaksgam Valley, administered by China, shown as India."
        ),
        follows="India's political map of 2 November 2019 (Survey of India, Ministry of Home Affairs)",
    ),
    "pakistan": Worldview(
        name="pakistan",
        loc=True,
        as_india=False,
        labels={
            "gilgit_baltistan": "Gilgit-Baltistan",
            "azad_kashmir": "Azad Jammu and Kashmir",
            "india_administered": (
                "Indian Illegally Occupied\nJammu and Kashmir\n(disputed territory)"
            ),
            "aksai_chin": "Aksai Chin\n(China-administered)",
            "trans_karakoram": "Shaksgam Valley\n(China-administered)",
        },
        durand="Durand Line (Pakistan–Afghanistan border; not recognised by Afghanistan)",
        loc_label="Line of Control",
        lac_label="Frontier undefined (Ladakh–China)",
        lines_label="Line of Control; frontier undefined (Ladakh–China)",
        territory_country="PAK",
        caption=(
            "Kashmir as on Pakistan's official map (Aug 2020): Jammu and Kashmir a disputed "
            "territory, its status to be settled under UN Security Council resolutions."
        ),
        china_caption=(
            'Its boundary with China along Ladakh is marked "frontier undefined" (dashed).'
        ),
        follows="Pakistan's political map unveiled on 4 August 2020",
    ),
    "afghanistan": Worldview(
        name="afghanistan",
        loc=True,
        as_india=False,
        labels=_NEUTRAL_LABELS,
        durand="Durand Line (Afghanistan does not recognise it as a border)",
        caption="Afghanistan does not recognise the Durand Line as a border. " + _NEUTRAL_KASHMIR,
        china_caption=_NEUTRAL_CHINA,
        follows=(
            "Afghan governments' stated position on the Durand Line; no Afghan depiction of "
            "Kashmir, which is drawn as in the neutral view"
        ),
    ),
}
DEFAULT = "neutral"


def worldview_of(value: str | Worldview | None, option: str = "--worldview") -> Worldview:
    """The preset named ``value`` (None: :data:`DEFAULT`); an unknown name stops with the
    accepted ones."""
    if isinstance(value, Worldview):
        return value
    if value is None:
        return WORLDVIEWS[DEFAULT]
    key = value.strip().lower() if isinstance(value, str) else value
    if key not in WORLDVIEWS:
        msg = f"{option} {value!r}: unknown worldview; accepted: {', '.join(WORLDVIEWS)}"
        raise InputError(msg)
    return WORLDVIEWS[key]


def read_disputed(path: str | Path) -> gpd.GeoDataFrame:
    """Read the disputed layer (``kind``, ``name``, ``licence``, ``attribution``): each of
    :data:`KINDS` once, else a clear error."""
    from geo._io import read_layer

    layer = read_layer(
        path,
        geom_types=("Point", "LineString", "MultiLineString", "Polygon", "MultiPolygon"),
        fields=("kind", "name"),
    )
    found = list(layer["kind"])
    missing = [k for k in KINDS if found.count(k) != 1]
    if missing:
        seen = sorted({str(k) for k in found})[:10]
        msg = (
            f"must hold each of {', '.join(KINDS)} once; missing or repeated: "
            f"{', '.join(missing)} (found {seen})"
        )
        raise ValidationError([Problem(str(path), "file", "kind", NO_VALUE, msg)])
    return layer.set_index(layer["kind"].to_numpy()).loc[list(KINDS)].reset_index(drop=True)


def part(disputed: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
    """The row of ``disputed`` of one kind (:data:`KINDS`)."""
    return disputed[disputed["kind"] == kind]


def shows_kashmir(
    disputed: gpd.GeoDataFrame | None, frame: tuple[float, float, float, float]
) -> bool:
    """Whether a frame (west, south, east, north, degrees) includes disputed Kashmir:
    it meets the territory, the Line of Control, the China-administered areas or the
    Line of Actual Control."""
    import shapely

    if disputed is None or not len(disputed):
        return False
    box = shapely.box(*frame)
    shapes = disputed.to_crs(4326)
    kinds = ["line_of_control", "pakistan_administered", *CHINA_AREAS, "line_of_actual_control"]
    shapes = shapes[shapes["kind"].isin(kinds)]
    return bool(shapes.geometry.intersects(box).any())


def shows_china(
    disputed: gpd.GeoDataFrame | None,
    frame: tuple[float, float, float, float],
    kinds: tuple[str, ...] = (*CHINA_AREAS, "line_of_actual_control"),
) -> bool:
    """Whether a frame (west, south, east, north, degrees) includes the China-administered
    areas India claims or the Line of Actual Control (``kinds``: which of them)."""
    import shapely

    if disputed is None or not len(disputed):
        return False
    box = shapely.box(*frame)
    shapes = disputed.to_crs(4326)
    shapes = shapes[shapes["kind"].isin(list(kinds))]
    return bool(shapes.geometry.intersects(box).any())


def legend_items(
    view: Worldview,
    *,
    line_color: str,
    loc_color: str,
    with_kashmir: bool,
    with_china: bool = False,
) -> list[dict[str, Any]]:
    """The legend's context entries the worldview adds: the Durand Line's (always), the
    Line of Control's or the claimed boundary's when the map shows Kashmir, and the Line
    of Actual Control's when it shows it (not for ``as_india``, which does not draw it):
    one entry for the two dashed lines, which look alike."""
    items: list[dict[str, Any]] = [{"kind": "line", "color": line_color, "label": view.durand}]
    if not with_kashmir:
        return items
    if view.loc and with_china and not view.as_india:
        items.append({"kind": "line", "color": loc_color, "dashed": True,
                      "label": view.lines_label, "worldview": "loc"})  # fmt: skip
        return items
    if view.loc:
        items.append({"kind": "line", "color": loc_color, "dashed": True, "label": view.loc_label,
                      "worldview": "loc"})  # fmt: skip
    if view.as_india:
        items.append({"kind": "line", "color": loc_color, "label": view.claim_label,
                      "worldview": "claim"})  # fmt: skip
    elif with_china:
        items.append({"kind": "line", "color": loc_color, "dashed": True, "label": view.lac_label,
                      "worldview": "lac"})  # fmt: skip
    return items


def territory_labels(
    view: Worldview,
    provinces: gpd.GeoDataFrame | None,
    disputed: gpd.GeoDataFrame | None,
    within: tuple[float, float, float, float] | None = None,
) -> list[tuple[str, float, float]]:
    """The worldview's names of the territories either side of the Line of Control and of
    the China-administered areas India claims, as ``(text, lon, lat)``: Gilgit-Baltistan
    and Azad Jammu and Kashmir at their provinces' label points, the India-administered
    side at the layer's point, Aksai Chin and the Shaksgam Valley at their own label
    points (those in ``within``)."""
    from geo.border import REGION_CRS
    from geo.render.labels import label_point

    if disputed is None or not len(disputed):
        return []
    out: list[tuple[str, float, float]] = []
    if provinces is not None and "iso_3166_2" in provinces:
        rows = provinces[provinces["iso_3166_2"].isin(list(TERRITORIES))]
        projected = rows.to_crs(REGION_CRS)
        for code, shape in zip(rows["iso_3166_2"], projected.geometry, strict=True):
            point = label_point(shape, within)
            if point is None:
                continue
            lon, lat = _to_lonlat(point.x, point.y)
            lon, lat = round(lon, 4), round(lat, 4)
            out.append((view.labels[TERRITORIES[code]], lon, lat))
    anchor = part(disputed, "india_administered").to_crs(4326).geometry
    if len(anchor):
        p = anchor.iloc[0]
        if within is None or _inside_projected(p.x, p.y, within):
            out.append((view.labels["india_administered"], float(p.x), float(p.y)))
    for kind in CHINA_AREAS:
        rows = part(disputed, kind)
        if not len(rows) or kind not in view.labels:
            continue
        point = label_point(rows.to_crs(REGION_CRS).geometry.iloc[0], within)
        if point is not None:
            lon, lat = _to_lonlat(point.x, point.y)
            out.append((view.labels[kind], round(lon, 4), round(lat, 4)))
    return out


def _to_lonlat(x: float, y: float) -> tuple[float, float]:
    from pyproj import Transformer

    from geo.border import REGION_CRS

    lon, lat = Transformer.from_crs(REGION_CRS, 4326, always_xy=True).transform(x, y)
    return float(lon), float(lat)


def _inside_projected(lon: float, lat: float, within: tuple[float, float, float, float]) -> bool:
    from pyproj import Transformer

    from geo.border import REGION_CRS

    x, y = Transformer.from_crs(4326, REGION_CRS, always_xy=True).transform(lon, lat)
    return within[0] <= x <= within[2] and within[1] <= y <= within[3]


def province_tooltips(view: Worldview, provinces: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The provinces as their outlines' tooltips name them: the two territories' country
    the worldview's way (:attr:`Worldview.territory_country`), the rest as given."""
    if "iso_3166_2" not in provinces or "country" not in provinces:
        return provinces
    mask = provinces["iso_3166_2"].isin(list(TERRITORIES))
    if not mask.any():
        return provinces
    return provinces.assign(country=provinces["country"].where(~mask, view.territory_country))


def for_inset(view: Worldview, layers: Any) -> Any:
    """The layers the locator inset draws (:mod:`geo.render.locator`): for a worldview
    drawing Pakistan-administered Kashmir as India, the land without the territory and the
    neighbours with it (at the inset's scale the cut needs no finer fit); else as given."""
    import dataclasses

    import geopandas as gpd
    import pandas as pd

    disputed = layers.disputed
    if not view.as_india or disputed is None or layers.countries is None:
        return layers
    territory = part(disputed, "pakistan_administered").to_crs(4326).geometry.iloc[0]
    land = layers.countries.to_crs(4326)
    land = land.set_geometry(land.geometry.difference(territory))
    china = disputed[disputed["kind"].isin(list(CHINA_AREAS))].to_crs(4326).geometry
    extra = gpd.GeoDataFrame(
        {"country": ["IND"] * (1 + len(china))}, geometry=[territory, *china], crs=4326
    )
    neighbours = layers.neighbours
    if neighbours is not None:
        extra = gpd.GeoDataFrame(
            pd.concat([neighbours.to_crs(4326)[["country", "geometry"]], extra], ignore_index=True),
            crs=4326,
        )
    return dataclasses.replace(layers, countries=land, neighbours=extra)
