"""geo: layered, date-filterable maps of conflict events along the Durand Line."""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from geo._errors import InputError, Problem, ValidationError

if TYPE_CHECKING:
    from geo.analysis import aggregate, enrich
    from geo.api import Engine, conflict_map, export_events, prepare, save_map, stats, validate
    from geo.border import border_belt, read_border, read_cities, read_countries, read_crossings
    from geo.context import Context, Layers, load_context
    from geo.diff import Diff, correction, diff_events, write_change_map
    from geo.events import LoadReport, load_events, read_events, read_frame
    from geo.export import write_events
    from geo.provinces import read_provinces
    from geo.pull.run import pull_events
    from geo.pull.store import access_credits
    from geo.render import build_map
    from geo.render.html import save_html, to_html
    from geo.timefilter import filter_events

#: The public names, imported on first use: ``import geo`` (and the ``geo`` command's
#: start-up) does not load geopandas, folium and the renderers before a command needs them.
_LAZY = {
    "aggregate": "geo.analysis",
    "enrich": "geo.analysis",
    "Context": "geo.context",
    "Engine": "geo.api",
    "Filters": "geo.filters",
    "Layers": "geo.context",
    "export_events": "geo.api",
    "stats": "geo.api",
    "conflict_map": "geo.api",
    "load_context": "geo.context",
    "prepare": "geo.api",
    "validate": "geo.api",
    "border_belt": "geo.border",
    "read_border": "geo.border",
    "read_cities": "geo.border",
    "read_countries": "geo.border",
    "read_crossings": "geo.border",
    "COLUMNS": "geo.schema",
    "EVENT_TYPES": "geo.schema",
    "LoadReport": "geo.events",
    "load_events": "geo.events",
    "read_events": "geo.events",
    "read_frame": "geo.events",
    "save_html": "geo.render.html",
    "save_map": "geo.api",
    "to_html": "geo.render.html",
    "write_events": "geo.export",
    "read_provinces": "geo.provinces",
    "build_map": "geo.render",
    "filter_events": "geo.filters",
    "Diff": "geo.diff",
    "correction": "geo.diff",
    "diff_events": "geo.diff",
    "write_change_map": "geo.diff",
    "pull_events": "geo.pull.run",
    "access_credits": "geo.pull.store",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


try:
    __version__ = version("geo")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "COLUMNS",
    "EVENT_TYPES",
    "Context",
    "Diff",
    "Engine",
    "Filters",
    "InputError",
    "Layers",
    "LoadReport",
    "Problem",
    "ValidationError",
    "access_credits",
    "aggregate",
    "border_belt",
    "build_map",
    "conflict_map",
    "correction",
    "diff_events",
    "enrich",
    "export_events",
    "filter_events",
    "load_context",
    "load_events",
    "prepare",
    "pull_events",
    "read_border",
    "read_cities",
    "read_countries",
    "read_crossings",
    "read_events",
    "read_frame",
    "read_provinces",
    "save_html",
    "save_map",
    "stats",
    "to_html",
    "validate",
    "write_change_map",
    "write_events",
]
