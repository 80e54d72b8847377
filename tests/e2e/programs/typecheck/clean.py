"""A program that type-checks cleanly (typechecker tests)."""

import pulumi

count: int = 5
pulumi.export("count", count)
