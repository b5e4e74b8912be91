"""AWS::CloudWatch::Alarm for moto's CloudFormation, which has no model for the type (moto 5.2).

CloudFormation creates an alarm with PutMetricAlarm, whose parameters are the resource's
properties under the same names. Here moto's own template engine resolves the properties (every
`!Ref`, `!GetAtt`, `!Sub` and `!If` against the stack's real resources and parameters), and the
alarm is put through the ordinary CloudWatch client into moto's CloudWatch, where the rehearsal
reads it back. Numbers arrive as strings from parameters, as in CloudFormation: they are
converted to the types the API's model gives them. `teach_moto()` registers the type;
tests/deploy/test_rehearsal.py says when moto learns it and this module can go.
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel

TYPE = "AWS::CloudWatch::Alarm"


def teach_moto() -> None:
    """Make moto's CloudFormation create alarms (idempotent)."""
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()
    assert parsing.get_model_map()[TYPE] is Alarm


def moto_knows(kind: str) -> bool:
    """Whether moto itself, not this module, can create resources of that type."""
    model = parsing.get_model_map().get(kind)
    return model is not None and model.__module__.startswith("moto.")


class Alarm(CloudFormationModel):
    """A CloudWatch alarm created from its template properties."""

    def __init__(self, name: str, region: str) -> None:
        self.name, self.region = name, region

    @staticmethod
    def cloudformation_type() -> str:
        return TYPE

    @staticmethod
    def cloudformation_name_type() -> str:
        return "AlarmName"

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Arn"

    @property
    def physical_resource_id(self) -> str:
        return self.name

    def is_created(self) -> bool:
        return True

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[override]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
        **kwargs: Any,
    ) -> Alarm:
        client = _client(region_name)
        properties = {"AlarmName": resource_name, **cloudformation_json["Properties"]}
        shape = client.meta.service_model.operation_model("PutMetricAlarm").input_shape
        request = _typed(properties, shape)
        client.put_metric_alarm(**request)
        return cls(request["AlarmName"], region_name)

    @classmethod
    def update_from_cloudformation_json(  # type: ignore[override]
        cls,
        original_resource: Alarm,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> Alarm:
        _client(region_name).delete_alarms(AlarmNames=[original_resource.name])
        return cls.create_from_cloudformation_json(
            new_resource_name, cloudformation_json, account_id, region_name
        )

    @classmethod
    def delete_from_cloudformation_json(  # type: ignore[override]
        cls,
        resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> None:
        _client(region_name).delete_alarms(AlarmNames=[resource_name])


def _client(region: str) -> Any:
    import boto3

    return boto3.client("cloudwatch", region_name=region)


def _typed(value: Any, shape: Any) -> Any:
    """A resolved template value as the API's model types it (None: AWS::NoValue, left out)."""
    if shape.type_name == "structure":
        return {
            key: _typed(item, shape.members[key])
            for key, item in value.items()
            if item is not None and key in shape.members
        }
    if shape.type_name == "list":
        return [_typed(item, shape.member) for item in value]
    if shape.type_name in ("integer", "long"):
        return int(value)
    if shape.type_name in ("double", "float"):
        return float(value)
    if shape.type_name == "boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return value
