"""The map: a folium map that loads Leaflet only, built from the events and the context.

:func:`build_map` draws every layer and adds the page (:class:`geo.render.page.MapPage`);
the :class:`ConflictMap` it returns renders and saves itself (:mod:`geo.render.html` for
the page, :mod:`geo.render.static` for the stills).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import pandas as pd

from geo.context import Layers
from geo.filters import Filters
from geo.i18n.names import credits as names_credits
from geo.i18n.names import local_name
from geo.i18n.words import day, joined, tr
from geo.methods import Methods
from geo.render.annotations import resolve
from geo.render.basemap import (
    BASEMAP_PANE,
    LABEL_PANE,
    LEAFLET_CSS,
    LEAFLET_JS,
    OFFLINE_NAME,
    add_base_layers,
    add_offline_basemap,
    stabilise_ids,
)
from geo.render.border import add_belt, add_border, add_crossings
from geo.render.choropleth import add_choropleth
from geo.render.disputed import add_disputed, caption_section, legend_parts
from geo.render.edition import map_title
from geo.render.framing import frame_box, leaflet_bounds, wants_inset
from geo.render.html import save_html, to_html
from geo.render.labels import map_labels
from geo.render.labels import page_config as label_config
from geo.render.legend import highlight_section, legend_sections
from geo.render.locator import page_config as locator_config
from geo.render.options import (
    MapOptions,
    credit_parts,
    layer_credits,
    map_methods,
    named_layers,
    output_format,
)
from geo.render.page import MapPage
from geo.render.provinces import add_provinces
from geo.worldview import DEFAULT as DEFAULT_WORLDVIEW
from geo.worldview import (
    TERRITORY_NAMES,
    for_inset,
    province_tooltips,
    territory_labels,
    worldview_of,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from geo.render.static import ImageSize

__all__ = ["ConflictMap", "MapOptions", "build_map", "empty_message"]


class ConflictMap(folium.Map):
    """A :class:`folium.Map` that loads Leaflet and nothing else, and saves itself.

    Folium's default page pulls in jQuery, Bootstrap and Font Awesome from five CDNs; none
    of the layers here needs them, and every extra host is one more thing that breaks
    offline or when a CDN moves. :func:`build_map` records on the map what its outputs
    need (:attr:`events`, :attr:`layers`, :attr:`filters`, :attr:`map_options`), so every map
    saves as a page or a still.
    """

    default_js = [("leaflet", LEAFLET_JS)]  # noqa: RUF012 - folium's own convention
    default_css = [("leaflet_css", LEAFLET_CSS)]  # noqa: RUF012
    #: The events drawn, the layers, the filters applied and the options (build_map).
    events: gpd.GeoDataFrame
    layers: Layers
    filters: Filters
    map_options: MapOptions
    #: What :func:`geo.api.prepare` found on the way (problems, warnings), when it made
    #: the events; None for a map built from a frame.
    prepared: Any = None
    #: The event columns the page carries (:attr:`geo.render.page.MapPage.columns`).
    page_columns: list[str] | None = None

    def save(  # type: ignore[override]
        self,
        outfile: str | Path,
        close_file: bool = True,
        *,
        self_contained: bool = True,
        size: ImageSize | str | None = None,
        **size_options: Any,
    ) -> Path:
        """Write the map atomically in the format the suffix names; returns the path.

        ``.html``: the self-contained page (``self_contained=False`` links Leaflet from its
        CDN). ``.png``, ``.svg``, ``.pdf``: a still, of ``size`` (an
        :class:`~geo.render.static.ImageSize`) or of ``size_options`` (``size="1600x1000"``,
        ``width_mm``, ``height_mm``, ``dpi``: :func:`~geo.render.static.image_size`).
        """
        if not isinstance(outfile, str | Path):
            msg = "ConflictMap.save needs a file path (str or Path)"
            raise TypeError(msg)
        path = Path(outfile)
        if output_format(path) != "html":
            from geo.render.static import ImageSize, image_size, save_static

            box = size if isinstance(size, ImageSize) else image_size(size=size, **size_options)
            return save_static(self.still(box), path)
        return save_html(self, path, self_contained=self_contained)

    def still(self, size: ImageSize | None = None) -> Figure:
        """The map as a matplotlib figure (:func:`geo.render.static.static_map`)."""
        from geo.render.static import static_map

        return static_map(
            self.events,
            layers=self.layers,
            filters=self.filters,
            options=self.map_options,
            size=size,
        )

    def credits(self) -> list[str]:
        """Every source and licence of the map, as its stills and its embed snippet state
        them (:func:`geo.render.options.credit_parts`), and its worldview's caption when it
        draws disputed Kashmir (the page can always be moved there)."""
        _, caption = legend_parts(
            worldview_of(self.map_options.worldview),
            self.layers.disputed,
            with_kashmir=True,
            lang=self.map_options.lang,
        )
        extra = (*self.map_options.credits, *names_credits(self.map_options.lang))
        parts = credit_parts(
            self.events, named_layers(self.layers), extra, methods=self.methods()
        )  # fmt: skip
        return [*parts, caption] if caption else parts

    def methods(self) -> Methods:
        """The map's "Sources and methods" (:func:`geo.render.options.map_methods`): what
        its page, stills, batch index and embed snippet state."""
        return map_methods(self.events, self.filters, self.map_options)

    def _repr_html_(self, **kwargs: Any) -> str:
        """Inline in Jupyter: the self-contained page in a sandboxed frame (no CDN)."""
        page = html.escape(to_html(self, self_contained=True), quote=True)
        return (
            '<div style="width:100%;max-width:1200px"><iframe srcdoc="' + page + '" '
            'style="width:100%;height:560px;border:0" sandbox="allow-scripts allow-popups" '
            'title="Conflict map" loading="lazy"></iframe></div>'
        )


_EPOCH = pd.Timestamp("1970-01-01")
#: The editor's callouts (render.annotations): over the events and the town names.
NOTE_PANE = "geoNotes"


def _day(ts: pd.Timestamp) -> int:
    return int((ts - _EPOCH) / pd.Timedelta(days=1))


def _data_range(events: gpd.GeoDataFrame) -> tuple[int, int] | None:
    if not len(events):
        return None
    return _day(events["date_start"].min()), _day(events["date_end"].max())


def _initial_range(
    events: gpd.GeoDataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> tuple[int, int]:
    if len(events):  # the window asked for, else every event's span: as in the stills
        lo, hi = events["date_start"].min(), events["date_end"].max()
    else:  # nothing to span: the window asked for, or one day of it
        lo = start if start is not None else end
        lo = lo if lo is not None else pd.Timestamp("2026-01-01")
        hi = end if end is not None else lo
    a, b = _day(start if start is not None else lo), _day(end if end is not None else hi)
    return min(a, b), max(a, b)


def empty_message(filters: Filters | None = None, lang: str = "en") -> str:
    """What an empty map says: ``No events between 1 Jan 2030 and 31 Dec 2030``, with the
    other filters that chose nothing (``(types: Riots; at least 10 killed)``), in the
    edition ``lang`` (:mod:`geo.i18n.words`)."""
    filters = filters if filters is not None else Filters()
    start, end = filters.start, filters.end
    if start is not None and end is not None:
        text = tr("No events between {start} and {end}", lang, start=day(start, lang),
                  end=day(end, lang))  # fmt: skip
    elif start is not None:
        text = tr("No events from {start} on", lang, start=day(start, lang))
    elif end is not None:
        text = tr("No events up to {end}", lang, end=day(end, lang))
    else:
        text = tr("No events to show", lang)
    others = filters.describe(lang)
    return (
        tr("{text} ({filters})", lang, text=text, filters=joined(others, lang)) if others else text
    )


def _describe(
    events: gpd.GeoDataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None
) -> str:
    if events.empty:
        return empty_message(Filters(start=start, end=end))
    first, last = events["date_start"].min(), events["date_end"].max()
    return f"{len(events):,} events, {first:%d %b %Y} to {last:%d %b %Y}"


def _overlays(
    m: folium.Map,
    events: gpd.GeoDataFrame,
    layers: Layers,
    choropleth: str | None,
    worldview: str = DEFAULT_WORLDVIEW,
    lang: str = "en",
) -> tuple[list[tuple[str, folium.GeoJson]], dict[str, Any] | None]:
    """Draw the context overlays, bottom first; their names and layers for the page API,
    and the choropleth's spec and legend (or None). An edition (``lang``) names the
    provinces and crossings in its script."""
    context: list[tuple[str, folium.GeoJson]] = []
    choro: dict[str, Any] | None = None
    provinces, belt = layers.provinces, layers.belt
    if provinces is not None and choropleth is not None:
        layer, choro = add_choropleth(m, provinces, events, measure=choropleth)
        context.append((choro["spec"]["layer"], layer))
    if provinces is not None:  # the tooltips name the disputed territories' status
        shown = province_tooltips(worldview_of(worldview), provinces)
        if lang != "en":  # a territory the worldview words is not in the names file: kept
            shown = shown.assign(
                province=[local_name("province", str(p), lang) for p in shown["province"]]
            )
        context.append(("Provinces", add_provinces(m, shown)))
    if belt is not None:
        name = f"Border belt ({belt['width_km'].iat[0]:g} km)"
        context.append((name, add_belt(m, belt, name=name)))
    if layers.disputed is not None:  # drawn by the worldview, never switched off
        add_disputed(m, layers.disputed, worldview_of(worldview))
    if layers.border is not None:
        context.append(("Durand Line", add_border(m, layers.border)))
    if layers.crossings is not None:
        context.append(("Border crossings", add_crossings(m, layers.crossings, lang=lang)))
    return context, choro


def _attributions(
    methods: Methods,
    options: MapOptions,
    *layers: gpd.GeoDataFrame | None,
    caption: str | None = None,
) -> list[str]:
    """Escaped credits, each once: the events' sources with the date of their data
    (ACLED, UCDP GED...: ``methods``), every context file (attribution plus licence), the
    options' own credits, the worldview's caption, then the popups' sources."""
    seen: list[str] = []
    credits = [tr("Data: {credit}", methods.lang, credit=c) for c in methods.credits]
    credits += [c for layer in layers for c in layer_credits(layer)]
    # the credits are joined by commas
    credits += [caption.rstrip(".\u06d4")] if caption else []
    for credit in [*credits, *options.credits, *names_credits(options.lang)]:
        if html.escape(credit) not in seen:
            seen.append(html.escape(credit))
    return [*seen, "event sources in each popup"]


def build_map(
    events: gpd.GeoDataFrame,
    *,
    layers: Layers | None = None,
    filters: Filters | None = None,
    options: MapOptions | None = None,
    prepared: Any = None,
) -> ConflictMap:
    """Build the layered map.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Canonical events, already filtered (enriched ones show distance and side).
    layers : Layers, optional
        The context layers; each one given gets its own toggle (the belt under the line;
        land and towns form the offline vector basemap).
    filters : Filters, optional
        The filters the events were chosen by. Its date window is the one the page opens
        with; without one, the page opens on every event, as the stills of the build show.
    options : MapOptions, optional
        Title, description, choropleth measure, credits.
    prepared : optional
        Kept on the map as :attr:`ConflictMap.prepared` for the caller.

    Returns
    -------
    ConflictMap
        The map; its element ids are stable, so rendering it twice gives the same bytes.
    """
    layers = layers if layers is not None else Layers()
    filters = filters if filters is not None else Filters()
    options = options if options is not None else MapOptions()
    start, end = filters.start, filters.end
    title, description, choropleth = options.title, options.description, options.choropleth
    title = map_title(title, options.lang)  # the default title in the edition's language
    border, belt, provinces, crossings = (
        layers.border,
        layers.belt,
        layers.provinces,
        layers.crossings,
    )
    callouts = resolve(options.annotations, events)  # an unknown event id stops here
    m = ConflictMap(location=(33.0, 68.0), zoom_start=6, tiles=None, control_scale=True)
    bases = add_base_layers(
        m, title=title, description=description or _describe(events, start, end)
    )
    offline = add_offline_basemap(m, layers.countries, layers.neighbours)
    context, choro = _overlays(m, events, layers, choropleth, options.worldview, options.lang)
    control = folium.LayerControl(collapsed=False, position="topright")
    control.add_to(m)
    # the highlight, evaluated once (geo.highlight): the page gets its flags as a column
    highlight = options.highlight
    highlighted = highlight.mask(events) if highlight is not None else None
    # the page can be moved to Kashmir whatever it frames first: its worldview's entries
    # and caption whenever it draws the disputed layer
    lines, caption = legend_parts(
        worldview_of(options.worldview), layers.disputed, with_kashmir=True, lang=options.lang
    )
    legend = legend_sections(
        events,
        has_belt=belt is not None,
        has_crossings=crossings is not None,
        extra=[*caption_section(caption), *([choro["legend"]] if choro else [])],
        highlight=(
            highlight_section(highlight.describe(), highlighted)
            if highlight is not None and highlighted is not None
            else None
        ),
        lines=lines,
    )
    framed = frame_box(
        events,
        extent=options.extent,
        border=border,
        provinces=provinces,
        chosen_provinces=filters.provinces,
    )
    methods = map_methods(events, filters, options)
    page = {
        # the "Sources and methods" panel (geo.methods), and whether the rows may be downloaded
        "methods": methods.config(),
        "download": methods.download,
        "legend": legend,
        "title": title,
        # the page writes the live count and date span itself; a given description stays
        "description": description,
        # what the map shows, in words, for screen readers (--alt): text, never markup
        "alt": options.alt,
        "emptyNote": empty_message(filters, options.lang) if events.empty else None,
        # the build's own filters, as the stills' subtitle states them
        "buildFilters": filters.describe(options.lang),
        # the page frames this box in the room its panels leave (layout.js): the rule
        # every output follows (render.framing)
        "frame": leaflet_bounds(framed),
        # the locator inset where the frame is smaller than the two countries (or asked for)
        "inset": (
            locator_config(for_inset(worldview_of(options.worldview), layers), framed)
            if wants_inset(framed, options.inset)
            else None
        ),
        "offlineBase": OFFLINE_NAME,
        "attributions": _attributions(
            methods,
            options,
            border,
            provinces,
            crossings,
            layers.countries,
            layers.neighbours,
            layers.disputed,
        ),  # the worldview's caption is the legend's (on screen and in print), said once
        "choropleth": choro["spec"] if choro else None,
        # the offline basemap's names, placed by the page at every view (render.labels)
        "labels": label_config(
            map_labels(
                neighbours=layers.neighbours,
                cities=layers.cities,
                provinces=provinces,
                events=events,
                territories=territory_labels(
                    worldview_of(options.worldview), provinces, layers.disputed
                ),
                renamed=TERRITORY_NAMES,
                lang=options.lang,
            ),
            under_pane=BASEMAP_PANE,
            over_pane=LABEL_PANE,
            notes=callouts,
            note_pane=NOTE_PANE,
        ),
        # what is in colour, in words (text from the user: the page sets it as text), and
        # the specs as given; the flags themselves are the events' "highlighted" column
        "highlight": (
            {"description": highlight.describe(), "specs": list(highlight.specs)}
            if highlight is not None
            else None
        ),
    }
    if options.lang != "en":  # a language edition (geo.render.edition)
        from geo.render.edition import edition_config, localise_legend

        page["legend"] = localise_legend(legend, options.lang)
        page["i18n"] = edition_config(options.lang)
    if callouts:
        folium.map.CustomPane(NOTE_PANE, z_index=470, pointer_events=False).add_to(m)
    page_element = MapPage(
        events,
        control=control,
        context=context,
        bases=[*bases, (OFFLINE_NAME, offline)],
        initial_range=_initial_range(events, start, end),
        data_range=_data_range(events),
        extra=page,
        highlighted=highlighted,
        fields=methods.fields,
        download=methods.download,
        lang=options.lang,
    )
    page_element.add_to(m)
    stabilise_ids(m.get_root())
    m.events, m.layers, m.filters, m.map_options = events, layers, filters, options
    m.prepared = prepared
    m.page_columns = page_element.columns
    return m
