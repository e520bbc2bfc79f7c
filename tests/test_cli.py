"""The command line end to end: build, validate, info, ``python -m geo``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from geo.cli import main
from geo.schema import EVENT_TYPES

SUMMARY = re.compile(
    r"^wrote (?P<out>.+): (?P<n>\d+) events read, (?P<m>\d+) rejected, (?P<k>\d+) shown \("
)


@pytest.fixture
def data_env(monkeypatch, context_dir, tmp_path):
    """GEO_DATA_DIR points at the committed context fixtures; cwd is an empty tmp dir."""
    monkeypatch.setenv("GEO_DATA_DIR", str(context_dir))
    monkeypatch.chdir(tmp_path)
    return context_dir


def _config(page: str) -> dict:
    soup = BeautifulSoup(page, "html.parser")
    blocks = [
        s
        for s in soup.find_all("script", attrs={"type": "application/json"})
        if s.get("id", "").endswith("_config")
    ]
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def _decode(config: dict, column: str) -> list:
    col = config["data"]["columns"][column]
    return [col["dict"][c] for c in col["codes"]] if isinstance(col, dict) else col


def _layer_control_script(page: str) -> str:
    soup = BeautifulSoup(page, "html.parser")
    scripts = [s.string or "" for s in soup.find_all("script")]
    (script,) = [s for s in scripts if "L.control.layers(" in s]
    return script


def _summary(out: str) -> re.Match:
    lines = [ln for ln in out.splitlines() if ln.startswith("wrote ")]
    assert len(lines) == 1, out
    m = SUMMARY.match(lines[0])
    assert m, lines[0]
    return m


# --------------------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------------------


def test_build_writes_file_and_summary(data_env, tmp_path, capsys):
    out = tmp_path / "maps" / "map.html"
    assert main(["build", "--out", str(out)]) == 0
    assert out.is_file()
    m = _summary(capsys.readouterr().out)
    assert (m["out"], m["n"], m["m"], m["k"]) == (str(out), "6", "0", "6")
    config = _config(out.read_text(encoding="utf-8"))
    assert config["data"]["n"] == 6
    assert sorted(p.name for p in (tmp_path / "maps").iterdir()) == ["map.html"]


def test_build_2022_window_shows_only_overlapping_events(
    data_env, tmp_path, capsys, context_ids_2022
):
    out = tmp_path / "map2022.html"
    rc = main(["build", "--start", "2022-01-01", "--end", "2022-12-31", "--out", str(out)])
    assert rc == 0
    m = _summary(capsys.readouterr().out)
    assert (m["n"], m["m"], m["k"]) == ("6", "0", str(len(context_ids_2022)))

    page = out.read_text(encoding="utf-8")
    config = _config(page)
    assert config["data"]["n"] == 3
    assert sorted(config["data"]["columns"]["event_id"]) == sorted(context_ids_2022)
    assert [t["label"] for t in config["types"]] == [
        "Battles (1)",
        "Explosions/Remote violence (2)",
    ]
    assert [t["name"] for t in config["types"]] == ["Battles", "Explosions/Remote violence"]
    assert sum(t["count"] for t in config["types"]) == 3
    # The page opens on the requested window: day numbers of 2022-01-01 and 2022-12-31.
    assert config["initialRange"] == [18993, 19357]
    by_id = dict(
        zip(config["data"]["columns"]["event_id"], _decode(config, "event_type"), strict=True)
    )
    assert by_id == {
        "AFG-2021-002": "Explosions/Remote violence",
        "AFG-2022-001": "Battles",
        "PAK-2022-001": "Explosions/Remote violence",
    }

    control = _layer_control_script(page)
    overlays = control.split("overlays", 1)[1].split("}", 1)[0]
    for name in (
        "Provinces",
        "Durand Line",
        "Border crossings",
        "Border belt (50 km)",
        "Events per province",
    ):
        assert f'"{name}"' in overlays
    # The per-type overlays are added by the page script from the config, not listed statically.
    assert "Battles" not in overlays
    base = control.split("base_layers", 1)[1].split("}", 1)[0]
    for name in ("Light grey (Esri)", "OpenStreetMap", "Satellite (Esri)"):
        assert f'"{name}"' in base


def test_build_year_and_month_bounds(data_env, tmp_path, capsys):
    out = tmp_path / "m.html"
    assert main(["build", "--start", "2022-12", "--end", "2023", "--out", str(out)]) == 0
    config = _config(out.read_text(encoding="utf-8"))
    assert sorted(config["data"]["columns"]["event_id"]) == [
        "AFG-2023-001",
        "PAK-2022-001",
        "PAK-2023-001",
    ]


def test_build_type_and_province_filters(data_env, tmp_path, capsys):
    out = tmp_path / "m.html"
    assert main(["build", "--type", "battles", "--province", "KUNAR", "--out", str(out)]) == 0
    config = _config(out.read_text(encoding="utf-8"))
    assert config["data"]["columns"]["event_id"] == ["AFG-2022-001"]
    assert _summary(capsys.readouterr().out)["k"] == "1"


def test_two_builds_are_byte_identical(data_env, tmp_path, capsys):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    assert main(["build", "--out", str(a), "--start", "2021"]) == 0
    assert main(["build", "--out", str(b), "--start", "2021"]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert len(a.read_bytes()) > 1000


def test_build_with_explicit_paths_and_no_data_dir(monkeypatch, context_dir, tmp_path, capsys):
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path / "nowhere"))
    out = tmp_path / "m.html"
    rc = main(
        [
            "build",
            "--out",
            str(out),
            "--events",
            str(context_dir / "events.geojson"),
            "--border",
            str(context_dir / "durand_line.geojson"),
            "--provinces",
            str(context_dir / "provinces.geojson"),
            "--crossings",
            str(context_dir / "crossings.geojson"),
            "--countries",
            str(context_dir / "countries.geojson"),
        ]
    )
    assert rc == 0
    assert _config(out.read_text(encoding="utf-8"))["data"]["n"] == 6


def test_unknown_type_exits_1_and_lists_accepted(data_env, tmp_path, capsys):
    out = tmp_path / "m.html"
    assert main(["build", "--type", "Skirmishes", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "--type 'Skirmishes' is not known; accepted: " in err
    for t in EVENT_TYPES:
        assert t in err
    assert not out.exists()


def test_unknown_province_exits_1(data_env, tmp_path, capsys):
    out = tmp_path / "m.html"
    assert main(["build", "--province", "Atlantis", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "--province 'Atlantis' is not known; accepted: " in err
    assert "Khyber Pakhtunkhwa" in err
    assert not out.exists()


def _bad_json(tmp_path: Path) -> Path:
    p = tmp_path / "in" / "broken.geojson"
    p.parent.mkdir()
    p.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("make_args", "stderr"),
    [
        (lambda tp: ["--events", str(_bad_json(tp))], r"invalid JSON at line 1"),
        (
            lambda tp: ["--border", str(tp / "no_such_line.geojson")],
            r"no_such_line\.geojson: file: .*file not found",
        ),
        (
            lambda tp: ["--start", "2023", "--end", "2022"],
            r"--end 2022-12-31 is before --start 2023-01-01",
        ),
        (lambda tp: ["--start", "soon"], r"--start: 'soon' is not a date"),
    ],
    ids=["invalid-json", "missing-border", "end-before-start", "bad-start"],
)
def test_failed_build_leaves_no_output(data_env, tmp_path, capsys, make_args, stderr):
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "map.html"
    assert main(["build", *make_args(tmp_path), "--out", str(out)]) == 1
    assert re.search(stderr, capsys.readouterr().err)
    assert list(outdir.iterdir()) == []


@pytest.mark.parametrize(
    "make_args",
    [
        lambda tp: ["--events", str(_bad_json(tp))],
        lambda tp: ["--border", str(tp / "missing.geojson")],
    ],
    ids=["invalid-json", "missing-border"],
)
def test_failed_build_keeps_existing_output(data_env, tmp_path, capsys, make_args):
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "map.html"
    out.write_bytes(b"<html>previous good map</html>")
    assert main(["build", *make_args(tmp_path), "--out", str(out)]) == 1
    assert out.read_bytes() == b"<html>previous good map</html>"
    assert [p.name for p in outdir.iterdir()] == ["map.html"]


def test_missing_context_file_message_shows_no_spurious_value(data_env, tmp_path, capsys):
    """Like the event reader's "x: file: file not found", without a made-up value ``None``."""
    missing = tmp_path / "no_such_line.geojson"
    assert main(["build", "--border", str(missing), "--out", str(tmp_path / "m.html")]) == 1
    err = capsys.readouterr().err
    assert f"  - {missing}: file: file not found; check the path" in err


def test_choropleth_none_drops_the_layer(data_env, tmp_path, capsys):
    out = tmp_path / "m.html"
    assert main(["build", "--choropleth", "none", "--out", str(out)]) == 0
    overlays = _layer_control_script(out.read_text(encoding="utf-8")).split("overlays", 1)[1]
    assert "per province" not in overlays
    assert '"Durand Line"' in overlays


def test_unwritable_output_is_an_error_not_a_traceback(data_env, tmp_path, capsys):
    """``--out`` naming an existing directory: exit 1 with a message, no temp file left."""
    out = tmp_path / "out" / "map.html"
    out.mkdir(parents=True)
    assert main(["build", "--out", str(out)]) == 1
    assert "error:" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["map.html"]
    assert out.is_dir()


def test_strict_build_fails_on_a_bad_row(data_env, tmp_path, tmp_events, good_props, capsys):
    events = tmp_events([good_props, {**good_props, "event_id": "X", "country": "Afghanistan"}])
    out = tmp_path / "m.html"
    assert main(["build", "--strict", "--events", str(events), "--out", str(out)]) == 1
    assert "field 'country': 'Afghanistan'" in capsys.readouterr().err
    assert not out.exists()
    assert main(["build", "--events", str(events), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "error: " in captured.err and "'Afghanistan'" in captured.err
    m = _summary(captured.out)
    assert (m["n"], m["m"], m["k"]) == ("2", "1", "1")


# --------------------------------------------------------------------------------------
# validate
# --------------------------------------------------------------------------------------


def test_validate_prints_one_line_per_problem(each_kind_file, capsys):
    assert main(["validate", str(each_kind_file.path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    problem_lines = [ln for ln in lines if ln.startswith(("error: ", "warning: "))]
    assert len(problem_lines) == len(each_kind_file.cases)
    assert len(lines) == len(problem_lines) + 1
    n = len(each_kind_file.cases)
    valid = len(each_kind_file.kept_ids)
    assert lines[-1] == f"1 file(s), {n + 2} records, {valid} valid, {n} problem(s)"
    for case in each_kind_file.cases:
        where = f"{each_kind_file.path}: feature {each_kind_file.feature_of[case.id]}, field {case.field!r}"
        matching = [ln for ln in problem_lines if where in ln]
        assert len(matching) == 1, case.id
        assert matching[0].startswith(f"{case.severity}: ")
    # The lines are in file order.
    numbers = [int(re.search(r": feature (\d+),", ln).group(1)) for ln in problem_lines]
    assert numbers == sorted(numbers)


def test_validate_clean_file_returns_0(data_env, context_dir, capsys):
    assert main(["validate", str(context_dir / "events.geojson")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["1 file(s), 6 records, 6 valid, 0 problem(s)"]


def test_validate_json(each_kind_file, capsys):
    assert main(["validate", "--json", str(each_kind_file.path)]) == 1
    doc = json.loads(capsys.readouterr().out)
    n = len(each_kind_file.cases)
    assert doc["records"] == n + 2
    assert doc["valid"] == len(each_kind_file.kept_ids)
    assert len(doc["problems"]) == n
    for p in doc["problems"]:
        assert set(p) == {"file", "where", "field", "value", "message", "severity"}
        assert p["file"] == str(each_kind_file.path)
        assert p["severity"] in ("error", "warning")
    by_field_where = {(p["where"], p["field"]): p for p in doc["problems"]}
    imp = by_field_where[(f"feature {each_kind_file.feature_of['impossible-date']}", "date_start")]
    assert imp["value"] == "2022-02-30"
    assert "impossible calendar date" in imp["message"]
    missing = by_field_where[
        (f"feature {each_kind_file.feature_of['missing-event_id']}", "event_id")
    ]
    assert missing["value"] is None
    listy = by_field_where[
        (f"feature {each_kind_file.feature_of['text-field-is-a-list']}", "actor1")
    ]
    assert listy["value"] == "['Taliban', 'TTP']"
    js = by_field_where[
        (f"feature {each_kind_file.feature_of['javascript-url']}", "sources[0].url")
    ]
    assert js["severity"] == "warning"


def test_validate_several_files_including_unreadable(tmp_path, context_dir, capsys):
    missing = tmp_path / "missing.geojson"
    assert main(["validate", "--json", str(context_dir / "events.geojson"), str(missing)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert (doc["records"], doc["valid"]) == (6, 6)
    assert doc["problems"] == [
        {
            "file": str(missing),
            "where": "file",
            "field": "",
            "value": None,
            "message": "file not found; check the path",
            "severity": "error",
        }
    ]


# --------------------------------------------------------------------------------------
# info, --help
# --------------------------------------------------------------------------------------


def test_info_prints_counts(data_env, context_dir, capsys):
    assert main(["info", str(context_dir / "events.geojson")]) == 0
    out = capsys.readouterr().out
    assert "6 events, 2021-06-15 to 2023-07-04" in out

    def section(title: str) -> str:
        return out.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0]

    counts = {}
    for title in ("By type", "By province", "By year"):
        rows = [ln.rsplit(None, 1) for ln in section(title).splitlines()[1:]]
        counts[title] = {k.strip(): int(v) for k, v in rows}
    assert counts["By type"] == {"Battles": 3, "Explosions/Remote violence": 3}
    assert counts["By province"] == {"Kabul": 1, "Khost": 1, "Khyber Pakhtunkhwa": 2, "Kunar": 2}
    assert counts["By year"] == {"2021": 2, "2022": 2, "2023": 2}
    assert re.search(r"fatalities_best\s+12\b", section("Casualties (sum of reported figures)"))


def test_info_reports_problems_on_stderr(data_env, tmp_events, good_props, capsys):
    path = tmp_events([good_props, {**good_props, "event_id": "X", "date_start": "2022-02-30"}])
    assert main(["info", str(path)]) == 0
    captured = capsys.readouterr()
    assert "1 events, 2022-03-10 to 2022-03-11" in captured.out
    assert "error: " in captured.err and "'2022-02-30'" in captured.err


def test_python_dash_m_geo_help():
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: geo ")
    for cmd in ("build", "validate", "info"):
        assert cmd in proc.stdout


def test_missing_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    assert "usage: geo" in capsys.readouterr().err


def test_every_option_has_help_and_a_group() -> None:
    """A newcomer reads every option in --help, grouped by what it is for."""
    from geo.cli import _parser

    sub = next(
        a for a in _parser()._actions if getattr(a, "choices", None) and "build" in a.choices
    )
    for name, command in sub.choices.items():
        for group in command._action_groups:
            for action in group._group_actions:
                if action.dest == "help":
                    continue
                assert action.help and len(action.help) > 10, (name, action.option_strings)
                assert group.title not in ("options", "optional arguments"), (
                    name,
                    action.option_strings,
                )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "Air/drone strike"], r"--type 'Air/drone strike' is a sub-event type, not an event type; use --sub-type 'Air/drone strike'"),
        (["--sub-type", "Drone"], r"--sub-type 'Drone' is not known; accepted: "),
        (["--min-fatalities", "-1"], r"expected a whole number of at least 0"),
        (["--by", "district"], r"--by 'district': accepted: province, country, event_type, border_side, belt"),
    ],
)  # fmt: skip
def test_filter_option_mistakes_say_what_to_do(data_env, tmp_path, capsys, args, message) -> None:
    command = "stats" if args[0] == "--by" else "build"
    try:
        code = main([command, "--out", str(tmp_path / "m.html"), *args])
    except SystemExit as exc:  # a usage error (argparse): exit 2
        code = exc.code
    assert code in (1, 2)
    assert re.search(message, capsys.readouterr().err)


def test_several_values_repeated_or_comma_separated(data_env, tmp_path, capsys) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["export", "--type", "Battles,Riots", "--province", "Kunar", "--out", str(a)]) == 0
    assert main(["export", "--type", "Battles", "--type", "Riots", "--province", "Kunar", "--out", str(b)]) == 0  # fmt: skip
    assert a.read_bytes() == b.read_bytes()


def test_an_actor_with_a_comma_gets_a_hint(data_env, tmp_path, capsys) -> None:
    assert main(["export", "--actor", "Taliban, TTP", "--out", str(tmp_path / "a.csv")]) == 0
    assert "names no actor of the events; to give several actors, repeat --actor" in (
        capsys.readouterr().err
    )


def test_info_and_stats_read_the_shipped_record_by_default(data_env, capsys) -> None:
    assert main(["info"]) == 0
    assert "events," in capsys.readouterr().out
    assert main(["stats", "--period", "none"]) == 0
    assert capsys.readouterr().out.startswith("province,events,")


def test_help_names_what_build_makes(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "build     a map: the interactive page (.html) or a still (.png, .svg, .pdf)" in out
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # as read, not as wrapped
    assert "ACLED and UCDP GED exports are recognised by their columns and read as they come" in out
    for group in ("inputs:", "filters (each keeps", "frame and context:", "output:", "stills"):
        assert group in out, group


# --------------------------------------------------------------------------------------
# annotations (--annotate, --note)
# --------------------------------------------------------------------------------------


def test_build_annotate_and_note_reach_the_page(data_env, tmp_path, capsys):
    out = tmp_path / "m.html"
    args = ["build", "--out", str(out), "--annotate", "AFG-2023-001",
            "--annotate", "AFG-2022-001=Strike on the valley@ne",
            "--note", "71.5,34.0,2022-01..2022-12=Crossing shut for a month@s",
            "--note", "70.1,34.2=No window"]  # fmt: skip
    assert main(args) == 0
    notes = _config(out.read_text(encoding="utf-8"))["labels"]["notes"]
    assert notes == [
        ["4 Jul 2023 — Kabul: 1 killed", 69.17, 34.53, "AFG-2023-001", None, None, None],
        ["Strike on the valley", 70.95, 34.87, "AFG-2022-001", None, None, [1, -1]],
        ["Crossing shut for a month", 71.5, 34.0, None, 18993, 19357, [0, 1]],
        ["No window", 70.1, 34.2, None, None, None, None],
    ]


@pytest.mark.parametrize(
    ("option", "value", "needle"),
    [
        (
            "--annotate",
            "NO-SUCH-EVENT",
            "--annotate 'NO-SUCH-EVENT': no event with this id among the 6 events",
        ),
        ("--annotate", "AFG-2023-001=", "--annotate 'AFG-2023-001=': the text is empty"),
        ("--note", "71.5,95=Text", "--note '71.5,95=Text': bad coordinates '71.5','95'"),
        ("--note", "71.5 34=Text", "accepted: 'LON,LAT=Text'"),
        ("--note", "71.5,34.0=@ne", "the text is empty"),
        ("--note", "71.5,34.0,2022-05..2022-01=Text", "the window ends before it starts"),
    ],
)
@pytest.mark.parametrize("suffix", [".html", ".png"])
def test_bad_annotations_stop_before_anything_is_written(
    data_env, tmp_path, capsys, option, value, needle, suffix
):
    out = tmp_path / f"m{suffix}"
    assert main(["build", "--out", str(out), option, value]) == 1
    err = capsys.readouterr().err
    assert needle in err, err
    assert not out.exists()


def test_annotation_outside_the_filters_is_an_error(data_env, tmp_path, capsys):
    out = tmp_path / "m.svg"
    args = [
        "build",
        "--out",
        str(out),
        "--start",
        "2021",
        "--end",
        "2021",
        "--annotate",
        "AFG-2023-001",
    ]
    assert main(args) == 1
    assert "(after the filters)" in capsys.readouterr().err
    assert not out.exists()


def test_annotated_still(data_env, tmp_path):
    out = tmp_path / "m.svg"
    args = [
        "build",
        "--out",
        str(out),
        "--annotate",
        "AFG-2022-001=Strike@sw",
        "--note",
        "70.1,34.2=Here",
    ]
    assert main(args) == 0
    svg = out.read_text(encoding="utf-8")
    for gid in ("annotation-0", "annotation-leader-0", "annotation-1", "annotation-point-1"):
        assert f'id="{gid}"' in svg, gid


# --- --highlight (issue 21) --------------------------------------------------------------


def test_build_highlight_carries_one_flag_per_event_and_says_what(data_env, tmp_path, capsys):
    out = tmp_path / "m.html"
    args = ["build", "--highlight", "2022-01..2022-06", "--highlight", "AFG-2023-001"]
    assert main([*args, "--type", "Battles", "--out", str(out)]) == 0
    config = _config(out.read_text(encoding="utf-8"))
    columns = config["data"]["columns"]
    assert columns["event_id"] == ["AFG-2021-001", "AFG-2022-001", "AFG-2023-001"]
    assert columns["highlighted"] == [0, 1, 1]  # OR-ed: the window, or the one event
    assert config["highlight"] == {
        "description": "1 Jan 2022 – 30 Jun 2022 or event AFG-2023-001",
        "specs": ["2022-01..2022-06", "AFG-2023-001"],
    }
    (section,) = [s for s in config["legend"] if s["title"] == "Highlight"]
    assert section["items"][-1]["label"] == "2 highlighted of 3 shown"
    assert "highlighted" not in config["exportColumns"]  # not a column of the downloads
    assert _summary(capsys.readouterr().out)["k"] == "3"


def test_a_page_without_highlight_carries_none(data_env, tmp_path):
    out = tmp_path / "m.html"
    assert main(["build", "--out", str(out)]) == 0
    config = _config(out.read_text(encoding="utf-8"))
    assert config["highlight"] is None and "highlighted" not in config["data"]["columns"]
    assert not [s for s in config["legend"] if s["title"] == "Highlight"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("type=Skirmishes", "--highlight 'type=Skirmishes': 'Skirmishes' is not known; accepted: "),
        (
            "province=Atlantis",
            "--highlight 'province=Atlantis': 'Atlantis' is not known; accepted: ",
        ),
        (
            "2022-02-30..2022-03",
            "--highlight '2022-02-30..2022-03': start: '2022-02-30' is not a date",
        ),
        (
            "NOPE-9",
            "--highlight 'NOPE-9': no event has this id; accepted: an event id, a date window",
        ),
        ("when=now", "--highlight 'when=now': 'when' is not known; accepted: an event id"),
    ],
)
def test_bad_highlight_exits_1_naming_option_value_and_accepted(
    data_env, tmp_path, capsys, spec, message
):
    out = tmp_path / "m.png"
    assert main(["build", "--highlight", spec, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err
    if spec.startswith(("type=", "province=")):
        assert "Battles" in err or "Khyber Pakhtunkhwa" in err  # the accepted list
    assert not out.exists()


def test_a_highlight_that_picks_nothing_shown_is_a_warning(data_env, tmp_path, capsys):
    out = tmp_path / "m.html"
    assert main(["build", "--highlight", "actor=Nobody", "--out", str(out)]) == 0
    assert "warning: --highlight 'actor=Nobody' picks none of the 6 events shown" in (
        capsys.readouterr().err
    )


def test_build_refuses_a_language_that_is_not_an_edition(tmp_path, capsys):
    out = tmp_path / "m.html"
    with pytest.raises(SystemExit) as info:
        main(["build", "--lang", "fa", "--out", str(out)])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "--lang" in err and "'fa'" in err and "accepted: en, ps, fa-AF, ur" in err, err
    assert not out.exists()


def test_build_lang_en_is_the_default_page_byte_for_byte(tmp_path):
    assert main(["build", "--out", str(tmp_path / "a.html")]) == 0
    assert main(["build", "--lang", "en", "--out", str(tmp_path / "b.html")]) == 0
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
