"""The notes one pass of a `pulumi` command leaves for the other (`order.passes`), on real files.

The engine-level proof (one lookup and one cost line per plain `pulumi up`) is in
tests/engine/test_plain_up.py; here, what a note keeps and when it is not used.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from sinch_numbers.api.models import NumberRequirements
from sinch_numbers.core import passes
from sinch_numbers.core.passes import NOT_NOTED, CommandNotes
from sinch_numbers.core.settings import ProviderSettings, connection_for, provider_settings

REQUIREMENTS = NumberRequirements.model_validate(
    {
        "fields": {"schema": "/schema/policySchema-v1.json", "rules": []},
        "attachments": [
            {
                "id": "01proof",
                "title": "Proof of address",
                "mandatory": True,
                "allowedMimeTypes": ["application/pdf"],
                "allowedDocumentTypes": ["UtilityBill"],
            }
        ],
        "quantityOrdersSupported": True,
    }
)


def _notes(tmp_path: Path, fingerprint: str = "settings-1") -> CommandNotes:
    return CommandNotes(tmp_path / "passes" / "command.json", fingerprint)


def test_noted_requirements_come_back_as_they_were(tmp_path: Path) -> None:
    _notes(tmp_path).keep_requirements("AU", "MOBILE", REQUIREMENTS)
    _notes(tmp_path).keep_requirements("US", "LOCAL", None)
    assert _notes(tmp_path).requirements("AU", "MOBILE") == REQUIREMENTS
    assert _notes(tmp_path).requirements("US", "LOCAL") is None


@pytest.mark.parametrize(
    ("fingerprint", "region", "number_type"),
    [("settings-2", "AU", "MOBILE"), ("settings-1", "DE", "MOBILE"), ("settings-1", "AU", "LOCAL")],
)
def test_requirements_of_other_settings_or_another_pair_are_not_noted(
    tmp_path: Path, fingerprint: str, region: str, number_type: str
) -> None:
    _notes(tmp_path).keep_requirements("AU", "MOBILE", REQUIREMENTS)
    assert _notes(tmp_path, fingerprint).requirements(region, number_type) is NOT_NOTED


@pytest.mark.parametrize("content", ["", "{", "[]", '{"requirements": {"x": 1}}'])
def test_a_damaged_note_is_not_used(tmp_path: Path, content: str) -> None:
    notes = _notes(tmp_path)
    notes.path.parent.mkdir(parents=True)
    notes.path.write_text(content)
    assert notes.requirements("AU", "MOBILE") is NOT_NOTED
    assert not notes.said_by_an_earlier_pass("order")
    notes.keep_requirements("AU", "MOBILE", REQUIREMENTS)
    assert notes.requirements("AU", "MOBILE") == REQUIREMENTS


def _say_twice(path: Path) -> None:
    notes = CommandNotes(path, "settings-1")
    notes.note_said("two alike")
    notes.note_said("two alike")


def test_each_cost_line_an_earlier_pass_said_stands_for_one_here(tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    # The earlier pass is another process, as in `pulumi up`.
    earlier = multiprocessing.get_context("spawn").Process(target=_say_twice, args=(notes.path,))
    earlier.start()
    earlier.join(60)
    assert earlier.exitcode == 0
    assert [notes.said_by_an_earlier_pass("two alike") for _ in range(3)] == [True, True, False]
    assert not notes.said_by_an_earlier_pass("another order")


def test_a_pass_does_not_count_its_own_lines_as_said_before(tmp_path: Path) -> None:
    notes = _notes(tmp_path)
    notes.note_said("order")
    assert not notes.said_by_an_earlier_pass("order")


def test_nothing_is_shared_outside_a_pulumi_command() -> None:
    # pytest runs under no `pulumi` process: there is no command whose passes could share.
    assert CommandNotes.for_this_command("settings-1") is None


def test_the_notes_are_keyed_by_project_and_api_never_by_a_credential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The notes live on disk beside the user's files: what they are keyed by holds no
    credential, not even a digest of one (a digest of a secret lets a guess be checked)."""
    monkeypatch.setenv("SINCH_NUMBERS_STATE_DIR", str(tmp_path))
    monkeypatch.setattr(passes, "_command_identity", lambda: "4242:99")

    def settings(project_id: str, key_secret: str) -> ProviderSettings:
        return provider_settings(
            {
                "project_id": project_id,
                "key_id": "key-1",
                "key_secret": key_secret,
                "numbers_url": "http://127.0.0.1:9",
                "auth_method": "basic",
            }
        )

    first, rotated, other = (
        settings("project-1", "secret-1"),
        settings("project-1", "secret-2"),
        settings("project-2", "secret-1"),
    )
    notes = [connection_for(s).notes for s in (first, rotated, other)]
    assert all(n is not None for n in notes)
    scopes = [n.fingerprint for n in notes if n is not None]
    assert scopes[0] == scopes[1], "a rotated secret changes nothing the notes depend on"
    assert scopes[0] != scopes[2], "another project's requirements are its own"
    assert first.cache_key() not in scopes, "no digest that takes in the secret"
