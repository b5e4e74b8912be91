"""`python -m localcloud` (= `make dev`): the whole stack on this machine, in the foreground."""

from __future__ import annotations

from localcloud.dev import main

raise SystemExit(main())
