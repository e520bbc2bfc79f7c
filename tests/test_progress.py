"""The progress display: only on a terminal, for large inputs, never with --quiet."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from geo import events
from geo.cli import main
from geo.events import read_events
from geo.export import write_events

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "events.geojson"

ORIGIN = ["origin_file", "origin_record"]


def _same(a, b) -> None:
    """Two LoadReports hold the same events, the same problems and the same counts."""
    assert a.n_read == b.n_read
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    pd.testing.assert_frame_equal(a.events, b.events)


def _both_paths(path: Path, monkeypatch):
    fast = read_events(path)
    monkeypatch.setattr(events, "read_simple_csv", lambda data: None)
    exact = read_events(path)
    monkeypatch.undo()
    return fast, exact


def _export_csv(tmp_path: Path) -> Path:
    return write_events(read_events(SHIPPED).events, tmp_path / "shipped.csv")


# ---------------------------------------------------------------- progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_for_large_inputs_and_not_quiet(tmp_path) -> None:
    from geo import _progress

    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * _progress.LARGE_INPUT)
    assert _progress.wanted([str(big)], stream=_Tty())
    assert not _progress.wanted([str(big)], stream=io.StringIO())  # not a terminal
    assert not _progress.wanted([str(big)], quiet=True, stream=_Tty())
    assert not _progress.wanted([str(SHIPPED)], stream=_Tty())  # small input


def test_progress_is_silent_when_not_on_a_terminal(tmp_path, capsys, monkeypatch) -> None:
    from geo import _progress

    monkeypatch.setattr(_progress, "LARGE_INPUT", 0)
    assert main(["build", "--out", str(tmp_path / "m.html")]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.count("\n") == 1 and captured.out.startswith("wrote ")
