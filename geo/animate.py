"""Animated maps: one still per week, month, quarter or year, as a GIF or an MP4.

Each frame is drawn by the static renderer (:func:`geo.render.static.static_map`) exactly as
``geo build --start … --end … --out x.png`` draws that period: the same symbols, legend,
credits and subtitle, with the period stamped under the title. Every frame keeps one frame
of the map (the framing rule applied to all the events of the animation), so the map does
not jump from frame to frame. ``cumulative`` shows everything from the first period to the
current one.

GIFs are written by Pillow, MP4s (H.264) by PyAV, whose wheels carry their own FFmpeg: no
system encoder is needed. Both are byte-identical across runs of the same input and
versions (the encoder runs on one thread, no time stamp is written).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo._atomic import write_bytes_atomic
from geo._errors import InputError
from geo.batch import Period, periods
from geo.context import Layers
from geo.filters import Filters
from geo.i18n.words import day, tr
from geo.schema import ANIMATION_PERIODS, FRAME_MS, SOCIAL_SIZES

if TYPE_CHECKING:
    import geopandas as gpd

    from geo.render.options import MapOptions
    from geo.render.static import ImageSize

__all__ = [
    "ANIMATION_FORMATS",
    "ANIMATION_PERIODS",
    "SOCIAL_SIZES",
    "Frame",
    "animate",
    "frames",
    "write_animation",
]

#: Output formats by file suffix.
ANIMATION_FORMATS = {".gif": "gif", ".mp4": "mp4"}
#: How long the last period is shown, in milliseconds (three times the default frame).
LAST_FRAME_MS = 3000
#: Frames per second of an MP4 (each period's picture is repeated for its duration).
MP4_FPS = 10
#: The most frames an animation draws (about eight years of weeks).
MAX_FRAMES = 420


@dataclass(frozen=True)
class Frame:
    """One picture of an animation: its period, the window shown and its image."""

    period: Period
    start: pd.Timestamp
    end: pd.Timestamp
    events: int
    rgb: np.ndarray


def animation_format(path: str | Path) -> str:
    """``gif`` or ``mp4`` from the output's suffix; anything else is refused."""
    suffix = Path(path).suffix.lower()
    if suffix not in ANIMATION_FORMATS:
        accepted = ", ".join(ANIMATION_FORMATS)
        msg = f"--out {str(path)!r}: an animation is written as {accepted}, not {suffix or 'no suffix'!r}"
        raise InputError(msg)
    return ANIMATION_FORMATS[suffix]


def _stamp(p: Period, period: str, first: Period, cumulative: bool, lang: str = "en") -> str:
    """The period's words stamped on its frame: ``October 2025``, ``Week of 6 Oct 2025``, in
    the edition ``lang`` (its words, month names, calendar and digits)."""
    if cumulative and p is not first:
        start = first.name if period != "week" else day(first.start.date(), lang)
        return tr("{start} to {end}", lang, start=start, end=p.name)
    return p.name[:1].upper() + p.name[1:]


def _check_frame_count(events: gpd.GeoDataFrame, period: str, filters: Filters) -> None:
    """Refuse more than :data:`MAX_FRAMES` periods before counting the events of each."""
    if period not in ANIMATION_PERIODS:
        return  # periods() names the accepted ones
    lo = (
        filters.start
        if filters.start is not None
        else (events["date_start"].min() if len(events) else None)
    )
    hi = (
        filters.end
        if filters.end is not None
        else (events["date_end"].max() if len(events) else None)
    )
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return
    span = pd.period_range(lo, hi, freq=ANIMATION_PERIODS[period])
    if len(span) > MAX_FRAMES:
        msg = (
            f"{len(span)} {period}s from {lo:%d %b %Y} to {hi:%d %b %Y} is more than "
            f"{MAX_FRAMES} frames; choose a longer --period or a shorter --start/--end window"
        )
        raise InputError(msg)


def frames(
    events: gpd.GeoDataFrame,
    *,
    period: str,
    layers: Layers | None = None,
    filters: Filters | None = None,
    options: MapOptions | None = None,
    size: ImageSize | None = None,
    cumulative: bool = False,
) -> Iterator[Frame]:
    """Draw each period's frame (a generator: one figure in memory at a time).

    ``events`` are the events ``filters`` kept; the periods run from ``filters.start`` (else
    the first event) to ``filters.end`` (else the last one), empty ones included, so time runs
    evenly.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from geo.render.framing import frame_box
    from geo.render.options import MapOptions
    from geo.render.static import figure_rc, image_size, static_map

    layers = layers if layers is not None else Layers()
    filters = filters if filters is not None else Filters()
    options = options if options is not None else MapOptions()
    size = size or image_size(size=SOCIAL_SIZES["square"])
    _check_frame_count(events, period, filters)
    lang = options.lang
    items = periods(events, period, start=filters.start, end=filters.end,
                    freqs=ANIMATION_PERIODS, lang=lang)  # fmt: skip
    if not items:
        msg = "no events to animate: the filters keep none and no --start/--end window is given"
        raise InputError(msg)
    # one frame for the whole animation, by the rule every output follows
    box = frame_box(
        events,
        extent=options.extent,
        border=layers.border,
        provinces=layers.provinces,
        chosen_provinces=filters.provinces,
    )
    first = items[0]
    for p in items:
        lo = first.start if cumulative else p.start
        window = filters.window(lo, p.end)
        shown = window.apply(events)
        stamp = _stamp(p, period, first, cumulative, lang)
        line = f"{stamp} · {options.description}" if options.description else stamp
        fig = static_map(
            shown,
            layers=layers,
            filters=window,
            options=dataclasses.replace(options, description=line, extent=box),
            size=size,
        )
        import matplotlib

        with matplotlib.rc_context(figure_rc(fig)):  # an edition's: its font's settings
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            rgb = np.asarray(canvas.buffer_rgba())[..., :3].copy()
        yield Frame(p, lo, p.end, len(shown), rgb)


def encode(
    pictures: Sequence[np.ndarray],
    fmt: str,
    *,
    frame_ms: int = FRAME_MS,
    last_ms: int = LAST_FRAME_MS,
) -> bytes:
    """The animation's bytes: a looping GIF or an H.264 MP4 of the pictures (RGB arrays)."""
    if not pictures:
        msg = "no frames to write"
        raise InputError(msg)
    if fmt == "gif":
        return _gif(pictures, frame_ms, last_ms)
    if fmt == "mp4":
        return _mp4(pictures, frame_ms, last_ms)
    msg = f"unknown animation format {fmt!r}; accepted: {', '.join(ANIMATION_FORMATS.values())}"
    raise InputError(msg)


def _gif(pictures: Sequence[np.ndarray], frame_ms: int, last_ms: int) -> bytes:
    from PIL import Image

    # one palette for every frame (from the first and the last), so colours do not flicker
    sample = np.concatenate([pictures[0], pictures[-1]], axis=0)
    palette = Image.fromarray(sample).quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    images = [
        Image.fromarray(p).quantize(palette=palette, dither=Image.Dither.NONE) for p in pictures
    ]
    durations = [frame_ms] * (len(images) - 1) + [max(frame_ms, last_ms)]
    buf = io.BytesIO()
    images[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=durations,
        loop=0,
        optimize=False,
        disposal=1,
    )
    return buf.getvalue()


def _mp4(pictures: Sequence[np.ndarray], frame_ms: int, last_ms: int) -> bytes:
    try:
        import av
    except ImportError:  # pragma: no cover - a core dependency
        msg = "MP4 output needs PyAV: pip install av"
        raise ImportError(msg) from None
    h, w = pictures[0].shape[:2]
    # H.264 in 4:2:0 needs even sides: a pixel of white is added where one is odd
    even = [np.pad(p, ((0, h % 2), (0, w % 2), (0, 0)), constant_values=255) for p in pictures]
    repeats = [max(1, round(frame_ms * MP4_FPS / 1000))] * (len(even) - 1)
    repeats.append(max(1, round(max(frame_ms, last_ms) * MP4_FPS / 1000)))
    buf = io.BytesIO()
    with av.open(buf, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=MP4_FPS)
        stream.width, stream.height = w + w % 2, h + h % 2
        stream.pix_fmt = "yuv420p"
        # one thread and no wall-clock data: the same frames give the same bytes
        stream.options = {"crf": "18", "preset": "medium", "threads": "1", "tune": "stillimage"}
        stream.codec_context.thread_count = 1
        for picture, n in zip(even, repeats, strict=True):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            for _ in range(n):
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buf.getvalue()


def animate(
    events: gpd.GeoDataFrame,
    *,
    period: str,
    fmt: str,
    layers: Layers | None = None,
    filters: Filters | None = None,
    options: MapOptions | None = None,
    size: ImageSize | None = None,
    cumulative: bool = False,
    frame_ms: int = FRAME_MS,
) -> tuple[bytes, list[Frame]]:
    """The animation's bytes and its frames' periods (the pictures dropped once encoded)."""
    drawn = list(
        frames(
            events,
            period=period,
            layers=layers,
            filters=filters,
            options=options,
            size=size,
            cumulative=cumulative,
        )
    )
    data = encode([f.rgb for f in drawn], fmt, frame_ms=frame_ms)
    empty = np.zeros((0, 0, 3), dtype=np.uint8)
    return data, [dataclasses.replace(f, rgb=empty) for f in drawn]


def write_animation(path: str | Path, data: bytes) -> Path:
    """Write the animation atomically; returns the path."""
    return write_bytes_atomic(data, Path(path))
