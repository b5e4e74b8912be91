"""`python -m scaffold NAME TRIGGER`: the Makefile's `make new-function NAME=... TRIGGER=...`."""

from __future__ import annotations

import argparse
import sys

from scaffold.names import InvalidNameError
from scaffold.render import TRIGGERS, create


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make new-function", description=__doc__)
    parser.add_argument("name", help="the function's name: its package, stack, table and events")
    parser.add_argument("trigger", choices=TRIGGERS)
    args = parser.parse_args(argv)
    try:
        created = create(args.name, args.trigger)
    except (InvalidNameError, FileExistsError) as exc:
        print(f"make new-function: {exc}", file=sys.stderr)
        return 2
    print(f"created the {args.trigger} function {args.name}:")
    for path in created:
        extended = path.suffix == ".toml"
        print(
            f"  {path}" + (f" (a [{args.name}] table: its template's defaults)" if extended else "")
        )
    print(
        "next: `make test` runs its tests; `make dev`, `make invoke`, `make build` and"
        " `make deploy-plan` pick it up from its template (docs/scaffold.md)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
