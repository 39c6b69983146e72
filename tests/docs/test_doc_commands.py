"""The `sinch-numbers` commands in the docs exist, take the options shown, print what is shown.

A ```console block under ``<!-- doc-test: console -->`` is a transcript: each ``$ command`` runs
against a fresh emulator of project ``my-project`` (the SINCH_* variables point at it) and its
output must be the lines that follow, trailing spaces aside. Every other ``sinch-numbers``
command of a console, bash or sh block is checked against the command line itself: the command
exists (its ``--help`` exits 0) and knows every option written after it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer.main

from sinch_numbers.cli import app
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.docs.blocks import TALLY, Block, all_blocks

SHELL_LANGS = ("console", "bash", "sh")
BIN = Path(sys.executable).parent  # where the venv installed `sinch-numbers`
# Rich sizes its tables to the terminal; the transcripts were taken 100 columns wide.
TRANSCRIPT_ENV = {"COLUMNS": "100", "TTY_INTERACTIVE": "0", "NO_COLOR": "1"}


@dataclass(frozen=True)
class Invocation:
    block: Block
    words: tuple[str, ...]
    """``sinch-numbers`` and what follows it, up to the end of that shell command."""

    @property
    def id(self) -> str:
        return f"{self.block.id} {' '.join(self.words)[:60]}"


def _command_lines(block: Block) -> list[str]:
    if block.lang == "console":
        return [line[2:] for line in block.text.splitlines() if line.startswith("$ ")]
    return block.text.splitlines()


def invocations(block: Block) -> list[Invocation]:
    found: list[Invocation] = []
    for line in _command_lines(block):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words = list(lexer)
        for start, word in enumerate(words):
            if word != "sinch-numbers":
                continue
            end = start + 1
            while end < len(words) and not set(words[end]) <= set(";&|<>()"):
                end += 1
            found.append(Invocation(block, tuple(words[start:end])))
    return found


SHELL_BLOCKS = [block for block in all_blocks() if block.lang in SHELL_LANGS]
TRANSCRIPTS = [block for block in SHELL_BLOCKS if block.kind == "console"]
INVOCATIONS = [call for block in SHELL_BLOCKS for call in invocations(block)]
# Each command's --help runs in a `sinch-numbers` process, and the transcripts against an emulator.
pytestmark = pytest.mark.process


def _is_group(command: Any) -> bool:
    # Typer ships its own copy of click, so groups are told apart by what they have.
    return hasattr(command, "commands")


@cache
def _root() -> Any:
    command = typer.main.get_command(app)
    assert _is_group(command)
    return command


def _resolve(words: tuple[str, ...]) -> tuple[list[str], Any, list[str]]:
    """The subcommand path, the (click) command it names, and the words after it."""
    command = _root()
    path: list[str] = []
    rest = list(words[1:])
    while _is_group(command) and rest and rest[0] in command.commands:
        path.append(rest[0])
        command = command.commands[rest.pop(0)]
    return path, command, rest


@cache
def _help_works(path: tuple[str, ...]) -> bool:
    done = subprocess.run(
        [str(BIN / "sinch-numbers"), *path, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode == 0 and "Usage" in done.stdout


def test_the_docs_show_commands_and_transcripts() -> None:
    assert len(INVOCATIONS) >= 20
    assert len(TRANSCRIPTS) >= 4


@pytest.mark.parametrize("call", INVOCATIONS, ids=[call.id for call in INVOCATIONS])
def test_the_command_and_its_options_exist(call: Invocation) -> None:
    path, command, rest = _resolve(call.words)
    if _is_group(command):
        words = [word for word in rest if not word.startswith("-")]
        assert not words, f"{call.id}: {words[0]} is not a command of sinch-numbers {path}"
    assert _help_works(tuple(path)), f"sinch-numbers {' '.join(path)} --help failed"
    known = {"--help"}
    for param in command.params:
        known.update(param.opts)
        known.update(param.secondary_opts)
    for word in rest:
        if word.startswith("-") and word != "-":
            option = word.split("=", 1)[0]
            assert option in known, f"{call.id}: {option} is not an option of {command.name}"
    TALLY.count("shell command checked")


def _run(command: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-c", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.stdout + done.stderr


def _transcript(block: Block) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each ``$`` line of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.text.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"{block.id}: output before the first command"
            steps[-1][1].append(line.rstrip())
    return steps


@pytest.mark.parametrize("block", TRANSCRIPTS, ids=[block.id for block in TRANSCRIPTS])
def test_the_transcript_is_what_the_command_prints(
    block: Block, console_emulator: EmulatorProcess
) -> None:
    console_emulator.reset()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SINCH_")},
        **console_emulator.env(),
        **TRANSCRIPT_ENV,
        "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
    }
    for command, expected in _transcript(block):
        printed = [line.rstrip() for line in _run(command, env).rstrip("\n").split("\n")]
        # Blank lines separate commands in the docs; they are not output.
        while expected and not expected[-1]:
            expected.pop()
        assert printed == expected, f"$ {command}"
    TALLY.count("console transcript")
