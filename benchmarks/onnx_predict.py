"""Predict time of the student in onnxruntime against the student and the teacher in torch.

A ``SequenceEncoder`` + ``DistilledClassifier`` pipeline (CNN(64, 64) teacher, CNN(16, 16)
student, as in ``examples/inference_time.py``) is trained with a short schedule on the
stratified 80 % training split of the embedded crotonylation windows: time, not
quality, is measured. The student is exported with ``skdistill.export_onnx`` and every
model predicts the encoded 20 % test split, the encoder left out of every timing:

- teacher, torch: ``teacher_predict_proba`` of the fitted classifier;
- student, torch: ``predict_proba`` of the fitted classifier;
- student, onnxruntime: ``InferenceSession.run`` of the exported student.

Each is timed on the whole test split at once (milliseconds per 1,000 samples) and on
one sample per call (milliseconds per call), best of ``--repeats`` calls after one
warm-up, with torch and onnxruntime on the same number of CPU threads. Run::

    python benchmarks/onnx_predict.py [--meta-epochs 1] [--threads 1] [--repeats 7]

and it prints the table and the largest difference between the probabilities of
onnxruntime and ``predict_proba``.
"""

import argparse
import tempfile
import timeit
from pathlib import Path

import numpy as np
import onnxruntime
import torch
from skorch import NeuralNet
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from skdistill import DistilledClassifier, export_onnx
from skdistill._argtypes import positive_int, sample_count
from skdistill.cli import format_table
from skdistill.datasets import load_crotonylation
from skdistill.modules import CNN, count_parameters
from skdistill.preprocessing import SequenceEncoder

COLUMNS = ("model", "runtime", "parameters", "ms per 1,000 samples", "ms per 1-sample call",
           "speed-up vs teacher")


def cnn(**module_params):
    """An unfitted skorch net of a :class:`CNN`; the classifier fills in its shape."""
    return NeuralNet(CNN, criterion=torch.nn.BCEWithLogitsLoss,
                     **{f"module__{name}": value for name, value in module_params.items()})


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meta-epochs", type=positive_int, default=1,
                        help="meta-epochs of the short training (default 1)")
    parser.add_argument("--n-samples", type=sample_count, default=None,
                        help="stratified subsample of the data for a quick run (default: all)")
    parser.add_argument("--threads", type=positive_int, default=1,
                        help="CPU threads of torch and onnxruntime alike (default 1)")
    parser.add_argument("--repeats", type=positive_int, default=7,
                        help="timed calls per model; the best counts (default 7)")
    return parser.parse_args()


def best_seconds(predict, repeats):
    """Best wall-clock time of ``predict()`` over ``repeats`` calls, after one warm-up."""
    predict()
    return min(timeit.repeat(predict, number=1, repeat=repeats))


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    sequences, labels = load_crotonylation(return_X_y=True)
    if args.n_samples is not None:
        sequences, _, labels, _ = train_test_split(
            sequences, labels, train_size=args.n_samples, stratify=labels, random_state=0
        )
    train, test, y_train, y_test = train_test_split(
        sequences, labels, test_size=0.2, stratify=labels, random_state=0
    )
    pipeline = make_pipeline(SequenceEncoder(), DistilledClassifier(
        teacher=cnn(channels=(64, 64), head_units=(64,), dropout=0.2),
        student=cnn(channels=(16, 16)), meta_epochs=args.meta_epochs, early_stopping=False,
        device="cpu", random_state=0,
    )).fit(train, y_train)
    clf = pipeline[-1]
    X_test = pipeline[:-1].transform(test)  # the ONNX model's input, as documented

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads, options.inter_op_num_threads = args.threads, 1
    with tempfile.TemporaryDirectory() as folder:
        path = export_onnx(pipeline, Path(folder) / "student.onnx")
        session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"]
        )

    def run_onnx(X):
        return session.run(None, {"X": X})[0]

    difference = np.abs(run_onnx(X_test) - clf.predict_proba(X_test)).max()
    models = [
        ("teacher", "torch", clf.teacher_.module_, clf.teacher_predict_proba),
        ("student", "torch", clf.student_.module_, clf.predict_proba),
        ("student", "onnxruntime", clf.student_.module_, run_onnx),
    ]
    rows, teacher_ms = [], None
    for name, runtime, module, predict in models:
        batch_ms = best_seconds(lambda: predict(X_test), args.repeats) * 1e6 / len(X_test)
        single_ms = best_seconds(lambda: predict(X_test[:1]), args.repeats) * 1e3
        teacher_ms = teacher_ms or batch_ms
        rows.append((name, runtime, f"{count_parameters(module):,}", f"{batch_ms:.2f}",
                     f"{single_ms:.3f}", f"{teacher_ms / batch_ms:.1f}x"))
    print(f"Crotonylation test split: {len(X_test):,} windows x {X_test.shape[1]} one-hot "
          f"features; {args.threads} CPU thread(s); best of {args.repeats} calls.")
    print(format_table(rows, COLUMNS))
    print(f"largest |onnxruntime - predict_proba|: {difference:.2e}")


if __name__ == "__main__":
    main()
