"""Fixtures: one real ``pulumi.dynamic`` plugin process per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sinch_numbers.testing import DynamicProviderPlugin, Secret, import_root

from . import toy_provider

# Stack config as a user would set it: namespaced, one secret, one key without a namespace
# (the project's own, "toy:shout").
TOY_CONFIG = {"toy:greeting": "hello", "shout": Secret("loud-config-secret")}


@pytest.fixture(scope="module")
def toy_pythonpath() -> list[Path]:
    # The toy provider is pickled by reference; the plugin process must import it by that name.
    return [import_root(toy_provider)]


@pytest.fixture(scope="module")
def plugin(
    tmp_path_factory: pytest.TempPathFactory, toy_pythonpath: list[Path]
) -> Iterator[DynamicProviderPlugin]:
    project_dir = tmp_path_factory.mktemp("toy-project")
    with DynamicProviderPlugin(
        project_dir,
        project="toy",
        config=TOY_CONFIG,
        extra_pythonpath=toy_pythonpath,
        call_timeout=60,
    ) as started:
        yield started


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    directory = tmp_path / "things"
    directory.mkdir()
    return directory
