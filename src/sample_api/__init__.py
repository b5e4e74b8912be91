"""WebAPI sample: users on PostgreSQL behind API Gateway."""

from shared.lazy import lazy_powertools

# Before any of the function's modules imports Powertools: each name of its re-exporting
# packages still loads on first use, from the module it lives in (shared/lazy.py).
lazy_powertools()
