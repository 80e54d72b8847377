"""Entry point of the native `vapi` provider plugin: `python plugin <engine address>`."""

import sys

from vapi_provider.native import serve

if __name__ == "__main__":
    serve(sys.argv[1:])
