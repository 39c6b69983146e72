"""The record of orders created but not yet handed to the engine."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from sinch_numbers.order.journal import CreateJournal, default_directory, inputs_key


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


def test_orders_this_process_is_creating_are_not_interrupted(tmp_path: Path) -> None:
    journal = CreateJournal(tmp_path, "p")
    key = inputs_key("same inputs")
    journal.note(key, "sibling-order")
    assert journal.interrupted(key) is None


def test_the_journal_keeps_no_kyc_value(tmp_path: Path) -> None:
    journal = CreateJournal(tmp_path, "p")
    journal.note(inputs_key([{"lastName": "Canary-Qz8"}]), "o1")
    text = journal.path.read_text()
    assert "Canary-Qz8" not in text
    assert json.loads(text)


def test_a_damaged_journal_is_read_as_empty(tmp_path: Path) -> None:
    journal = CreateJournal(tmp_path, "p")
    journal.path.write_text("{not json")
    assert journal.interrupted("k") is None
    journal.note("k", "o1")
    assert json.loads(journal.path.read_text())["k"][0]["order_id"] == "o1"


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
