"""The path a create's inputs take through the layers, measured while it runs against the
emulator (tools/call_path.py): it starts at the hook and climbs back up at most once along any
chain of calls (a callback of a higher layer handed down, such as the engine's log)."""

from __future__ import annotations

import pytest

from sinch_numbers.testing.emulator import EmulatorProcess
from tools.call_path import MAX_CLIMBS, CallPath, layer_of, measure


@pytest.fixture(scope="module")
def paths(emulator: EmulatorProcess) -> dict[str, CallPath]:
    emulator.clear_faults()
    return {path.name: path for path in measure(emulator)}


@pytest.mark.parametrize(
    "create",
    [
        "NumberOrderProvider.create",
        "ActiveNumberProvider.create",
        "NumberOrderCompletionProvider.create",
    ],
)
def test_a_create_starts_at_the_hook_and_climbs_at_most_once_per_chain(
    paths: dict[str, CallPath], create: str
) -> None:
    path = paths[create]
    assert path.calls > 0, "the profile hook saw the create"
    assert path.layers[0] == "hooks", path.lines()
    assert {"resources", "api"} <= set(path.layers), path.lines()
    assert path.most_climbs_in_a_chain <= MAX_CLIMBS, "\n".join(path.lines())


@pytest.mark.parametrize(
    "create",
    [
        "NumberOrderProvider.create",
        "ActiveNumberProvider.create",
        "NumberOrderCompletionProvider.create",
    ],
)
def test_what_the_hook_hands_down_is_called_below_it(
    paths: dict[str, CallPath], create: str
) -> None:
    """The log and the connection the hook hands down are core's: the logic calls down into
    them, never back up into the hook."""
    into_hooks = [c for c in paths[create].climbs if layer_of(c.callee.split(":")[0]) == "hooks"]
    assert into_hooks == [], "\n".join(paths[create].lines())


def test_an_order_is_followed_to_the_api_in_the_plugin_s_thread(
    paths: dict[str, CallPath],
) -> None:
    order = paths["NumberOrderProvider.create"]
    assert order.threads == 1
    assert {"hooks", "resources", "core", "kyc", "api"} <= set(order.layers)
