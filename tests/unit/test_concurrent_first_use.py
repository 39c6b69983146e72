"""The wire models are built on first use (``defer_build``), and the plugin serves up to four
calls at once: the first use of a model may come from several threads together. Before pydantic
2.14 that rebuild was not thread-safe; a thread could fail with an ``AttributeError`` (seen here
with 2.13.4) or validate with the parent's validator, so a fresh plugin ordering several numbers
could lose a create's answer. Each round is a fresh process, where nothing is built yet.
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

# Every deferred model, first used by 16 threads at once with a tiny switch interval, so that
# thread switches land inside the builds. Each thread records what validating "{}" gave: a
# model, or the fields missing. Anything else, or threads disagreeing, is the race.
_ROUND = """
import json, sys, threading
import pydantic
from sinch_numbers.api import auth, models

deferred = [m for m in vars(models).values()
            if isinstance(m, type) and issubclass(m, models.WireModel) and m is not models.WireModel]
deferred.append(auth._TokenResponse)
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


def test_deferred_models_first_used_by_many_threads_at_once_validate_alike() -> None:
    for _round in range(4):
        done = subprocess.run(
            [sys.executable, "-c", _ROUND],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
            cwd=ROOT,
        )
        found = json.loads(done.stdout)
        assert found["models"] >= 30
        assert found["problems"] == []


def test_the_declared_pydantic_has_a_thread_safe_rebuild() -> None:
    # 2.14 is the first release whose model_rebuild() holds a lock.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (pydantic,) = [
        Requirement(d) for d in project["dependencies"] if Requirement(d).name == "pydantic"
    ]
    assert not pydantic.specifier.contains(Version("2.13.99"))
    assert pydantic.specifier.contains(Version("2.14.0"))
