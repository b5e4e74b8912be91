"""The structured JSON logger both functions use (Powertools Logger)."""

from __future__ import annotations

from functools import cache

from aws_lambda_powertools import Logger

from shared.settings import get_settings


@cache
def get_logger() -> Logger:
    """One logger per execution environment, named after the function's service.

    Its level is POWERTOOLS_LOG_LEVEL, else LOG_LEVEL, else INFO, as Powertools documents it
    (settings validates the value); Lambda's AWS_LAMBDA_LOG_LEVEL, when set, wins in the Logger.
    """
    settings = get_settings()
    return Logger(service=settings.service_name, level=settings.log_level)
