"""The S3 actions the functions' code calls, read from the code itself.

Every attribute call named after an S3 operation (`client.abort_multipart_upload(...)`) in the
packages a function ships is taken as that operation, mapped to the IAM actions it needs (AWS's
Service Authorization Reference). A new call with no mapping fails the tests that use this,
so a new operation cannot slip past the policies.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# S3 operation -> the IAM actions a caller needs for it.
OPERATION_ACTIONS = {
    # the importer reads the exact version the event names (VersionId)
    "GetObject": ("s3:GetObject", "s3:GetObjectVersion"),
    "HeadObject": ("s3:GetObject",),
    "PutObject": ("s3:PutObject",),
    "CreateMultipartUpload": ("s3:PutObject",),
    "UploadPart": ("s3:PutObject",),
    "CompleteMultipartUpload": ("s3:PutObject",),
    "AbortMultipartUpload": ("s3:AbortMultipartUpload",),
    "ListParts": ("s3:ListMultipartUploadParts",),
    "ListMultipartUploads": ("s3:ListBucketMultipartUploads",),
    "CopyObject": ("s3:GetObject", "s3:PutObject"),
    "DeleteObject": ("s3:DeleteObject",),
    "DeleteObjects": ("s3:DeleteObject",),
    "HeadBucket": ("s3:ListBucket",),
    "ListObjects": ("s3:ListBucket",),
    "ListObjectsV2": ("s3:ListBucket",),
    "ListObjectVersions": ("s3:ListBucketVersions",),
}


@cache
def _operations_by_method() -> dict[str, str]:
    """boto3 method name -> S3 operation name, from botocore's model of S3."""
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model("s3")
    return {xform_name(name): name for name in model.operation_names}


def shipped_packages(package: str) -> set[str]:
    """The package and every package under src/ it imports, transitively (what its zip holds)."""
    found: set[str] = set()
    pending = [package]
    while pending:
        name = pending.pop()
        if name in found or not (SRC / name).is_dir():
            continue
        found.add(name)
        for path in (SRC / name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    pending += [alias.name.split(".")[0] for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    pending.append(node.module.split(".")[0])
    return found


def operations_called(package: str) -> set[str]:
    """The S3 operations called anywhere in what the package ships."""
    methods = _operations_by_method()
    called = set()
    for name in shipped_packages(package):
        for path in (SRC / name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in methods
                ):
                    called.add(methods[node.func.attr])
    return called


def actions_needed(package: str) -> set[str]:
    """The IAM actions the package's S3 calls need; fails on an operation with no mapping."""
    operations = operations_called(package)
    unmapped = operations - set(OPERATION_ACTIONS)
    assert not unmapped, f"map {sorted(unmapped)} to IAM actions in tests/deploy/s3_actions.py"
    return {action for op in operations for action in OPERATION_ACTIONS[op]}
