"""`meetbot serve --workers N` shares its figures through one directory, so each worker's /metrics covers all."""

from __future__ import annotations

from pathlib import Path

from bot import metrics


def test_workers_get_a_private_directory_when_none_is_configured():
    directory = Path(metrics.shared_directory(None))
    assert directory.is_dir() and not any(directory.iterdir())


def test_a_configured_directory_is_emptied_of_a_previous_runs_files(tmp_path):
    (tmp_path / "counter_123.db").write_bytes(b"stale")
    (tmp_path / "notes.txt").write_text("not ours")
    assert metrics.shared_directory(str(tmp_path)) == str(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
