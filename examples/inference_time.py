"""Inference time of a teacher and its distilled student, on CPU and on GPU.

A teacher and a student are distilled with a short schedule on the crotonylation
windows, on each device timed: the CPU, and the GPU when torch sees one. Then the
time of ``teacher_predict_proba`` (teacher) and ``predict_proba`` (student) on the
test windows is measured, best of several repeats after one warm-up call, input
transfer and probabilities included. The table gives milliseconds per 1,000
samples, the parameters and the speed-up (teacher time / student time);
``inference_time.png`` shows the times as bars. ``--device auto`` (the default)
times the CPU and, when torch sees one, the GPU; any other device is timed alone.
Reproduce with::

    python examples/inference_time.py

and for a quick check ``python examples/inference_time.py --n-samples 3000 --meta-epochs 1``.
"""

import time

import numpy as np
import torch

from _evidence import (
    build_parser, crotonylation_split, describe_split, fit_options, net, pyplot, save_figure,
)
from skdistill import DistilledClassifier
from skdistill.cli import format_table
from skdistill.modules import CNN, count_parameters

TEACHER = net(CNN, channels=(64, 64), head_units=(64,), dropout=0.2)
STUDENT = net(CNN, channels=(16, 16))
#: Timed calls per model and device; the best one counts.
REPEATS = 7
COLUMNS = ("model", "parameters", "device", "ms per 1,000 samples", "speed-up")


def best_time(predict, X, device, repeats=REPEATS):
    """Best wall-clock time of ``predict(X)`` in seconds, after one warm-up call.

    Parameters
    ----------
    predict : callable
        ``predict_proba`` or ``teacher_predict_proba`` of a fitted classifier.
    X : ndarray
    device : torch.device
        The classifier's device; a CUDA device is synchronized around each call.
    repeats : int, default=REPEATS

    Returns
    -------
    seconds : float
    """
    def synchronize():
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    predict(X)
    times = []
    for _ in range(repeats):
        synchronize()
        start = time.perf_counter()
        predict(X)
        synchronize()
        times.append(time.perf_counter() - start)
    return min(times)


def plot(timings, output):
    """Bars of teacher and student time per device.

    Parameters
    ----------
    timings : dict
        ``{device name: {"teacher": ms, "student": ms}}`` per 1,000 samples.
    output : str
        Folder of ``inference_time.png``.
    """
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(5, 4))
    positions = np.arange(len(timings))
    for offset, role in [(-0.2, "teacher"), (0.2, "student")]:
        ax.bar(positions + offset, [t[role] for t in timings.values()], width=0.4, label=role)
    ax.set_xticks(positions, list(timings))
    ax.set_ylabel(f"ms per 1,000 samples (best of {REPEATS})")
    ax.set_title("Inference time (crotonylation test set)")
    ax.legend()
    save_figure(figure, output, "inference_time.png")


def main():
    """Fit and time teacher and student on every device; print and plot."""
    args = build_parser(__doc__, meta_epochs=1).parse_args()
    pyplot()
    X_train, X_test, y_train, y_test = crotonylation_split(args.n_samples)
    print(describe_split(y_train, y_test), flush=True)

    devices = [args.device]
    if args.device == "auto":
        devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    per_1000 = 1e6 / len(X_test)
    rows, timings = [], {}
    for device in devices:
        clf = DistilledClassifier(
            teacher=TEACHER, student=STUDENT, random_state=args.random_state,
            **{**fit_options(args), "device": device},
        ).fit(X_train, y_train)
        name = str(clf.device_)
        teacher = best_time(clf.teacher_predict_proba, X_test, clf.device_) * per_1000
        student = best_time(clf.predict_proba, X_test, clf.device_) * per_1000
        timings[name] = {"teacher": teacher, "student": student}
        rows += [
            ("teacher", f"{count_parameters(clf.teacher_.module_):,}", name, f"{teacher:.2f}",
             "-"),
            ("student", f"{count_parameters(clf.student_.module_):,}", name, f"{student:.2f}",
             f"{teacher / student:.1f}x"),
        ]
    print(format_table(rows, COLUMNS))
    print(f"Best of {REPEATS} calls on the {len(X_test):,} test windows, after one warm-up; "
          f"torch uses {torch.get_num_threads()} CPU thread(s).")
    plot(timings, args.output)


if __name__ == "__main__":
    main()
