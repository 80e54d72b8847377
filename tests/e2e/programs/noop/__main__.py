import pulumi

from noop_provider import Noop

thing = Noop("thing", "hello")
pulumi.export("length", thing.length)
