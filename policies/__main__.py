"""The ``vapi-phone-numbers`` policy pack: a thin folder over the installed ``vapi_policies`` package.

The rules ship in the ``vapi-phone-numbers`` wheel (``pip install "vapi-phone-numbers[policy]"``); this
file only serves them. ``serve()`` blocks and owns stdout, so no test imports this file and nothing here
prints.
"""

import vapi_policies

vapi_policies.serve()
