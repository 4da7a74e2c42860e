"""How close any top-bin prior estimate can come on the crotonylation windows.

A top-bin estimator (BBE, and Elkan-Noto's e1 in the limit) reads the prior
``pi`` off the samples a classifier scores highest. Above a threshold ``t``
the unlabeled samples are hidden positives and negatives, so under SCAR::

    q_u(t) / q_p(t) = pi + (1 - pi) * FPR(t) / TPR(t)

with FPR and TPR the shares of negatives and positives scored above ``t``. The
estimate is exact only where some region holds positives alone
(``FPR / TPR = 0``); elsewhere its bias is at least
``(1 - pi) * min_t FPR(t) / TPR(t)``, even for a classifier trained on the
true labels. This script measures that bound for three classifiers trained on
the true labels of the demo's training split and scored on its test split
(LogisticRegression on one-hot windows, HistGradientBoosting on the letters,
the demo's CNN teacher), then runs :class:`~skdistill.pu.BestBinPriorEstimator`
itself on the whole embedded data at c = 0.5 and 0.8 (positive-unlabeled
labels, out-of-fold scores of LogisticRegression and of the CNN).

With ``--parametric`` it also tries the one route the bound does not cover:
a model of the labelling itself, ``P(s=1 | x) = c * sigmoid(x w + b)``,
fitted by maximum likelihood with an L2 penalty on ``w`` (the "joint" method
of Teisseyre, Mielniczuk & Lazecka, ICCS 2020), whose ``c`` is identified by
the logistic shape rather than by a pure region, for two penalties and two
draws of the PU labels. Run::

    python benchmarks/pu_prior_bound.py [--skip-cnn-estimate] [--parametric]

Minutes on 2 CPU cores: the CNN estimate fits 5 CNNs per label frequency, the
parametric estimate takes 20 to 50 s per fit.
"""

import argparse
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score, roc_curve

from skdistill import DistilledClassifier
from skdistill._argtypes import numpy_seed
from skdistill._demo import TEACHER, _categorical_boosting, _net, demo_split, encode
from skdistill.cli import format_table
from skdistill.datasets import load_crotonylation
from skdistill.preprocessing import SequenceEncoder
from skdistill.pu import BestBinPriorEstimator, make_pu_labels, prior_from_label_frequency

LABEL_FREQUENCIES = (0.5, 0.8)
#: The least share of positives above a threshold that counts (a top bin of a
#: handful of positives would be all noise).
MIN_TPR = (0.01, 0.05, 0.1)


def cnn(random_state=0):
    """The demo's CNN teacher as a classifier of its own (5 rounds)."""
    return DistilledClassifier(
        student=_net(TEACHER), alpha=0.0, meta_epochs=5, batch_size=256,
        random_state=random_state, verbose=0,
    )


def bound_rows(random_state):
    """min FPR / TPR above a threshold, per classifier trained on true labels."""
    windows_train, windows_test, y_train, y_test = demo_split(random_state=random_state)
    X_train, X_test = encode(windows_train, windows_test)
    classifiers = {
        "LogisticRegression (one-hot)": (LogisticRegression(C=0.1, max_iter=1000),
                                         X_train, X_test),
        "HistGradientBoosting (letters)": (
            _categorical_boosting(len(windows_train[0]), random_state),
            windows_train, windows_test),
        "CNN teacher of the demo": (cnn(random_state), X_train, X_test),
    }
    rows = []
    for name, (model, train, test) in classifiers.items():
        scores = model.fit(train, y_train).predict_proba(test)[:, 1]
        fpr, tpr, _ = roc_curve(y_test, scores)
        ratios = [np.min(fpr[tpr >= least] / tpr[tpr >= least]) for least in MIN_TPR]
        rows.append((name, f"{roc_auc_score(y_test, scores):.4f}",
                     *(f"{ratio:.3f}" for ratio in ratios)))
    return rows


def embedded_one_hot():
    """All 73,927 embedded windows, one-hot encoded, and their labels."""
    windows, y = load_crotonylation(return_X_y=True)
    return SequenceEncoder().fit_transform(windows), y


def pu_labels(y, label_frequency, random_state):
    """PU labels drawn at random from ``y``, and the prior they hide."""
    s = make_pu_labels(y, label_frequency, random_state=random_state)
    return s, prior_from_label_frequency(s.sum() / (y == 1).sum(), s.mean())


def estimate_rows(random_state, with_cnn):
    """BestBinPriorEstimator on the whole embedded data, per label frequency."""
    X, y = embedded_one_hot()
    classifiers = {"LogisticRegression": LogisticRegression(max_iter=1000)}
    if with_cnn:
        classifiers["CNN teacher of the demo"] = cnn(random_state)
    rows = []
    for c in LABEL_FREQUENCIES:
        s, truth = pu_labels(y, c, random_state)
        for name, classifier in classifiers.items():
            start = time.perf_counter()
            estimate = BestBinPriorEstimator(classifier, random_state=random_state).fit(X, s)
            rows.append((str(c), f"{truth:.4f}", name, f"{estimate.prior_:.4f}",
                         f"{estimate.prior_ - truth:+.4f}",
                         f"{time.perf_counter() - start:.0f}"))
    return rows


def joint_label_frequency(X, s, penalty):
    """The ``c`` of ``P(s=1 | x) = c * sigmoid(x w + b)`` by penalised maximum
    likelihood (``penalty / 2 * ||w||^2``, L-BFGS-B)."""
    n_samples, n_features = X.shape

    def loss_and_gradient(theta):
        w, b, logit_c = theta[:n_features], theta[n_features], theta[-1]
        sigmoid, c = expit(X @ w + b), expit(logit_c)
        p = np.minimum(c * sigmoid, 1 - 1e-12)
        nll = -(s * np.log(p) + (1 - s) * np.log1p(-p)).sum()
        residual = np.where(s == 1, -1.0, p / (1 - p))
        dz = residual * (1 - sigmoid)
        gradient = np.concatenate([
            X.T @ dz + penalty * w, [dz.sum(), residual.sum() * (1 - c)]
        ])
        return (nll + penalty / 2 * w @ w) / n_samples, gradient / n_samples

    result = minimize(loss_and_gradient, np.zeros(n_features + 2), jac=True,
                      method="L-BFGS-B", options={"maxiter": 2000})
    return float(expit(result.x[-1]))


def synthetic_rows(n_samples=20000, weights=(2.0, -1.0, 1.5, 0.0, 1.0), bias=-1.0):
    """The joint estimate where its model holds: labels drawn from a logistic
    model, labelled positives drawn at random with frequency ``c``."""
    rng = np.random.default_rng(0)
    rows = []
    for c in (0.3, 0.5, 0.8):
        X = rng.normal(size=(n_samples, len(weights)))
        y = rng.random(n_samples) < expit(X @ np.asarray(weights) + bias)
        s = (y & (rng.random(n_samples) < c)).astype(int)
        rows.append((str(c), f"{joint_label_frequency(X, s, penalty=1.0):.3f}"))
    return rows


def parametric_rows(penalties=(1.0, 30.0), draws=(0, 1)):
    """The joint estimate on the whole embedded data, per label frequency,
    penalty and draw of the PU labels."""
    X, y = embedded_one_hot()
    rows = []
    for c in LABEL_FREQUENCIES:
        for draw in draws:
            s, truth = pu_labels(y, c, draw)
            for penalty in penalties:
                start = time.perf_counter()
                c_hat = max(joint_label_frequency(X, s, penalty), s.mean())
                estimate = prior_from_label_frequency(c_hat, s.mean())
                rows.append((str(c), str(draw), f"{truth:.4f}", f"{penalty:g}",
                             f"{c_hat:.3f}", f"{estimate:.4f}", f"{estimate - truth:+.4f}",
                             f"{time.perf_counter() - start:.0f}"))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-cnn-estimate", action="store_true",
                        help="estimate with LogisticRegression scores only")
    parser.add_argument("--parametric", action="store_true",
                        help="also fit the parametric (joint) estimate")
    parser.add_argument("--random-state", type=numpy_seed, default=0)
    args = parser.parse_args(argv)
    print("Classifiers trained on the TRUE labels of the demo's split, scored on its test "
          "part: the least FPR / TPR above a threshold with at least the given TPR.")
    print(format_table(bound_rows(args.random_state), columns=(
        "classifier", "ROC AUC", *(f"min FPR/TPR, TPR>={least}" for least in MIN_TPR))))
    print("\nBestBinPriorEstimator on all 73,927 windows with positive-unlabeled labels "
          "(out-of-fold scores, 5 folds).")
    print(format_table(estimate_rows(args.random_state, not args.skip_cnn_estimate), columns=(
        "c", "true prior", "classifier", "estimate", "error", "s")))
    if args.parametric:
        print("\nParametric (joint) estimate where its model holds: 20,000 samples of a "
              "logistic model, penalty 1.")
        print(format_table(synthetic_rows(), columns=("c", "c estimate")))
        print("\nParametric (joint) estimate, P(s=1 | x) = c * sigmoid(x w + b), on all "
              "73,927 windows.")
        print(format_table(parametric_rows(), columns=(
            "c", "draw", "true prior", "penalty", "c estimate", "estimate", "error", "s")))


if __name__ == "__main__":
    main()
