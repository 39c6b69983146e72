"""``pulumi-resource-sinch ENGINE_ADDRESS``: the plugin the engine starts for the ``sinch``
package (``pip install`` puts it on PATH).

Start-up is kept lean: only gRPC, Pulumi's provider interface and the plugin's own modules load
before the port is printed; the HTTP client and the KYC models load on the first call that
needs them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pulumi-resource-sinch", description="The sinch Pulumi provider plugin (gRPC)."
    )
    parser.add_argument("engine", help="the Pulumi engine's address, given by the engine")
    # The engine may pass logging flags to any plugin; they mean nothing here.
    parser.add_argument("--logflow", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--logtostderr", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("-v", dest="verbose", help=argparse.SUPPRESS)
    parser.add_argument("--tracing", help=argparse.SUPPRESS)
    known, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)

    from sinch_numbers import __version__
    from sinch_numbers.plugin.engine_log import EngineLog
    from sinch_numbers.plugin.provider import WORKERS, SinchPackageProvider
    from sinch_numbers.plugin.server import serve

    provider = SinchPackageProvider(EngineLog(known.engine))
    # The engine closes a plugin with SIGINT: that ends serving quietly.
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(known.engine, __version__, provider))
    provider.cancelled.set()
    WORKERS.shutdown(wait=False, cancel_futures=True)


if __name__ == "__main__":
    main()
