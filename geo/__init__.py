"""geo: layered, date-filterable maps of conflict events along the Durand Line."""

from importlib.metadata import PackageNotFoundError, version

from geo._errors import Problem, ValidationError
from geo.border import read_border, read_crossings
from geo.events import COLUMNS, EVENT_TYPES, LoadReport, load_events, read_events
from geo.export import save_html, save_map, to_html
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
    "LoadReport",
    "Problem",
    "ValidationError",
    "build_map",
    "filter_events",
    "load_events",
    "read_border",
    "read_crossings",
    "read_events",
    "read_provinces",
    "save_html",
    "save_map",
    "to_html",
]
