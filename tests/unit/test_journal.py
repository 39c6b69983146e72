"""The record of orders created but not yet handed to the engine."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.core.journal import (
    CreateJournal,
    default_directory,
    inputs_key,
)


def _note_from_another_process(directory: Path, key: str, order_id: str) -> None:
    CreateJournal(directory, "project-1").note(key, order_id)


def test_an_order_noted_by_another_process_is_an_interrupted_create(tmp_path: Path) -> None:
    key = inputs_key("AU", "MOBILE", 1)
    other = multiprocessing.get_context("spawn").Process(
        target=_note_from_another_process, args=(tmp_path, key, "order-1")
    )
    other.start()
    other.join(30)
    journal = CreateJournal(tmp_path, "project-1")
    found = journal.interrupted(key)
    assert found is not None
    assert found.order_id == "order-1"
    assert found.path == journal.path
    assert journal.interrupted(inputs_key("AU", "MOBILE", 2)) is None, "other inputs"
    assert CreateJournal(tmp_path, "project-2").interrupted(key) is None, "other project"
    journal.forget("order-1")
    assert journal.interrupted(key) is None


def test_the_journal_keeps_no_kyc_value(tmp_path: Path) -> None:
    journal = CreateJournal(tmp_path, "p")
    journal.note(inputs_key([{"lastName": "Canary-Qz8"}]), "o1")
    text = journal.path.read_text()
    assert "Canary-Qz8" not in text
    assert json.loads(text)


def test_the_directory_is_configurable_and_can_be_turned_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SINCH_NUMBERS_STATE_DIR", str(tmp_path))
    assert default_directory() == tmp_path
    monkeypatch.setenv("SINCH_NUMBERS_STATE_DIR", "off")
    assert default_directory() is None
    monkeypatch.delenv("SINCH_NUMBERS_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert default_directory() == tmp_path / "xdg" / "sinch-numbers"


def _hold_a_create(directory: Path, key: str, started: Any, release: Any) -> None:
    # Another process creating the order of ``key`` right now: it holds the declaration's lock
    # and has noted the order, as a create does between createNumberOrder and its return.
    from sinch_numbers.core import journal as journal_module

    with journal_module.CreateJournal(directory, "project-1").creating(key) as claim:
        claim.note("live-order")
        started.set()
        release.wait(60)


def test_a_note_written_with_this_processes_pid_is_still_an_interrupted_create(
    tmp_path: Path,
) -> None:
    # A container restarts with the same pid, or a restored record was written by a process
    # whose pid this one now has: the pid proves nothing about who is creating.
    journal = CreateJournal(tmp_path, "p")
    key = inputs_key("same declaration")
    journal.note(key, "order-of-a-killed-run")
    found = journal.interrupted(key)
    assert found is not None
    assert found.order_id == "order-of-a-killed-run"


def test_an_order_another_process_is_creating_now_is_never_called_interrupted(
    tmp_path: Path,
) -> None:
    from sinch_numbers.core import journal as journal_module

    key = inputs_key("AU", "MOBILE", 1)
    context = multiprocessing.get_context("spawn")
    started, release = context.Event(), context.Event()
    creator = context.Process(target=_hold_a_create, args=(tmp_path, key, started, release))
    creator.start()
    try:
        assert started.wait(60)
        journal = CreateJournal(tmp_path, "project-1")
        with pytest.raises(journal_module.CreateInProgress) as busy:
            journal.interrupted(key)
        assert "live-order" not in str(busy.value), "a live order is not offered for adoption"
        assert "adopt_order_id" not in str(busy.value)
        with pytest.raises(journal_module.CreateInProgress), journal.creating(key):
            pass
    finally:
        release.set()
        creator.join(60)
    # The creator is gone without forgetting its note: now it is an interrupted create.
    found = CreateJournal(tmp_path, "project-1").interrupted(key)
    assert found is not None
    assert found.order_id == "live-order"


def test_an_order_this_process_is_creating_is_in_progress_not_interrupted(
    tmp_path: Path,
) -> None:
    from sinch_numbers.core import journal as journal_module

    journal = CreateJournal(tmp_path, "p")
    key = inputs_key("one declaration")
    with journal.creating(key) as claim:
        claim.note("sibling-order")
        with pytest.raises(journal_module.CreateInProgress):
            journal.interrupted(key)
    found = journal.interrupted(key)
    assert found is not None, "the creator let go without forgetting: interrupted"


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"k": "not a list"}', '{"k": [{"order_id": 7}]}', '{"k": [3]}'],
    ids=["damaged", "not-an-object", "notes-not-a-list", "order-id-not-text", "note-not-object"],
)
def test_an_unreadable_record_refuses_and_names_the_file_and_the_setting(
    tmp_path: Path, content: str
) -> None:
    from sinch_numbers.core import journal as journal_module

    journal = CreateJournal(tmp_path, "p")
    journal.path.write_text(content)
    with pytest.raises(journal_module.RecordUnusable) as refused:
        journal.interrupted("k")
    assert str(journal.path) in str(refused.value)
    assert "SINCH_NUMBERS_STATE_DIR" in str(refused.value)
    assert journal.path.read_text() == content, "the damaged record is kept as it was"


def test_a_folder_that_is_a_file_refuses_and_names_it(tmp_path: Path) -> None:
    from sinch_numbers.core import journal as journal_module

    not_a_folder = tmp_path / "state"
    not_a_folder.write_text("a file")
    journal = CreateJournal(not_a_folder, "p")
    with pytest.raises(journal_module.RecordUnusable) as refused:
        journal.interrupted("k")
    assert str(not_a_folder) in str(refused.value)
    assert "SINCH_NUMBERS_STATE_DIR" in str(refused.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its permissions")
def test_a_folder_without_permission_refuses_and_names_it(tmp_path: Path) -> None:
    from sinch_numbers.core import journal as journal_module

    locked = tmp_path / "state"
    locked.mkdir()
    locked.chmod(0)
    try:
        with pytest.raises(journal_module.RecordUnusable) as refused:
            CreateJournal(locked, "p").interrupted("k")
    finally:
        locked.chmod(0o700)
    assert "Permission denied" in str(refused.value)
    assert "SINCH_NUMBERS_STATE_DIR" in str(refused.value)


def test_the_key_names_the_declaration_and_what_is_ordered_never_the_kyc() -> None:
    from sinch_numbers.resources.number_order.create import declaration_key

    order = {"declaration": "infra/prod//main-line", "region_code": "AU", "number_type": "MOBILE"}
    first = {**order, "quantity": 1, "registration": [{"lastName": "Citizen"}]}
    fixed = {**first, "registration": [{"lastName": "Citizen-Corrected"}], "attachments": []}
    assert declaration_key(first) == declaration_key(fixed)
    assert declaration_key(first) != declaration_key({**first, "quantity": 2})
    assert declaration_key(first) != declaration_key({**first, "declaration": "infra/dev//x"})
