"""JSON read in pieces, for Azure's largest answers (a SQL Database migration lists every one
of its 20,000 tables, twice per refresh: in the list and in the detail).

``json.loads`` parses the whole text in one call that holds the interpreter throughout: tens
of milliseconds for such an answer, during which the UI thread cannot answer a key. Here
the outer objects and arrays are walked in Python and each element of an array (a table, a
backup set, a migration's innermost pieces) is parsed whole by the same C scanner
``json.loads`` uses: the worker thread reading the answer lets the UI thread in between
elements. The result is the same as ``json.loads`` gives, errors included
(``json.JSONDecodeError``).
"""

from __future__ import annotations

import json
import json.decoder
import re
from collections.abc import Callable
from json.decoder import JSONDecodeError
from typing import Any

# The elements of an array nested this deep (the answer itself is 1) are parsed whole, one
# C call each; the containers above them are walked. A migration's tables sit in an array
# nested 4 deep (``properties.migrationStatusDetails.listOfCopyProgressDetails``), 6 deep in
# a list of migrations (``value[i].properties...``); the list itself is 2 deep.
WHOLE_FROM = 3
# Anything nested deeper than this is parsed whole too (no answer of Azure's comes close).
DEEPEST = 16
_WS = re.compile(r"[ \t\n\r]*")
# the C scanner and string reader ``json.loads`` itself uses (the typeshed stubs leave them out)
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def loads(text: str) -> Any:
    """``json.loads(text)``, letting other threads run while it parses."""
    at = _WS.match(text, 0).end()  # type: ignore[union-attr]
    value, end = _value(text, at, 0)
    end = _WS.match(text, end).end()  # type: ignore[union-attr]
    if end != len(text):
        raise JSONDecodeError("Extra data", text, end)
    return value


def _value(s: str, i: int, depth: int, whole: bool = False) -> tuple[Any, int]:
    c = s[i : i + 1]
    whole = whole or depth >= DEEPEST
    if not whole and c == "{":
        return _object(s, i + 1, depth + 1)
    if not whole and c == "[":
        return _array(s, i + 1, depth + 1)
    try:
        return _scan(s, i)
    except StopIteration as stop:
        raise JSONDecodeError("Expecting value", s, stop.value) from None


def _skip(s: str, i: int) -> int:
    return _WS.match(s, i).end()  # type: ignore[union-attr]


def _object(s: str, i: int, depth: int) -> tuple[dict[str, Any], int]:
    out: dict[str, Any] = {}
    i = _skip(s, i)
    if s[i : i + 1] == "}":
        return out, i + 1
    while True:
        if s[i : i + 1] != '"':
            raise JSONDecodeError("Expecting property name enclosed in double quotes", s, i)
        key, i = scanstring(s, i + 1)
        i = _skip(s, i)
        if s[i : i + 1] != ":":
            raise JSONDecodeError("Expecting ':' delimiter", s, i)
        i = _skip(s, i + 1)
        out[key], i = _value(s, i, depth)
        i = _skip(s, i)
        c = s[i : i + 1]
        if c == "}":
            return out, i + 1
        if c != ",":
            raise JSONDecodeError("Expecting ',' delimiter", s, i)
        i = _skip(s, i + 1)


def _array(s: str, i: int, depth: int) -> tuple[list[Any], int]:
    out: list[Any] = []
    i = _skip(s, i)
    if s[i : i + 1] == "]":
        return out, i + 1
    if depth >= WHOLE_FROM:
        return out, _elements(s, i, out)
    append = out.append
    while True:
        value, i = _value(s, i, depth)
        append(value)
        i = _skip(s, i)
        c = s[i : i + 1]
        if c == "]":
            return out, i + 1
        if c != ",":
            raise JSONDecodeError("Expecting ',' delimiter", s, i)
        i = _skip(s, i + 1)


def _elements(s: str, i: int, out: list[Any]) -> int:
    """The elements of the array at ``i`` (past its first blank) into ``out``, each parsed
    whole; where the array ends. The loop for tens of thousands, kept short."""
    scan, append, skip, blank = _scan, out.append, _WS.match, " \t\n\r"
    while True:
        try:
            value, i = scan(s, i)
        except StopIteration as stop:
            raise JSONDecodeError("Expecting value", s, stop.value) from None
        append(value)
        c = s[i : i + 1]
        if c and c in blank:
            i = skip(s, i).end()  # type: ignore[union-attr]
            c = s[i : i + 1]
        if c == ",":
            i += 1
            if s[i : i + 1] in blank:
                i = skip(s, i).end()  # type: ignore[union-attr]
        elif c == "]":
            return i + 1
        else:
            raise JSONDecodeError("Expecting ',' delimiter", s, i)


_encode = json.JSONEncoder().encode


def dumps(value: Any) -> str:
    """``json.dumps(value)`` (its default separators and escapes), letting other threads run
    while it writes: the sandbox answers 20,000 tables from the app's own process."""
    out: list[str] = []
    _write(value, 0, out)
    return "".join(out)


def _write(value: Any, depth: int, out: list[str]) -> None:
    if depth < DEEPEST and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        out.append("{")
        for n, (key, item) in enumerate(value.items()):
            out.append(f"{', ' if n else ''}{_encode(key)}: ")
            _write(item, depth + 1, out)
        out.append("}")
    elif depth < DEEPEST and isinstance(value, list | tuple):
        if depth + 1 >= WHOLE_FROM:  # its elements, one C call each
            out.append(f"[{', '.join(map(_encode, value))}]")
            return
        out.append("[")
        for n, item in enumerate(value):
            if n:
                out.append(", ")
            _write(item, depth + 1, out)
        out.append("]")
    else:
        out.append(_encode(value))
