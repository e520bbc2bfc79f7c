"""The installed package works anywhere: a wheel, a fresh virtual environment, another folder.

Builds the wheel, installs it with ``--no-deps`` into a new venv, and runs ``geo build``
from a temporary directory that has no ``data/`` folder: the shipped data must come from
the wheel. The new venv finds the dependencies in the site-packages of the interpreter
running the tests (a ``.pth`` file naming them), whether that is the system's Python or
a virtual environment's: ``system_site_packages`` would see the system's only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (built,) = out.glob("geo-*.whl")
    return built


def test_wheel_carries_the_data_and_the_page_code(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for member in (
        "geo/data/events.geojson",
        "geo/data/durand_line.geojson",
        "geo/data/provinces.geojson",
        "geo/data/countries.geojson",
        "geo/data/crossings.geojson",
        "geo/data/cities.geojson",
        "geo/data/SOURCES.md",
        "geo/static/core.js",
        "geo/py.typed",
        # the language editions (geo.i18n): catalogues, CLDR extracts, fonts and licences
        "geo/i18n/catalog.py",
        "geo/locale/geo.pot",
        "geo/locale/ps/LC_MESSAGES/geo.po",
        "geo/locale/fa_AF/LC_MESSAGES/geo.po",
        "geo/locale/ur/LC_MESSAGES/geo.po",
        "geo/locale/cldr.json",
        "geo/locale/cldr.LICENSE",
        "geo/locale/README.md",
        "geo/locale/fonts/noto-naskh-arabic-arabic-400-normal.woff",
        "geo/locale/fonts/noto-naskh-arabic-arabic-400-normal.LICENSE",
        "geo/locale/fonts/noto-nastaliq-urdu-arabic-400-normal.woff",
        "geo/locale/fonts/noto-nastaliq-urdu-arabic-400-normal.LICENSE",
    ):
        assert member in names, member


def test_installed_wheel_builds_a_map_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # the running interpreter's packages (not its .pth files: an editable geo stays out)
    here = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")}
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "deps-of-the-test-run.pth").write_text("\n".join(sorted(here)) + "\n")
    # pip from this interpreter, targeting the new environment
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
               "--quiet", "--disable-pip-version-check", str(wheel)]  # fmt: skip
    proc = subprocess.run(install, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("GEO_DATA_DIR", "PYTHONPATH")}
    where = subprocess.run(
        [str(python), "-c", "import geo, geo.context as c; print(geo.__file__); print(c.data_dir())"],
        cwd=work, capture_output=True, text=True, timeout=120, check=True, env=env,
    )  # fmt: skip
    module, data = where.stdout.split()
    assert str(env_dir) in module and str(ROOT) not in module  # the installed copy, not ours
    assert data.startswith(str(env_dir)) and data.endswith(os.path.join("geo", "data"))
    geo_cmd = env_dir / "bin" / "geo"
    proc = subprocess.run([str(geo_cmd), "build", "--start", "2022", "--end", "2022"], cwd=work,
                          capture_output=True, text=True, timeout=300, check=False, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    page = work / "maps" / "conflict_map.html"
    assert page.stat().st_size > 100_000 and "Durand Line" in page.read_text(encoding="utf-8")
    # the editions' catalogues, CLDR extracts and fonts come from the installed package too
    probe = (
        "import datetime as d; from geo.i18n import translate, format_date; "
        "from geo.i18n.fonts import subset; "
        "print(translate('Province', 'fa-AF'), format_date(d.date(2024, 3, 20), 'fa-AF'), "
        "len(subset('ur', 'چمن')) > 1000)"
    )
    i18n = subprocess.run([str(python), "-c", probe], cwd=work, capture_output=True, text=True,
                          timeout=300, check=False, env=env)  # fmt: skip
    assert i18n.returncode == 0, i18n.stderr[-2000:]
    assert i18n.stdout.split() == ["ولایت", "۱", "حمل", "۱۴۰۳", "(۲۰", "مارچ", "۲۰۲۴)", "True"]
