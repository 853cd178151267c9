"""Azure's answers parsed in pieces: the same values (and the same refusals) as
``json.loads``, with a migration's every table parsed by a call of its own, so the worker
reading 20,000 tables never holds the interpreter for the whole answer."""

from __future__ import annotations

import json
import random

import pytest

from tui import json_pieces


def _random_value(rng: random.Random, depth: int = 0):
    pick = rng.random()
    if depth > 6 or pick < 0.3:
        return rng.choice([0, -2.5, 10**20, 's\n"é\\', "", None, True, False, 1e-7])
    if pick < 0.65:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {
        f"k{rng.randint(0, 5)}": _random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))
    }


def test_any_document_reads_as_json_loads_reads_it():
    rng = random.Random(7)
    for _ in range(2000):
        text = json.dumps(_random_value(rng), indent=rng.choice([None, 1, 4]))
        assert json_pieces.loads(text) == json.loads(text), text


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        " [ ] ",
        '{"a": 1, "a": 2}',  # the last of a repeated name wins, as with json.loads
        '{"\\u00e9\\"": "\\ud83d\\ude00"}',
        "[Infinity, -Infinity, 1e5, 12345678901234567890]",
        '{"value": [{"properties": {"x": [[1, 2], {"y": [null]}]}}]}',
    ],
)
def test_edge_cases_read_as_json_loads_reads_them(text):
    assert json_pieces.loads(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "{",
        "[1,]",
        '{"a":1,}',
        '{"a" 1}',
        "[1 2]",
        "{} x",
        "{a:1}",
        '"abc',
        "[1,,2]",
        '{"value": [{"t": 1} {"t": 2}]}',
        '{"value": [{"t": 1},',
    ],
)
def test_what_json_loads_refuses_is_refused(text):
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        json_pieces.loads(text)


def _answer(tables: int) -> dict:
    rows = [{"tableName": f"dbo.T{i}", "status": "Copying", "rowsRead": i} for i in range(tables)]
    return {
        "id": "m",
        "properties": {"migrationStatusDetails": {"listOfCopyProgressDetails": rows}},
    }


@pytest.mark.parametrize("listed", [False, True], ids=["detail", "list of migrations"])
def test_each_table_is_a_piece_of_its_own(monkeypatch, listed):
    """The largest piece parsed at once is one table, in a migration's detail and in the
    list of migrations alike."""
    body = _answer(3000)
    if listed:
        body = {"value": [body, _answer(10)]}
    text = json.dumps(body)
    pieces: list[int] = []
    scan = json_pieces._scan

    def counting(s, at):
        value, end = scan(s, at)
        pieces.append(end - at)
        return value, end

    monkeypatch.setattr(json_pieces, "_scan", counting)
    assert json_pieces.loads(text) == body
    one_table = len(json.dumps(_answer(1)["properties"]["migrationStatusDetails"]))
    assert len(pieces) >= 3000
    assert max(pieces) < one_table


def test_the_sandbox_writes_answers_as_json_dumps_writes_them():
    rng = random.Random(11)
    for _ in range(2000):
        value = _random_value(rng)
        assert json_pieces.dumps(value) == json.dumps(value)
    odd = {"k": (1, 2), 3: "int key", None: [float("nan")], "deep": [[[[{"x": [1]}]]]]}
    assert json_pieces.dumps(odd) == json.dumps(odd)
    big = {"value": [_answer(2000)]}
    assert json_pieces.dumps(big) == json.dumps(big)
