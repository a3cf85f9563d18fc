"""Golden runs: fixed scenarios and seeds whose results files hash, dataset by dataset, to the
digests committed in tests/golden/digests.json. Any change of the model's behaviour fails here,
so that it lands only with a deliberate update of the digests (`python tests/golden/digest.py
--update`) reviewed in the same commit. Digests hold on this project's machines (same compiler,
glibc and libm); another platform's libm may round an exp or log differently."""

import importlib.util
import json
import pathlib

import pytest

GOLDEN = pathlib.Path(__file__).resolve().parents[1] / "golden"
_spec = importlib.util.spec_from_file_location("golden_digest", GOLDEN / "digest.py")
digest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(digest)

COMMITTED = json.loads((GOLDEN / "digests.json").read_text())


def test_every_golden_run_has_digests():
    assert sorted(COMMITTED) == sorted(digest.RUNS)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", sorted(digest.RUNS))
def test_golden_run_matches_committed_digests(name, threads, tmp_path):
    out = tmp_path / f"{name}.h5"
    digest.run_golden(name, out, threads=threads)
    measured = digest.file_digests(out)
    expected = COMMITTED[name]
    missing = sorted(set(expected) - set(measured))
    extra = sorted(set(measured) - set(expected))
    changed = sorted(k for k in set(expected) & set(measured) if expected[k] != measured[k])
    assert not (missing or extra or changed), (
        f"{name} on {threads} thread(s) differs from tests/golden/digests.json: "
        f"{len(changed)} changed (first: {changed[:8]}), missing {missing[:8]}, extra {extra[:8]}."
        " If the change of behaviour is intended, run `python tests/golden/digest.py --update`"
        " and say why in the commit.")


def test_digest_sees_a_one_bit_change(tmp_path):
    """The digest is not blind: flipping one bit of one value changes that dataset's digest
    and no other."""
    import h5py
    import numpy as np

    out = tmp_path / "small.h5"
    digest.run_golden("no-new-policy-1in50-seed11", out, threads=2)
    before = digest.file_digests(out)
    with h5py.File(out, "r+") as f:
        revenue = f["series/park/revenue_cny"]
        values = revenue[()]
        bits = values.view(np.uint64)
        bits[5, 3, 0] ^= np.uint64(1)
        revenue[...] = values
    after = digest.file_digests(out)
    assert [k for k in before if before[k] != after[k]] == ["series/park/revenue_cny"]
