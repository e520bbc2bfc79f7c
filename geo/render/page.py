"""The contract between Python and the page's JavaScript: one configuration object.

:class:`PageConfig` lists every key that ``geo/static/*.js`` reads from the configuration
(``cm.config`` in the page); the scripts read these keys and no others. Everything but the
last four keys travels as JSON in one ``<script type="application/json">`` block (see
``render/_util.script_json``); the last four are Leaflet objects that the init script of
:class:`MapPage` adds by name.

Names in the page, each for one thing:

- ``ConflictMap`` (Python, ``geo.render.basemap``): the ``folium.Map`` subclass, the document.
- ``GeoPage`` (JavaScript namespace): the page's scripts register here (``GeoPage.plugin``)
  and share their helpers (``GeoPage.util``, ``GeoPage.helpers``).
- ``Controller`` (JavaScript, ``controller.js``): the one object that holds the events, the
  filter and the layers; plugins get it as their argument.
- ``window.conflictMap`` (JavaScript): the page API for embeds and tests (README, "Page API").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict, cast

import folium
import geopandas as gpd
import numpy as np
import rcssmin
import rjsmin
from branca.element import Element, MacroElement
from folium.template import Template

from geo._memory import give_back
from geo.export import EXPORT_MARK, EXPORT_MARK_VALUE, FORMULA_START, NUMBER
from geo.render._util import script_json
from geo.render.assets import STATIC_JS, static_text
from geo.render.events import export_columns, page_data, type_entries
from geo.render.style import SIZES, symbol_config
from geo.schema import FIGURE_FIELDS


class TypeEntry(TypedDict):
    """One event type present in the data."""

    name: str
    """The ACLED event type, also the name of its layer."""
    label: str
    """Layer control label with the count of events."""
    color: str
    """``#rrggbb`` colour (Okabe–Ito)."""
    count: int
    """Events of this type in the page."""


class PageConfig(TypedDict):
    """Everything the page's JavaScript reads, defined once."""

    types: list[TypeEntry]
    """Event types present, in legend order; a type's index is its code in the page."""
    sizes: list[float]
    """Circle radius in pixels of each whole figure from 0 (:func:`geo.render.style.size_table`):
    the page looks radii up here, the last entry for larger figures, the first for none."""
    symbols: dict[str, Any]
    """How circles are sized for the map's size and zoom and drawn
    (:func:`geo.render.style.symbol_config`): ``frame`` (:data:`geo.render.style.SYMBOL_FRAME`),
    fill, stroke and halo opacities and widths, the dash of an approximate date, and
    ``muted`` (:data:`geo.render.style.MUTED`): how events outside a highlight are drawn."""
    figure: list[str]
    """The fields whose first present value is an event's figure
    (:data:`geo.schema.FIGURE_FIELDS`): what sizes its circle and what the minimum
    fatalities filter compares."""
    initialRange: list[int]
    """The date range the page opens on, ``[first, last]`` day numbers since 1970-01-01
    (inclusive). Without ``--start``/``--end`` it is every event's span, as the stills of
    the same build show."""
    dataRange: list[int]
    """The span of all events (``[first start, last end]`` day numbers), or the initial
    range when there are none: "All dates" and the time axis cover it."""
    data: dict[str, Any]
    """The events (``render.events.page_data``): plain JSON columns when small
    (``render.events.encode_events``: ``{n, columns}``), else binary columns
    (``render.events.encode_binary``, ``pack``: ``{n, columns, buffers}``, each buffer
    gzip-compressed in base64-encoded parts)."""
    csv: dict[str, str]
    """The CSV rule of the downloads (``geo.export.safe_cell``): ``formulaStart`` (the
    characters a formula starts with), ``number`` (the pattern of a plain number), ``mark``
    and ``markValue`` (the last column of an export, and its value)."""
    exportColumns: list[str]
    """Canonical columns, in order, of the CSV and GeoJSON the page downloads (those the
    page carries; ``latitude``/``longitude`` and the source columns are added)."""
    legend: list[dict[str, Any]]
    """Legend sections (``render.legend.legend_sections``)."""
    title: str
    """The map title (also the base of download file names)."""
    description: str | None
    """A line under the title, or None for the live caption only."""
    alt: str | None
    """What the map shows, in words, for screen readers (``--alt``), or None."""
    emptyNote: str | None
    """What an empty build says ("No events between ..."), or None."""
    buildFilters: list[str]
    """The build's filters other than dates (``Filters.describe``), stated in the caption."""
    frame: list[list[float]] | None
    """``[[south, west], [north, east]]``: what the page opens on and prints
    (``render.framing.frame_box``, the stills' frame too)."""
    offlineBase: str
    """Name of the offline vector basemap the page falls back to."""
    attributions: list[str]
    """Escaped credits of the context layers."""
    choropleth: dict[str, Any] | None
    """Province choropleth spec (``render.choropleth``), or None."""
    inset: NotRequired[dict[str, Any] | None]
    """The locator inset (``render.locator.page_config``): the box it shows, the two
    countries and their neighbours as encoded polylines, its style; None or absent for no
    inset (``--no-inset``, or a frame as large as the two countries)."""
    labels: dict[str, Any]
    """The offline basemap's names (``render.labels.page_config``): the placement rules
    (candidates, distances), the styles, the panes, the selector of what labels keep clear
    of, and the labels in priority order, ``[kind, text, lon, lat]``; the editor's callouts
    (``notes``, ``[text, lon, lat, event id, first day, last day, nudge]``) and their pane
    (``notePane``)."""
    methods: NotRequired[dict[str, Any]]
    """The "Sources and methods" panel (:meth:`geo.methods.Methods.config`): ``lines``
    (each source's credit with the date of its data, the filters in force, the fields the
    tool derived, the row download) and ``terms`` (per source: ``name``, ``clause``,
    ``where``, ``url`` or null). Text: the page sets it with ``textContent``."""
    download: NotRequired[bool]
    """Whether the page offers its rows as CSV/GeoJSON (:mod:`geo.terms`: off where a
    source's terms forbid it, unless ``--allow-download``); ``exportColumns`` is empty when
    off."""
    highlight: dict[str, Any] | None
    """The highlight (``--highlight``, :mod:`geo.highlight`), or None: ``description``
    (what is in colour, in words: text from the user) and ``specs`` (as given). Which
    events it picks is the events' ``highlighted`` column (1: in colour), evaluated in
    Python; the page only draws and counts it."""
    i18n: NotRequired[dict[str, Any]]
    """The language edition's data (:func:`geo.render.edition.edition_config`; only in the
    ``ps``, ``fa-AF`` and ``ur`` pages, read by ``edition.js``): ``lang``, ``dir``, ``digits``,
    ``strings`` (the catalogue's messages with placeholders, text), ``gregorian`` and
    ``solar`` month names, date patterns and the Solar Hijri years' first days."""
    map: NotRequired[Any]
    """The Leaflet map (added by the init script)."""
    control: NotRequired[Any]
    """The Leaflet layer control (added by the init script)."""
    contextLayers: NotRequired[Any]
    """``[{name, layer}]`` of the context layers the API may toggle (init script)."""
    baseLayers: NotRequired[Any]
    """``[{name, layer}]`` of the base layers (init script)."""


@functools.cache
def page_script() -> str:
    """The page's own scripts (:data:`STATIC_JS`, in load order) as the page carries them:
    minified by ``rjsmin`` (comments and needless whitespace out, every name and string
    as written). The readable sources stay in ``geo/static``."""
    return rjsmin.jsmin("\n".join(static_text(name) for name in STATIC_JS))


@functools.cache
def page_style() -> str:
    """The page's own style sheet (``conflictmap.css``) minified by ``rcssmin``."""
    return rcssmin.cssmin(static_text("conflictmap.css"))


class MapPage(MacroElement):
    """One overlay per event type plus the page API, fed from a single JSON block.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Canonical events (EPSG:4326).
    control : folium.LayerControl
        The layer control the type overlays are added to; must be on the map already.
    context : list of (str, folium element)
        Context layers (line, belt, provinces...) that the page API may toggle by name.
    initial_range : (int, int)
        Initial date range as day numbers since 1970-01-01.
    highlighted : numpy.ndarray of bool, optional
        The highlight's flags (:meth:`geo.highlight.Highlight.mask`), carried as the
        events' last column, ``highlighted``.
    fields : sequence of str, optional
        The event fields the page may carry (:attr:`geo.methods.Methods.fields`); None for
        every field it has.
    download : bool
        Whether the page offers its rows (False: no ``exportColumns``, no download).
    lang : str
        The edition (:mod:`geo.render.edition`): ``"en"``, the page's own scripts and
        style; another, their edition and its font.
    """

    #: Written as pieces of their own by geo.render.html.page_pieces, never copied into the page.
    large_texts = ("config",)

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
            <script>{{ this.js }}</script>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <script type="application/json" id="{{ this.get_name() }}_config">{{ this.config }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            GeoPage.init(L.extend(
                JSON.parse(document.getElementById("{{ this.get_name() }}_config").textContent),
                {
                    map: {{ this._parent.get_name() }},
                    control: {{ this.control.get_name() }},
                    contextLayers: [
                    {%- for name, layer in this.context %}
                        {name: {{ name|tojson }}, layer: {{ layer.get_name() }}},
                    {%- endfor %}
                    ],
                    baseLayers: [
                    {%- for name, layer in this.bases %}
                        {name: {{ name|tojson }}, layer: {{ layer.get_name() }}},
                    {%- endfor %}
                    ]
                }
            ));
        {% endmacro %}
        """
    )

    def __init__(
        self,
        events: gpd.GeoDataFrame,
        *,
        control: folium.LayerControl,
        context: Sequence[tuple[str, MacroElement]],
        bases: Sequence[tuple[str, Element]] = (),
        initial_range: tuple[int, int],
        data_range: tuple[int, int] | None = None,
        extra: dict[str, Any] | None = None,
        highlighted: np.ndarray | None = None,
        fields: Sequence[str] | None = None,
        download: bool = True,
        lang: str = "en",
    ) -> None:
        super().__init__()
        self._name = "MapPage"
        self.control = control
        self.context = context
        self.bases = bases
        data = page_data(events, highlighted, fields=fields)
        #: The event columns the page carries (for the build's summary line).
        self.columns: list[str] = list(data["columns"])
        give_back()  # the encoding's scratch memory, before the configuration text is made
        config = cast(
            PageConfig,
            {
                "types": type_entries(events),
                "sizes": list(SIZES),
                "symbols": symbol_config(),
                "figure": list(FIGURE_FIELDS),
                "initialRange": list(initial_range),
                "dataRange": list(data_range or initial_range),
                "data": data,
                "exportColumns": export_columns(events, data) if download else [],
                "csv": {
                    "formulaStart": FORMULA_START,
                    "number": NUMBER,
                    "mark": EXPORT_MARK,
                    "markValue": EXPORT_MARK_VALUE,
                },
                **(extra or {}),
            },
        )
        self.config = script_json(config)
        self.js, self.css = page_script(), page_style()
        if lang != "en":  # an edition (geo.render.edition); the English page is the source
            from geo.render.edition import edition_script, edition_style, page_strings

            self.js = edition_script(lang)
            self.css += edition_style(lang, page_strings(dict(config), lang))
