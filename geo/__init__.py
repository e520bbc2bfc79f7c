"""geo: layered, date-filterable maps of conflict events along the Durand Line."""

from importlib.metadata import PackageNotFoundError, version

from geo._errors import InputError, Problem, ValidationError
from geo.analysis import aggregate, enrich
from geo.api import Context, conflict_map, load_context, prepare, validate
from geo.border import border_belt, read_border, read_cities, read_countries, read_crossings
from geo.events import COLUMNS, EVENT_TYPES, LoadReport, load_events, read_events, read_frame
from geo.export import save_html, save_map, to_html, write_events
from geo.provinces import read_provinces
from geo.render import build_map
from geo.timefilter import filter_events

try:
    __version__ = version("geo")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "COLUMNS",
    "EVENT_TYPES",
    "Context",
    "InputError",
    "LoadReport",
    "Problem",
    "ValidationError",
    "aggregate",
    "border_belt",
    "build_map",
    "conflict_map",
    "enrich",
    "filter_events",
    "load_context",
    "load_events",
    "prepare",
    "read_border",
    "read_cities",
    "read_countries",
    "read_crossings",
    "read_events",
    "read_frame",
    "read_provinces",
    "save_html",
    "save_map",
    "to_html",
    "validate",
    "write_events",
]
