"""`python -m tools.sdkgen [--check]` (what `scripts/gen-sdk` runs)."""

from __future__ import annotations

import sys

from tools.sdkgen import main

sys.exit(main())
