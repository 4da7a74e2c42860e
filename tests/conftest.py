import signal
import subprocess
import sys

import numpy as np
import pytest
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skdistill.datasets import load_crotonylation
from skdistill.preprocessing import positions_frame

#: Short schedule that keeps a fit on a few hundred samples well under a second.
FAST = {
    "meta_epochs": 3, "teacher_epochs": 2, "student_epochs": 4, "batch_size": 32,
    "early_stopping": False,
}


@pytest.fixture(scope="session")
def crotonylation_sequences():
    """A stratified 3,000-window sample of the embedded data: sequences, labels."""
    sequences, labels = load_crotonylation(return_X_y=True)
    sequences, _, labels, _ = train_test_split(
        sequences, labels, train_size=3000, stratify=labels, random_state=0
    )
    return sequences, labels


@pytest.fixture(scope="session")
def crotonylation_frame(crotonylation_sequences):
    """The same sample with one column per position."""
    sequences, labels = crotonylation_sequences
    return positions_frame(sequences), labels


@pytest.fixture(scope="session")
def imbalanced_arrays():
    """A small synthetic, 1-in-10 positive data set."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=400, n_features=10, n_informative=5, weights=[0.9], random_state=0
    )
    return X.astype(np.float32), y


#: Marks a test that needs RLIMIT_FSIZE (a full disk on demand): POSIX only.
needs_file_size_limit = pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="POSIX only")


def run_on_a_full_disk(limit, code, *args, **run_params):
    """Run ``code`` in a new Python process (``sys.argv[1:]`` holds ``args``)
    whose files may not grow past ``limit`` bytes, as on a full disk: a write
    past it fails with EFBIG, "File too large". ``run_params`` go to
    ``subprocess.run`` (``stdin``, say). Return its CompletedProcess."""
    script = ("import resource, signal\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n{code}")
    return subprocess.run([sys.executable, "-c", script, *map(str, args)],
                          capture_output=True, text=True, timeout=300, **run_params)


#: ("fit", row ids, labels, sample_weight) and ("score", row ids, None, None) of every
#: call to a RowIdSpy (module level: what is given to an estimator or a net is cloned).
ROW_ID_CALLS = []


class RowIdSpy(ClassifierMixin, BaseEstimator):
    """LogisticRegression on all columns but the last, which holds each row's id:
    records in ROW_ID_CALLS the rows (with labels and weights) it is fitted on and the
    rows it scores."""

    def fit(self, X, y, sample_weight=None):
        X = np.asarray(X)
        ROW_ID_CALLS.append(("fit", X[:, -1].astype(int), np.asarray(y), sample_weight))
        self.model_ = LogisticRegression().fit(X[:, :-1], y, sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        X = np.asarray(X)
        ROW_ID_CALLS.append(("score", X[:, -1].astype(int), None, None))
        return self.model_.predict_proba(X[:, :-1])

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class LinearLogits(torch.nn.Module):
    """A module of the user's own: one linear layer, its output the logits."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return self.linear(X)[:, 0]


class TwoLogits(torch.nn.Module):
    """Two logits for two classes, as skorch's NeuralNetClassifier modules return."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, 2)

    def forward(self, X):
        return self.linear(X)


class EndsInSigmoid(torch.nn.Module):
    """A module written for BCELoss: its outputs, read as logits, lie in [0, 1]."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return torch.sigmoid(self.linear(X))
