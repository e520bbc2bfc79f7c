"""Map spec files (geo.spec): a spec and its command line make the same bytes; a spec is
checked like data, with errors naming the file, the key and the value."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from geo.cli import main

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_written_spec_remakes_the_page_and_the_still_byte_for_byte(here, capsys) -> None:
    export = TESTS / "data" / "acled_export.csv"
    common = [
        "--events",
        str(export),
        "--province",
        "Khost,Khyber Pakhtunkhwa",
        "--title",
        "Khost & Khyber",
    ]
    assert main(["build", *common, "--out", "maps/a.html", "--write-spec", "specs/a.toml"]) == 0
    assert main(["build", *common, "--out", "maps/a.png", "--width-mm", "170",
                 "--write-spec", "specs/b.toml"]) == 0  # fmt: skip
    page, png = (here / "maps/a.html").read_bytes(), (here / "maps/a.png").read_bytes()
    spec = tomllib.loads((here / "specs/a.toml").read_text(encoding="utf-8"))
    # the options under their names, paths relative to the spec's folder, no run-only option
    assert spec["command"] == "build" and spec["out"] == "../maps/a.html"
    assert spec["province"] == ["Khost,Khyber Pakhtunkhwa"] and spec["title"] == "Khost & Khyber"
    assert spec["events"] == [os.path.relpath(export, here / "specs").replace(os.sep, "/")]
    assert "write-spec" not in spec
    (here / "maps/a.html").unlink()
    (here / "maps/a.png").unlink()
    elsewhere = here / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)  # paths follow the spec file, not the folder it is run from
    assert main(["build", str(here / "specs/a.toml")]) == 0
    assert main(["build", str(here / "specs/b.toml")]) == 0
    assert (here / "maps/a.html").read_bytes() == page
    assert (here / "maps/a.png").read_bytes() == png
    assert "remakes this output" in capsys.readouterr().out


def test_options_after_the_spec_add_to_it(here) -> None:
    (here / "s.toml").write_text(
        'title = "From the spec"\nprovince = ["Khost"]\nout = "one.html"\n', encoding="utf-8"
    )
    assert main(["build", "s.toml", "--province", "Kunar", "--out", "two.html"]) == 0
    assert not (here / "one.html").exists()
    page = (here / "two.html").read_text(encoding="utf-8")
    assert "From the spec" in page and "Khost, Kunar" in page


def test_batch_takes_a_spec(here) -> None:
    (here / "y.toml").write_text(
        'command = "batch"\nperiod = "year"\nout-dir = "yearly"\nstart = "2025"\n',
        encoding="utf-8",
    )
    assert main(["batch", "y.toml"]) == 0
    assert (here / "yearly" / "index.html").is_file()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('provnce = ["Khost"]', ["key 'provnce'", "did you mean 'province'?"]),
        ("title = true", ["key 'title'", "value True", "accepted: text"]),
        ('out = ["a.html", "b.html"]', ["key 'out'", "is a list", "takes one value"]),
        ('choropleth = "density"', ["key 'choropleth'", "'density'", "'events'", "'none'"]),
        ('min-fatalities = "many"', ["key 'min-fatalities'", "'many'", "not accepted"]),
        ("embed = 1", ["key 'embed'", "value 1", "true or false"]),
        ('lang = "de"', ["key 'lang'", "'de'", "en, ps, fa-AF, ur"]),
        ('command = "export"', ["key 'command'", "'export'", "'build'"]),
        ("debug = true", ["key 'debug'", "not an option"]),
        ("title = ", ["not a TOML file", "line 1"]),
    ],
)
def test_a_bad_spec_names_the_file_the_key_and_the_value(here, capsys, text, expected) -> None:
    (here / "bad.toml").write_text(text + "\n", encoding="utf-8")
    assert main(["build", "bad.toml", "--out", "x.html"]) == 1
    err = capsys.readouterr().err
    assert "bad.toml" in err, err
    for part in expected:
        assert part in err, (part, err)
    assert not (here / "x.html").exists()  # nothing is read or written


def test_a_spec_anywhere_but_first_is_refused(here, capsys) -> None:
    (here / "s.toml").write_text('title = "x"\n', encoding="utf-8")
    assert main(["build", "--out", "x.html", "s.toml"]) == 1
    assert "goes right after the command" in capsys.readouterr().err
    assert not (here / "x.html").exists()


def test_a_missing_or_binary_spec_is_refused(here, capsys) -> None:
    assert main(["build", "none.toml"]) == 1
    assert "no such spec file" in capsys.readouterr().err
    (here / "bin.toml").write_bytes(b"title = '\xff'\n")
    assert main(["build", "bin.toml"]) == 1
    assert "UTF-8" in capsys.readouterr().err


def test_a_failed_build_writes_no_spec(here) -> None:
    assert main(["build", "--start", "2030", "--end", "2020", "--write-spec", "s.toml"]) == 1
    assert not (here / "s.toml").exists()


def test_a_spec_with_annotations_makes_the_command_lines_page(here) -> None:
    """New options reach spec files by their long names: ``annotate = [...]`` as ``--annotate``."""
    assert main(["build", "--annotate", "DL-20260316-KABUL", "--out", "cli.html"]) == 0
    (here / "story.toml").write_text(
        'annotate = ["DL-20260316-KABUL"]\nout = "spec.html"\n', encoding="utf-8"
    )
    assert main(["build", "story.toml"]) == 0
    page = (here / "spec.html").read_bytes()
    assert page == (here / "cli.html").read_bytes()
    assert b"Kabul: 408 killed" in page


def test_a_spec_s_highlight_list_makes_the_same_bytes_as_the_command_line(here) -> None:
    export = TESTS / "data" / "acled_export.csv"
    line = ["--events", str(export), "--highlight", "type=Battles", "--highlight", "2024..2024"]
    assert main(["build", *line, "--out", "line.png", "--size", "800x500"]) == 0
    (here / "map.toml").write_text(
        f'command = "build"\nevents = [{str(export)!r}]\n'
        'highlight = ["type=Battles", "2024..2024"]\nout = "spec.png"\nsize = "800x500"\n',
        encoding="utf-8",
    )
    assert main(["build", str(here / "map.toml")]) == 0
    assert (here / "spec.png").read_bytes() == (here / "line.png").read_bytes()
