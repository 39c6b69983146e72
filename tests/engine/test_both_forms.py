"""The same scenarios through both forms, over one core: the dynamic `sinch_numbers.NumberOrder`
and the package's `pulumi_sinch.numbers.NumberOrder` (the provider plugin), each typed in a
project folder with the real CLI. Their outcomes are compared (the outputs, the plugin's camelCase
mapped onto the dynamic form's snake_case) and so are the API calls the emulator saw: the same
calls per step, and those that change something in the same order.

Where they must differ, the difference is asserted: a failure after the order exists is a failed
initialisation (`initErrors`) in the plugin's state, and a resource with `failed_step` but no
init error in the dynamic form's (which needs its local record of interrupted creates besides).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sinch_numbers.core.schema import pulumi_name
from sinch_numbers.plugin.wire import spell
from sinch_numbers.testing.emulator import EmulatorProcess
from tests.engine.folders import Folder
from tests.engine.package import ORDER, plain_value, resources
from tests.engine.programs import CREATE, DOCUMENTS, READS, au_registration

pytestmark = pytest.mark.package_program("python")

_COMMON = textwrap.dedent(
    """
    from pathlib import Path

    import pulumi

    config = pulumi.Config()
    documents = Path("DOCUMENTS")
    plan = config.get("servicePlanId") or "plan-one"
    registration = REGISTRATION
    """
)
PROGRAMS = {
    "dynamic": _COMMON
    + textwrap.dedent(
        """
        from sinch_numbers import AttachmentArgs, NumberOrder, SmsConfigurationArgs

        NumberOrder(
            "order",
            region_code="AU",
            number_type="MOBILE",
            quantity=1,
            sms_configuration=SmsConfigurationArgs(service_plan_id=plan),
            registration=registration,
            attachments=[
                AttachmentArgs(
                    requirement_id="01jxn2251d0shhamtbykft2xzx",
                    file=pulumi.FileAsset(str(documents / "proof-of-address.pdf")),
                ),
                AttachmentArgs(
                    requirement_id="01jxn22a7kq3m8v5t0w2r4y6zb",
                    file=pulumi.FileAsset(str(documents / "identity-document.png")),
                    document_type="Passport",
                ),
            ],
        )
        """
    ),
    "package": _COMMON
    + textwrap.dedent(
        """
        from pulumi_sinch import numbers

        numbers.NumberOrder(
            "order",
            region_code="AU",
            number_type="MOBILE",
            quantity=1,
            sms_configuration=numbers.SmsConfigurationArgs(service_plan_id=plan),
            registration=registration,
            attachments=[
                numbers.AttachmentArgs(
                    requirement_id="01jxn2251d0shhamtbykft2xzx",
                    file=pulumi.FileAsset(str(documents / "proof-of-address.pdf")),
                ),
                numbers.AttachmentArgs(
                    requirement_id="01jxn22a7kq3m8v5t0w2r4y6zb",
                    file=pulumi.FileAsset(str(documents / "identity-document.png")),
                    document_type="Passport",
                ),
            ],
        )
        """
    ),
}
FORMS = tuple(PROGRAMS)

# Outputs that differ between any two orders (ids, times, fingerprints of what was sent).
VOLATILE = {"orderId", "createTime", "updateTime", "expireTime", "secondsUntilExpiry", "progress"}
# Times the emulator stamps inside object outputs (a number's next charge, a log's time).
NESTED_VOLATILE = {"nextChargeDate", "createTime", "updateTime"}
# Outputs only the dynamic form has: the wait inside its create (the package declares the wait
# as NumberOrderCompletion), and the declaration a dynamic create is not told (the plugin reads
# it from the URN).
DYNAMIC_ONLY = {"waitForCompletion", "completionTimeout", "declaration"}


def camel(value: Any, *, top: bool = True) -> Any:
    """The dynamic form's outputs with the package's spelling: snake_case keys camelCased,
    down through object types; free JSON (`registration`, `progress`) is left as it is."""
    if isinstance(value, dict):
        return {
            pulumi_name(k): v if k in ("registration", "progress") else camel(v, top=False)
            for k, v in value.items()
            if not (top and k.startswith("__"))
        }
    if isinstance(value, list):
        return [camel(v, top=False) for v in value]
    return value


@dataclass
class Run:
    """One form's run of the scenario: outputs and API calls per step."""

    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: dict[str, list[str]] = field(default_factory=dict)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)


def _project(form: str, venv: Path, root: Path) -> Path:
    path = root / form
    path.mkdir(parents=True)
    (path / "Pulumi.yaml").write_text(
        f"name: both-forms-{form}\nruntime:\n  name: python\n  options:\n"
        f"    toolchain: pip\n    virtualenv: {venv}\n"
    )
    # One documents folder for both: the state holds each file's path.
    (path / "__main__.py").write_text(
        PROGRAMS[form]
        .replace("DOCUMENTS", str(DOCUMENTS))
        .replace("REGISTRATION", repr(au_registration()))
    )
    return path


def same_calls(one: dict[str, list[str]], other: dict[str, list[str]]) -> None:
    """The same API calls in each step, and the calls that change something in the same order.
    Reads may overlap (check looks up the requirements and the price at once), so their order
    is the scheduler's, not the form's."""
    assert {k: Counter(v) for k, v in one.items()} == {k: Counter(v) for k, v in other.items()}
    assert {k: _changing(v) for k, v in one.items()} == {k: _changing(v) for k, v in other.items()}


def _changing(calls: list[str]) -> list[str]:
    return [c for c in calls if not c.startswith("GET ") and c not in READS]


def _the_order(project: Folder, form: str) -> dict[str, Any]:
    """The stack's one NumberOrder, by the package's token or the dynamic form's prefix."""
    found = resources(project, ORDER) if form == "package" else project.dynamic_resources()
    [resource] = found
    return resource


def _outputs(resource: dict[str, Any], form: str) -> dict[str, Any]:
    outputs = plain_value(resource["outputs"])
    spelled = camel(outputs) if form == "dynamic" else dict(outputs)
    # An output the order has not is left out by the dynamic form and null in the plugin's.
    order_id = str(spelled.get("orderId"))
    return {k: _stable(v, order_id) for k, v in spelled.items() if v is not None}


def _stable(value: Any, order_id: str) -> Any:
    """``value`` without the emulator's time stamps, and its order's id (which messages quote)
    spelled ``<order>``."""
    if isinstance(value, dict):
        return {k: _stable(v, order_id) for k, v in value.items() if k not in NESTED_VOLATILE}
    if isinstance(value, list):
        return [_stable(v, order_id) for v in value]
    if isinstance(value, str):
        return value.replace(order_id, "<order>")
    return value


@pytest.fixture
def forms(
    package_project: Callable[..., Folder], sdk: str, venv: Path, tmp_path: Path
) -> dict[str, Folder]:
    made = {}
    for form in FORMS:
        project = package_project(_project(form, venv, tmp_path / "forms"))
        project.ok("stack", "select", "dev", "--create")
        made[form] = project
    return made


def _step(project: Folder, emu: EmulatorProcess, run: Run, name: str, *args: str) -> str:
    emu.reset_stats()
    done = project.run(*args)
    run.calls[name] = emu.call_sequence()
    return done.stdout + done.stderr + (f"\n[exit {done.returncode}]" if done.returncode else "")


def test_create_update_refresh_destroy_give_the_same_outcomes_and_api_calls(
    forms: dict[str, Folder], emu: EmulatorProcess
) -> None:
    runs: dict[str, Run] = {}
    for form, project in forms.items():
        emu.reset()
        emu.settings(review_policy="manual")
        project.set_config(emu.stack_config())
        run = runs[form] = Run()
        printed = _step(project, emu, run, "create", "up", "--yes", "--skip-preview")
        assert "[exit" not in printed, printed
        run.outputs["create"] = _outputs(_the_order(project, form), form)
        [order] = emu.orders()
        emu.review(order["idNumberOrder"], "approve")
        printed = _step(project, emu, run, "refresh", "refresh", "--yes", "--skip-preview")
        assert "[exit" not in printed, printed
        run.outputs["refresh"] = _outputs(_the_order(project, form), form)
        project.set_config({"servicePlanId": "another-service-plan"})
        printed = _step(project, emu, run, "update", "up", "--yes", "--skip-preview")
        assert "[exit" not in printed, printed
        assert "1 updated" in printed, printed
        run.outputs["update"] = _outputs(_the_order(project, form), form)
        printed = _step(project, emu, run, "destroy", "destroy", "--yes", "--skip-preview")
        assert "[exit" not in printed, printed

    dynamic, package = runs["dynamic"], runs["package"]
    for step in ("create", "refresh", "update"):
        d, p = dynamic.outputs[step], package.outputs[step]
        assert set(d) - set(p) <= DYNAMIC_ONLY, (step, set(d) - set(p))
        assert set(p) <= set(d), (step, set(p) - set(d))
        same = set(p) - VOLATILE
        assert {k: d.get(k) for k in same} == {k: p[k] for k in same}, step
    same_calls(dynamic.calls, package.calls)
    assert dynamic.calls["create"].count(CREATE) == 1


def test_a_failure_after_create_then_resume_the_forms_differ_only_where_they_must(
    forms: dict[str, Folder], emu: EmulatorProcess
) -> None:
    runs: dict[str, Run] = {}
    for form, project in forms.items():
        emu.reset()
        emu.settings(review_policy="manual")
        project.set_config(emu.stack_config())
        run = runs[form] = Run()
        emu.add_fault(r"/submit$", "status", method="POST", status=503, times=None)
        printed = _step(project, emu, run, "failed", "up", "--yes", "--skip-preview")
        assert "[exit" in printed, "the run fails"
        run.resources["failed"] = _the_order(project, form)
        run.outputs["failed"] = _outputs(run.resources["failed"], form)
        emu.clear_faults()
        printed = _step(project, emu, run, "resumed", "up", "--yes", "--skip-preview")
        assert "[exit" not in printed, printed
        run.resources["resumed"] = _the_order(project, form)
        run.outputs["resumed"] = _outputs(run.resources["resumed"], form)
        assert [o["state"] for o in emu.orders()] == ["IN_REVIEW"], "one order, submitted"

    dynamic, package = runs["dynamic"], runs["package"]
    for step in ("failed", "resumed"):
        d, p = dynamic.outputs[step], package.outputs[step]
        same = set(p) - VOLATILE - {"lastError"}
        assert {k: d.get(k) for k in same} == {k: p[k] for k in same}, step
    assert dynamic.outputs["failed"]["failedStep"] == "submit"
    # The reason names the output that holds the server's words, each form in its own spelling.
    d_error, p_error = (
        dynamic.outputs["failed"]["lastError"],
        package.outputs["failed"]["lastError"],
    )
    assert "last_error_detail" in d_error
    assert "lastErrorDetail" in p_error, p_error
    assert p_error == spell(d_error)
    # Where they must differ: the plugin's create fails as a failed initialisation, which the
    # engine records; the dynamic create succeeds with `failed_step` set (the run fails after).
    assert package.resources["failed"].get("initErrors"), "partial state"
    assert not dynamic.resources["failed"].get("initErrors"), "no partial state in a dynamic one"
    assert not package.resources["resumed"].get("initErrors")
    same_calls(dynamic.calls, package.calls)
    for run in runs.values():
        assert run.calls["failed"].count(CREATE) == 1
        assert CREATE not in run.calls["resumed"]
