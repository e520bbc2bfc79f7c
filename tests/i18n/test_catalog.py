"""The catalogues: complete against the sources, placeholders kept, status marked, text as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from geo._errors import InputError
from geo.i18n import catalog as cat
from geo.i18n.extract import ROOT, extract

LANGS = cat.catalogue_langs()
REPO = ROOT.parent


def test_the_editions_with_catalogues() -> None:
    assert LANGS == ["ps", "fa-AF", "ur"]


def test_the_template_lists_every_fixed_string_the_sources_hold() -> None:
    # a label added to geo/static/*.js or the legend without `scripts/update_catalogues.py`
    # fails here: the template is exactly what the extractor finds, with the same files
    template = {
        m.id: sorted(loc for loc, _ in m.locations)
        for m in cat.read_catalogue(cat.template_path())
        if m.id
    }
    assert template == extract(), "run python scripts/update_catalogues.py"


def test_every_msgid_is_written_in_the_files_it_names() -> None:
    for msgid, files in extract().items():
        for rel in files:
            assert f'"{msgid}"' in (REPO / rel).read_text("utf-8"), (msgid, rel)


def test_the_extractor_finds_labels_and_skips_data_comparisons_and_comments(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "render").mkdir()
    (tmp_path / "static" / "a.js").write_text(
        'b.setAttribute("aria-label", "Zoom to fit");\n'
        'if (t === "Other") {}\n'
        '// "Commented label"\n'
        '/* "Block comment" */ x.title = "After a comment";\n'
        'var k = "Escape"; var m = "March"; var id = "geo-panel";\n'
        'n.textContent = t("{count} events on {date}", v); // t("Not this")\n',
        "utf-8",
    )
    (tmp_path / "render" / "legend.py").write_text(
        '{"title": "Event type", "label": f"{x}"}\n', "utf-8"
    )
    (tmp_path / "render" / "static.py").write_text('{"label": "Many events"}\n', "utf-8")
    (tmp_path / "render" / "options.py").write_text(
        'class O:\n    title: str = "A map"\n    alt: str = "Not a title"\n', "utf-8"
    )
    assert extract(tmp_path) == {
        "{count} events on {date}": ["geo/static/a.js"],
        "A map": ["geo/render/options.py"],
        "After a comment": ["geo/static/a.js"],
        "Event type": ["geo/render/legend.py"],
        "Many events": ["geo/render/static.py"],
        "Zoom to fit": ["geo/static/a.js"],
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_has_every_template_entry_with_placeholders_and_status(lang: str) -> None:
    report = cat.check(lang)
    assert report.problems == ()
    assert report.counts["draft"] + report.counts["reviewed"] + report.counts["missing"] == len(
        extract()
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_catalogue_translates_every_template_string(lang: str) -> None:
    # the completeness rule: a string added to the sources without its translation in
    # every edition's catalogue fails here (an empty msgstr would show the English on the page)
    report = cat.check(lang)
    assert report.missing == (), (
        f"{cat.catalogue_path(lang)}: no translation for {list(report.missing)}; write one "
        "(marked '# status: draft') after running python scripts/update_catalogues.py"
    )
    assert report.counts["missing"] == 0


def test_the_completeness_test_sees_an_empty_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the rule above fails on a template string whose catalogue entry is empty
    path = _po(
        tmp_path, '# status: draft\nmsgid "Year"\nmsgstr "کال"\n\nmsgid "Month"\nmsgstr ""\n'
    )
    report = _check_file(path, ["Year", "Month"], monkeypatch)
    assert report.problems == ()
    assert report.missing == ("Month",)


def _po(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "geo.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n' + entries, "utf-8"
    )
    return path


def _check_file(path: Path, template_ids: list[str], monkeypatch: pytest.MonkeyPatch) -> cat.Report:
    template = Catalog()
    for mid in template_ids:
        template.add(mid)
    monkeypatch.setattr(cat, "catalogue_path", lambda lang: path)
    return cat.check("ps", template)


def test_check_reports_missing_extra_placeholder_and_status_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _po(tmp_path, (
        '# status: draft\nmsgid "Shown: {shown} of {total}"\nmsgstr "{shown} له {n}"\n\n'
        'msgid "Year"\nmsgstr "کال"\n\n'
        '# status: approved\nmsgid "Day"\nmsgstr "ورځ"\n\n'
        '# status: draft\n#, fuzzy\nmsgid "Week"\nmsgstr "اونۍ"\n\n'
        'msgid "Gone"\nmsgstr ""\n'
    ))  # fmt: skip
    report = _check_file(
        path, ["Shown: {shown} of {total}", "Year", "Day", "Week", "Month"], monkeypatch
    )
    text = "\n".join(report.problems)
    assert "no entry for 'Month'" in text
    assert "'Gone' is not in the template" in text
    assert re.search(r"'Shown: \{shown\} of \{total\}': placeholders .*\{n\}.* differ", text)
    assert "'Year': status 'unmarked'" in text
    assert "'Day': status 'approved'" in text
    assert "'Week': status 'fuzzy'" in text
    assert report.missing == ("Gone",)


def test_placeholders_of_both_kinds() -> None:
    assert cat.placeholders("%(n)s events from {start} to {end}; %d") == [
        "%(n)s",
        "%d",
        "{end}",
        "{start}",
    ]
    assert cat.placeholders("{{literal}} and {0.__class__}") == []


HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }} {% if 1 %}x{% endif %}",
    "{0.__class__.__mro__} {shown.__init__}",
    "\u202e\u2066reversed\u2069 \u0000\u2028",
)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_catalogue_text_is_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile: str
) -> None:
    # a translation comes back as written: nothing in it is evaluated or formatted, and only
    # the caller's {name} values are filled in
    from babel.messages.pofile import write_po

    c = Catalog(locale="ps")
    c.add("Shown: {shown}", hostile + " {shown}", user_comments=["status: draft"])
    path = tmp_path / "ps" / "LC_MESSAGES" / "geo.po"
    path.parent.mkdir(parents=True)
    with path.open("wb") as fh:
        write_po(fh, c)
    monkeypatch.setattr(cat, "catalogue_path", lambda lang: path)
    cat.translations.cache_clear()
    try:
        assert cat.translate("Shown: {shown}", "ps", shown="<b>3</b>") == hostile + " <b>3</b>"
    finally:
        cat.translations.cache_clear()


def test_translate_uses_the_catalogue_and_falls_back_to_english() -> None:
    assert cat.translate("Province", "fa-AF") == "ولایت"
    assert cat.translate("Province", "ur") == "صوبہ"
    assert cat.translate("Province", "en") == "Province"
    assert cat.translate("Not in any catalogue {n}", "ps", n=3) == "Not in any catalogue 3"


def test_a_malformed_catalogue_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "geo.po"
    bad.write_text('garbage line\nmsgid "a"\nmsgstr "b"\n', "utf-8")
    with pytest.raises(InputError, match=r"geo\.po: not a valid gettext catalogue: .*on 0"):
        cat.read_catalogue(bad)
    bad.write_bytes(b'msgid "a"\nmsgstr "\xff"\n')
    with pytest.raises(InputError, match=r"geo\.po: not a valid gettext catalogue: .*utf-8"):
        cat.read_catalogue(bad)
    with pytest.raises(InputError, match=r"missing\.po: cannot read the catalogue"):
        cat.read_catalogue(tmp_path / "missing.po")


def test_english_has_no_catalogue() -> None:
    with pytest.raises(InputError, match="'en' is the source language"):
        cat.catalogue_path("en")


def test_the_catalogues_are_what_the_update_script_writes(tmp_path: Path) -> None:
    # rerunning scripts/update_catalogues.py changes nothing: sorted, fixed dates, no line numbers
    import subprocess
    import sys

    before = {p: p.read_bytes() for p in (ROOT / "locale").rglob("*.po*")}
    try:
        subprocess.run([sys.executable, str(REPO / "scripts" / "update_catalogues.py")],
                       check=True, capture_output=True, cwd=tmp_path)  # fmt: skip
        after = {p: p.read_bytes() for p in (ROOT / "locale").rglob("*.po*")}
    finally:  # the script writes in place: a failing run leaves the checkout as it was
        for path, data in before.items():
            path.write_bytes(data)
    assert after == before


def test_the_extractor_finds_python_messages(tmp_path: Path) -> None:
    """``tr("...")`` and ``N_("...")`` in the Python outputs' modules are messages (issue 24:
    the stills' subtitle and credits, the batch index, the snippet, the frames)."""
    (tmp_path / "static").mkdir()
    (tmp_path / "render").mkdir()
    (tmp_path / "render" / "legend.py").write_text("", "utf-8")
    (tmp_path / "render" / "static.py").write_text(
        'x = tr("{count} events", lang, count=n)\ny = N_("border belt")\nz = "Not a message"\n',
        "utf-8",
    )
    (tmp_path / "render" / "options.py").write_text("", "utf-8")
    (tmp_path / "batch.py").write_text('w = tr("Map of {period}", lang)\n', "utf-8")
    found = extract(tmp_path)
    assert found == {
        "{count} events": ["geo/render/static.py"],
        "border belt": ["geo/render/static.py"],
        "Map of {period}": ["geo/batch.py"],
    }


def test_a_message_key_is_not_a_literal_to_replace() -> None:
    # t("Play") is looked up by its English key in the page's messages: the edition's script
    # keeps the key (a second copy of the translation there would only weigh the page)
    from geo.i18n.extract import ui_literals

    source = 'a = t("Play"); b = "Play"; c = at("Pause"); d = t("{n} steps");'
    assert [m for _s, _e, m in ui_literals(source)] == ["Play", "Pause"]
