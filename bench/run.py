"""`make bench`: run every bench/bench_*.py module in turn and print what each reports.

Each module has a `main()` that prints its own figures (medians and ratios) and returns
nothing; a failing module is reported and the others still run.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        print(f"== {path.stem}", flush=True)
        started = time.perf_counter()
        try:
            spec.loader.exec_module(module)
            module.main()
        except Exception:
            failures += 1
            traceback.print_exc()
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
