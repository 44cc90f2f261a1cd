"""Storage's start pauses the cyclic garbage collector (a start-up cost, see benchmarks/startup.py) and
always turns it back on: after a start that worked and after one that failed."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import pytest

from smerteagent.core.forms.loader import FormLibrary
from smerteagent.ui.app import StorageLoader, collection_paused


def run_loader(url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[bool], list[object], list[str]]:
    """The loader on this thread (as tests/ui/test_storage_failures.py runs it); whether the collector ran
    while the forms were read, what was loaded and what failed."""
    seen: list[bool] = []
    load = FormLibrary.load

    def recording_load(folders: list[Path]) -> FormLibrary:
        seen.append(gc.isenabled())
        return load(folders)

    monkeypatch.setattr(FormLibrary, "load", staticmethod(recording_load))
    loader = StorageLoader(url, None)
    loaded: list[object] = []
    failed: list[str] = []
    loader.loaded.connect(loaded.append)
    loader.failed.connect(lambda message, _reason, _file: failed.append(message))
    loader.run()
    return seen, loaded, failed


def test_the_collector_is_paused_while_storage_starts_and_back_on_after(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "clinic.sqlite"
    shutil.copy(template, path)
    assert gc.isenabled()
    seen, loaded, failed = run_loader(f"sqlite:///{path}", monkeypatch)
    assert seen == [False] and len(loaded) == 1 and failed == []
    assert gc.isenabled()
    loaded[0].close()  # type: ignore[attr-defined]


def test_the_collector_is_back_on_after_a_failed_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "clinic.sqlite"
    path.write_bytes(b"not a database at all, but long enough to look at its header" * 100)
    seen, loaded, failed = run_loader(f"sqlite:///{path}", monkeypatch)
    assert seen == [False] and loaded == [] and len(failed) == 1
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_command_pauses_the_collector_for_the_apps_start_and_turns_it_on_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from smerteagent.cli.main import main

    seen: list[bool] = []

    def run(*_arguments: object, **_options: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr("smerteagent.ui.app.run", run)
    assert main(["--exit-after-startup"]) == 0
    assert seen == [False] and gc.isenabled()
