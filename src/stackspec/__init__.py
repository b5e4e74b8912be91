"""What the CloudFormation templates declare: the stacks, their functions and their triggers.

The templates under deploy/cloudformation/ are the one declaration of the functions (as SAM's
template is for `sam build`, `sam local` and `sam deploy`): build, verify, the local cloud,
invoke, the deploy plan, the tests and the benches read it from here and never name a function.
Local tooling only; never shipped.
"""

from __future__ import annotations

from stackspec.model import (
    ApiTrigger,
    Function,
    Parameter,
    QueueTrigger,
    ScheduleTrigger,
    Stack,
    StreamTrigger,
    Trigger,
)
from stackspec.read import TEMPLATES, bootstrap_templates, function, functions, load_stacks

__all__ = [
    "TEMPLATES",
    "ApiTrigger",
    "Function",
    "Parameter",
    "QueueTrigger",
    "ScheduleTrigger",
    "Stack",
    "StreamTrigger",
    "Trigger",
    "bootstrap_templates",
    "function",
    "functions",
    "load_stacks",
]
