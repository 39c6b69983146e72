"""When the wire models are built: at import only those on every order's critical path, every
other on first use (``defer_build``), and safely when that first use comes from several threads
at once. Each check runs in a fresh process.

The plugin serves up to four calls at once, so a model's first use may come from several threads
together. Before pydantic 2.14 that build was not thread-safe: a thread could fail with an
``AttributeError`` or validate with the base model's validator (both seen with 2.13.4), so a
fresh plugin ordering several numbers could lose a create's answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]

_DEFERRED = """
from sinch_numbers.api import auth, models

deferred = list(dict.fromkeys(
    m for m in vars(models).values()
    if isinstance(m, type) and issubclass(m, models.WireModel) and m is not models.WireModel
))
deferred.append(auth._TokenResponse)
"""

# Every deferred model, first used by 16 threads at once with a tiny switch interval, so that
# thread switches land inside the builds. Each thread records what validating "{}" gave: a
# model, or the fields missing. Anything else, or threads disagreeing, is the race.
_RACE = (
    _DEFERRED
    + """
import json, sys, threading
import pydantic

sys.setswitchinterval(1e-6)
problems = []
for model in deferred:
    barrier = threading.Barrier(16)
    seen = []
    def first_use():
        barrier.wait()
        try:
            seen.append(("model", type(model.model_validate_json(b"{}")).__name__))
        except pydantic.ValidationError as error:
            seen.append(("missing", tuple(sorted(str(e["loc"]) for e in error.errors()))))
        except Exception as error:
            seen.append(("raised", type(error).__name__))
    threads = [threading.Thread(target=first_use) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if len(set(seen)) != 1 or seen[0][0] == "raised":
        problems.append(f"{model.__name__}: {sorted(set(seen))}")
print(json.dumps({"models": len(deferred), "problems": problems}))
"""
)


def _in_a_fresh_process(code: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
        cwd=ROOT,
    )
    found: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_deferred_models_first_used_by_many_threads_at_once_validate_alike() -> None:
    for _round in range(4):
        found = _in_a_fresh_process(_RACE)
        assert found["problems"] == []
        assert isinstance(found["models"], int)
        assert found["models"] >= 30


def test_the_declared_pydantic_has_a_thread_safe_rebuild() -> None:
    # 2.14 is the first release whose model_rebuild() holds a lock.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (pydantic,) = [
        Requirement(d) for d in project["dependencies"] if Requirement(d).name == "pydantic"
    ]
    assert not pydantic.specifier.contains(Version("2.13.99"))
    assert pydantic.specifier.contains(Version("2.14.0"))


def test_importing_the_provider_builds_only_the_order_path_models() -> None:
    found = _in_a_fresh_process(
        "import json\n"
        "import sinch_numbers.api, sinch_numbers.api.client, sinch_numbers.provider\n"
        + _DEFERRED
        + "print(json.dumps({'built': sorted(m.__name__ for m in deferred"
        " if m.__pydantic_complete__), 'order path': sorted(m.__name__ for m in"
        " [*models.ORDER_PATH_MODELS, auth._TokenResponse])}))"
    )
    assert found["built"] == found["order path"]
    assert "NumberOrder" in found["built"]
    assert "ActiveNumber" not in found["built"]
