"""Property-based fuzzing of the readers and the command line with Hypothesis.

Inputs are valid files mutated the way real files go wrong (and the way an attacker would
write them): a field replaced by any JSON value, keys dropped, geometry garbled, cells with
quotes, commas and line breaks, columns renamed or repeated, bytes cut or inserted. For
every input:

- reading raises nothing but the project's own errors;
- every record is accounted for: records read = kept + rejected, and each rejected record
  has at least one error naming it;
- ``geo validate`` and ``geo build`` exit 0 or 1 (never 70, the code of a bug), and a
  failed build leaves no output and no temporary file.

The ``ci`` profile (the default) is small and derandomised so that CI is fast and
repeatable; ``HYPOTHESIS_PROFILE=long`` runs 5,000 examples per test locally.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from geo._errors import InputError, ValidationError
from geo.cli import main
from geo.events import read_events
from geo.schema import RAW_FIELDS

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    # no "explain" phase: it imports libcst, whose DeprecationWarning (an error under this
    # suite's filterwarnings) hid a failure's report behind an INTERNALERROR
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: A failure's report of a large file (a GeoParquet of 1,200 columns) warns that its repr is
#: large; under this suite's filterwarnings that warning hid the failure itself.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

CONTEXT = Path(__file__).parent / "data" / "context"
ACLED = Path(__file__).parent / "data" / "acled_export.csv"
BASE_FEATURES = json.loads((CONTEXT / "events.geojson").read_text(encoding="utf-8"))["features"]

#: Text that breaks parsers: quotes, separators, line breaks, escapes, odd Unicode.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            '"',
            '""',
            ",",
            "\n",
            "\r\n",
            "\x00",
            "\ufeff",
            "{{ 7*7 }}",
            "{#",
            "</script>",
            "1e400",
            "-0",
            "NaN",
            "2022-02-30",
            "99999-01-01",
            "\u2028",
            " ",
        ]
    ),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    nasty_text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def geojson_docs(draw: st.DrawFn) -> tuple[str, int | None]:
    """A mutated FeatureCollection as text, and its number of features when it stays valid."""
    features = json.loads(json.dumps(BASE_FEATURES))
    for _ in range(draw(st.integers(0, 4))):
        intact = [
            f for f in features if isinstance(f, dict) and isinstance(f.get("properties"), dict)
        ]
        if not intact:
            break
        f = draw(st.sampled_from(intact))
        kind = draw(st.sampled_from(["set", "drop", "geometry", "feature", "deep"]))
        if kind == "set":
            f["properties"][draw(st.sampled_from(RAW_FIELDS))] = draw(json_values)
        elif kind == "drop":
            f["properties"].pop(draw(st.sampled_from(RAW_FIELDS)), None)
        elif kind == "geometry":
            f["geometry"] = draw(
                st.one_of(
                    json_values,
                    st.fixed_dictionaries({"type": st.just("Point"), "coordinates": json_values}),
                )
            )
        elif kind == "deep":
            f["properties"][draw(st.sampled_from(["sources", "tags", "summary"]))] = _deep(
                draw(st.integers(10, 40))
            )
        else:
            features[features.index(f)] = draw(json_values)
    doc: Any = {"type": "FeatureCollection", "features": features}
    if draw(st.booleans()):
        doc["crs"] = draw(
            st.one_of(
                json_values,
                st.sampled_from(
                    [
                        {"type": "name", "properties": {"name": c}}
                        for c in ("EPSG:3857", "EPSG:4978", "EPSG:5773", "nonsense")
                    ]
                ),
            )
        )
    text = json.dumps(doc, ensure_ascii=draw(st.booleans()), allow_nan=True)
    return _byte_mutation(draw, text), len(features)


def _byte_mutation(draw: st.DrawFn, text: str) -> str:
    kind = draw(st.sampled_from(["none", "none", "none", "cut", "insert"]))
    if kind == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if kind == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(nasty_text) + text[at:]
    return text


@st.composite
def csv_docs(draw: st.DrawFn, template: Path) -> str:
    rows = list(csv.reader(io.StringIO(template.read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["cell", "rename", "duplicate", "extra", "short", "blank"]))
        filled = [r for r in body if r]
        if kind == "cell" and filled:
            row = draw(st.sampled_from(filled))
            row[draw(st.integers(0, len(row) - 1))] = draw(nasty_text)
        elif kind == "rename":
            header[draw(st.integers(0, len(header) - 1))] = draw(nasty_text)
        elif kind == "duplicate":
            header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(header)) + draw(
                st.sampled_from(["", " "])
            )
        elif kind == "extra" and body:
            draw(st.sampled_from(body)).append(draw(nasty_text))
        elif kind == "short" and filled:
            row = draw(st.sampled_from(filled))
            del row[draw(st.integers(0, len(row) - 1)) :]
        else:
            body.insert(draw(st.integers(0, len(body))), [])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerows([header, *body])
    return _byte_mutation(draw, buf.getvalue())


def _check_report(path: Path, n_features: int | None = None) -> None:
    try:
        report = read_events(path)
    except (ValidationError, InputError):
        return
    rejected_where = {
        p.where for p in report.problems if p.severity == "error" and p.where != "file"
    }
    assert report.n_read == len(report.events) + report.n_rejected
    assert len(rejected_where) == report.n_rejected, (rejected_where, report.n_rejected)
    kept_where = set(report.events["origin_record"])
    assert not (kept_where & rejected_where)
    if n_features is not None and path.suffix == ".geojson":
        assert report.n_read == n_features


@contextlib.contextmanager
def _workdir():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def _check_cli(src: Path, out_dir: Path) -> None:
    assert main(["validate", str(src)]) in (0, 1)
    out = out_dir / "map.html"
    code = main(["build", "--events", str(src), "--out", str(out)])
    assert code in (0, 1)
    leftovers = [p.name for p in out_dir.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers
    if code == 1:
        assert not out.exists()


@given(geojson_docs())
def test_fuzz_geojson_reader(doc: tuple[str, int | None]) -> None:
    text, n = doc
    with _workdir() as d:
        path = d / "fuzz.geojson"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _check_report(path, n)


@given(csv_docs(CONTEXT.parent / "acled_export.csv"))
def test_fuzz_acled_reader(text: str) -> None:
    with _workdir() as d:
        path = d / "fuzz.csv"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _check_report(path)


def _canonical_csv() -> Path:
    """The context events as a canonical CSV (written once per session)."""
    path = Path(tempfile.gettempdir()) / f"geo-fuzz-canonical-{os.getpid()}.csv"
    if not path.exists():
        fields = [
            "event_id",
            "date_start",
            "date_end",
            "event_type",
            "sub_event_type",
            "summary",
            "sources",
            "latitude",
            "longitude",
        ]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(fields)
        for f in BASE_FEATURES:
            p = f["properties"]
            lon, lat = f["geometry"]["coordinates"]
            writer.writerow(
                [
                    *(p.get(k) or "" for k in fields[:5]),
                    p.get("summary", ""),
                    json.dumps(p.get("sources", [])),
                    lat,
                    lon,
                ]
            )
        path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@given(st.data())
def test_fuzz_canonical_csv_reader(data: st.DataObject) -> None:
    text = data.draw(csv_docs(_canonical_csv()))
    with _workdir() as d:
        path = d / "fuzz.csv"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _check_report(path)


@pytest.mark.parametrize("kind", ["geojson", "acled"])
@settings(max_examples=int(os.environ.get("GEO_FUZZ_CLI_EXAMPLES", "6")))
@given(data=st.data())
def test_fuzz_command_line(kind: str, data: st.DataObject) -> None:
    with _workdir() as d:
        if kind == "geojson":
            text = data.draw(geojson_docs())[0]
            src = d / "fuzz.geojson"
        else:
            text = data.draw(csv_docs(ACLED))
            src = d / "fuzz.csv"
        src.write_text(text, encoding="utf-8", errors="surrogatepass")
        out_dir = d / "out"
        out_dir.mkdir()
        _check_cli(src, out_dir)


UCDP = Path(__file__).parent / "data" / "ucdp_ged_export.csv"


@given(csv_docs(UCDP))
def test_fuzz_ucdp_reader(text: str) -> None:
    with _workdir() as d:
        path = d / "fuzz.csv"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _check_report(path)


def _base_parquet() -> bytes:
    """The context events as GeoParquet (written once per session)."""
    path = Path(tempfile.gettempdir()) / f"geo-fuzz-base-{os.getpid()}.parquet"
    if not path.exists():
        from geo.export import write_events

        write_events(read_events(CONTEXT / "events.geojson").events, path)
    return path.read_bytes()


#: Arrow types a column may be turned into: what real files hold by mistake and what an
#: attacker would write (lists of lists, maps, structs, bytes, dictionary-encoded text).
def _mutated_column(draw: st.DrawFn, column: Any, n: int) -> Any:
    import pyarrow as pa

    kind = draw(st.sampled_from(
        ["nested", "list_text", "struct", "map", "binary", "ints", "floats", "bools", "nulls",
         "dict_long", "dates", "big_decimal"]
    ))  # fmt: skip
    texts = [draw(nasty_text) for _ in range(3)]
    if kind == "nested":
        return pa.array([[[t] for t in texts]] * n, type=pa.list_(pa.list_(pa.string())))
    if kind == "list_text":
        return pa.array([texts] * n, type=pa.list_(pa.string()))
    if kind == "struct":
        return pa.array([{"a": texts[0], "b": 1}] * n)
    if kind == "map":
        return pa.array([[(texts[0], 1)]] * n, type=pa.map_(pa.string(), pa.int64()))
    if kind == "binary":
        return pa.array(
            [t.encode("utf-8", "surrogatepass") for t in texts * n][:n], type=pa.binary()
        )
    if kind == "ints":
        return pa.array(draw(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=n, max_size=n)))
    if kind == "floats":
        return pa.array(draw(st.lists(st.floats(allow_nan=True), min_size=n, max_size=n)))
    if kind == "bools":
        return pa.array([True, False] * n)[:n]
    if kind == "nulls":
        return pa.nulls(n, pa.string())
    if kind == "dict_long":
        value = "x" * draw(st.sampled_from([10, 140_000]))
        return pa.DictionaryArray.from_arrays(pa.array([0] * n, pa.int32()), pa.array([value]))
    if kind == "dates":
        return pa.array([0] * n, pa.date32())
    return pa.array([10**30] * n, pa.decimal128(38, 0))


@st.composite
def parquet_docs(draw: st.DrawFn) -> bytes:
    """A mutated GeoParquet file: columns of another type, a broken or foreign ``geo``
    metadata, columns dropped, many columns, cut bytes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(pa.BufferReader(_base_parquet()))
    n = table.num_rows
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["type", "type", "drop", "meta", "wide", "geometry"]))
        names = table.column_names
        if kind == "type":
            i = draw(st.integers(0, len(names) - 1))
            table = table.set_column(i, names[i], _mutated_column(draw, table.column(i), n))
        elif kind == "drop" and len(names) > 1:
            table = table.remove_column(draw(st.integers(0, len(names) - 1)))  # names repeat
        elif kind == "meta":
            meta = dict(table.schema.metadata or {})
            meta[b"geo"] = draw(st.sampled_from([
                b"{not json", b"null", b"[]", b'{"primary_column": "nope"}',
                b'{"primary_column": "geometry", "columns": {"geometry": {"crs": "IAU_2015:30100"}}}',
                b'{"primary_column": "geometry", "columns": {"geometry": {"crs": {"bad": 1}}}}',
                b'{"primary_column": "summary", "columns": {}}',
            ]))  # fmt: skip
            table = table.replace_schema_metadata(meta)
        elif kind == "wide":
            extra = draw(st.sampled_from([10, 1_200]))
            for k in range(extra):
                table = table.append_column(f"extra{k}", pa.nulls(n, pa.string()))
        elif kind == "geometry" and "geometry" in names:
            blobs = draw(st.lists(st.binary(max_size=30), min_size=n, max_size=n))
            table = table.set_column(
                names.index("geometry"), "geometry", pa.array(blobs, pa.binary())
            )
    buf = io.BytesIO()
    pq.write_table(table, buf)
    data = buf.getvalue()
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@given(parquet_docs())
def test_fuzz_geoparquet_reader(data: bytes) -> None:
    with _workdir() as d:
        path = d / "fuzz.parquet"
        path.write_bytes(data)
        _check_report(path)


@settings(max_examples=int(os.environ.get("GEO_FUZZ_CLI_EXAMPLES", "6")))
@given(parquet_docs())
def test_fuzz_command_line_on_geoparquet(data: bytes) -> None:
    with _workdir() as d:
        src = d / "fuzz.parquet"
        src.write_bytes(data)
        out_dir = d / "out"
        out_dir.mkdir()
        _check_cli(src, out_dir)
