"""Map spec files: one TOML file that says everything a command line says about a map.

A published map is rebuilt again and again (a weekly update, a correction). Its spec file
holds the options of ``geo build`` (or ``geo batch``) under their command-line names, so one
file reproduces the map::

    # map.toml
    command = "build"
    title = "Border clashes, October 2025"
    events = ["exports/acled.csv"]
    start = "2025-10-01"
    end = "2025-10-31"
    province = ["Khost", "Kurram"]
    out = "maps/october.png"
    width-mm = 170

``geo build map.toml`` reads it; options after it on the command line are added to the spec's
(a repeatable option adds values, any other replaces the spec's value). ``geo build --write-spec
map.toml …`` writes the spec of a command line once the map is made. The spec is read into the
same command-line tokens the parser takes, so a spec and its command line make the same bytes.

Paths in a spec are relative to the spec file's folder. A spec is data from outside: every key
is checked against the command's options (an unknown one is refused with the nearest known
key), every value against what its option accepts, before anything is read or written.
"""

from __future__ import annotations

import argparse
import difflib
import os
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tomli_w

from geo._atomic import write_text_atomic
from geo._errors import InputError

__all__ = ["SPEC_COMMANDS", "expand", "spec_dict", "write_spec"]

#: The commands a spec can hold.
SPEC_COMMANDS = ("build", "batch", "animate")
#: Options that say how to run, not what to make: never written to a spec, refused in one.
RUN_ONLY = ("help", "write-spec", "debug")
#: The option values that name files, read or written: relative to the spec's folder.
PATH_METAVARS = ("PATH", "FILE.csv|FILE.json")
PATH_OPTIONS = ("out", "out-dir", "report")
#: The first line of a written spec.
HEADER = (
    "# geo map spec: `geo {command} {name}` remakes this map. The keys are the options of\n"
    "# `geo {command}` without '--'; paths are relative to this file's folder.\n"
)


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """The command's long options by name (``min-fatalities``), without the run-only ones."""
    out: dict[str, argparse.Action] = {}
    for action in parser._actions:  # argparse has no public list of a parser's actions
        for opt in action.option_strings:
            if opt.startswith("--") and opt[2:] not in RUN_ONLY:
                out[opt[2:]] = action
    return out


def _is_path(name: str, action: argparse.Action) -> bool:
    return name in PATH_OPTIONS or action.metavar in PATH_METAVARS


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0


def _repeatable(action: argparse.Action) -> bool:
    return isinstance(action, argparse._AppendAction)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def load(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The table of a spec file; a file that is not TOML is refused with its line and column."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{p}: a spec file is UTF-8 text; byte {exc.start} is not"
        raise InputError(msg) from None
    except FileNotFoundError:
        msg = f"{p}: no such spec file"
        raise InputError(msg) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{p}: not a TOML file ({exc}); see 'geo build --help' for the keys"
        raise InputError(msg) from None


def tokens(
    spec: dict[str, Any], parser: argparse.ArgumentParser, *, where: Path, command: str
) -> list[str]:
    """The command-line tokens a spec stands for, every key and value checked.

    ``where`` is the spec file (errors name it; relative paths are relative to its folder).
    """
    options = _options(parser)
    wanted = spec.get("command", command)
    if wanted != command:
        msg = (
            f"{where}: key 'command': value {_shown(wanted)} is a spec for 'geo {wanted}', "
            f"not 'geo {command}'; accepted: {', '.join(repr(c) for c in SPEC_COMMANDS)}"
        )
        raise InputError(msg)
    out: list[str] = []
    for key, value in spec.items():
        if key == "command":
            continue
        action = options.get(key)
        if action is None:
            out_of = [*options, "command"]
            near = difflib.get_close_matches(key.replace("_", "-"), out_of, n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            msg = (
                f"{where}: key {_shown(key)} is not an option of 'geo {command}'; {hint}"
                f"the keys are the command's long options without '--' (see 'geo {command} --help')"
            )
            raise InputError(msg)
        out.extend(_key_tokens(key, value, action, where=where))
    return out


def _key_tokens(key: str, value: Any, action: argparse.Action, *, where: Path) -> list[str]:
    flag = f"--{key}"
    if not _takes_value(action):
        if not isinstance(value, bool):
            msg = f"{where}: key '{key}': value {_shown(value)} is not accepted; accepted: true or false"
            raise InputError(msg)
        if isinstance(action, argparse.BooleanOptionalAction) and not key.startswith("no-"):
            return [flag if value else f"--no-{key}"]  # inset = false is --no-inset
        return [flag] if value else []
    values = value if isinstance(value, list) else [value]
    if isinstance(value, list) and not _repeatable(action):
        msg = f"{where}: key '{key}': value {_shown(value)} is a list; '{key}' takes one value"
        raise InputError(msg)
    out: list[str] = []
    for item in values:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            msg = (
                f"{where}: key '{key}': value {_shown(item)} is not accepted; accepted: "
                f"{'text or a number' if action.type else 'text'}"
                + (" (or a list of them)" if _repeatable(action) else "")
            )
            raise InputError(msg)
        text = str(item)
        if _is_path(key, action) and text and not os.path.isabs(text):
            text = os.path.normpath(where.parent / text)
        _check(key, text, action, where=where)
        out.extend([flag, text])
    return out


def _check(key: str, text: str, action: argparse.Action, *, where: Path) -> None:
    """Refuse a value the option's parser would refuse, naming the spec, key and value."""
    if action.choices is not None and text not in action.choices:
        accepted = ", ".join(repr(c) for c in action.choices)
        msg = f"{where}: key '{key}': value {_shown(text)} is not accepted; accepted: {accepted}"
        raise InputError(msg)
    convert = action.type
    if callable(convert) and convert is not Path:
        try:
            convert(text)
        except (argparse.ArgumentTypeError, ValueError, InputError) as exc:
            msg = f"{where}: key '{key}': value {_shown(text)} is not accepted: {exc}"
            raise InputError(msg) from None


def expand(argv: Sequence[str], parsers: dict[str, argparse.ArgumentParser]) -> list[str]:
    """``[command, SPEC.toml, *rest]`` as ``[command, *spec tokens, *rest]``; other lines as given.

    ``parsers`` maps each command of :data:`SPEC_COMMANDS` to its parser.
    """
    argv = list(argv)
    if len(argv) < 2 or argv[0] not in SPEC_COMMANDS or argv[0] not in parsers:
        return argv
    first = argv[1]
    if first.startswith("-") or not first.lower().endswith(".toml"):
        return argv
    where = Path(first)
    spec = load(where)
    return [argv[0], *tokens(spec, parsers[argv[0]], where=where, command=argv[0]), *argv[2:]]


def spec_dict(
    argv: Sequence[str], parser: argparse.ArgumentParser, *, command: str, spec_path: Path
) -> dict[str, Any]:
    """The spec of a command line (its tokens after the command), paths made relative to the
    folder of ``spec_path``. Abbreviated options are resolved as argparse resolves them."""
    options = _options(parser)
    spec: dict[str, Any] = {"command": command}
    args = list(argv)
    k = 0
    while k < len(args):
        token = args[k]
        k += 1
        if not token.startswith("--"):
            continue  # a positional (the spec file itself)
        name, eq, inline = token[2:].partition("=")
        if name in RUN_ONLY:
            k += 0 if eq or name in ("help", "debug") else 1
            continue
        key = _resolve(name, options)
        if key is None:
            continue
        action = options[key]
        if not _takes_value(action):
            spec[key] = True
            continue
        value = inline if eq else args[k]
        if not eq:
            k += 1
        if _is_path(key, action):
            value = _relative(value, spec_path.parent)
        if _repeatable(action):
            spec.setdefault(key, []).append(value)
        else:
            spec[key] = value
    return spec


def _resolve(name: str, options: dict[str, argparse.Action]) -> str | None:
    if name in options:
        return name
    starts = [o for o in options if o.startswith(name)]
    return starts[0] if len(starts) == 1 else None


def _relative(value: str, folder: Path) -> str:
    """A path as the spec writes it: relative to the spec's folder (absolute on another drive)."""
    if any(ch in value for ch in "*?["):  # a glob stays as it was written, made absolute first
        value = os.path.abspath(value)
    try:
        return os.path.relpath(os.path.abspath(value), os.path.abspath(folder)).replace(os.sep, "/")
    except ValueError:  # another drive (Windows)
        return os.path.abspath(value)


def write_spec(
    path: str | os.PathLike[str],
    argv: Sequence[str],
    parser: argparse.ArgumentParser,
    *,
    command: str,
) -> Path:
    """Write the spec of a command line (tokens after the command) to ``path``, atomically."""
    p = Path(path)
    spec = spec_dict(argv, parser, command=command, spec_path=p)
    text = HEADER.format(command=command, name=p.name) + tomli_w.dumps(spec)
    return write_text_atomic([text], p)
