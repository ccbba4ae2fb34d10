"""The parser as a pipeline: tokens → recognised parts → resolution → validation.

Each stage is one module with one entry point; `PIPELINE` lists them in order and `run` threads a `Job` through
them. Stages only look forward: `tokens` knows nothing of the grammar, `recognise` nothing of the clock,
`resolve` nothing of what is acceptable, and `validate` decides whether to answer or to ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from bot.timeparse import recognise, resolve, tokens, validate
from bot.timeparse.parts import Parts


@dataclass
class Job:
    """One parse in progress: the input, then what each stage adds."""

    cleaned: str
    user_zone: tzinfo
    now: datetime
    text: tokens.Text | None = None
    parts: Parts = field(default_factory=Parts)
    title_pieces: list[str] = field(default_factory=list)
    start: datetime | None = None
    minutes: float = 0
    rule: str | None = None
    duration_minutes: int = 0


def _tokens(job: Job) -> None:
    job.text = tokens.tokenise(job.cleaned)


def _recognise(job: Job) -> None:
    assert job.text is not None
    job.parts, job.title_pieces = recognise.recognise(job.text)


def _resolve(job: Job) -> None:
    job.start, job.minutes, job.rule = resolve.resolve(job.parts, job.user_zone, job.now, job.cleaned)


def _validate(job: Job) -> None:
    assert job.start is not None
    zone = job.parts.zone or job.user_zone
    job.duration_minutes = validate.validate(job.parts, job.start, job.minutes, job.rule, job.now, zone)


PIPELINE: tuple[tuple[str, Callable[[Job], None]], ...] = (
    ("tokens", _tokens),
    ("recognise", _recognise),
    ("resolve", _resolve),
    ("validate", _validate),
)


def run(cleaned: str, user_zone: tzinfo, now: datetime) -> Job:
    job = Job(cleaned, user_zone, now)
    for _name, stage in PIPELINE:
        stage(job)
    return job
