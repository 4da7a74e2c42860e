"""Time DistilledClassifier.fit against a hand-written PyTorch loop and skorch's defaults.

All three train the same default teacher and student modules with the same
losses, optimizer settings and schedule (meta-epochs of teacher epochs, one
batched teacher pass, student epochs) on the embedded crotonylation data,
one-hot encoded (dense float32). Run::

    python benchmarks/bench_fit.py [--meta-epochs 2] [--device cpu|cuda] [--repeats 3]

and it prints the seconds of each and the ratios.
"""

import argparse
import time

import numpy as np
import torch
from skorch import NeuralNet
from sklearn.preprocessing import OneHotEncoder

from skdistill import DistilledClassifier
from skdistill._argtypes import positive_int, torch_device
from skdistill._nets import DEFAULT_NET_PARAMS, DEFAULT_STUDENT, DEFAULT_TEACHER, StudentCriterion
from skdistill.datasets import load_crotonylation
from skdistill.losses import DistillationLoss, make_true_label_loss
from skdistill.preprocessing import positions_frame

SCHEDULE = {"teacher_epochs": 3, "student_epochs": 2, "batch_size": 128, "alpha": 0.5, "beta": 0.5,
            "early_stopping": False}


def load_data():
    sequences, labels = load_crotonylation(return_X_y=True)
    X = OneHotEncoder(sparse_output=False, dtype=np.float32).fit_transform(
        positions_frame(sequences)
    )
    return X, labels


def build(spec, input_dim, device):
    """Module and optimizer exactly as DistilledClassifier builds them."""
    settings = {**DEFAULT_NET_PARAMS, **spec}
    params = {k[len("module__"):]: v for k, v in settings.items() if k.startswith("module__")}
    module = settings["module"](input_dim=input_dim, **params).to(device)
    optimizer_kwargs = {k[len("optimizer__"):]: v for k, v in settings.items()
                        if k.startswith("optimizer__")}
    optimizer = settings["optimizer"](module.parameters(), lr=settings["lr"], **optimizer_kwargs)
    return module, optimizer


def losses():
    true_label = make_true_label_loss("pu", 2)
    student = StudentCriterion(DistillationLoss(SCHEDULE["alpha"], true_label), SCHEDULE["beta"])
    return true_label, student


def plain_pytorch(X, y, meta_epochs, device):
    """The schedule as a hand-written PyTorch loop over device tensors."""
    X = torch.as_tensor(X, device=device)
    y = torch.as_tensor(y, dtype=torch.float32, device=device)
    teacher, teacher_opt = build(DEFAULT_TEACHER, X.shape[1], device)
    student, student_opt = build(DEFAULT_STUDENT, X.shape[1], device)
    teacher_loss, student_loss = losses()
    batch = SCHEDULE["batch_size"]

    def epoch(module, optimizer, criterion, target_of):
        module.train()
        order = torch.randperm(len(X), device=device)
        for start in range(0, len(X), batch):
            index = order[start : start + batch]
            optimizer.zero_grad()
            loss = criterion(module(X[index]), target_of(index))
            loss.backward()
            optimizer.step()
            loss.item()  # skorch records every batch loss; so do we

    for _ in range(meta_epochs):
        for _ in range(SCHEDULE["teacher_epochs"]):
            epoch(teacher, teacher_opt, teacher_loss, lambda i: y[i])
        teacher.eval()
        with torch.no_grad():
            teacher_logits = torch.cat([teacher(X[s : s + 4096]) for s in range(0, len(X), 4096)])
        for _ in range(SCHEDULE["student_epochs"]):
            epoch(student, student_opt, student_loss,
                  lambda i: {"target": y[i], "teacher_logits": teacher_logits[i]})


class _PackedStudentCriterion(torch.nn.Module):
    """Student loss on targets packed as columns (target, teacher logit)."""

    def __init__(self):
        super().__init__()
        self.loss = losses()[1]

    def forward(self, logits, packed):
        return self.loss(logits, {"target": packed[:, 0], "teacher_logits": packed[:, 1]})


def skorch_defaults(X, y, meta_epochs, device):
    """The same nets and schedule through skorch's default Dataset and DataLoader."""
    def net(spec, criterion, epochs):
        return NeuralNet(criterion=criterion, max_epochs=epochs, batch_size=SCHEDULE["batch_size"],
                         iterator_train__shuffle=True, train_split=None, device=device, verbose=0,
                         **{**DEFAULT_NET_PARAMS, **spec}, module__input_dim=X.shape[1]
                         ).initialize()

    y = y.astype(np.float32)
    teacher = net(DEFAULT_TEACHER, losses()[0], SCHEDULE["teacher_epochs"])
    student = net(DEFAULT_STUDENT, _PackedStudentCriterion(), SCHEDULE["student_epochs"])
    for _ in range(meta_epochs):
        teacher.partial_fit(X, y)
        teacher_logits = teacher.forward(X, training=False).numpy()
        student.partial_fit(X, np.column_stack([y, teacher_logits]))


def skdistill_fit(X, y, meta_epochs, device):
    DistilledClassifier(meta_epochs=meta_epochs, device=device, **SCHEDULE).fit(X, y)


def seconds(function, *args):
    torch.manual_seed(0)
    start = time.perf_counter()
    function(*args)
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start


def best_times(functions, repeats, *args):
    """Best time of each function, the runs interleaved so that drift hits all alike."""
    times = {function: [] for function in functions}
    for _ in range(repeats):
        for function in functions:
            times[function].append(seconds(function, *args))
    return [min(times[function]) for function in functions]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meta-epochs", type=positive_int, default=2)
    parser.add_argument("--device", type=torch_device, default="cpu")
    parser.add_argument("--repeats", type=positive_int, default=3)
    parser.add_argument("--skip-skorch-defaults", action="store_true")
    args = parser.parse_args()
    X, y = load_data()
    print(f"data: {X.shape[0]:,} x {X.shape[1]} one-hot, device={args.device}, "
          f"torch threads={torch.get_num_threads()}, meta_epochs={args.meta_epochs}, {SCHEDULE}")
    run = (X, y, args.meta_epochs, args.device)
    ours, plain = best_times([skdistill_fit, plain_pytorch], args.repeats, *run)
    print(f"DistilledClassifier.fit      {ours:8.2f} s")
    print(f"(a) hand-written PyTorch     {plain:8.2f} s   fit / (a) = {ours / plain:.2f}x")
    if not args.skip_skorch_defaults:
        defaults = seconds(skorch_defaults, *run)
        print(f"(b) skorch defaults          {defaults:8.2f} s   (b) / fit = {defaults / ours:.2f}x")


if __name__ == "__main__":
    main()
