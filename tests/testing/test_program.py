"""Program level: real Pulumi programs under set_mocks, dynamic resources in the real plugin."""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Callable
from pathlib import Path

import pulumi
import pytest

from sinch_numbers.testing import (
    UNKNOWN,
    DynamicProviderPlugin,
    EngineMocks,
    EngineSimulator,
    Op,
    ProgramRunner,
    Secret,
)

from . import toy_provider
from .conftest import TOY_CONFIG
from .toy_provider import ToyResource


def _program(directory: Path, label: dict[str, str]) -> Callable[[], None]:
    def program() -> None:
        config = pulumi.Config()
        thing = ToyResource(
            "thing",
            {
                "dir": str(directory),
                "label": label["value"],
                "token": config.require_secret("token"),
            },
        )
        # A non-dynamic resource is echoed by the fallback mocks.
        pulumi.CustomResource("test:index:Other", "other", {"size": 3})
        pulumi.export("path", thing.path)
        pulumi.export("api_key", thing.api_key)
        pulumi.export("token", thing.token)
        pulumi.export("greeting", pulumi.Config("toy").get("greeting"))
        if label["value"].endswith("raise"):
            raise ValueError("the program gave up")

    return program


@pytest.fixture
def label() -> dict[str, str]:
    return {"value": "one"}


@pytest.fixture
def runner(plugin: DynamicProviderPlugin, workdir: Path, label: dict[str, str]) -> ProgramRunner:
    config = {**TOY_CONFIG, "token": Secret("program-token")}
    return ProgramRunner(_program(workdir, label), config=config, plugin=plugin)


def test_preview_up_update_refresh_destroy(
    runner: ProgramRunner, plugin: DynamicProviderPlugin, label: dict[str, str]
) -> None:
    mark = len(plugin.calls)
    preview = runner.preview()
    assert preview.ok, preview.error
    assert preview.ops() == {"thing": Op.CREATE}
    assert "Create" not in [c.method for c in plugin.calls[mark:]]
    assert preview.outputs["path"] == UNKNOWN
    assert preview.outputs["token"] == Secret("program-token")
    assert preview.outputs["greeting"] == "hello"
    assert runner.state == {}

    up = runner.up()
    assert up.ok, up.error
    assert up.ops() == {"thing": Op.CREATE}
    assert Path(up.outputs["path"]).exists()
    assert isinstance(up.outputs["api_key"], Secret)  # additional_secret_outputs via the class
    assert up.outputs["token"] == Secret("program-token")
    assert any(urn.endswith("::other") for urn in up.registered)

    again = runner.up()
    assert again.ops() == {"thing": Op.SAME}

    label["value"] = "two"
    changed = runner.up()
    assert changed.ops() == {"thing": Op.UPDATE}

    refreshed = runner.refresh()
    assert refreshed.ok
    assert refreshed.ops() == {"thing": Op.REFRESH}

    destroyed = runner.destroy()
    assert destroyed.ops() == {"thing": Op.DELETE}
    assert runner.state == {}
    assert not Path(up.outputs["path"]).exists()


def test_a_program_that_raises_fails_the_run_and_keeps_state(
    runner: ProgramRunner, label: dict[str, str]
) -> None:
    label["value"] = "raise"
    result = runner.up()
    assert not result.ok
    assert "ValueError: the program gave up" in (result.error or "")
    assert [r.name for r in runner.state.values()] == ["thing"]  # created before the raise
    assert runner.destroy().ok


def test_a_failed_up_returns_only_once_every_operation_in_flight_has_ended(
    plugin: DynamicProviderPlugin, workdir: Path
) -> None:
    """One create fails while another, slow, is still in flight: like the engine, the run
    waits for it and records it, so nothing is created after ``up()`` has returned."""

    def program() -> None:
        ToyResource("fails", {"dir": str(workdir), "label": "explode"})
        ToyResource("slow", {"dir": str(workdir), "label": "slow"})

    for _attempt in range(3):
        runner = ProgramRunner(program, config=TOY_CONFIG, plugin=plugin)
        result = runner.up()
        assert not result.ok
        assert [r.name for r in runner.state.values()] == ["slow"], "recorded before returning"
        assert len(list(workdir.iterdir())) == 1
        assert runner.destroy().ok
        assert list(workdir.iterdir()) == []


def test_a_failing_resource_fails_the_run(runner: ProgramRunner, label: dict[str, str]) -> None:
    label["value"] = "explode"
    result = runner.up()
    assert not result.ok
    assert "toy create failed on purpose" in (result.error or "")
    assert runner.state == {}


def test_check_failures_fail_the_run(runner: ProgramRunner, label: dict[str, str]) -> None:
    label["value"] = "bad!"
    result = runner.preview()
    assert not result.ok
    assert "label must not contain" in (result.error or "")
    assert next(iter(result.check_failures.values()))[0][0] == "label"


def test_changed_config_restarts_the_plugin(
    runner: ProgramRunner, plugin: DynamicProviderPlugin
) -> None:
    before = plugin.pid
    runner.config["toy:greeting"] = "changed"
    result = runner.up()
    assert result.ok, result.error
    assert result.outputs["greeting"] == "changed"
    assert runner.resource("thing").outputs["greeting"] == "changed"
    assert plugin.pid != before
    methods = [c.method for c in plugin.calls]
    assert methods[:4] == ["Handshake", "GetPluginInfo", "CheckConfig", "Configure"]
    assert methods.count("Configure") == 1
    runner.destroy()
    plugin.restart(config=TOY_CONFIG)


def test_project_directory_program(tmp_path: Path, toy_pythonpath: list[Path]) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    (project / "Pulumi.yaml").write_text("name: toy-example\nruntime: python\n")
    (project / "__main__.py").write_text(
        textwrap.dedent(
            f"""
            import pulumi
            from {toy_provider.__name__} import ToyResource

            config = pulumi.Config()
            thing = ToyResource("thing", {{"dir": config.require("dir"), "label": "x"}})
            pulumi.export("greeting", thing.greeting)
            """
        )
    )
    things = tmp_path / "things"
    things.mkdir()
    with ProgramRunner(
        project,
        config={"dir": str(things), "toy:greeting": "from-config"},
        extra_pythonpath=toy_pythonpath,
    ) as runner:
        assert runner.project == "toy-example"
        result = runner.up()
        assert result.ok, result.error
        assert result.outputs == {"greeting": "from-config"}
        assert len(list(things.iterdir())) == 1
        assert runner.destroy().ok
        assert list(things.iterdir()) == []


def test_engine_mocks_work_under_plain_set_mocks(
    plugin: DynamicProviderPlugin, workdir: Path
) -> None:
    # EngineMocks alone, with the SDK's own MockMonitor and @pulumi.runtime.test. That decorator
    # runs on the main thread's current event loop, which an earlier test may have closed.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    simulator = EngineSimulator(plugin, project="toy", stack="unit")
    pulumi.runtime.set_mocks(EngineMocks(simulator, preview=False), project="toy", stack="unit")
    thing = ToyResource("plain", {"dir": str(workdir), "label": "p"})

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def check() -> pulumi.Output[None]:
        return thing.path.apply(lambda path: None if Path(path).exists() else pytest.fail(path))

    try:
        check()
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    assert simulator.resource("plain").id
    assert simulator.destroy().ok
