"""Engine level: preview / up / refresh / destroy over one plugin and a kept state."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from sinch_numbers.testing import (
    DynamicProviderPlugin,
    EngineSimulator,
    Op,
    ResourceSpec,
    Secret,
    dynamic_type,
)

from .toy_provider import EchoProvider, ToyProvider

TYPE = dynamic_type("toy", "Thing")


@pytest.fixture
def sim(plugin: DynamicProviderPlugin) -> Iterator[EngineSimulator]:
    simulator = EngineSimulator(plugin)
    yield simulator
    simulator.destroy()


def _spec(directory: Path, name: str = "a", **inputs: object) -> ResourceSpec:
    return ResourceSpec(
        name,
        {"dir": str(directory), "label": "one", "token": Secret("tok"), **inputs},
        provider=ToyProvider(),
        type=TYPE,
        additional_secret_outputs=["api_key"],
    )


def _with(spec: ResourceSpec, **inputs: object) -> ResourceSpec:
    return dataclasses.replace(spec, inputs={**spec.inputs, **inputs})


def _methods(plugin: DynamicProviderPlugin, since: int) -> list[str]:
    return [c.method for c in plugin.calls[since:]]


def test_preview_of_a_new_resource_makes_no_create(
    sim: EngineSimulator, plugin: DynamicProviderPlugin, workdir: Path
) -> None:
    mark = len(plugin.calls)
    result = sim.preview([_spec(workdir)])
    assert result.ok, result.error
    assert result.ops() == {"a": Op.CREATE}
    assert _methods(plugin, mark) == ["Check"]
    assert sim.state == {}
    assert list(workdir.iterdir()) == []


def test_full_lifecycle(sim: EngineSimulator, plugin: DynamicProviderPlugin, workdir: Path) -> None:
    spec = _spec(workdir)

    created = sim.up([spec])
    assert created.ok, created.error
    assert created.ops() == {"a": Op.CREATE}
    res = sim.resource("a")
    assert res.outputs["api_key"] == Secret(f"key-{res.id}")  # additional_secret_outputs
    assert res.outputs["token"] == Secret("tok")  # same-named secret input
    assert res.secret_keys >= {"api_key", "token", "__provider"}

    mark = len(plugin.calls)
    same = sim.up([spec])
    assert same.ops() == {"a": Op.SAME}
    assert _methods(plugin, mark) == ["Check", "Diff"]

    mark = len(plugin.calls)
    preview = sim.preview([_with(spec, label="two")])
    assert preview.ops() == {"a": Op.UPDATE}
    assert _methods(plugin, mark) == ["Check", "Diff"]
    assert sim.resource("a").outputs["label"] == "one"

    updated = sim.up([_with(spec, label="two")])
    assert updated.ops() == {"a": Op.UPDATE}
    assert sim.resource("a").outputs["writes"] == 2.0
    assert sim.resource("a").outputs["api_key"] == Secret(f"key-{res.id}")

    old_path = Path(sim.resource("a").outputs["path"])
    other = workdir / "other"
    other.mkdir()
    mark = len(plugin.calls)
    replaced = sim.up([_with(spec, label="two", dir=str(other))])
    assert replaced.ops() == {"a": Op.REPLACE}
    # Re-check against empty olds, then create-before-delete.
    assert _methods(plugin, mark) == ["Check", "Diff", "Check", "Create", "Delete"]
    assert not old_path.exists()
    assert Path(sim.resource("a").outputs["path"]).parent == other

    destroyed = sim.destroy()
    assert destroyed.ops() == {"a": Op.DELETE}
    assert sim.state == {}
    assert list(other.iterdir()) == []


def test_delete_before_replace_is_honoured(
    sim: EngineSimulator, plugin: DynamicProviderPlugin, workdir: Path
) -> None:
    spec = _spec(workdir, dbr=True)
    assert sim.up([spec]).ok
    other = workdir / "other"
    other.mkdir()
    mark = len(plugin.calls)
    result = sim.up([_with(spec, dir=str(other))])
    assert result.ops() == {"a": Op.REPLACE}
    assert result.steps[0].detail["delete_before_replace"] is True
    assert _methods(plugin, mark) == ["Check", "Diff", "Check", "Delete", "Create"]


def test_refresh_drops_what_is_gone_and_picks_up_drift(sim: EngineSimulator, workdir: Path) -> None:
    assert sim.up([_spec(workdir, "a"), _spec(workdir, "b")]).ok
    Path(sim.resource("a").outputs["path"]).unlink()
    Path(sim.resource("b").outputs["path"]).write_text('{"label": "drifted", "writes": 7}')

    result = sim.refresh()
    assert result.ok, result.error
    assert result.ops() == {"a": Op.REFRESH_REMOVED, "b": Op.REFRESH}
    assert [r.name for r in sim.state.values()] == ["b"]
    b = sim.resource("b")
    assert b.outputs["label"] == "drifted"
    assert b.inputs["label"] == "drifted"  # Read returned inputs: drift shows as a diff next
    assert b.inputs["token"] == Secret("tok")  # secretness kept through Read
    assert b.outputs["api_key"] == Secret(f"key-{b.id}")

    back = sim.up([_spec(workdir, "b")])
    assert back.ops() == {"b": Op.UPDATE}


def test_up_deletes_what_the_program_no_longer_declares(
    sim: EngineSimulator, workdir: Path
) -> None:
    assert sim.up([_spec(workdir, "a"), _spec(workdir, "b")]).ok
    result = sim.up([_spec(workdir, "b")])
    assert result.ops() == {"b": Op.SAME, "a": Op.DELETE}
    assert [r.name for r in sim.state.values()] == ["b"]


def test_failures_stop_the_update_and_keep_earlier_state(
    sim: EngineSimulator, workdir: Path
) -> None:
    result = sim.up([_spec(workdir, "a"), _spec(workdir, "b", label="bad!"), _spec(workdir, "c")])
    assert not result.ok
    assert "check failed" in (result.error or "")
    assert result.check_failures
    assert [r.name for r in sim.state.values()] == ["a"]

    failed = sim.up([_spec(workdir, "a"), _spec(workdir, "b", label="explode")])
    assert not failed.ok
    assert "toy create failed on purpose" in (failed.error or "")
    assert [r.name for r in sim.state.values()] == ["a"]


def test_diff_unknown_lets_the_engine_compare_inputs(sim: EngineSimulator) -> None:
    spec = ResourceSpec("e", {"value": "one"}, provider=EchoProvider())
    assert sim.up([spec]).ops() == {"e": Op.CREATE}
    assert sim.up([spec]).ops() == {"e": Op.SAME}
    changed = sim.up([_with(spec, value="two")])
    assert changed.ops() == {"e": Op.UPDATE}
    # An update that returns no outputs wipes them (pulumi/pulumi#9982): only the blob is left.
    assert set(sim.resource("e").outputs) == {"__provider"}
