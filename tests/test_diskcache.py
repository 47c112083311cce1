"""The build caches' file writing: atomic, no leftovers, and an unwritable cache only costs time."""

import pytest

from kdsite import diskcache
from kdsite.diskcache import cached_text, write_atomically


def test_write_atomically_writes_text_and_bytes_and_leaves_no_temporary(tmp_path):
    write_atomically(tmp_path / "a" / "x.json", "{\"é\": 1}")
    write_atomically(tmp_path / "a" / "y.bin", b"\x00\x01")
    assert (tmp_path / "a" / "x.json").read_text(encoding="utf-8") == "{\"é\": 1}"
    assert (tmp_path / "a" / "y.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["x.json", "y.bin"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "x.txt"
    target.write_text("old")

    def refuse(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(diskcache.os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomically(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]


def test_cached_text_makes_once_then_reads_and_remakes_without_the_cache(tmp_path):
    calls = []

    def make():
        calls.append(1)
        return f"made {len(calls)}"

    path = tmp_path / "entry.txt"
    assert cached_text(path, make) == "made 1"
    assert cached_text(path, make) == "made 1"
    assert cached_text(path, make, use_cache=False) == "made 2"
    assert path.read_text() == "made 2"
    assert len(calls) == 2


def test_an_unwritable_cache_folder_still_returns_the_text(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert cached_text(blocker / "entry.txt", lambda: "text") == "text"
    assert not (blocker.parent / "entry.txt").exists()
