"""`python -m localcloud` (= `make dev`): the whole stack on this machine, in the foreground."""

from __future__ import annotations

import warnings

# moto's server imports urllib3's SOCKS support, which warns on every start that PySocks is
# missing; nothing here uses a SOCKS proxy.
warnings.filterwarnings("ignore", message="SOCKS support in urllib3")

from localcloud.dev import main  # noqa: E402 (after the warning filter)

raise SystemExit(main())
