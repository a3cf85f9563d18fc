"""Dataset-by-dataset digests of a results file, for the golden-run test.

    python tests/golden/digest.py FILE            # prints {dataset: sha256} as JSON
    python tests/golden/digest.py --update        # re-runs the golden runs, rewrites digests.json

A digest covers a dataset's dtype, shape and bytes; attributes (times, host, revision) are left
out, since they differ between identical runs. Any change of the model's behaviour changes some
digest, so it must come with a deliberate, reviewed update of digests.json (and a CHANGELOG line).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DIGESTS = HERE / "digests.json"

# The golden runs: small, but every mechanism acts (levers from 2023, the evaluation removes
# parks, funds exit, incubators graduate, snapshots and compaction every December).
RUNS: dict[str, list[str]] = {
    "small-seed7": ["scenarios/small.toml", "--seed", "7"],
    "all-levers-strong-1in20-seed3": ["scenarios/all-levers-strong.toml", "--seed", "3",
                                      "--set", "scale=0.05", "--until", "2027"],
    "no-new-policy-1in50-seed11": ["scenarios/no-new-policy.toml", "--seed", "11",
                                   "--set", "scale=0.02", "--until", "2026"],
}


def file_digests(path: str | pathlib.Path) -> dict[str, str]:
    """sha256 of each dataset's dtype, shape and C-ordered bytes, by dataset path."""
    digests: dict[str, str] = {}

    def visit(name: str, node: object) -> None:
        if isinstance(node, h5py.Dataset):
            data = np.ascontiguousarray(node[()])
            h = hashlib.sha256()
            h.update(data.dtype.str.encode())
            h.update(repr(data.shape).encode())
            if data.dtype.kind == "O":  # variable-length strings: their bytes, not pointers
                for item in data.ravel():
                    h.update(item if isinstance(item, bytes) else str(item).encode())
                    h.update(b"\0")
            else:
                h.update(data.tobytes())
            digests[name] = h.hexdigest()

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return dict(sorted(digests.items()))


def run_golden(name: str, output: pathlib.Path, threads: int) -> None:
    """Runs golden run `name` into `output` with the installed `clustersim` command."""
    cli = pathlib.Path(sys.executable).with_name("clustersim")
    subprocess.run([str(cli), "run", *RUNS[name], "-o", str(output), "-q",
                    "--threads", str(threads)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="results file to digest")
    parser.add_argument("--update", action="store_true", help="rewrite digests.json")
    args = parser.parse_args()
    if args.file:
        print(json.dumps(file_digests(args.file), indent=1))
        return 0
    if not args.update:
        parser.error("give a FILE or --update")
    table = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in RUNS:
            out = pathlib.Path(tmp) / f"{name}.h5"
            run_golden(name, out, threads=2)
            table[name] = file_digests(out)
    DIGESTS.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    print(f"wrote {DIGESTS.relative_to(ROOT)}: {sum(map(len, table.values()))} datasets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
