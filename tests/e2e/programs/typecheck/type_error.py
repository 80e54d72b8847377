"""A program that runs fine but declares `count` an int and assigns a str (typechecker tests)."""

import pulumi

count: int = "five"
pulumi.export("count", count)
