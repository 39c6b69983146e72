"""What importing a module drags in, checked in fresh processes (timings: docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _loaded_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    code = f"import sys\n{statement}\nprint(','.join(m for m in {modules!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return [m for m in result.stdout.strip().split(",") if m]


def test_the_provider_loads_not_the_projects_command_line() -> None:
    # The plugin process must not pay for the project's CLI. httpx imports its own (click, rich,
    # pygments) when they are installed; that is httpx's import, left as it is (no patch).
    assert _loaded_after("import sinch_numbers.provider", ("typer", "sinch_numbers.cli")) == []


def test_callbacks_load_no_http_client() -> None:
    assert _loaded_after("import sinch_numbers.callbacks", ("httpx", "httpcore")) == []


@pytest.mark.parametrize(
    "statement", ["import sinch_numbers.api", "import sinch_numbers.api.models"]
)
def test_the_api_package_loads_the_client_only_on_use(statement: str) -> None:
    assert _loaded_after(statement, ("httpx", "sinch_numbers.api.client")) == []


def test_httpx_is_whole_after_the_package() -> None:
    # The package changes nothing of httpx: its own CLI module imports, and requests work.
    code = (
        "import sinch_numbers.provider, httpx, httpx._main\n"
        "assert httpx.main is httpx._main.main\n"
        "t = httpx.MockTransport(lambda r: httpx.Response(204))\n"
        "print(httpx.Client(transport=t).get('http://x/').status_code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "204"
