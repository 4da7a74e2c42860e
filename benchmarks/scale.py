"""Fit on up to a million sparse one-hot windows: time and peak memory per size.

Each size runs in its own Python process, so that the peak resident memory
(``ru_maxrss``) of one size cannot hide in another's. A process generates
``rows`` random 29-residue windows over 21 letters as a float32 CSR matrix
(609 columns, 29 nonzeros a row; about one window in ten is positive and
carries a planted motif), then fits a ``DistilledClassifier`` (MLP(64)
teacher, the default student, one meta-epoch of one teacher and one student
epoch) and predicts probabilities for every row. Run::

    OMP_NUM_THREADS=2 python benchmarks/scale.py [--rows 100000 300000 1000000]
        [--early-stopping off on]

For every size it prints the input's size, the seconds of the meta-epoch
(the whole ``fit``) and of ``predict_proba``, the peak resident memory of the
process, and the growth: that peak less the resident memory just before
``fit`` (interpreter, libraries and the input). Bounded memory shows as a
growth that stays flat while the rows grow. Linux only (it reads
``/proc/self/statm``).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import scipy.sparse as sp
from skdistill._argtypes import positive_int

LENGTH = 29
ALPHABET = 21
POSITIVE_RATE = 0.1
#: position -> letter of the planted motif, each planted with this probability.
MOTIF = {12: 3, 14: 11, 16: 5}
MOTIF_STRENGTH = 0.6
CHUNK_ROWS = 100_000
MB = 2**20


def one_hot_windows(n_rows, seed=0):
    """Random one-hot windows as float32 CSR, filled in chunks to bound the peak.

    Returns
    -------
    X : scipy.sparse.csr_matrix of shape (n_rows, LENGTH * ALPHABET)
    y : ndarray of int8 of shape (n_rows,)
    """
    rng = np.random.default_rng(seed)
    y = (rng.random(n_rows) < POSITIVE_RATE).astype(np.int8)
    indices = np.empty(n_rows * LENGTH, dtype=np.int32)
    offsets = np.arange(LENGTH, dtype=np.int32) * ALPHABET
    for start in range(0, n_rows, CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, n_rows)
        letters = rng.integers(0, ALPHABET, size=(stop - start, LENGTH), dtype=np.int32)
        planted = (y[start:stop, None] == 1) & (rng.random((stop - start, len(MOTIF)))
                                                < MOTIF_STRENGTH)
        for column, (position, letter) in enumerate(MOTIF.items()):
            letters[planted[:, column], position] = letter
        indices[start * LENGTH : stop * LENGTH] = (letters + offsets).ravel()
    indptr = np.arange(0, (n_rows + 1) * LENGTH, LENGTH, dtype=np.int32)
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, LENGTH * ALPHABET)), y


def resident_mb():
    """Resident memory of this process now, in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def peak_mb():
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n_rows, early_stopping):
    """Fit and predict on ``n_rows`` windows in this process; return the figures."""
    import torch
    from sklearn.metrics import roc_auc_score

    from skdistill import DistilledClassifier
    from skdistill.modules import MLP

    X, y = one_hot_windows(n_rows)
    clf = DistilledClassifier(
        teacher=MLP, meta_epochs=1, teacher_epochs=1, student_epochs=1,
        early_stopping=early_stopping, device="cpu", random_state=0,
    )
    before = resident_mb()
    start = time.perf_counter()
    clf.fit(X, y)
    fit_seconds = time.perf_counter() - start
    after_fit = peak_mb()
    start = time.perf_counter()
    proba = clf.predict_proba(X)[:, 1]
    predict_seconds = time.perf_counter() - start
    return {
        "rows": n_rows,
        "early_stopping": early_stopping,
        "input_mb": (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / MB,
        "fit_s": fit_seconds,
        "predict_s": predict_seconds,
        "before_mb": before,
        "fit_growth_mb": after_fit - before,
        "peak_mb": peak_mb(),
        "growth_mb": peak_mb() - before,
        "auc": roc_auc_score(y, proba),
        "torch_threads": torch.get_num_threads(),
    }


def run_child(n_rows, early_stopping):
    """Measure one size in a fresh interpreter; return its figures."""
    command = [sys.executable, __file__, "--child", str(n_rows), "--early-stopping",
               early_stopping]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=positive_int, nargs="+",
                        default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--early-stopping", nargs="+", choices=["off", "on"],
                        default=["off", "on"])
    parser.add_argument("--child", type=positive_int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, args.early_stopping[0] == "on")))
        return

    header = (f"{'rows':>9}  {'early stop':>10}  {'input MB':>8}  {'s/meta-epoch':>12}  "
              f"{'predict s':>9}  {'peak RSS MB':>11}  {'growth MB':>9}  "
              f"{'of which fit':>12}  {'train AUC':>9}")
    print(header)
    print("-" * len(header))
    for early_stopping in args.early_stopping:
        for n_rows in args.rows:
            r = run_child(n_rows, early_stopping)
            print(f"{r['rows']:>9,}  {early_stopping:>10}  {r['input_mb']:>8.0f}  "
                  f"{r['fit_s']:>12.1f}  {r['predict_s']:>9.1f}  {r['peak_mb']:>11.0f}  "
                  f"{r['growth_mb']:>9.0f}  {r['fit_growth_mb']:>12.0f}  {r['auc']:>9.3f}",
                  flush=True)
    print(f"(torch threads: {r['torch_threads']}; growth = peak RSS less the resident "
          "memory before fit, which holds the input)")


if __name__ == "__main__":
    main()
