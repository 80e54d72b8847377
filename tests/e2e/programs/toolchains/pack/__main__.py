"""An advisory policy pack that reports the Python running it, for each Prefix resource (toolchain tests)."""

import sys

from pulumi_policy import (
    EnforcementLevel,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)


def _report_python(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type == "pulumi-python:dynamic/e2e:Prefix":
        report_violation(f"policy pack python: {sys.prefix}")


PolicyPack(
    name="toolchain-probe",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        ResourceValidationPolicy(
            name="report-pack-python",
            description="Reports sys.prefix of the policy pack's Python.",
            validate=_report_python,
        )
    ],
)
