"""Operating a deployed stage: its logs, one invocation of a function, one import.

`make logs`, `make invoke STAGE=…` and `make import STAGE=…` (docs/operations.md). Names come
from the declaration (src/stackspec), as `make deploy` gives them. Every AWS call takes its
client as a parameter. Local tooling only; never shipped.
"""
