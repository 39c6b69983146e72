"""``python -m sinch_numbers.codegen [--check] [ROOT]``: write what the declarations give (the
typed surface, the docs' tables), or with ``--check`` name the files that differ and exit 1."""

from __future__ import annotations

import sys
from pathlib import Path

from sinch_numbers.codegen import generated_files


def main(argv: list[str]) -> int:
    check = "--check" in argv
    roots = [a for a in argv if a != "--check"]
    root = Path(roots[0]) if roots else Path.cwd()
    stale = []
    for relative, text in generated_files(root).items():
        path = root / relative
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(relative)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    verb = "differs from its declarations; run `make generate`" if check else "written"
    for relative in stale:
        print(f"{relative}: {verb}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
