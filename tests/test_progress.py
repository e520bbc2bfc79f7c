"""The progress display: only on a terminal, for large inputs, never with --quiet."""

from __future__ import annotations

import io
from pathlib import Path

from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "events.geojson"


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
    # the summary only: what was written, then what the page carries (geo.terms)
    wrote, carries = captured.out.splitlines()
    assert wrote.startswith("wrote ") and carries.startswith("page carries "), captured.out
