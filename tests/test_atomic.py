"""Where output goes: written whole or not at all, never over an input, a directory or a device."""

from __future__ import annotations

import os

import pytest

from geo._atomic import write_text_atomic
from geo._errors import InputError
from geo.cli import main

MINIMAL = "event_id,date_start,event_type,latitude,longitude\nE1,2025-10-12,Battles,34.87,71.1\n"


# ---------------------------------------------------------------- where output goes


def test_out_equal_to_an_input_is_refused(tmp_path, capsys, one_event) -> None:
    src = one_event({})
    before = src.read_text()
    assert main(["enrich", str(src), "--out", str(src)]) == 1
    assert f"error: {src}: is the input file" in capsys.readouterr().err
    assert src.read_text() == before


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("newdir/", "is a directory; give a file name such as"),
        ("/dev/null", "is not a regular file"),
    ],
)
def test_out_that_is_a_directory_or_device_is_refused(tmp_path, out, message) -> None:
    from geo._atomic import check_output

    target = out if out.startswith("/") else f"{tmp_path}/{out}"
    with pytest.raises(InputError, match=message):
        check_output(target)
    (tmp_path / "existing").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        check_output(tmp_path / "existing")


def test_out_at_a_symlink_writes_the_target_and_keeps_the_link(tmp_path) -> None:
    target = tmp_path / "real.html"
    target.write_text("old")
    link = tmp_path / "link.html"
    link.symlink_to(target)
    write_text_atomic("new", link)
    assert link.is_symlink() and target.read_text() == "new"


def test_stale_temp_files_of_a_killed_run_are_removed(tmp_path) -> None:
    stale = tmp_path / ".map.html.999999999.abcd.tmp"  # no such process
    stale.write_text("half a page")
    live = tmp_path / f".map.html.{os.getpid()}.efgh.tmp"  # a write under way in this process
    live.write_text("being written")
    write_text_atomic("page", tmp_path / "map.html")
    assert not stale.exists() and live.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["map.html", live.name])


def test_a_failed_write_names_the_output_and_leaves_nothing(tmp_path, capsys, monkeypatch) -> None:
    src = tmp_path / "min.csv"
    src.write_text(MINIMAL)
    out = tmp_path / "out" / "map.html"

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("geo._atomic.os.replace", full)
    assert main(["build", "--events", str(src), "--out", str(out)]) == 1
    assert f"error: {out}: cannot write: No space left on device" in capsys.readouterr().err
    assert list(out.parent.iterdir()) == []


def test_text_that_cannot_be_encoded_is_an_error_before_writing(tmp_path) -> None:
    with pytest.raises(ValueError, match="not valid Unicode"):
        write_text_atomic("a\ud800b", tmp_path / "x.html")
    assert list(tmp_path.iterdir()) == []
