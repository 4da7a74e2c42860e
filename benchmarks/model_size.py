"""Size of a fitted model against the optimizer steps it took.

A fitted ``DistilledClassifier`` keeps what it needs to predict (the nets'
weights) and its histories. This fits the teacher and student of
``benchmarks/scale.py`` on its random one-hot windows for a number of
meta-epochs without early stopping, with batches small enough that the
optimizer steps run into the thousands, and prints, per size, the steps
(batches over every epoch of both nets), the batch records the nets'
histories keep, the bytes of ``pickle.dumps`` and of the file
``skdistill.save`` writes, and the bytes of the weights alone (float32).
Run::

    OMP_NUM_THREADS=1 python benchmarks/model_size.py [--rows 5000 20000]
        [--meta-epochs 10] [--batch-size 32]

A model whose size follows its weights, not its steps, shows as the same
bytes on every line.
"""

import argparse
import os
import pickle
import tempfile

from scale import one_hot_windows
from skdistill import DistilledClassifier, save
from skdistill._argtypes import positive_int
from skdistill.modules import MLP


def measure(n_rows, meta_epochs, batch_size):
    """Fit on ``n_rows`` windows; return the steps taken and the model's sizes."""
    X, y = one_hot_windows(n_rows)
    clf = DistilledClassifier(
        teacher=MLP, meta_epochs=meta_epochs, early_stopping=False, batch_size=batch_size,
        device="cpu", random_state=0,
    ).fit(X, y)
    nets = [clf.student_, clf.teacher_]
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.skd")
        save(clf, path)
        file_bytes = os.path.getsize(path)
    return {
        "rows": n_rows,
        "steps": sum(sum(net.history[:, "train_batch_count"]) for net in nets),
        "records": sum(len(batches) for net in nets for batches in net.history[:, "batches"]),
        "pickle": len(pickle.dumps(clf)),
        "file": file_bytes,
        "weights": sum(p.numel() * 4 for net in nets for p in net.module_.parameters()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=positive_int, nargs="+", default=[5_000, 20_000])
    parser.add_argument("--meta-epochs", type=positive_int, default=10)
    parser.add_argument("--batch-size", type=positive_int, default=32)
    args = parser.parse_args()
    columns = ["rows", "steps", "records", "pickle", "file", "weights"]
    print(" ".join(f"{name:>10}" for name in columns))
    for n_rows in args.rows:
        figures = measure(n_rows, args.meta_epochs, args.batch_size)
        print(" ".join(f"{figures[name]:>10,}" for name in columns))
    print(f"(meta-epochs {args.meta_epochs}, batch size {args.batch_size}; bytes)")


if __name__ == "__main__":
    main()
