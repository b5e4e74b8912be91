"""Read deploy/cloudformation/*.yaml into Stack and Function records, in deploy order."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from stackspec import cfn_yaml
from stackspec.model import (
    ROOT,
    ApiTrigger,
    BucketSource,
    Function,
    Parameter,
    QueueTrigger,
    ScheduleTrigger,
    Stack,
    StreamTrigger,
    Trigger,
)
from stackspec.values import (
    LOCAL_STAGE,
    PSEUDO,
    imported_names,
    integer,
    referenced,
    scalar,
    substituted_refs,
    walk,
)

if TYPE_CHECKING:
    from pathlib import Path

TEMPLATES = ROOT / "deploy" / "cloudformation"
Resources = dict[str, dict[str, Any]]


@cache
def load_stacks(directory: Path = TEMPLATES) -> tuple[Stack, ...]:
    """Every deployed template of the folder, each after the stacks whose exports or outputs it
    uses; bootstrap templates are left out (`bootstrap_templates`)."""
    stacks = {
        path.stem: _stack(path, template)
        for path, template in _templates(directory).items()
        if not _is_bootstrap(template)
    }
    provided = {stack.name: set(stack.outputs) for stack in stacks.values()}
    ordered: list[Stack] = []
    while stacks:
        ready = [
            stack
            for stack in stacks.values()
            if not any(
                set(stack.needs) & provided[other] for other in stacks if other != stack.name
            )
        ]
        if not ready:
            raise ValueError(f"the stacks need each other's outputs: {', '.join(stacks)}")
        ordered.append(ready[0])
        del stacks[ready[0].name]
    return tuple(ordered)


def bootstrap_templates(directory: Path = TEMPLATES) -> tuple[Path, ...]:
    """Templates marked `Metadata: Tooling: Bootstrap: true`: deployed once by hand (the CI
    role, docs/pipeline.md), never by `make deploy`, and declaring no function."""
    return tuple(
        path for path, template in _templates(directory).items() if _is_bootstrap(template)
    )


def _templates(directory: Path) -> dict[Path, dict[str, Any]]:
    return {
        path: cfn_yaml.loads(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.yaml"))
    }


def _is_bootstrap(template: dict[str, Any]) -> bool:
    return bool(template.get("Metadata", {}).get("Tooling", {}).get("Bootstrap", False))


def functions(directory: Path = TEMPLATES) -> tuple[Function, ...]:
    """Every function of every stack, in deploy order."""
    return tuple(f for stack in load_stacks(directory) for f in stack.functions)


def function(name: str, directory: Path = TEMPLATES) -> Function:
    """One function by name (its package under src/)."""
    for candidate in functions(directory):
        if candidate.name == name:
            return candidate
    known = ", ".join(f.name for f in functions(directory))
    raise KeyError(f"no function {name!r} in {directory} (declared: {known})")


def _stack(path: Path, template: dict[str, Any]) -> Stack:
    resources: Resources = template.get("Resources", {})
    parameters = {
        name: None if "Default" not in spec else str(spec["Default"])
        for name, spec in template.get("Parameters", {}).items()
    }
    known = {name: value for name, value in parameters.items() if value is not None}
    known.update(PSEUDO, Stage=LOCAL_STAGE)
    known.update(_local_names(resources, known))
    outputs = template.get("Outputs", {})
    exported = {
        str(scalar(spec["Export"]["Name"], {"Project": "", "Stage": ""}) or "").lstrip("-")
        for spec in outputs.values()
        if "Export" in spec
    }
    needs = imported_names(resources) | (set(parameters) - {"Project", "Stage"})
    return Stack(
        name=path.stem,
        template=path,
        parameters=parameters,
        outputs=tuple(sorted(set(outputs) | exported)),
        needs=tuple(sorted(needs)),
        functions=tuple(
            _function(path, logical_id, resources, known)
            for logical_id, resource in resources.items()
            if resource["Type"] == "AWS::Lambda::Function"
        ),
        layer_parameters=tuple(
            str(referenced(resource["Properties"]["Content"]["S3Key"]))
            for resource in resources.values()
            if resource["Type"] == "AWS::Lambda::LayerVersion"
        ),
        buckets=tuple(k for k, v in resources.items() if v["Type"] == "AWS::S3::Bucket"),
        declared={
            name: _parameter(name, spec) for name, spec in template.get("Parameters", {}).items()
        },
    )


def _parameter(name: str, spec: dict[str, Any]) -> Parameter:
    def number(key: str) -> float | None:
        return None if key not in spec else float(spec[key])

    def length(key: str) -> int | None:
        return None if key not in spec else int(spec[key])

    return Parameter(
        name=name,
        type=str(spec.get("Type", "String")),
        default=spec.get("Default"),
        allowed_values=tuple(spec.get("AllowedValues", ())),
        allowed_pattern=spec.get("AllowedPattern"),
        min_value=number("MinValue"),
        max_value=number("MaxValue"),
        min_length=length("MinLength"),
        max_length=length("MaxLength"),
        description=str(spec.get("Description", "")),
    )


def _local_names(resources: Resources, known: dict[str, str]) -> dict[str, str]:
    """Buckets, queues and tables by logical id -> their names in the local cloud.

    A `Metadata: Tooling: LocalName` wins (the import bucket keeps its documented local name);
    otherwise the name the template gives, with Stage=local.
    """
    name_property = {
        "AWS::S3::Bucket": "BucketName",
        "AWS::SQS::Queue": "QueueName",
        "AWS::DynamoDB::Table": "TableName",
    }
    names = {}
    for logical_id, resource in resources.items():
        prop = name_property.get(resource["Type"])
        if prop is None:
            continue
        local = resource.get("Metadata", {}).get("Tooling", {}).get("LocalName")
        given = scalar(resource.get("Properties", {}).get(prop), known)
        names[logical_id] = str(local or given or logical_id.lower())
    return names


def _function(path: Path, logical_id: str, resources: Resources, known: dict[str, str]) -> Function:
    resource = resources[logical_id]
    props = resource["Properties"]
    tooling = resource.get("Metadata", {}).get("Tooling", {})
    variables = props.get("Environment", {}).get("Variables", {})
    environment = {name: scalar(node, known) for name, node in variables.items()}
    triggers = _triggers(logical_id, resources, known, variables)
    deployed = props.get("FunctionName", logical_id)
    if isinstance(deployed, dict):  # !Sub "${Project}-${Stage}-name"
        deployed = deployed.get("Fn::Sub", logical_id)
    return Function(
        name=str(props["Handler"]).split(".", 1)[0],
        stack=path.stem,
        logical_id=logical_id,
        handler=str(props["Handler"]),
        timeout=integer(props.get("Timeout"), known, 3),
        memory=integer(props.get("MemorySize"), known, 128),
        environment=environment,
        code_parameter=str(referenced(props["Code"]["S3Key"])),
        deployed_name=str(
            deployed.get("Fn::Sub", deployed) if isinstance(deployed, dict) else deployed
        ),
        triggers=triggers,
        bundle=dict(tooling.get("Bundle", {})),
        requirements=tuple(tooling.get("Requirements", ())),
        invoke_on_deploy=bool(tooling.get("InvokeOnDeploy", False)),
        root=path.parents[2],
    )


def _triggers(
    logical_id: str, resources: Resources, known: dict[str, str], variables: dict[str, Any]
) -> tuple[Trigger, ...]:
    found: list[Trigger] = []
    for resource in resources.values():
        props = resource.get("Properties", {})
        kind = resource["Type"]
        if (
            kind == "AWS::Lambda::EventSourceMapping"
            and referenced(props.get("FunctionName")) == logical_id
        ):
            source = str(referenced(props["EventSourceArn"]))
            if resources[source]["Type"] == "AWS::SQS::Queue":
                found.append(_queue_trigger(source, props, resources, known, variables))
            elif resources[source]["Type"] == "AWS::DynamoDB::Table":
                found.append(_stream_trigger(source, props, resources, known))
        elif kind == "AWS::Events::Rule":
            for target in props.get("Targets", []):
                if referenced(target.get("Arn")) == logical_id:
                    expression = str(scalar(props.get("ScheduleExpression"), known))
                    found.append(ScheduleTrigger(str(scalar(props.get("Name"), known)), expression))
    paths = _api_paths(logical_id, resources)
    if paths:
        found.insert(0, ApiTrigger(paths))
    return tuple(found)


def _queue_trigger(
    queue_id: str,
    mapping: dict[str, Any],
    resources: Resources,
    known: dict[str, str],
    variables: dict[str, Any],
) -> QueueTrigger:
    queue = resources[queue_id].get("Properties", {})
    redrive = queue.get("RedrivePolicy")
    dlq = referenced(redrive["deadLetterTargetArn"]) if redrive else None
    scaling = mapping.get("ScalingConfig", {}).get("MaximumConcurrency")
    return QueueTrigger(
        queue=known[queue_id],
        visibility_timeout=integer(queue.get("VisibilityTimeout"), known, 30),
        batch_size=integer(mapping.get("BatchSize"), known, 10),
        max_receive_count=integer(redrive["maxReceiveCount"], known, 0) if redrive else None,
        dead_letter_queue=known[dlq] if dlq else None,
        maximum_concurrency=None if scaling is None else integer(scaling, known, 0),
        source=_bucket_source(queue_id, resources, known, variables),
    )


def _bucket_source(
    queue_id: str, resources: Resources, known: dict[str, str], variables: dict[str, Any]
) -> BucketSource | None:
    for bucket_id, resource in resources.items():
        if resource["Type"] != "AWS::S3::Bucket":
            continue
        notifications = resource.get("Properties", {}).get("NotificationConfiguration", {})
        for config in notifications.get("QueueConfigurations", []):
            if referenced(config.get("Queue")) != queue_id:
                continue
            rules = config.get("Filter", {}).get("S3Key", {}).get("Rules", [])
            by_name = {str(rule["Name"]).lower(): str(rule["Value"]) for rule in rules}
            env_var = next(
                (name for name, node in variables.items() if referenced(node) == bucket_id), None
            )
            return BucketSource(
                known[bucket_id],
                by_name.get("prefix", ""),
                by_name.get("suffix", ""),
                env_var,
                bucket_id,
            )
    return None


def _stream_trigger(
    table_id: str, mapping: dict[str, Any], resources: Resources, known: dict[str, str]
) -> StreamTrigger:
    table = resources[table_id].get("Properties", {})
    destination = mapping.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    on_failure = referenced(destination)
    return StreamTrigger(
        table=known[table_id],
        key_schema=tuple((k["AttributeName"], k["KeyType"]) for k in table.get("KeySchema", [])),
        attributes={
            a["AttributeName"]: a["AttributeType"] for a in table.get("AttributeDefinitions", [])
        },
        batch_size=integer(mapping.get("BatchSize"), known, 100),
        maximum_retry_attempts=integer(mapping.get("MaximumRetryAttempts"), known, -1),
        bisect_on_error=scalar(mapping.get("BisectBatchOnFunctionError"), known) == "true",
        maximum_record_age=integer(mapping.get("MaximumRecordAgeInSeconds"), known, -1),
        on_failure_queue=known.get(on_failure) if on_failure else None,
    )


def _api_paths(logical_id: str, resources: Resources) -> tuple[str, ...]:
    paths = []
    for resource in resources.values():
        if resource["Type"] != "AWS::ApiGateway::Method":
            continue
        props = resource["Properties"]
        if logical_id in integrated_functions(props, resources):
            paths.append(_resource_path(props["ResourceId"], resources))
    return tuple(sorted(set(paths)))


def integrated_functions(method: dict[str, Any], resources: Resources) -> set[str]:
    """The functions an API method's properties proxy to (logical ids)."""
    # The Uri's `!Sub`, or each branch of an `!If` (the function, or an alias of it).
    uri = method.get("Integration", {}).get("Uri", {})
    texts = [node["Fn::Sub"] for node in walk(uri) if isinstance(node, dict) and "Fn::Sub" in node]
    return {
        _invoked(name, resources)
        for text in texts
        if isinstance(text, str)
        for name in substituted_refs(text)
    }


def _invoked(name: str, resources: Resources) -> str:
    """The function a name invokes: itself, or the function of an alias or version."""
    resource = resources.get(name, {})
    if resource.get("Type") in {"AWS::Lambda::Alias", "AWS::Lambda::Version"}:
        return referenced(resource["Properties"]["FunctionName"]) or name
    return name


def _resource_path(node: Any, resources: Resources) -> str:
    """`/`, or the resource's PathPart after its parent's path."""
    target = referenced(node)
    if target is None or resources.get(target, {}).get("Type") != "AWS::ApiGateway::Resource":
        return "/"  # !GetAtt RestApi.RootResourceId
    props = resources[target]["Properties"]
    parent = _resource_path(props["ParentId"], resources)
    return f"{parent.rstrip('/')}/{props['PathPart']}"
