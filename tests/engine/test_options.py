"""Resource options and engine flags our behaviour depends on, through the real CLI.

protect and retain_on_delete decide whether delete (and so a release) runs at all; --target
limits what is ordered; refresh --run-program is how stack outputs catch up with a refresh; the
import_ option and `pulumi import` cannot reach a dynamic provider's code (pulumi/pulumi#16175).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pulumi

from sinch_numbers import NumberOrder
from sinch_numbers.testing import Op
from sinch_numbers.testing.emulator import EmulatorProcess, start_emulator
from sinch_numbers.testing.pulumi_cli import PulumiCli, PulumiCliRunner
from tests.engine.conftest import MakeRunner
from tests.engine.programs import CREATE, RELEASE, OneOrder, active_number


def _completed(emu: EmulatorProcess, stack: object, program: OneOrder) -> str:
    up = stack.up()  # type: ignore[attr-defined]
    assert up.ok, up.error
    emu.review(up.outputs["order_id"], "approve")
    assert stack.refresh().ok  # type: ignore[attr-defined]
    return str(up.outputs["phone_numbers"][0])


def test_protect_refuses_destroy_before_any_release(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    program = OneOrder()
    program.options = {"protect": True}
    stack = runner(program)
    phone_number = _completed(emu, stack, program)
    emu.reset_stats()
    refused = stack.destroy()
    assert not refused.ok
    assert "protect" in (refused.error or "")
    assert RELEASE not in emu.stats()
    assert active_number(emu, phone_number)["expireAt"] is None
    assert [r.name for r in stack.state.values()] == ["order"]


def test_retain_on_delete_forgets_the_order_and_keeps_the_number(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    program = OneOrder()
    program.options = {"retain_on_delete": True}
    stack = runner(program)
    phone_number = _completed(emu, stack, program)
    emu.reset_stats()
    destroyed = stack.destroy()
    assert destroyed.ok, destroyed.error
    assert stack.state == {}
    assert emu.stats() == {}, "the provider is not even asked"
    assert active_number(emu, phone_number)["expireAt"] is None


def test_target_orders_only_the_targeted_resource(
    cli_runner: MakeRunner, emu: EmulatorProcess
) -> None:
    def program() -> None:
        for name in ("first", "second"):
            NumberOrder(name, **OneOrder().inputs)

    stack = cli_runner(program, project="sinch-numbers-test")
    urn = stack.urn("pulumi-python:dynamic/sinch:NumberOrder", "first")
    up = stack.up(target=[urn])
    assert up.ok, up.error
    assert up.ops()["first"] is Op.CREATE
    assert [r.name for r in stack.state.values()] == ["first"]
    assert len(emu.orders()) == 1
    assert emu.stats()[CREATE] == 1


def test_refresh_with_run_program_brings_stack_outputs_up_to_date(
    cli_runner: MakeRunner, emu: EmulatorProcess
) -> None:
    stack = cli_runner(OneOrder(), project="sinch-numbers-test")
    up = stack.up()
    emu.review(up.outputs["order_id"], "approve")
    refreshed = stack.refresh(run_program=True)
    assert refreshed.ok, refreshed.error
    assert refreshed.outputs["state"] == "COMPLETED"


def test_the_import_option_is_refused_with_the_way_to_adopt(
    runner: MakeRunner, emu: EmulatorProcess
) -> None:
    program = OneOrder()
    program.options = {"import_": "01m8s6rx5t0ewwjpgyqpfyd8zg"}
    stack = runner(program)
    up = stack.up()
    assert not up.ok
    assert 'adopt_order_id="01m8s6rx5t0ewwjpgyqpfyd8zg"' in (up.error or "")
    assert "16175" in (up.error or "")
    assert emu.stats() == {}


def test_pulumi_import_needs_the_language_host(cli: PulumiCli, tmp_path: Path) -> None:
    """`pulumi import` runs the program's language host, which the Go proxy here does not serve;
    where it exists the engine's Read reaches the plugin without `__provider` (#16175). The
    docs point users to adopt_order_id; this records what these machines do."""
    with start_emulator(review_policy="manual") as emu:
        stack = PulumiCliRunner(
            lambda: pulumi.export("nothing", None),
            cli=cli,
            config=emu.stack_config(),
            work_dir=tmp_path,
        )
        assert stack.up().ok
        done = stack.run_cli(
            "import", "pulumi-python:dynamic/sinch:NumberOrder", "imported", "any-id", "--yes"
        )
        assert done.returncode != 0
        if not cli.has_language_host:
            assert "pulumi-language-python" in done.stdout + done.stderr
        assert emu.orders() == []
        stack.close()


def test_credentials_rotated_between_up_and_refresh_or_destroy(
    runner: MakeRunner, tmp_path: Path
) -> None:
    """Observed with the real engine: a plain refresh or destroy configures the provider with the
    settings recorded in the state at the last `up`, not with today's stack config. Rotated keys
    (here: a new emulator at the same URL, new keys, same orders) reach it with --run-program,
    without an `up`; the provider's error says so. Nothing about the keys is in the pickled
    provider."""
    state_file = tmp_path / "emulator.json"
    old = {"key_id": "old-key", "key_secret": "old-secret-1", "state_file": state_file}
    new = {"key_id": "new-key", "key_secret": "new-secret-2", "state_file": state_file}
    with start_emulator(review_policy="manual", **old) as first:
        port = httpx.URL(first.url).port  # the second emulator serves the same URL
        stack = runner(OneOrder(), config=first.stack_config())
        up = stack.up()
        assert up.ok, up.error
        first.review(up.outputs["order_id"], "approve")
    with start_emulator(review_policy="manual", port=port, **new) as second:
        stack.config = second.stack_config()
        stale = stack.refresh()
        assert not stale.ok
        assert "--run-program" in (stale.error or "")
        refreshed = stack.refresh(run_program=True)
        assert refreshed.ok, refreshed.error
        assert stack.resource("order").outputs["state"] == "COMPLETED"
        destroyed = stack.destroy()
        assert destroyed.ok, destroyed.error
        assert second.stats().get(RELEASE) == 1
