"""Reports which Python ran this program and which ran its dynamic provider (the toolchain tests)."""

import sys

import pulumi
from prefix_provider import Prefix

where = Prefix("where")
pulumi.export("program_prefix", sys.prefix)
pulumi.export("provider_prefix", where.prefix)
