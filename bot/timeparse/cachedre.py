"""`re` with an unbounded compile cache, for the parser's fixed set of patterns.

The standard `re` cache holds 512 patterns and other libraries (dateparser compiles hundreds) evict ours,
which turned the odd parse into a 100 ms recompile inside a user's 3 s window. Every pattern here is
compiled once per process (and `warm_up` compiles them at start-up). Drop-in for the calls the parser uses.
"""

from __future__ import annotations

import functools
import re
from typing import Any

Pattern = re.Pattern
Match = re.Match
IGNORECASE = re.IGNORECASE
escape = re.escape
compile = functools.lru_cache(maxsize=None)(re.compile)  # noqa: A001 - deliberately shadows re.compile


def search(pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
    return compile(pattern, flags).search(string)


def match(pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
    return compile(pattern, flags).match(string)


def fullmatch(pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
    return compile(pattern, flags).fullmatch(string)


def finditer(pattern: str, string: str, flags: int = 0) -> Any:
    return compile(pattern, flags).finditer(string)


def findall(pattern: str, string: str, flags: int = 0) -> list[Any]:
    return compile(pattern, flags).findall(string)


def sub(pattern: str, repl: Any, string: str, count: int = 0, flags: int = 0) -> str:
    return compile(pattern, flags).sub(repl, string, count)


def split(pattern: str, string: str, maxsplit: int = 0, flags: int = 0) -> list[Any]:
    return compile(pattern, flags).split(string, maxsplit)
