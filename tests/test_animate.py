"""Animated maps (geo.animate): one still per period, as a GIF or an MP4, the same bytes
every run."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from geo.animate import LAST_FRAME_MS, MP4_FPS, encode, frames
from geo.cli import main
from geo.events import read_events
from geo.filters import Filters

DATA = Path(__file__).resolve().parents[1] / "data"
WINDOW = ["--start", "2025-10", "--end", "2026-03"]


@pytest.fixture(scope="module")
def gif(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("anim") / "esc.gif"
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["animate", "--period", "month", *WINDOW, "--size", "540x540",
                     "--dpi", "90", "--out", str(out)]) == 0  # fmt: skip
    return out, buf.getvalue()


def test_a_gif_has_one_frame_per_month_stamped_with_its_dates(gif) -> None:
    out, said = gif
    durations = []
    with Image.open(out) as im:
        assert im.n_frames == 6 and im.size == (540, 540)
        for k in range(im.n_frames):
            im.seek(k)
            durations.append(im.info["duration"])
    assert durations == [1000] * 5 + [LAST_FRAME_MS]
    assert "6 frames (October 2025 to March 2026, one per month)" in said


def test_frames_follow_the_window_and_keep_one_frame_of_the_map() -> None:
    events = read_events(DATA / "events.geojson").events
    window = Filters(start=pd.Timestamp("2025-10-01"), end=pd.Timestamp("2026-03-31"))
    shown = window.apply(events)
    from geo.render.static import image_size

    small = image_size(size=(320, 320), dpi=55)
    each = list(frames(shown, period="quarter", filters=window, size=small))
    total = list(frames(shown, period="quarter", filters=window, size=small, cumulative=True))
    assert [f.period.name for f in each] == ["Q4 2025", "Q1 2026"]
    assert [f.start for f in each] == [pd.Timestamp("2025-10-01"), pd.Timestamp("2026-01-01")]
    assert sum(f.events for f in each) >= len(shown)  # an event spanning two is in both
    assert [f.start for f in total] == [pd.Timestamp("2025-10-01")] * 2
    assert total[-1].events == len(shown)
    assert all(f.rgb.shape == (320, 320, 3) for f in each)


def test_an_mp4_plays_each_period_for_its_time_and_is_the_same_every_run(tmp_path) -> None:
    av = pytest.importorskip("av")  # a core dependency; skipped only where it is missing
    import numpy as np

    pictures = [np.full((101, 120, 3), v, dtype=np.uint8) for v in (30, 120, 220)]
    data = encode(pictures, "mp4", frame_ms=500)
    assert data == encode(pictures, "mp4", frame_ms=500)
    with av.open(io.BytesIO(data)) as container:
        decoded = list(container.decode(video=0))
    want = 2 * round(500 * MP4_FPS / 1000) + round(LAST_FRAME_MS * MP4_FPS / 1000)
    assert len(decoded) == want
    assert (decoded[0].width, decoded[0].height) == (120, 102)  # made even for H.264


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "month", "--out", "x.webm"], "an animation is written as .gif, .mp4"),
        (["--period", "week", "--start", "1893", "--out", "x.gif"], "more than 420 frames"),
        (["--period", "month", "--frame-ms", "10", "--out", "x.gif"], "from 50 to 60000"),
        (["--period", "month", "--size", "huge", "--out", "x.gif"], "not a size"),
    ],
)
def test_bad_animation_options_are_refused_up_front(tmp_path, capsys, args, message) -> None:
    out = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    with pytest.raises(SystemExit) if "--frame-ms" in args else _nothing():
        assert main(["animate", *out]) != 0
    err = capsys.readouterr().err
    assert message in err, err
    assert not list(tmp_path.iterdir())


class _nothing:  # a context that expects nothing
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_a_second_run_from_its_spec_makes_the_same_bytes(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["--period", "quarter", *WINDOW, "--size", "320x320", "--dpi", "55", "--cumulative"]
    assert main(["animate", *args, "--out", "a.gif", "--write-spec", "a.toml"]) == 0
    first = (tmp_path / "a.gif").read_bytes()
    (tmp_path / "a.gif").unlink()
    assert main(["animate", "a.toml"]) == 0
    assert (tmp_path / "a.gif").read_bytes() == first


# --- frames in a language edition (issue 24) ---


def _edition_frames(monkeypatch, lang: str, cumulative: bool = False):
    """The frames of two quarters in ``lang``, and the figures drawn for them."""
    import geo.render.static as static
    from geo.render.options import MapOptions
    from geo.render.static import image_size

    drawn = []
    real = static.static_map

    def keep(*args, **kw):
        drawn.append(real(*args, **kw))
        return drawn[-1]

    monkeypatch.setattr(static, "static_map", keep)
    events = read_events(DATA / "events.geojson").events
    window = Filters(start=pd.Timestamp("2025-10-01"), end=pd.Timestamp("2026-03-31"))
    made = list(frames(window.apply(events), period="quarter", filters=window,
                       options=MapOptions(lang=lang), size=image_size(size=(320, 320), dpi=55),
                       cumulative=cumulative))  # fmt: skip
    return made, drawn


def test_frames_are_stamped_in_the_edition_s_words_and_font(monkeypatch) -> None:
    from matplotlib.text import Text

    from geo.i18n.fonts import family

    made, drawn = _edition_frames(monkeypatch, "ur", cumulative=True)
    names = [f.period.name for f in made]
    assert names[0] != "Q4 2025" and "2025" in names[0]  # Urdu's digits are Latin (CLDR)
    texts = [t for t in drawn[-1].findobj(Text) if (t.get_gid() or "").startswith("subtitle")]
    stamp = next(t for t in texts if names[-1] in t.get_text())
    assert stamp.get_text().startswith("\u200f")  # set to run right to left
    assert family("ur") in stamp.get_fontfamily()  # drawn in the edition's font
    assert " to " not in stamp.get_text() and "سے" in stamp.get_text()  # "{start} to {end}"


def test_edition_frames_are_the_same_every_run(monkeypatch) -> None:
    first, _ = _edition_frames(monkeypatch, "fa-AF")
    again, _ = _edition_frames(monkeypatch, "fa-AF")
    assert all((a.rgb == b.rgb).all() for a, b in zip(first, again, strict=True))
    assert any(ch in first[0].period.name for ch in "۰۱۲۳۴۵۶۷۸۹")


def test_animate_takes_lang(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["--period", "quarter", *WINDOW, "--size", "240x240", "--dpi", "50", "--lang", "ps"]
    assert main(["animate", *args, "--out", "a.gif", "--write-spec", "a.toml"]) == 0
    assert 'lang = "ps"' in (tmp_path / "a.toml").read_text("utf-8")
    first = (tmp_path / "a.gif").read_bytes()
    (tmp_path / "a.gif").unlink()
    assert main(["animate", "a.toml"]) == 0  # the spec key too, the same bytes
    assert (tmp_path / "a.gif").read_bytes() == first
