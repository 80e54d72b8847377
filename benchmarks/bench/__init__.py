"""The provider benchmark's parts, run through `benchmarks/provider_bench.py`.

- `common`: names shared by every part (operations, programs, request accounting, the time table);
- `measure`: the instruments, the API floor, the pulumi runs and the whole run;
- `imports`: cumulative import times from `python -X importtime` (also `benchmarks/import_time.py`);
- `report`: BENCHMARKS.md;
- `chart`: docs/benchmarks.png.
"""
