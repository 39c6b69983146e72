"""Protocol level: the real plugin process, one engine call at a time."""

from __future__ import annotations

import os
from pathlib import Path

import grpc
import pulumi
import pytest
from pulumi.runtime.proto import provider_pb2

from sinch_numbers.testing import (
    PROVIDER_KEY,
    UNKNOWN,
    DynamicProviderPlugin,
    PluginCallError,
    PluginStartError,
    Secret,
    dynamic_type,
    make_urn,
    provider_property,
    reveal,
)
from sinch_numbers.testing.values import to_struct

from .conftest import TOY_CONFIG
from .toy_provider import ToyProvider

URN = make_urn("toy", "test", dynamic_type("toy", "Thing"), "t")


def _news(directory: Path, **extra: object) -> dict[str, object]:
    return {
        "dir": str(directory),
        "label": "a",
        "token": Secret("tok-secret-value"),
        PROVIDER_KEY: provider_property(ToyProvider()),
        **extra,
    }


def test_bring_up_follows_the_engine_order(plugin: DynamicProviderPlugin) -> None:
    first = [c.method for c in plugin.calls[:4]]
    assert first == ["Handshake", "GetPluginInfo", "CheckConfig", "Configure"]
    assert plugin.handshake_implemented is False
    assert plugin.plugin_version == "0.1.0"
    # What the plugin answered Configure with decides the marshalling of every later call.
    assert plugin.accept_secrets is False
    assert plugin.supports_preview is False


def test_provider_property_is_secret_like_dynamic_resource() -> None:
    blob = provider_property(ToyProvider())
    assert isinstance(blob, Secret)
    assert isinstance(blob.value, str)


def test_check_failures_come_back(plugin: DynamicProviderPlugin, workdir: Path) -> None:
    news = _news(workdir, label="bad!")
    del news["dir"]
    outcome = plugin.check(URN, {}, news)
    assert sorted(p for p, _ in outcome.failures) == ["dir", "label"]
    assert any("must not contain" in reason for _, reason in outcome.failures)


def test_check_re_marks_secret_inputs(plugin: DynamicProviderPlugin, workdir: Path) -> None:
    outcome = plugin.check(URN, {}, _news(workdir))
    assert outcome.failures == []
    assert isinstance(outcome.inputs["token"], Secret)
    assert isinstance(outcome.inputs[PROVIDER_KEY], Secret)
    assert outcome.inputs["dir"] == str(workdir)


def test_preview_check_sends_unknowns(plugin: DynamicProviderPlugin, workdir: Path) -> None:
    outcome = plugin.check(URN, {}, _news(workdir, label=UNKNOWN), preview=True)
    assert outcome.failures == []
    assert outcome.inputs["label"] == UNKNOWN


def test_create_secret_input_gives_secret_same_named_output(
    plugin: DynamicProviderPlugin, workdir: Path
) -> None:
    id_, outs = plugin.create(URN, _news(workdir))
    assert id_
    assert outs["token"] == Secret("tok-secret-value")
    assert not isinstance(outs["dir"], Secret)
    # A new key is not secret at this level: only the resource's additional_secret_outputs
    # (applied by the engine, see EngineSimulator) makes it so.
    assert outs["api_key"] == f"key-{id_}"
    # Numbers come back from the engine as floats.
    assert outs["writes"] == 1.0
    assert isinstance(outs["writes"], float)
    assert Path(outs["path"]).exists()


def test_stack_config_reaches_configure(plugin: DynamicProviderPlugin, workdir: Path) -> None:
    _, outs = plugin.create(URN, _news(workdir))
    assert outs["greeting"] == TOY_CONFIG["toy:greeting"]
    # Secret config arrives unwrapped; a key set without a namespace got the project's.
    assert outs["shout"] == "loud-config-secret"


def test_read_update_delete(plugin: DynamicProviderPlugin, workdir: Path) -> None:
    news = _news(workdir)
    id_, outs = plugin.create(URN, news)
    read = plugin.read(URN, id_, outs, news)
    assert read.id == id_
    assert read.inputs is not None
    assert read.inputs["token"] == Secret("tok-secret-value")

    diff = plugin.diff(URN, id_, outs, {**news, "label": "b"}, old_inputs=news)
    assert diff.changes is True
    assert diff.replaces == []
    new_outs = plugin.update(URN, id_, outs, {**news, "label": "b"}, old_inputs=news)
    assert new_outs["label"] == "b"
    assert new_outs["writes"] == 2.0

    plugin.delete(URN, id_, new_outs, old_inputs=news)
    assert not Path(new_outs["path"]).exists()
    gone_id, gone_outs, _ = plugin.read(URN, id_, new_outs, news)
    assert gone_id == ""
    # The plugin always adds the provider blob back, even to a "gone" answer.
    assert set(gone_outs) == {PROVIDER_KEY}


def test_diff_reports_replacement(plugin: DynamicProviderPlugin, workdir: Path) -> None:
    news = _news(workdir)
    id_, outs = plugin.create(URN, news)
    diff = plugin.diff(URN, id_, outs, {**news, "dir": str(workdir / "x"), "dbr": True})
    assert diff.changes is True
    assert diff.replaces == ["dir"]
    assert diff.delete_before_replace is True


def test_errors_are_typed_and_carry_the_traceback(
    plugin: DynamicProviderPlugin, workdir: Path
) -> None:
    with pytest.raises(PluginCallError) as caught:
        plugin.create(URN, _news(workdir, label="explode"))
    assert caught.value.method == "Create"
    assert caught.value.code == grpc.StatusCode.UNKNOWN
    assert "toy create failed on purpose" in caught.value.details
    assert "Traceback" in caught.value.details


def test_a_secret_provider_sent_as_is_crashes_the_plugin(
    plugin: DynamicProviderPlugin, workdir: Path
) -> None:
    # Why the harness strips secrets: the plugin cannot unpickle a wrapped `__provider`.
    request = provider_pb2.CheckRequest(
        urn=URN,
        olds=to_struct({}, keep_secrets=True, keep_unknowns=False, elide_assets=False),
        news=to_struct(_news(workdir), keep_secrets=True, keep_unknowns=False, elide_assets=False),
    )
    with pytest.raises(PluginCallError) as caught:
        plugin._call("Check", request, URN)
    assert caught.value.code == grpc.StatusCode.UNKNOWN


def test_assets_are_elided_in_diff_and_the_plugin_cannot_read_them(
    plugin: DynamicProviderPlugin, workdir: Path
) -> None:
    # The engine sends assets with their contents elided (hash only) to Diff/Update/Read/
    # Delete; the Python plugin cannot deserialize such an asset. Providers must not take
    # pulumi.FileAsset inputs: pass paths or content hashes as plain strings instead.
    attachment = workdir / "doc.pdf"
    attachment.write_bytes(b"%PDF-1.4 toy")
    news = _news(workdir, doc=pulumi.FileAsset(str(attachment)))
    assert plugin.check(URN, {}, news).failures == []
    id_, outs = plugin.create(URN, news)
    with pytest.raises(PluginCallError) as caught:
        plugin.diff(URN, id_, outs, news, old_inputs=news)
    assert "Invalid asset" in caught.value.details


def test_output_is_captured_for_leak_checks(plugin: DynamicProviderPlugin, workdir: Path) -> None:
    id_, _ = plugin.create(URN, _news(workdir))
    # The answer can arrive before the reader thread has collected what create printed.
    assert plugin.wait_for_output(f"toy: created {id_}")
    assert f"toy: created {id_}" in plugin.stdout_text()
    # pulumi.log.info inside the plugin goes to stderr (the engine address is not used).
    assert plugin.wait_for_output(f"info: toy: info for {id_}")
    assert plugin.engine_logs == []
    everything = plugin.output_text()
    assert "tok-secret-value" not in everything
    assert "loud-config-secret" not in everything


def test_restart_with_new_config(tmp_path: Path, workdir: Path, toy_pythonpath: list[Path]) -> None:
    with DynamicProviderPlugin(
        tmp_path, project="toy", config={"toy:greeting": "one"}, extra_pythonpath=toy_pythonpath
    ) as own:
        _, outs = own.create(URN, _news(workdir))
        assert outs["greeting"] == "one"
        own.restart(config={"toy:greeting": "two"})
        _, outs = own.create(URN, _news(workdir))
        assert outs["greeting"] == "two"
        assert reveal(outs["token"]) == "tok-secret-value"
    assert not own.running


def test_a_failed_bring_up_leaves_no_process_or_engine_server(tmp_path: Path) -> None:
    """A "plugin" that prints a port and then never answers: start fails, and neither the
    process nor the fake engine's server outlives the failure."""
    pid_file = tmp_path / "pid"
    fake = tmp_path / "fake-python"
    fake.write_text(f"#!/bin/sh\necho $$ > {pid_file}\necho 1\nexec sleep 60\n")
    fake.chmod(0o755)
    plugin = DynamicProviderPlugin(tmp_path, python=str(fake), start_timeout=2)
    with pytest.raises(PluginStartError, match="did not answer"):
        plugin.start()
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert not plugin.running
    with pytest.raises(RuntimeError, match="not started"):
        _ = plugin.engine_address
