"""The parser's shape (issue #9 §4) and its promises at the edges (§3): stages in order, no import cycle,
overflowing numbers answered with a hint, and `meetbot parse -` answering every line whatever one of them holds.
"""

from __future__ import annotations

import ast
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from bot import cli
from bot.errors import ParseError
from bot.timeparse import parse_when
from bot.timeparse.pipeline import PIPELINE

PACKAGE = Path(__file__).resolve().parents[2] / "bot" / "timeparse"


def test_the_stages_run_in_order():
    assert [name for name, _stage in PIPELINE] == ["tokens", "recognise", "resolve", "validate"]


def _imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "bot.timeparse":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot.timeparse."):
                found.add(node.module.rsplit(".", 1)[1])
        graph[path.stem] = {name for name in found if (PACKAGE / f"{name}.py").exists()}
    return graph


def test_no_module_of_the_parser_imports_itself_back():
    graph = _imports()

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for name in graph.get(start, set()) - seen:
            if name == target or reaches(name, target, seen | {name}):
                return True
        return False

    assert [name for name in graph if reaches(name, name, set())] == []


NOW = datetime(2026, 11, 18, 14)


@pytest.mark.parametrize(
    "text",
    ["in 99999999999 minutes", "tomorrow 3pm for 999999 months", "every 99999999999 days at 3pm",
     "every monday 10am for 999999 months", "in 999999 weeks at 3pm", "every friday 4pm, 99999999999 times",
     "tomorrow 3pm for 99999999999999999999 minutes", "dec 99999999999 3pm", "9999-12-31 23:59 +14:00"],
)
def test_overflowing_numbers_are_a_parse_error_with_a_hint(text):
    with pytest.raises(ParseError) as caught:
        parse_when(text, "Europe/London", NOW)
    assert caught.value.hint


def test_a_batch_answers_every_line_even_around_bad_ones(monkeypatch, capsys):
    lines = ["tomorrow 10am", "in 99999999999 minutes", "asdf", "every 99999999999 days at 3pm", "x" * 600, "now"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code = cli.main(["parse", "--json", "--now", "2026-11-18T14:00:00", "--tz", "Europe/London", "-"])
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert len(answers) == len(lines)
    assert answers[0]["start"] == "2026-11-19T10:00:00+00:00" and answers[-1]["instant"] is True
    assert all("error" in answer for answer in answers[1:-1])


def test_one_phrase_that_overflows_exits_2_with_an_error_object(capsys):
    assert cli.main(["parse", "--json", "--now", "2026-11-18T14:00:00", "in 99999999999 minutes"]) == 2
    assert set(json.loads(capsys.readouterr().out)) == {"error"}
