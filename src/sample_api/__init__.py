"""WebAPI sample: users on PostgreSQL behind API Gateway."""

from shared.lazy import lazy_exports

# Before any of the function's modules imports Powertools: these package __init__ files import
# every resolver and event class to re-export them (~50 ms of a ~250 ms cold start); the REST
# resolver needs one of each. Each name still loads on first use, from the module it lives in.
for _package in (
    "aws_lambda_powertools.event_handler",
    "aws_lambda_powertools.event_handler.openapi",
    "aws_lambda_powertools.utilities.data_classes",
):
    lazy_exports(_package)
