"""Entry point of the `vapifloor` plugin: the engine runs `python <this folder> <engine address>`."""

import sys

from bench_natfloor_provider import serve

serve(sys.argv[1:])
