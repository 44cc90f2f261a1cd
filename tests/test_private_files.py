"""``publish_private``: the file and its record agree — written first, recorded, then named."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from smerteagent.private_files import OutputError, publish_private


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_failed_write_records_nothing(tmp_path: Path) -> None:
    recorded: list[str] = []
    out = tmp_path / "ingen-mappe" / "plan.pdf"
    with pytest.raises(OutputError, match=r"ingen-mappe/plan\.pdf"):
        publish_private(out, b"%PDF", lambda: recorded.append("export"))
    assert recorded == []


def test_a_failed_record_leaves_no_file(tmp_path: Path) -> None:
    def record() -> None:
        raise RuntimeError("the audit trail could not be written")

    with pytest.raises(RuntimeError):
        publish_private(tmp_path / "plan.pdf", b"%PDF", record)
    assert list(tmp_path.iterdir()) == []


def test_the_file_is_named_only_after_the_record(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    seen: list[bool] = []

    def record() -> int:
        seen.append(out.exists())
        return 7

    assert publish_private(out, b"%PDF-1.4", record) == 7
    assert seen == [False] and out.read_bytes() == b"%PDF-1.4" and list(tmp_path.iterdir()) == [out]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_new_files_are_owner_only_and_a_replaced_one_keeps_its_permissions(tmp_path: Path) -> None:
    os.umask(0o022)
    new = tmp_path / "ny.pdf"
    publish_private(new, b"1", lambda: None)
    assert mode(new) == 0o600
    shared = tmp_path / "delt.pdf"
    shared.write_bytes(b"old")
    shared.chmod(0o640)  # the clinic widened it on purpose
    publish_private(shared, b"new", lambda: None)
    assert shared.read_bytes() == b"new" and mode(shared) == 0o640
