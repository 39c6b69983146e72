"""The repository's own Pulumi project (Pulumi.yaml beside this file): the quickstart example,
run from here so that `pulumi preview` and `up` work at the top of the checkout.

Pulumi.yaml cannot name examples/quickstart as its `main`: the Python language host resolves the
`virtualenv` option from the project folder and the dynamic-provider plugin from the program's
(pulumi/pulumi#7061). The example's own relative paths (its documents) follow its `__file__`.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).parent / "examples" / "quickstart" / "__main__.py"))
