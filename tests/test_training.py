"""The training loop: budgets, early stopping, interrupts, divergence, degenerate splits."""

import functools
import json
import re
import signal
import subprocess
import sys
import textwrap
import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from skorch import NeuralNet, NeuralNetBinaryClassifier
from skorch.dataset import Dataset, ValidSplit
from skorch.callbacks import (
    Callback, Checkpoint, EarlyStopping, EpochScoring, EpochTimer, Freezer, InputShapeSetter,
    LRScheduler, TrainEndCheckpoint,
)
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from torch.optim.lr_scheduler import OneCycleLR, StepLR
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV

from skdistill import DistilledClassifier, FitInterruptedWarning, default_net
from skdistill import _training as training
from skdistill._nets import module_state, true_label_count
from skdistill._training import ValidationScore, _binary_roc_auc
from skdistill.modules import CNN, MLP

from .conftest import FAST, EndsInSigmoid, LinearLogits, TwoLogits


def fast(**params):
    return DistilledClassifier(**{**FAST, "random_state": 0, **params})


@pytest.mark.parametrize("n_classes", [2, 3])
def test_the_held_out_score_is_weighted(n_classes):
    # the weights dropped from the held-out ROC AUC (one-vs-rest for more classes) or from
    # the class-balanced loss passed: integer weights score as repeated rows
    rng = np.random.default_rng(0)
    y = np.r_[np.arange(n_classes), rng.integers(0, n_classes, 60 - n_classes)]
    logits = torch.as_tensor(rng.normal(size=(60,) if n_classes == 2 else (60, n_classes)))
    weight = rng.integers(1, 4, 60).astype(float)
    score = ValidationScore.of(y, logits, weight)
    repeated = np.repeat(np.arange(60), weight.astype(int))
    as_rows = ValidationScore.of(y[repeated], logits[repeated])
    assert score.auc == pytest.approx(as_rows.auc, abs=1e-12)
    assert score.loss == pytest.approx(as_rows.loss, rel=1e-12)
    unweighted = ValidationScore.of(y, logits)
    assert abs(unweighted.auc - score.auc) > 1e-6 and abs(unweighted.loss - score.loss) > 1e-6


def test_early_stopping_scores_the_held_out_part_with_its_weights(imbalanced_arrays,
                                                                    monkeypatch):
    # the fit docstring promises a weighted held-out ROC AUC and loss; no test gave the
    # held-out part uneven weights: the part built without them, or the score not given
    # them, passed
    X, y = imbalanced_arrays
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y))
    calls = []
    original = ValidationScore.of.__func__

    def recording(cls, y_valid, logits, sample_weight=None):
        calls.append((y_valid, logits, sample_weight))
        return original(cls, y_valid, logits, sample_weight)

    monkeypatch.setattr(training.ValidationScore, "of", classmethod(recording))
    with pytest.warns(ConvergenceWarning, match="ran out before early stopping"):
        fast(early_stopping=True, meta_epochs=2).fit(X, y, sample_weight=weight)
    assert len(calls) == 4  # teacher and student, two meta-epochs
    row_of = {value: row for row, value in enumerate(weight)}  # the weights are distinct
    for y_valid, logits, valid_weight in calls:
        assert valid_weight is not None and len(valid_weight) == len(y_valid) == 40
        rows = np.array([row_of[value] for value in valid_weight])  # the held-out rows' own
        assert len(set(rows)) == len(rows) and (y[rows] == np.asarray(y_valid)).all()
    # and they change the score: weighted and unweighted AUCs of a call differ
    y_valid, logits, valid_weight = calls[-1]
    scores = logits.detach().cpu().double().numpy()
    assert abs(roc_auc_score(y_valid, scores)
               - roc_auc_score(y_valid, scores, sample_weight=valid_weight)) > 1e-6


@pytest.mark.parametrize("alpha, beta", [(1.0, 0.5), (0.0, 0.0), (1.0, 1.0), (0.5, 0.5)])
def test_every_alpha_beta_corner_trains(alpha, beta):
    # 257 rows: the last batch holds one sample, so one part of it is empty.
    X, y = make_classification(257, random_state=0)
    clf = DistilledClassifier(alpha=alpha, beta=beta, meta_epochs=1, random_state=0)
    assert clf.fit(X, y).n_iter_ == 1
    assert np.isfinite(clf.predict_proba(X)).all()


def test_alpha_zero_ignores_beta(imbalanced_arrays):
    X, y = imbalanced_arrays
    first = fast(alpha=0.0, beta=0.2).fit(X, y).predict_proba(X)
    second = fast(alpha=0.0, beta=0.8).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)


def test_beta_is_the_share_of_each_batch_that_keeps_its_true_labels(imbalanced_arrays):
    # beta read as the teacher's share passed every test (they keep the default 0.5, or
    # alpha 0 or 1): each term is a mean over its own part, so beta changes the noise of
    # the steps, not the expected loss, and what reaches the criterion is what to check
    X, y = imbalanced_arrays
    for beta in (0.1, 0.9):
        criterion = fast(alpha=0.5, beta=beta, meta_epochs=1).fit(X, y).student_.criterion_
        assert criterion.beta == beta and true_label_count(criterion.beta, 30) == round(30 * beta)


#: The student's weights at the end of each epoch (module level: a net's callbacks
#: are cloned with their parameters, so a list given to one is not the list it fills).
STUDENT_STATES = []


class RecordStates(Callback):
    """Records a copy of the module's weights at every epoch's end in STUDENT_STATES."""

    def on_epoch_end(self, net, **kwargs):
        STUDENT_STATES.append(module_state(net))


def test_early_stopping_returns_the_weights_of_its_best_meta_epoch(imbalanced_arrays):
    # a fit that kept its last meta-epoch's weights passed every test of a cold fit:
    # they checked best_meta_epoch_ and history_, not the weights
    STUDENT_STATES.clear()
    student = default_net("student").set_params(callbacks=[("states", RecordStates())])
    clf = fast(student=student, meta_epochs=40, early_stopping=True, n_iter_no_change=3,
               student_epochs=1, teacher_epochs=1).fit(*imbalanced_arrays)
    assert len(STUDENT_STATES) == clf.n_iter_ and clf.best_meta_epoch_ < clf.n_iter_
    kept = clf.student_.module_.state_dict()

    def same(state):
        return all(torch.equal(state[name], kept[name]) for name in kept)

    assert same(STUDENT_STATES[clf.best_meta_epoch_ - 1]) and not same(STUDENT_STATES[-1])


def test_random_state_repeats_a_fit_that_holds_out_a_validation_part(imbalanced_arrays):
    # a split for early stopping drawn from the global generator passed every test:
    # those of random_state fitted with early_stopping=False
    X, y = imbalanced_arrays
    fits = [fast(early_stopping=True, meta_epochs=6, random_state=7).fit(X, y) for _ in range(2)]
    assert fits[0].history_ == fits[1].history_
    np.testing.assert_array_equal(fits[0].predict_proba(X), fits[1].predict_proba(X))


def test_failed_refit_leaves_the_fitted_estimator_as_it_was(imbalanced_arrays):
    X, y = imbalanced_arrays
    clf = fast().fit(X, np.array(["a", "b"])[y])
    before = clf.predict_proba(X)
    clf.set_params(teacher_weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="teacher_weights"):
        clf.fit(X, np.array(["c", "d"])[y])
    clf.set_params(teacher_weights=None, device="no-such-device")
    with pytest.raises(ValueError, match="device"):
        clf.fit(X[:, :3], np.array(["c", "d"])[y])
    np.testing.assert_array_equal(clf.classes_, ["a", "b"])
    assert clf.n_features_in_ == X.shape[1]
    np.testing.assert_array_equal(clf.predict_proba(X), before)


class Overflowing(torch.nn.Module):
    """Logits beyond float32's range: inf, while the sigmoid risk stays bounded."""

    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim)

    def forward(self, X):
        return self.linear(X)[:, 0] * 1e39


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_non_finite_logits_stop_training(imbalanced_arrays, role):
    X, y = imbalanced_arrays
    with pytest.raises(FloatingPointError, match=f"The {role}'s logits became inf or NaN"):
        fast(**{role: Overflowing}).fit(X, y)


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_two_logits_for_two_classes_are_accepted(imbalanced_arrays, role):
    X, y = imbalanced_arrays
    clf = fast(**{role: TwoLogits}).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 2)
    assert roc_auc_score(y, proba[:, 1]) > 0.6


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_a_binary_net_for_more_classes_is_named(role):
    # skorch's refusal of (n, 3) logits ended in advice on the module's input shape
    X, y = make_classification(120, n_informative=4, n_classes=3, random_state=0)
    with pytest.raises(ValueError, match=f"The {role} is a skorch NeuralNetBinaryClassifier, "
                                         "whose logits are one per sample, for two classes; "
                                         "y holds 3"):
        fast(**{role: NeuralNetBinaryClassifier(MLP)}).fit(X, y)


class OwnLoader(torch.utils.data.DataLoader):
    """A DataLoader of the user's."""


class OwnDataset(Dataset):
    """A skorch Dataset of the user's."""


class OwnBinaryNet(NeuralNetBinaryClassifier):
    """A skorch subclass of the usual pattern: its parent's defaults by ``**kwargs``."""

    def __init__(self, module, *args, criterion=torch.nn.BCEWithLogitsLoss, **kwargs):
        super().__init__(module, *args, criterion=criterion, **kwargs)


def test_a_nets_own_epochs_and_batch_size_are_named_as_unused(imbalanced_arrays):
    # a search over student__max_epochs fitted the same model for every value, silently
    X, y = imbalanced_arrays
    student = default_net("student").set_params(max_epochs=5, batch_size=48, device="cuda:1")
    with pytest.warns(UserWarning) as caught:
        fast(student=student).fit(X, y)
    messages = [str(warning.message) for warning in caught]
    assert ("The student net's device='cuda:1' is not used: every net trains and predicts "
            "on DistilledClassifier's device.") in messages
    assert ("The student net's max_epochs=5 is not used: each meta-epoch trains it for "
            "DistilledClassifier's student_epochs epochs.") in messages
    assert any(message.startswith("The student net's batch_size=48 is not used")
               for message in messages)
    # a validation split, an iterator and verbose were replaced without a word
    student = default_net("student").set_params(
        train_split=ValidSplit(0.2), iterator_train=OwnLoader, verbose=2, dataset=OwnDataset)
    with pytest.warns(UserWarning) as caught:
        fast(student=student).fit(X, y)
    messages = [str(warning.message) for warning in caught]
    assert ("The student net's train_split=ValidSplit(stratified=False, random_state=None, "
            "cv=0.2) is not used: the nets train on every row given them, and "
            "DistilledClassifier holds out validation_fraction of the rows itself to stop "
            "early.") in messages
    assert any(message.startswith("The student net's iterator_train=<class ") and
               "OwnLoader'> is not used: DistilledClassifier serves" in message
               for message in messages)
    assert ("The student net's verbose=2 is not used: the nets train silently; "
            "DistilledClassifier's verbose prints each meta-epoch.") in messages
    # a Dataset of the user's (augmentation, say) was never called, without a word
    assert any(message.startswith("The student net's dataset=<class ") and
               "OwnDataset'> is not used: DistilledClassifier serves" in message
               for message in messages)
    with warnings.catch_warnings():  # skorch's defaults are no setting of the user's
        warnings.simplefilter("error")
        clf = fast(student=default_net("student"),
                   teacher=NeuralNet(MLP, criterion=torch.nn.MSELoss)).fit(X, y)
        # nor those of a class of its own (a stratified split), or of its parent's
        fast(student=NeuralNetBinaryClassifier(MLP)).fit(X, y)
        fast(student=OwnBinaryNet(MLP)).fit(X, y)
        # nor are the fit's own values (a fitted net given back), nor the CPU spelt otherwise
        fast(student=clf.student_, teacher=default_net("teacher").set_params(
            device=torch.device("cpu", 0))).fit(X, y)
    # a teacher of a list is told of teacher_epochs (it read "teacher[0]_epochs")
    with pytest.warns(UserWarning, match=r"The teacher\[0\] net's max_epochs=5 is not used: "
                                         r"each meta-epoch trains it for DistilledClassifier's "
                                         r"teacher_epochs epochs\."):
        fast(teacher=[default_net("teacher").set_params(max_epochs=5), None]).fit(X, y)
    # devices: no index is the first ("auto" gives "cuda" on a GPU; a spec's cuda:1 is not it)
    from skdistill._nets import _alike

    assert _alike("device", "cuda", "cuda:0") and not _alike("device", "cuda:1", "cuda")
    assert _alike("device", "cpu:1", torch.device("cpu")) and not _alike("device", "gpu", "cpu")


def test_a_binary_net_of_a_two_column_module_is_named(imbalanced_arrays):
    # skorch's refusal of (n, 2) logits ended in advice on the module's input shape
    with pytest.raises(ValueError, match=r"The student is a skorch NeuralNetBinaryClassifier, "
                                         r"which takes one logit per sample: .*\(2, 2\).*"
                                         r"Give its module one output \(output_dim=1"):
        fast(student=NeuralNetBinaryClassifier(MLP, module__output_dim=2)).fit(
            *imbalanced_arrays)


class Probabilities(TwoLogits):
    def forward(self, X):
        return torch.softmax(self.linear(X), dim=-1)


class LogitsAndFeatures(TwoLogits):
    def forward(self, X):
        return self.linear(X), X


@pytest.mark.parametrize("role", ["teacher", "student"])
@pytest.mark.parametrize(
    "module, message",
    [(Probabilities, "returns rows of probabilities"), (LogitsAndFeatures, "returns a tuple")],
)
def test_modules_that_do_not_return_one_tensor_of_logits_are_named(
    imbalanced_arrays, role, module, message
):
    # a softmax module trained silently with every probability within [0.27, 0.73]; a
    # tuple ended in "'tuple' object has no attribute 'shape'"
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=f"The {role}'s module {message}"):
        fast(**{role: module}).fit(X, y)


class SoftmaxOverOutputDim(torch.nn.Module):
    """A module written for skorch's NeuralNetClassifier: its output_dim columns end in
    a softmax or a log_softmax, or in a linear layer that starts at zero."""

    def __init__(self, input_dim, output_dim=2, end="softmax"):
        super().__init__()
        self.hidden = torch.nn.Linear(input_dim, 8)
        self.out = torch.nn.Linear(8, output_dim)
        self.end = end
        if end == "zero":
            torch.nn.init.zeros_(self.out.weight)
            torch.nn.init.zeros_(self.out.bias)

    def forward(self, X):
        logits = self.out(torch.relu(self.hidden(X)))
        if self.end == "squeezed log_softmax":
            return torch.log_softmax(logits, dim=-1).squeeze(-1)
        return {"softmax": torch.softmax, "log_softmax": torch.log_softmax}.get(
            self.end, lambda z, dim: z)(logits, dim=-1)


@pytest.mark.parametrize("role", ["teacher", "student"])
@pytest.mark.parametrize("end, value", [("softmax", 1), ("log_softmax", 0),
                                        ("squeezed log_softmax", 0)])
def test_a_softmax_over_one_output_column_is_named(imbalanced_arrays, role, end, value):
    # two classes give output_dim=1: a constant 1 (or 0) trained to a constant predictor,
    # every probability 0.731 (or 0.5), without a word
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=rf"The {role}'s module returns {value} for every "
                                         rf"sample whatever its weights: a softmax \(1\) or "
                                         r"log_softmax \(0\) over its one output column"):
        fast(**{role: NeuralNet(SoftmaxOverOutputDim, module__end=end,
                                criterion=torch.nn.NLLLoss)}).fit(X, y)
    # two columns: a log_softmax may stay; an output layer that starts at zero learns
    clf = fast(**{role: NeuralNet(SoftmaxOverOutputDim, module__output_dim=2,
                                  module__end="log_softmax", criterion=torch.nn.NLLLoss)})
    assert roc_auc_score(y, clf.fit(X, y).predict_proba(X)[:, 1]) > 0.6
    clf = fast(**{role: NeuralNet(SoftmaxOverOutputDim, module__end="zero",
                                  criterion=torch.nn.NLLLoss, lr=0.05)})
    assert roc_auc_score(y, clf.fit(X, y).predict_proba(X)[:, 1]) > 0.6


class LinearWithoutBias(torch.nn.Module):
    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, output_dim, bias=False)

    def forward(self, X):
        return self.linear(X)


class ZeroLinearWithoutBias(LinearWithoutBias):
    def __init__(self, input_dim, output_dim=1):
        super().__init__(input_dim, output_dim)
        torch.nn.init.zeros_(self.linear.weight)


def test_a_net_without_biases_is_not_taken_for_a_softmax(imbalanced_arrays):
    # its outputs (0) and gradients on the first two samples, both zeros, looked like a
    # log_softmax over one column; and a zero-started one on features that sum to 0
    X, y = imbalanced_arrays
    X = X.copy()
    X[:2] = 0
    clf = fast(student=LinearWithoutBias).fit(X, y)
    assert roc_auc_score(y, clf.predict_proba(X)[:, 1]) > 0.6
    X[:256:2] = -X[1:256:2]  # every column of the first 256 rows sums to 0
    assert not X[:256].sum(axis=0).any()
    fast(student=ZeroLinearWithoutBias).fit(X, y)
    X[0], X[1], X[2:256] = 2, -1, 0  # 1 * 2 + 2 * -1: a weighing by 1..n cancelled too
    fast(student=ZeroLinearWithoutBias).fit(X, y)


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_a_module_ending_in_a_sigmoid_is_warned_of(imbalanced_arrays, role):
    # its outputs, read as logits, kept every probability within [0.5, 0.731] and
    # predicted every sample positive, without a word
    X, y = imbalanced_arrays
    with pytest.warns(UserWarning, match=rf"The {role}'s logits on 256 training samples all "
                                         r"lie in \[0, 1\], .* does its module end in a "
                                         "sigmoid"):
        clf = fast(**{role: EndsInSigmoid}).fit(X, y)
    if role == "student":
        assert (clf.predict(X) == 1).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast(**{role: TwoLogits}).fit(X, y)


def test_a_net_that_tells_no_sample_from_another_is_not_taken_for_a_sigmoid():
    # on constant features the default modules' logits were one number in [0, 1]: the
    # warning told the user to remove a sigmoid their module does not have
    y = np.random.RandomState(0).randint(0, 2, 300)
    with pytest.warns(UserWarning) as caught:
        DistilledClassifier(meta_epochs=5, random_state=0).fit(np.zeros((300, 1)), y)
    messages = [str(warning.message) for warning in caught]
    assert any("differ by 0 at most, so the net tells no sample from another. Scale X, "
               "e.g. with a StandardScaler in a Pipeline: are its features constant"
               in message for message in messages), messages
    assert not any("sigmoid" in message for message in messages)
    # the library's modules end in a linear layer: logits of features centred at 100
    # that lay in [0, 1] after a few rounds were warned of as a sigmoid
    rng = np.random.RandomState(0)
    X, y = rng.normal(loc=100, size=(100, 2)), rng.randint(0, 2, 100)
    with pytest.warns(UserWarning) as caught:
        DistilledClassifier(batch_size=32, meta_epochs=4, student_epochs=2, teacher_epochs=2,
                            random_state=0).fit(X, y)
    messages = [str(warning.message) for warning in caught]
    assert any("its module ends in a linear layer, so X is likely off scale. Scale X"
               in message for message in messages), messages
    assert not any("sigmoid" in message for message in messages)


def test_a_library_net_that_learned_little_on_features_on_scale_is_not_warned_of():
    # a student kept at an early meta-epoch on one-hot windows, its logits in [0, 1], was
    # told that its 0/1 input was likely off scale
    from skdistill._nets import (
        BatchIterator, DistillationNet, TensorData, _on_scale, warn_of_squashed_logits,
    )

    X = np.eye(8, dtype=np.float32)[np.random.RandomState(0).randint(0, 8, 100)]
    net = DistillationNet(MLP, module__input_dim=8, criterion=torch.nn.BCEWithLogitsLoss,
                          iterator_valid=BatchIterator).initialize()
    last = net.module_.layers[-1]
    with torch.no_grad():
        last.weight.mul_(0.1)
        last.bias.fill_(0.5)
    logits = net.forward(TensorData(X), training=False)
    assert ((logits >= 0) & (logits <= 1)).all() and logits.max() - logits.min() > 0.01
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_of_squashed_logits(net, TensorData(X), "student")
    assert _on_scale(torch.as_tensor(X)) and _on_scale(torch.randn(50, 3))
    assert not _on_scale(torch.as_tensor(X) * 1e-3) and not _on_scale(torch.randn(50, 3) + 100)
    assert not _on_scale(torch.as_tensor(X) * 1e3) and not _on_scale(torch.randn(50, 3) * 100)


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_wrong_output_width_is_named_for_teacher_and_student(role):
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match=f"The {role}'s module returns logits of shape"):
        fast(**{role: TwoLogits}).fit(X, y)


@pytest.mark.parametrize("role", ["teacher", "student"])
def test_a_sequence_shape_that_does_not_fit_the_input_is_named(imbalanced_arrays, role):
    # 10 features given to a module told to read 3 x 4 one-hot positions
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=f"The {role}'s module fails on 2 samples of 10 "
                                         "features: .*sequence_length x alphabet_size"):
        fast(**{role: CNN(sequence_length=3, alphabet_size=4)}).fit(X, y)


def test_a_huge_meta_epoch_budget_is_not_allocated_up_front(imbalanced_arrays):
    X, y = imbalanced_arrays
    tracemalloc.start()
    # tol=1: no meta-epoch counts as an improvement, so training stops at once.
    clf = fast(meta_epochs=10**6, early_stopping=True, n_iter_no_change=2, tol=1.0)
    clf.fit(X, y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert clf.n_iter_ == 3
    assert peak < 50 * 2**20


def test_a_validation_part_without_some_class_is_refused():
    X = np.random.default_rng(0).normal(size=(400, 5))
    y = np.zeros(400, dtype=int)
    y[:3] = 1  # three positives: the stratified 10 % validation part gets none
    with pytest.raises(ValueError, match="validation part .* holds no sample of the class"):
        fast(early_stopping=True).fit(X, y)
    # a lone sample of a class: raising validation_fraction, as the message advised, cannot help
    y[:2] = 0
    with pytest.raises(ValueError, match=r"class\(es\) \[1\] have a single sample.*"
                                         "set early_stopping=False"):
        fast(early_stopping=True, validation_fraction=0.9).fit(X, y)
    # scikit-learn's part of the message named the code of the class, 1, not its label
    for labels in (np.where(y == 1, "zz", "a"),
                   pd.Series(pd.Categorical(np.where(y == 1, "zz", "a")))):  # an AttributeError
        with pytest.raises(ValueError, match=r"Classes with too few members are: \['zz'\]\. "
                                             r"The class\(es\) \['zz'\] have a single sample"):
            fast(early_stopping=True).fit(X, labels)


def test_a_training_part_without_some_class_is_refused():
    # the held-out part took every sample of a class: a fit of two classes failed in
    # the loss ("positive_share must be in (0, 1)"), one of three never learnt the class
    X = np.random.default_rng(0).normal(size=(100, 4))
    for y in (np.repeat([0, 1], [97, 3]), np.repeat([0, 1, 2], [3, 48, 49])):
        with pytest.raises(ValueError, match=r"training part of early stopping \(10 "
                                             r"samples.*lower validation_fraction"):
            fast(early_stopping=True, validation_fraction=0.9).fit(X, y)
        # "auto" holds nothing out where either side would lack a class
        assert not _validates(fast(early_stopping="auto", validation_fraction=0.9).fit(X, y))


def test_a_split_with_too_few_training_rows_advises_lowering_the_fraction():
    # the advice was "Raise validation_fraction" whichever side was too small
    X = np.random.default_rng(0).normal(size=(100, 4))
    y = np.repeat([0, 1], 50)
    with pytest.raises(ValueError, match="Lower validation_fraction"):
        fast(early_stopping=True, validation_fraction=0.99).fit(X, y)
    with pytest.raises(ValueError, match="Raise validation_fraction"):
        fast(early_stopping=True, validation_fraction=0.01).fit(X, y)


def _validates(clf):
    return "student_valid_auc" in clf.history_[0]


def test_early_stopping_auto_needs_100_samples_and_two_of_each_class_held_out(
    imbalanced_arrays,
):
    X, y = imbalanced_arrays  # 400 samples, about 40 positives: 4 held out
    assert _validates(fast(early_stopping="auto").fit(X, y))
    assert not _validates(fast(early_stopping="auto").fit(X[:99], y[:99]))
    rare = y.copy()
    rare[np.flatnonzero(rare == 1)[19:]] = 0  # 19 positives: 1.9 held out
    assert not _validates(fast(early_stopping="auto").fit(X, rare))
    rare[np.flatnonzero(y == 1)[19]] = 1  # 20 positives: 2 held out
    assert _validates(fast(early_stopping="auto").fit(X, rare))
    assert not _validates(fast(early_stopping="auto", validation_fraction=0.05).fit(X, rare))
    # the rule is symmetric in the fraction: 1 - 0.9 is 0.09999999999999998
    assert _validates(fast(early_stopping="auto", validation_fraction=0.9).fit(X, rare))


def test_auto_batch_size_scales_with_rows(imbalanced_arrays):
    X, y = imbalanced_arrays
    assert fast(batch_size="auto").fit(X, y).batch_size_ == 400 // 16
    assert fast(batch_size="auto").fit(X[:100], y[:100]).batch_size_ == 16


def test_an_auto_batch_size_beyond_the_training_part_is_clipped_to_it(imbalanced_arrays):
    # "auto" said 16 for batches of 12; beta's check read 16 and stayed silent, and with
    # drop_last the only batch was dropped and the fit failed naming valid_* callbacks
    X, y = imbalanced_arrays
    X, y = X[np.r_[:6, -6:0]], np.r_[np.zeros(6, int), np.ones(6, int)]
    with pytest.warns(UserWarning, match="keeps 0 of the 12 samples"):
        clf = fast(batch_size="auto", beta=0.04).fit(X, y)
    assert clf.batch_size_ == 12
    student = default_net("student").set_params(iterator_train__drop_last=True)
    assert fast(student=student, batch_size="auto").fit(X, y).batch_size_ == 12


def test_a_batch_size_beyond_the_training_part_is_clipped_to_it(imbalanced_arrays):
    # batch_size_ said 1000 for batches of 400, and the check of beta's split
    # read 1000: beta=0.001 kept no true label in silence; with skorch's
    # iterator_train__drop_last=True no batch was left at all
    X, y = imbalanced_arrays
    with pytest.warns(UserWarning, match="keeps 0 of the 400 samples"):
        clf = fast(batch_size=1000, beta=0.001).fit(X, y)
    assert clf.batch_size_ == len(y)
    student = default_net("student").set_params(iterator_train__drop_last=True)
    clf = fast(student=student, batch_size=1000).fit(X, y)
    assert clf.batch_size_ == len(y)


class LooksUpAMissingKey(torch.nn.Module):
    def __init__(self, input_dim=10):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, 1)

    def forward(self, X):
        scales = {} if self.training else {"scale": 1.0}  # found until training starts
        return self.linear(X).squeeze(-1) * scales["scale"]


def test_a_net_callback_reading_a_validation_score_is_a_clear_error(imbalanced_arrays, tmp_path):
    # a bare KeyError "Key 'valid_loss' was not found in history." before
    X, y = imbalanced_arrays
    # Checkpoint raised skorch's own SkorchException, the cause unexplained; then a clear
    # error, but only after the teacher's first round and the student's first epoch
    student = default_net("student").set_params(callbacks=[Checkpoint(dirname=str(tmp_path))])
    with pytest.raises(ValueError, match="student net's Checkpoint callback 'Checkpoint' "
                                         "monitors 'valid_loss_best'"):
        fast(student=student).fit(X, y)
    assert not any(tmp_path.iterdir())
    # a KeyError of the module's own is not taken for one
    with pytest.raises(KeyError, match="scale"):
        fast(student=LooksUpAMissingKey).fit(X, y)


class RecordsEpochs(Callback):
    """Records every epoch begun by any net, in a list of the class."""

    epochs = []

    def on_epoch_begin(self, net, **kwargs):
        RecordsEpochs.epochs.append(net)


@pytest.mark.parametrize("policy", [torch.optim.lr_scheduler.ReduceLROnPlateau,
                                    "ReduceLROnPlateau"], ids=["class", "name"])
def test_a_plateau_scheduler_reading_a_validation_score_is_refused_before_training(
        imbalanced_arrays, policy):
    # skorch's LRScheduler raised a ValueError of its own, which went through unexplained;
    # then a clear error, but only after the teacher's first round and the student's
    # first epoch
    X, y = imbalanced_arrays
    student = default_net("student").set_params(
        callbacks=[("plateau", LRScheduler(policy, monitor="valid_loss"))])
    teacher = default_net("teacher").set_params(callbacks=[RecordsEpochs()])
    RecordsEpochs.epochs.clear()
    with pytest.raises(ValueError, match="student net's LRScheduler callback 'plateau' reduces "
                                         "on a plateau of 'valid_loss'.* monitor='train_loss'"):
        fast(student=student, teacher=teacher).fit(X, y)
    assert not RecordsEpochs.epochs
    # a score of another name is looked up as training goes, as skorch does
    student.set_params(callbacks=[LRScheduler(policy, monitor="my_score")])
    with pytest.raises(ValueError, match=r"student net's history lacks a score: .*'my_score' "
                                         r".*LRScheduler callback\. DistilledClassifier"):
        fast(student=student).fit(X, y)
    # a schedule that reads no score may keep any monitor
    student.set_params(callbacks=[LRScheduler("StepLR", step_size=1, monitor="valid_loss")])
    assert fast(student=student).fit(X, y).n_iter_ >= 1


def test_a_scheduler_out_of_steps_is_named_with_the_epochs_to_cover(imbalanced_arrays):
    # torch's bare "Tried to step 3 times. The specified number of total steps is 2"
    X, y = imbalanced_arrays
    student = default_net("student").set_params(callbacks=[LRScheduler(
        OneCycleLR, max_lr=0.01, total_steps=2, step_every="epoch")])
    with pytest.raises(ValueError, match=r"student net's learning-rate scheduler ran out of "
                                         r"steps at the net's epoch 3: Tried to step 3 times"
                                         r".*total steps is 2\. Its total_steps .* meta_epochs "
                                         r"x student_epochs .* warm_start=True"):
        fast(student=student, meta_epochs=3, early_stopping=False).fit(X, y)
    # a ValueError of the user's own is not taken for one
    with pytest.raises(ValueError, match="^Tried to step the environment$"):
        fast(student=default_net("student").set_params(callbacks=[RaisesOnEpochEnd()])).fit(X, y)


class RaisesOnEpochEnd(Callback):
    """A callback of the user's whose error reads like a scheduler's."""

    def on_epoch_end(self, net, **kwargs):
        raise ValueError("Tried to step the environment")


class EmbedsTokens(torch.nn.Module):
    """An embedding of integer tokens that leaves the cast to the caller."""

    def __init__(self, input_dim=10):
        super().__init__()
        self.embedding = torch.nn.Embedding(30, 4)
        self.linear = torch.nn.Linear(4, 1)

    def forward(self, X):
        return self.linear(self.embedding(X).mean(1)).squeeze(-1)


def test_an_embedding_given_float_input_is_told_to_cast_it():
    # "Where this is a shape error, check the input shape": no word of the float32 input
    X = np.random.default_rng(0).integers(0, 30, (60, 10))
    y = np.arange(60) % 2
    with pytest.raises(ValueError, match=r"fails on 2 samples: Expected tensor for argument #1 "
                                         r"'indices'.* an nn.Embedding takes X.long\(\)"):
        fast(student=EmbedsTokens).fit(X, y)


def test_a_net_whose_parameters_are_all_frozen_is_a_clear_error(imbalanced_arrays):
    # backward raised "element 0 of tensors does not require grad and does not have a
    # grad_fn", naming neither the net nor the cause
    X, y = imbalanced_arrays
    frozen = default_net("student").set_params(callbacks=[Freezer("*")])
    with pytest.raises(ValueError, match=r"student's module MLP has no parameter to train "
                                         r".*by a callback such as skorch's Freezer\)"):
        fast(student=frozen).fit(X, y)
    teacher = default_net("teacher").set_params(callbacks=[Freezer("*")])
    with pytest.raises(ValueError, match="teacher's module MLP has no parameter to train"):
        fast(teacher=teacher).fit(X, y)
    # a net with one layer left to train trains
    partly = default_net("student").set_params(callbacks=[Freezer("module.layers.0.*")])
    assert fast(student=partly).fit(X, y).n_iter_ >= 1


def student_learning_rates(clf):
    return clf.student_.history[:, "event_lr"]


def scheduled(policy, **settings):
    """A DistilledClassifier whose student's learning rate follows ``policy``."""
    student = NeuralNetBinaryClassifier(
        MLP, lr=0.01, callbacks=[("lrs", LRScheduler(policy, **settings))])
    return fast(student=student, meta_epochs=6, early_stopping=False, student_epochs=1,
                teacher_epochs=1)


def test_a_step_scheduler_steps_once_per_epoch_across_the_meta_epochs(imbalanced_arrays):
    # rebuilt every meta-epoch, it took an extra step as it was built: 0.01 fell by 0.01
    # (two steps), not by 0.1, every two meta-epochs
    clf = scheduled("StepLR", step_size=2, gamma=0.1).fit(*imbalanced_arrays)
    np.testing.assert_allclose(student_learning_rates(clf),
                               [0.01, 0.01, 0.001, 0.001, 0.0001, 0.0001])
    refit = clf.fit(*imbalanced_arrays)  # a cold refit starts the schedule again
    np.testing.assert_allclose(student_learning_rates(refit),
                               [0.01, 0.01, 0.001, 0.001, 0.0001, 0.0001])


def test_a_plateau_scheduler_counts_its_patience_across_the_meta_epochs(imbalanced_arrays):
    # rebuilt every meta-epoch, its patience never ran out: the rate stayed at 0.01
    clf = scheduled(torch.optim.lr_scheduler.ReduceLROnPlateau, monitor="train_loss",
                    mode="max", patience=0, factor=0.1).fit(*imbalanced_arrays)
    np.testing.assert_allclose(student_learning_rates(clf),
                               [0.01, 0.01, 0.001, 0.0001, 1e-05, 1e-06])


def test_callbacks_see_one_training_run_per_fit(imbalanced_arrays):
    # on_train_begin and on_train_end came every meta-epoch
    recorder = RecordsTrainingRuns()
    student = default_net("student").set_params(callbacks=[("runs", recorder)])
    clf = fast(student=student, meta_epochs=3, early_stopping=False).fit(*imbalanced_arrays)
    assert dict(clf.student_.callbacks_)["runs"].events == ["begin"] + ["epoch"] * 3 * 4 + [
        "end"]


class RecordsTrainingRuns(Callback):
    #: Every initialised recorder, nets' copies included.
    seen = []

    def initialize(self):
        self.events = []
        RecordsTrainingRuns.seen.append(self)
        return self

    def on_train_begin(self, net, **kwargs):
        self.events.append("begin")

    def on_epoch_end(self, net, **kwargs):
        self.events.append("epoch")

    def on_train_end(self, net, **kwargs):
        self.events.append("end")


class InterruptsAfter(RecordsTrainingRuns):
    """Records the training run and raises KeyboardInterrupt at its ``epochs``-th epoch end."""

    def __init__(self, epochs):
        self.epochs = epochs

    def on_epoch_end(self, net, **kwargs):
        super().on_epoch_end(net, **kwargs)
        if self.events.count("epoch") == self.epochs:
            raise KeyboardInterrupt


def test_an_interrupt_turned_into_an_error_still_ends_every_training_run(imbalanced_arrays,
                                                                         monkeypatch):
    # the warning, raised as an error inside the interrupt's handling, skipped on_train_end
    monkeypatch.setattr(RecordsTrainingRuns, "seen", [])
    student = default_net("student").set_params(callbacks=[("runs", InterruptsAfter(5))])
    teacher = default_net("teacher").set_params(callbacks=[("runs", RecordsTrainingRuns())])
    clf = fast(student=student, teacher=teacher, meta_epochs=3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitInterruptedWarning)
        with pytest.raises(KeyboardInterrupt) as raised:
            clf.fit(*imbalanced_arrays)
    assert "after 1 complete meta-epoch" in str(raised.value.__cause__)
    # the nets of the failed fit are not kept: catch them as the callbacks saw them
    ended = [callback for callback in RecordsTrainingRuns.seen if callback.events[-1] == "end"]
    assert len(ended) == 2 and all(c.events.count("end") == 1 for c in ended)


def test_an_interrupted_round_leaves_no_epoch_and_no_learning_rate_step(imbalanced_arrays):
    # the teacher's round 3 ended, and its scheduler stepped, before the student's was
    # interrupted: its weights went back to round 2, its learning rate stayed a step ahead
    def halving():
        return ("halving", LRScheduler(StepLR, step_size=1, gamma=0.5))

    teacher = default_net("teacher").set_params(callbacks=[halving()])
    student = default_net("student").set_params(
        callbacks=[halving(), ("runs", InterruptsAfter(2 * FAST["student_epochs"] + 1))])
    clf = fast(teacher=teacher, student=student, meta_epochs=4)
    with pytest.warns(FitInterruptedWarning, match="after 2 complete meta-epoch"):
        clf.fit(*imbalanced_arrays)
    for net, epochs in [(clf.teacher_, 2 * FAST["teacher_epochs"]),
                        (clf.student_, 2 * FAST["student_epochs"])]:
        assert len(net.history) == epochs
        assert net.optimizer_.param_groups[0]["lr"] == pytest.approx(net.lr * 0.5**epochs)
        assert dict(net.callbacks_)["halving"].lr_scheduler_.last_epoch == epochs


def test_an_interrupted_round_leaves_a_cyclic_schedules_momentum_as_it_was(imbalanced_arrays):
    # OneCycleLR moves Adam's betas with the rate: they stayed where the teacher's third
    # round had left them
    def cycle():
        return ("cycle", LRScheduler(OneCycleLR, max_lr=0.01, total_steps=10_000,
                                     step_every="batch"))

    def nets(*student_callbacks):
        return {"teacher": default_net("teacher").set_params(callbacks=[cycle()]),
                "student": default_net("student").set_params(
                    callbacks=[cycle(), *student_callbacks])}

    interrupted = fast(**nets(("runs", InterruptsAfter(2 * FAST["student_epochs"] + 1))),
                       meta_epochs=4)
    with pytest.warns(FitInterruptedWarning, match="after 2 complete meta-epoch"):
        interrupted.fit(*imbalanced_arrays)
    whole = fast(**nets(), meta_epochs=2).fit(*imbalanced_arrays)
    for role in ("teacher_", "student_"):
        settings = [{name: group[name] for name in ("lr", "betas")}
                    for net in (getattr(interrupted, role), getattr(whole, role))
                    for group in net.optimizer_.param_groups]
        assert settings[0] == settings[1]


class SetsWeightDecay(Callback):
    """Sets the weight decay of every parameter group as training begins."""

    def on_train_begin(self, net, **kwargs):
        for group in net.optimizer_.param_groups:
            group["weight_decay"] = 0.2


def test_a_warm_refit_keeps_what_a_callback_sets_beside_a_scheduler(imbalanced_arrays):
    # the schedulers' resumption put every setting of the groups back, the weight
    # decay a callback set in on_train_begin too, but only beside a scheduler
    student = default_net("student").set_params(callbacks=[
        ("decay", SetsWeightDecay()), ("halving", LRScheduler(StepLR, step_size=1, gamma=0.5))])
    clf = fast(student=student, meta_epochs=2).fit(*imbalanced_arrays)
    clf.set_params(warm_start=True).fit(*imbalanced_arrays)
    (group,) = clf.student_.optimizer_.param_groups
    assert group["weight_decay"] == 0.2
    assert group["lr"] == pytest.approx(clf.student_.lr * 0.5 ** (4 * FAST["student_epochs"]))


def test_an_interrupt_while_a_round_is_counted_counts_it_for_no_net(imbalanced_arrays,
                                                                     monkeypatch):
    # a Ctrl-C during the student's weight copy left the round counted for the teachers
    # and in history_, but not for the student
    copies = []

    def interrupted_sixth_copy(net):
        copies.append(net)
        if len(copies) == 6:  # teachers, student, teachers, student, teachers, student
            raise KeyboardInterrupt
        return module_state(net)

    monkeypatch.setattr(training, "module_state", interrupted_sixth_copy)
    clf = fast(meta_epochs=4)
    with pytest.warns(FitInterruptedWarning, match="after 2 complete meta-epoch"):
        clf.fit(*imbalanced_arrays)
    assert clf.n_iter_ == len(clf.history_) == clf.best_meta_epoch_ == 2
    assert len(clf.teacher_.history) == 2 * FAST["teacher_epochs"]
    assert len(clf.student_.history) == 2 * FAST["student_epochs"]


def test_an_interrupt_turned_into_an_error_stops_a_search(imbalanced_arrays):
    # the warning raised as an error was scored as a failed fit (nan), and the search
    # went on with every other candidate and fold
    student = default_net("student").set_params(callbacks=[("runs", InterruptsAfter(5))])
    search = GridSearchCV(fast(student=student, meta_epochs=3), {"alpha": [0.0, 0.5]}, cv=2,
                          error_score=np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitInterruptedWarning)
        with pytest.raises(KeyboardInterrupt):
            search.fit(*imbalanced_arrays)
    assert not hasattr(search, "cv_results_")


def test_a_checkpoint_loading_its_best_epoch_is_refused_before_training(imbalanced_arrays,
                                                                        tmp_path):
    # it put its best training-loss epoch back over the meta-epoch the classifier kept
    checkpoint = Checkpoint(monitor="train_loss_best", load_best=True, dirname=str(tmp_path))
    student = default_net("student").set_params(callbacks=[("checkpoint", checkpoint)])
    with pytest.raises(ValueError, match="student net's Checkpoint callback 'checkpoint' has "
                                         "load_best=True"):
        fast(student=student).fit(*imbalanced_arrays)
    assert not any(tmp_path.iterdir())
    # without a monitor it saves every epoch and loads nothing
    checkpoint.set_params(monitor=None)
    fast(student=student).fit(*imbalanced_arrays)


def test_a_train_end_checkpoint_saves_the_kept_meta_epoch(imbalanced_arrays, tmp_path):
    # restored after on_train_end, the nets were saved as the last meta-epoch left them
    student = default_net("student").set_params(
        callbacks=[("end", TrainEndCheckpoint(dirname=str(tmp_path)))])
    clf = fast(student=student, meta_epochs=40, early_stopping=True, n_iter_no_change=3,
               student_epochs=1, teacher_epochs=1).fit(*imbalanced_arrays)
    assert clf.best_meta_epoch_ < clf.n_iter_
    saved = torch.load(tmp_path / "train_end_params.pt")
    kept = clf.student_.module_.state_dict()
    assert all(torch.equal(saved[name], kept[name]) for name in kept)


def test_a_scoring_callback_on_the_training_batches_is_refused_before_training(
    imbalanced_arrays,
):
    # skorch's "zero-dimensional arrays cannot be concatenated" at the end of an epoch
    X, y = imbalanced_arrays
    clf = fast(random_state=0).fit(X, y)
    proba = clf.predict_proba(X)
    scoring = EpochScoring("roc_auc", lower_is_better=False, on_train=True)
    clf.set_params(teacher=default_net("teacher").set_params(callbacks=[scoring]))
    with pytest.raises(ValueError, match="teacher net's EpochScoring callback 'EpochScoring' "
                                         "has on_train=True"):
        clf.fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


def test_a_scoring_callback_on_a_validation_split_is_refused_before_training(
    imbalanced_arrays,
):
    # accepted, it recorded nothing: the nets have no validation split
    X, y = imbalanced_arrays
    scoring = ("auc", EpochScoring("roc_auc", lower_is_better=False))
    clf = fast(student=default_net("student").set_params(callbacks=[scoring]))
    with pytest.raises(ValueError, match="student net's EpochScoring callback 'auc' has "
                                         "on_train=False: it would score skorch's validation "
                                         "split, which the nets do not have"):
        clf.fit(X, y)
    assert not hasattr(clf, "classes_")


class Float64MLP(torch.nn.Module):
    """A module instance built under torch's float64 default."""

    def __init__(self, input_dim=20):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, 1, dtype=torch.float64)

    def forward(self, X):
        return self.linear(X)


class FocalLoss(torch.nn.Module):
    def forward(self, logits, target):
        return logits.sum()


class DictOutput(torch.nn.Module):
    def __init__(self, input_dim=20):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, 1)

    def forward(self, X):
        return {"logits": self.linear(X)}


class BatchNormMLP(torch.nn.Module):
    def __init__(self, input_dim=20):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(input_dim, 8), torch.nn.BatchNorm1d(8), torch.nn.Linear(8, 1))

    def forward(self, X):
        return self.layers(X).squeeze(-1)


@pytest.mark.parametrize("net_params, message", [
    # a module ending in a sigmoid: every probability squeezed into [0.5, 0.73]
    ({"criterion": torch.nn.BCELoss}, "criterion is BCELoss, which takes probabilities"),
    ({"criterion": torch.nn.BCELoss()}, "criterion is BCELoss, which takes probabilities"),
    # skorch's EarlyStopping raised KeyboardInterrupt out of fit (and out of a search)
    ({"callbacks": [EarlyStopping(monitor="train_loss")]},
     "EarlyStopping callback 'EarlyStopping' would end the whole fit"),
    ({"callbacks": [EarlyStopping()]}, "EarlyStopping callback"),
    # a TypeError naming the classifier's own StudentCriterion or BatchIterator
    ({"criterion__pos_weight": torch.tensor(2.0)}, "sets criterion__pos_weight, but"),
    # an instance's settings were dropped without a word
    ({"criterion": torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(9.0))},
     r"criterion is an instance, BCEWithLogitsLoss\(\), whose settings"),
    ({"iterator_train__num_workers": 2}, "sets iterator_train__num_workers, which"),
    # overrode the classifier's batch_size silently
    ({"iterator_train__batch_size": 7}, "sets iterator_train__batch_size, which"),
    ({"iterator_train__shuffle": False}, "shuffled every epoch"),
    ({"iterator_valid__shuffle": True}, "sets iterator_valid__shuffle, which"),
    # ignored without a word
    ({"dataset__length": 5}, "sets dataset__length, which DistilledClassifier does not use"),
    # "AttributeError: 'TensorData' object has no attribute 'shape'" from skorch
    ({"callbacks": [InputShapeSetter()]},
     "InputShapeSetter callback 'InputShapeSetter' reads the shape of skorch's X"),
    # blamed 'valid_*' scores for the missing train_loss
    ({"callbacks": "disable"}, "callbacks record no train_loss"),
    ({"callbacks__train_loss": None}, "callbacks record no train_loss"),
    # named train_loss, but scoring the held-out part, which a fit has none of
    ({"callbacks__train_loss": None,
      "callbacks": [EpochScoring("roc_auc", name="train_loss", on_train=False)]},
     "record no train_loss.*scores the held-out part"),
    ({"callbacks__train_loss__name": "loss"}, "record no train_loss"),
    # another callback in its slot: "history lacks a score ... 'valid_*' scores" after training
    ({"callbacks__train_loss": EpochTimer()}, "record no train_loss"),
    # a float64 instance: "check the input shape it was given"
    ({"module": Float64MLP(20)}, "It holds torch.float64 weights .*module.float()"),
    # a loss of one's own given as a class, replaced without a word; or as a function
    ({"criterion": FocalLoss}, "criterion is FocalLoss, a loss DistilledClassifier would not "
                               "use: it trains every net with its own loss"),
    ({"criterion": functools.partial(FocalLoss)}, "criterion is functools.partial"),
    ({"criterion": lambda: FocalLoss()}, "criterion is <lambda>, a loss"),
    # not a loss at all: replaced in silence too
    ({"criterion": "focal"}, "criterion is 'focal', a loss"),
    ({"criterion": torch.nn.Linear}, "criterion is Linear, a loss"),
    # skorch's "'dict' object has no attribute 'dim'", where a bare module was told
    ({"module": DictOutput}, "The student's module returns a dict; its forward must return"),
], ids=lambda value: (
    # without addresses, which differ between pytest-xdist's workers and fail collection
    re.sub(r" at 0x[0-9a-f]+", "", str(value))[:40] if isinstance(value, dict) else ""))
def test_net_settings_a_fit_would_override_or_misread_are_refused(net_params, message):
    X, y = make_classification(100, n_features=20, random_state=0)
    clf = fast().fit(X, y)
    proba = clf.predict_proba(X)
    clf.set_params(student=NeuralNetBinaryClassifier(**{"module": MLP, **net_params}))
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


class MyBCELoss(torch.nn.BCELoss):
    pass


def test_a_batch_norm_module_on_batches_of_one_is_told_the_batch_size():
    # torch's "Expected more than 1 value per channel" named neither the net nor the setting
    X, y = make_classification(100, n_features=20, random_state=0)
    with pytest.raises(ValueError, match=r"^The student's module normalises over each batch "
                                         r".*Give DistilledClassifier a batch_size of 2 or more"):
        fast(student=BatchNormMLP, alpha=0, batch_size=1).fit(X, y)
    # a last batch of one joins the batch before it: 99 rows in batches of 2 train
    fast(student=BatchNormMLP, alpha=0, batch_size=2).fit(X[:99], y[:99])


class RecordsTrainLoss(Callback):
    """A callback of one's own that records the training loss (no on_train)."""

    name = "train_loss"

    def on_epoch_end(self, net, **kwargs):
        losses = net.history[-1, "batches", :, "train_loss"]
        net.history.record("train_loss", float(np.mean(losses)))


@pytest.mark.parametrize("net_params, message", [
    ({"criterion": MyBCELoss}, "criterion is BCELoss"),  # a subclass given as a class
])
def test_subclasses_of_refused_settings_are_refused(net_params, message):
    X, y = make_classification(100, n_features=20, random_state=0)
    student = NeuralNetBinaryClassifier(**{"module": MLP, **net_params})
    with pytest.raises(ValueError, match=message):
        fast(student=student).fit(X, y)


def test_net_settings_a_fit_takes_are_accepted():
    from skorch.callbacks import PassthroughScoring

    X, y = make_classification(100, n_features=20, random_state=0)
    student = NeuralNetBinaryClassifier(
        Float64MLP(20).float(), iterator_train__shuffle=True, iterator_train__drop_last=True,
    )
    clf = fast(student=student).fit(X, y)
    assert clf.n_iter_ == FAST["meta_epochs"]
    # torch's losses, which skorch's nets are written with, stand in for the library's
    for criterion in (torch.nn.BCEWithLogitsLoss, torch.nn.CrossEntropyLoss, torch.nn.MSELoss):
        fast(student=NeuralNet(MLP, criterion=criterion)).fit(X, y)
    # a net class whose default is a loss of its own is refused all the same
    with pytest.raises(ValueError, match="criterion is FocalLoss, a loss"):
        fast(student=FocalNet(MLP)).fit(X, y)
    # a fitted net as a spec holds the iterator_valid__batch_size the classifier set
    assert fast(student=clf.student_, teacher=clf.teacher_).fit(X, y).n_iter_ == FAST["meta_epochs"]
    # the training loss recorded under another callback name, or by a callback of one's own
    renamed = NeuralNetBinaryClassifier(
        MLP, callbacks__train_loss=None,
        callbacks=[("loss", PassthroughScoring(name="train_loss", on_train=True))],
    )
    assert fast(student=renamed).fit(X, y).n_iter_ == FAST["meta_epochs"]
    own = NeuralNetBinaryClassifier(MLP, callbacks__train_loss=None,
                                    callbacks=[("own", RecordsTrainLoss())])
    assert fast(student=own).fit(X, y).n_iter_ == FAST["meta_epochs"]


class FocalNet(NeuralNetBinaryClassifier):
    def __init__(self, module, criterion=FocalLoss, **kwargs):
        super().__init__(module, criterion=criterion, **kwargs)


class MissingAttribute(torch.nn.Module):
    def __init__(self, input_dim=20):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim, 1)

    def forward(self, X):
        return self.linear(X).view(-1, self.dim)


class Recursing(MissingAttribute):
    def forward(self, X):
        return self.forward(X)


class NoReturn(MissingAttribute):
    def forward(self, X):
        self.linear(X)  # the return forgotten


@pytest.mark.parametrize("net", [None, NeuralNet, NeuralNetBinaryClassifier])
def test_a_forward_returning_none_is_told_so_whatever_the_net(net):
    # skorch's "'NoneType' object has no attribute 'to'" outside NeuralNetBinaryClassifier
    X, y = make_classification(100, n_features=20, random_state=0)
    spec = NoReturn if net is None else net(NoReturn, criterion=torch.nn.BCEWithLogitsLoss)
    with pytest.raises(ValueError, match="module returns a NoneType; its forward must return"):
        fast(student=spec).fit(X, y)


def test_a_modules_own_errors_in_a_binary_net_are_its_own():
    # the module's own AttributeError naming a 'dim' was told "returns no tensor"; a
    # RecursionError was told to check the input shape
    X, y = make_classification(100, n_features=20, random_state=0)
    with pytest.raises(AttributeError, match="has no attribute 'dim'"):
        fast(student=NeuralNetBinaryClassifier(MissingAttribute)).fit(X, y)
    with pytest.raises(RecursionError):
        fast(student=NeuralNetBinaryClassifier(Recursing)).fit(X, y)
    # a RuntimeError of the user's own class was told to check the input shape as a
    # ValueError, which an except clause for the user's class misses
    with pytest.raises(OwnError, match="^the module's own$"):
        fast(student=RaisingOwnError).fit(X, y)


class OwnError(RuntimeError):
    pass


class RaisingOwnError(MissingAttribute):
    def forward(self, X):
        raise OwnError("the module's own")


def test_a_warm_start_checks_the_callbacks_of_the_nets_it_goes_on_with():
    # a net of an earlier version's file kept skorch's EarlyStopping: KeyboardInterrupt
    X, y = make_classification(100, n_features=20, random_state=0)
    clf = fast().fit(X, y)
    clf.student_.callbacks_.append(("stop", EarlyStopping(monitor="train_loss")))
    with pytest.raises(ValueError, match="EarlyStopping callback 'stop' would end the whole"):
        clf.set_params(warm_start=True).fit(X, y)


class WrongWidthWithFloat64Buffer(torch.nn.Module):
    def __init__(self, input_dim):
        super().__init__()
        self.linear = torch.nn.Linear(input_dim + 3, 1)
        self.register_buffer("scale", torch.ones(1, dtype=torch.float64))

    def forward(self, X):
        return self.linear(X)


def test_a_shape_error_is_named_as_one_beside_float64_buffers():
    X, y = make_classification(100, n_features=20, random_state=0)
    with pytest.raises(ValueError, match="Where this is a shape error"):
        fast(student=WrongWidthWithFloat64Buffer).fit(X, y)


@pytest.mark.parametrize(
    "params, message",
    [({"early_stopping": "yes"}, "early_stopping"), ({"n_iter_no_change": 0}, "n_iter_no_change"),
     ({"tol": -1.0}, "tol"), ({"batch_size": "big"}, "batch_size"),
     ({"validation_fraction": None}, "validation_fraction")],
)
def test_bad_budget_parameters_are_named(imbalanced_arrays, params, message):
    X, y = imbalanced_arrays
    with pytest.raises(ValueError, match=message):
        fast(**params).fit(X, y)


@pytest.mark.parametrize("params, n_rows, unused, why", [
    ({"n_iter_no_change": 2, "tol": 0.01}, 60, "n_iter_no_change=2 and tol=0.01 set",
     "early_stopping='auto' holds out no validation part of 60 samples"),
    ({"early_stopping": False, "validation_fraction": 0.2}, 400, "validation_fraction=0.2 sets",
     "early_stopping=False"),
])
def test_early_stopping_settings_a_fit_does_not_use_are_warned_of(params, n_rows, unused, why):
    # MLPClassifier's also stop on the training loss; here they did nothing, in silence
    X, y = make_classification(n_rows, random_state=0)
    with pytest.warns(UserWarning, match=rf"^{unused} early stopping, which this fit does not "
                      rf"use: {why}.*, and all meta_epochs=2 run\. (It has|They have) no "
                      r"effect\.$"):
        clf = DistilledClassifier(meta_epochs=2, random_state=0, **params).fit(X, y)
    assert clf.n_iter_ == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        DistilledClassifier(meta_epochs=2, early_stopping=False, tol=1e-4).fit(X[:60], y[:60])
        # under "auto" the fraction took part: a small one is what held out nothing
        X, y = make_classification(300, random_state=0)
        DistilledClassifier(meta_epochs=2, validation_fraction=0.01).fit(X[:150], y[:150])
    weight = np.r_[np.ones(50), np.zeros(250)]
    with pytest.warns(UserWarning, match="holds out no validation part of 50 samples of non-zero "
                                         "weight at validation_fraction=0.1 "):
        DistilledClassifier(meta_epochs=2, tol=0.1).fit(X, y, sample_weight=weight)


_INTERRUPTED_FIT = textwrap.dedent(
    """
    import json, os, signal, sys, warnings
    # Ctrl-C as in a terminal, even where the test runner passed SIGINT on ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import numpy as np, torch
    from skorch import NeuralNet
    from skorch.callbacks import Callback
    from sklearn.datasets import make_classification
    from skdistill import DistilledClassifier
    from skdistill.modules import MLP

    handled = []
    if sys.argv[2] == "own_handler":
        signal.signal(signal.SIGINT, lambda signum, frame: handled.append(signum))

    class SigintAt(Callback):
        def __init__(self, epoch, hook):
            self.epoch, self.hook = epoch, hook
        def _maybe_interrupt(self, net, hook):
            if hook == self.hook and len(net.history) == self.epoch:
                for _ in range(2 if hook == "twice" else 1):
                    os.kill(os.getpid(), signal.SIGINT)
        def on_batch_end(self, net, **kwargs):
            self._maybe_interrupt(net, "batch")
            if self.hook == "during_and_end" and len(net.history) == self.epoch:
                self.epoch = None  # once: the round ends here
                os.kill(os.getpid(), signal.SIGINT)
        def on_epoch_end(self, net, **kwargs):
            self._maybe_interrupt(net, "epoch")
        def on_train_end(self, net, **kwargs):
            for hook in ("train_end", "twice", "own_handler"):
                self._maybe_interrupt(net, hook)
            if self.hook == "during_and_end":  # after one in the fourth meta-epoch
                os.kill(os.getpid(), signal.SIGINT)
                handled.append("not aborted")  # what a hanging callback would go on with

    class SigintOnEvaluation(MLP):
        # without early stopping, the student's first forward pass out of training
        # once it has trained is the check of its logits after the last round
        def forward(self, X):
            if self.training:
                self.trained = True
            elif getattr(self, "trained", False) and sys.argv[2] == "evaluation":
                sys.argv[2] = "sent"
                os.kill(os.getpid(), signal.SIGINT)
            return super().forward(X)

    X, y = make_classification(300, random_state=0)
    student = NeuralNet(SigintOnEvaluation, criterion=torch.nn.BCEWithLogitsLoss,
                        callbacks=[SigintAt(int(sys.argv[1]), sys.argv[2])])
    clf = DistilledClassifier(student=student, meta_epochs=10, early_stopping=False,
                              random_state=0)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            clf.fit(X, y)
    except KeyboardInterrupt:
        print(json.dumps({"raised": True, "fitted": hasattr(clf, "classes_"),
                          "handled": len(handled)}))
        sys.exit(0)
    proba = clf.predict_proba(X)
    print(json.dumps({
        "raised": False, "n_iter": clf.n_iter_, "history": len(clf.history_),
        "epochs": [len(net.history) for net in (clf.teacher_, clf.student_)],
        "losses_recorded": all("train_loss" in net.history[-1]
                               for net in (clf.teacher_, clf.student_)),
        "finite": bool(np.isfinite(proba).all()),
        "warned": [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)],
        "handled": len(handled),
    }))
    """
)


def _interrupted_fit(epoch, hook="batch"):
    result = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_FIT, str(epoch), hook],
        capture_output=True, text=True, timeout=300, check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("hook", ["batch", "epoch"])
def test_ctrl_c_keeps_the_last_complete_meta_epoch(hook):
    # A real SIGINT during the student's fourth epoch (meta-epoch 4), or in a callback at
    # its end (skorch's partial_fit swallowed that one: all 10 meta-epochs ran, no warning)
    outcome = _interrupted_fit(4, hook)
    assert not outcome["raised"]
    assert outcome["n_iter"] == outcome["history"] == 3
    # the interrupted round's epochs, whose weights are gone, left the nets' histories
    assert outcome["epochs"] == [3, 3] and outcome["losses_recorded"]
    assert outcome["finite"]
    assert any("interrupted after 3 complete meta-epoch" in w for w in outcome["warned"])


@pytest.mark.parametrize("hook", ["train_end", "evaluation"])
def test_ctrl_c_after_the_last_meta_epoch_keeps_the_whole_fit(hook):
    # a SIGINT while the nets' callbacks ended their runs, or while the student's logits
    # were checked, came out of fit and left it unfitted, all 10 meta-epochs lost
    outcome = _interrupted_fit(10, hook)
    assert not outcome["raised"]
    assert outcome["n_iter"] == outcome["history"] == 10
    assert outcome["epochs"] == [10, 10] and outcome["finite"]
    assert any("interrupted after 10 complete meta-epoch" in w for w in outcome["warned"])


def test_a_second_ctrl_c_after_the_last_meta_epoch_aborts_the_fit():
    # every Ctrl-C was recorded: a callback that hung there could not be left
    assert _interrupted_fit(10, "twice") == {"raised": True, "fitted": False, "handled": 0}


class RecordSigintHandler(Callback):
    """Records the SIGINT handler met at the end of training, where a fit records
    a Ctrl-C rather than raise it."""

    met = []

    def on_train_end(self, net, **kwargs):
        type(self).met.append(signal.getsignal(signal.SIGINT))


def test_a_fit_gives_ctrl_c_back_to_pythons_handler(imbalanced_arrays):
    # only a command line SIGTERM test noticed a handler left set after the block
    X, y = imbalanced_arrays
    earlier = signal.signal(signal.SIGINT, signal.default_int_handler)
    RecordSigintHandler.met = []
    try:
        student = default_net("student").set_params(callbacks=[RecordSigintHandler()])
        DistilledClassifier(**FAST, student=student).fit(X, y)
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, earlier)
    assert RecordSigintHandler.met
    assert signal.default_int_handler not in RecordSigintHandler.met  # the fit's own


@pytest.mark.parametrize("epoch", [4, 1])
def test_a_ctrl_c_after_one_in_training_aborts_the_fit(epoch):
    # the first Ctrl-C after the rounds was recorded as a first one: a third was needed,
    # also after one in the first meta-epoch, which propagates
    assert _interrupted_fit(epoch, "during_and_end") == {"raised": True, "fitted": False,
                                                         "handled": 0}


def test_a_ctrl_c_ending_one_nets_run_ends_the_others_too():
    # the second Ctrl-C in a teacher's on_train_end left the student's run unended
    from skdistill._nets import training_run

    ended = []

    class Ends(Callback):
        def __init__(self, name, interrupts=False):
            self.name, self.interrupts = name, interrupts

        def on_train_end(self, net, **kwargs):
            ended.append(self.name)
            if self.interrupts:
                raise KeyboardInterrupt

    nets = [NeuralNet(MLP, module__input_dim=3, criterion=torch.nn.BCEWithLogitsLoss,
                      callbacks=[Ends(name, interrupts=name == "teacher")]).initialize()
            for name in ("teacher", "student")]
    with pytest.raises(KeyboardInterrupt):
        with training_run([(net, None) for net in nets]):
            pass
    assert ended == ["teacher", "student"]


def test_a_handler_of_ones_own_gets_a_ctrl_c_after_the_last_meta_epoch():
    # it was taken over: the handler never called, the fit warned of an interrupt
    outcome = _interrupted_fit(10, "own_handler")
    assert outcome["handled"] == 1 and outcome["n_iter"] == 10
    assert not any("interrupted" in w for w in outcome["warned"])


def test_ctrl_c_in_the_first_meta_epoch_propagates_and_fits_nothing():
    outcome = _interrupted_fit(1)
    assert outcome == {"raised": True, "fitted": False, "handled": 0}


def test_validation_score_breaks_auc_ties_by_the_balanced_loss():
    """An AUC of 1 cannot rise: a later round that only lowers the loss still
    counts, so early stopping does not freeze the first perfect round."""
    y = np.array([0, 0, 0, 1])
    confident = ValidationScore.of(y, torch.tensor([-4.0, -4.0, -4.0, 4.0]))
    timid = ValidationScore.of(y, torch.tensor([-0.1, -0.1, -0.1, 0.1]))
    assert confident.auc == timid.auc == 1.0
    assert confident.beats(timid) and not timid.beats(confident)
    assert not confident.beats(timid, tol=1.0)
    worse_ranking = ValidationScore.of(y, torch.tensor([-4.0, -4.0, 4.0, 3.0]))
    assert timid.beats(worse_ranking) and not worse_ranking.beats(timid)
    # every class weighs the same: the lone positive counts as much as the negatives
    half_wrong = ValidationScore.of(y, torch.tensor([0.0, 0.0, 0.0, -np.log(3.0)]))
    assert half_wrong.loss == pytest.approx((np.log(2.0) + np.log(4.0)) / 2)
    # large logits are ranked as they are, not as saturated probabilities
    assert ValidationScore.of(np.array([0, 1]), torch.tensor([40.0, 50.0])).auc == 1.0
    # the same AUC as floats apart in their last bits is a tie, broken by the loss (a
    # weight scaled by 1 + 1e-7 kept another round)
    lower_loss = ValidationScore(0.46527777777777773, 0.5)
    assert lower_loss.beats(ValidationScore(0.46527777777777785, 0.6))
    assert not ValidationScore(0.46527777777777785, 0.6).beats(lower_loss)


def test_early_stopping_keeps_training_past_a_perfect_validation_auc():
    X, y = make_classification(300, n_features=5, n_informative=5, n_redundant=0,
                               class_sep=3.0, random_state=0)
    clf = DistilledClassifier(
        **{**FAST, "meta_epochs": 12, "early_stopping": True, "teacher_epochs": 1,
           "student_epochs": 1}, n_iter_no_change=3, random_state=0,
    ).fit(X, y)
    aucs = [record["student_valid_auc"] for record in clf.history_]
    assert aucs[0] == 1.0
    # the AUC alone would stop after round 1 + 3; the loss kept improving
    assert clf.n_iter_ > 1 + clf.n_iter_no_change
    losses = [record["student_valid_loss"] for record in clf.history_]
    assert min(losses[1:]) < losses[0] - clf.tol


@pytest.mark.parametrize("schedule", ["online", "sequential"])
def test_best_meta_epoch_names_the_record_early_stopping_kept(imbalanced_arrays, schedule):
    # nothing said which meta-epoch was kept: it had to be found again in history_
    X, y = imbalanced_arrays
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # early stopping ended it
        clf = fast(meta_epochs=40, early_stopping=True, n_iter_no_change=3, student_epochs=1,
                   teacher_epochs=1, schedule=schedule).fit(X, y)
    student_records = [record for record in clf.history_ if "student_valid_auc" in record]
    assert len(student_records) == clf.n_iter_ < 40  # stopped early
    assert clf.best_meta_epoch_ == clf.n_iter_ - 3
    kept = clf.history_[clf.best_meta_epoch_ - 1]
    assert kept["student_valid_auc"] == max(r["student_valid_auc"] for r in student_records)
    assert fast().fit(X, y).best_meta_epoch_ == FAST["meta_epochs"]  # the last, without


@pytest.mark.parametrize("schedule", ["online", "sequential"])
def test_rounds_run_out_before_early_stopping_warn_as_mlp_does(imbalanced_arrays, schedule):
    # meta_epochs, a maximum, ended such a fit in silence; MLPClassifier warns at max_iter
    X, y = imbalanced_arrays
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf = fast(meta_epochs=2, early_stopping=True, n_iter_no_change=5, schedule=schedule,
                   student_epochs=1, teacher_epochs=1).fit(X, y)
    messages = [str(w.message) for w in caught if w.category is ConvergenceWarning]
    student = (r"meta_epochs=2 ran out before early stopping ended training: the student's "
               r"held-out score had not gone n_iter_no_change=5 meta-epochs without improving "
               rf"\(best_meta_epoch_={clf.best_meta_epoch_}\)\. Raise meta_epochs")
    # the sequential schedule's teachers train a phase of their own first, stopped alike
    teachers = r"meta_epochs=2 ran out .*: the teachers' held-out score had not gone"
    expected = [teachers, student] if schedule == "sequential" else [student]
    assert len(messages) == len(expected)
    for message, pattern in zip(messages, expected):
        assert re.match(pattern, message), message
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        fast(meta_epochs=2, student_epochs=1, teacher_epochs=1).fit(X, y)  # a fixed schedule


def test_held_out_roc_auc_is_scikit_learns_to_the_last_bit():
    # computed without scikit-learn's input checks (93 % of each meta-epoch's scoring)
    rng = np.random.default_rng(0)
    for case in range(300):
        n = int(rng.integers(4, 300))
        y = rng.permutation(np.arange(n) % int(rng.integers(2, 6)) == 0).astype(np.int64)
        scores = rng.normal(size=n).astype(np.float32).astype(np.float64)
        if case % 3 == 0:  # ties, as saturated or rounded logits give them
            scores = np.round(scores, 1)
        weight = None
        if case % 2:
            weight = rng.uniform(0, 3, n) * (rng.random(n) > 0.2)
            weight[np.flatnonzero(y == 1)[0]] = weight[np.flatnonzero(y == 0)[0]] = 1.0
        assert _binary_roc_auc(y, scores, weight) == roc_auc_score(y, scores,
                                                                    sample_weight=weight)


#: What RecordsBatches saw, per fit (a callback is cloned with its net's parameters).
RECORDED = []


class RecordsBatches(Callback):
    """Records the id column (column 0) of each training batch, epoch by epoch."""

    def on_epoch_begin(self, net, **kwargs):
        RECORDED.append([])

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        if training:
            RECORDED[-1].append(batch[0][:, 0].round().long().tolist())


def _with_ids(X):
    """X with its column 0 replaced by the row number (an id the batches carry)."""
    X = X.copy()
    X[:, 0] = np.arange(len(X))
    return X


def test_training_batches_are_shuffled_every_epoch_and_cover_every_row_once(imbalanced_arrays):
    # BatchIterator served training batches in row order (iterator_train__shuffle=False,
    # or its shuffle ignored), and no test noticed: the first beta-share of every batch
    # then kept its true labels, the same rows each epoch
    X, y = imbalanced_arrays
    X = _with_ids(X)
    RECORDED.clear()
    student = default_net("student").set_params(callbacks=[("rows", RecordsBatches())])
    DistilledClassifier(**{**FAST, "meta_epochs": 1, "teacher_epochs": 1}, student=student,
                        random_state=0).fit(X, y)
    epochs = [epoch for epoch in RECORDED if epoch]
    assert len(epochs) == FAST["student_epochs"]
    orders = [sum(epoch, []) for epoch in epochs]
    for order in orders:
        assert sorted(order) == list(range(len(X)))  # every row once an epoch
    assert orders[0] != sorted(orders[0])  # shuffled
    assert len({tuple(order) for order in orders}) == len(orders)  # anew every epoch


def test_a_nets_drop_last_reaches_its_batches(imbalanced_arrays):
    # iterator_train__drop_last=True on a net spec was accepted, logged as a parameter,
    # and could be left out of the net without a test failing
    X, y = imbalanced_arrays  # 400 rows in batches of 32: 12 of 32, then one of 16
    for drop_last, sizes in ((False, [32] * 12 + [16]), (True, [32] * 12)):
        RECORDED.clear()
        student = default_net("student").set_params(
            callbacks=[("rows", RecordsBatches())], iterator_train__drop_last=drop_last)
        DistilledClassifier(**{**FAST, "meta_epochs": 1, "teacher_epochs": 1}, student=student,
                            random_state=0).fit(_with_ids(X), y)
        assert [[len(batch) for batch in epoch] for epoch in RECORDED if epoch] == [sizes] * 4


def test_a_users_own_setting_that_the_module_does_not_take_is_not_dropped(imbalanced_arrays):
    # only a default net's own value (hidden_units=(64,)) is left out for a module that
    # does not take it; a value of the user's own must reach the module (and fail there),
    # not vanish
    X, y = imbalanced_arrays
    student = default_net("student").set_params(module=LinearLogits, module__hidden_units=(32,))
    with pytest.raises(TypeError, match="hidden_units"):
        DistilledClassifier(**FAST, student=student, random_state=0).fit(X, y)
    # the default's value is left out, and the fit trains
    student = default_net("student").set_params(module=LinearLogits)
    DistilledClassifier(**FAST, student=student, random_state=0).fit(X, y)


class RecordsBetas(Callback):
    """Records Adam's betas as each training batch begins."""

    def on_batch_begin(self, net, training=False, **kwargs):
        if training:
            RECORDED.append(net.optimizer_.param_groups[0]["betas"])


def test_a_warm_fit_resumes_a_cyclic_schedules_momentum(imbalanced_arrays):
    # _resume_schedulers put back only the learning rate: the first batch of a warm fit
    # trained with the betas the freshly built OneCycleLR set, not those it had left
    def student():
        return default_net("student").set_params(callbacks=[
            ("cycle", LRScheduler(OneCycleLR, max_lr=0.01, total_steps=10_000,
                                  step_every="batch")),
            ("betas", RecordsBetas())])

    X, y = imbalanced_arrays
    RECORDED.clear()
    DistilledClassifier(**{**FAST, "meta_epochs": 2}, student=student(), random_state=0).fit(X, y)
    whole = list(RECORDED)
    RECORDED.clear()
    clf = DistilledClassifier(**{**FAST, "meta_epochs": 1}, student=student(),
                              random_state=0).fit(X, y)
    first = len(RECORDED)
    clf.set_params(warm_start=True).fit(X, y)
    assert RECORDED[first] == pytest.approx(whole[first])


class InfiniteForSome(LinearLogits):
    """Logits of +inf for the rows of a large first feature: the sigmoid risk stays
    bounded and its gradients finite, so only the logits tell."""

    def forward(self, X):
        return super().forward(X) + torch.where(X[:, 0] > 1.5, float("inf"), 0.0)


def test_infinite_logits_under_a_bounded_loss_stop_training(imbalanced_arrays):
    # test_non_finite_logits_stop_training's module makes NaN gradients, so the loss
    # turns NaN as well, and the logits' own check could go without a test failing
    X, y = imbalanced_arrays
    assert (X[:, 0] > 1.5).any()
    with pytest.raises(FloatingPointError, match="The teacher's logits became inf or NaN"):
        DistilledClassifier(**FAST, teacher=InfiniteForSome, true_label_loss="pu", prior=0.1,
                            pu_surrogate="sigmoid", random_state=0).fit(X, y)


def test_predictions_over_several_inference_batches_match_those_made_in_parts():
    # predict_logits writes each batch of 4,096 rows into one tensor: an offset error
    # left every row past the first batch uninitialised, and no test predicted more
    # than one inference batch and compared the values
    X, y = make_classification(9000, 6, random_state=0)
    X = X.astype(np.float32)
    clf = DistilledClassifier(**{**FAST, "meta_epochs": 1, "teacher_epochs": 1,
                                 "student_epochs": 1, "batch_size": 512},
                              random_state=0).fit(X, y)
    whole = clf.predict_proba(X)
    parts = np.concatenate([clf.predict_proba(X[start:start + 1000])
                            for start in range(0, len(X), 1000)])
    np.testing.assert_allclose(whole, parts, rtol=1e-5, atol=1e-6)


def test_a_scheduler_stepped_every_batch_keeps_each_batch_record(imbalanced_arrays):
    # _compact_history keeps only the last batch record of an epoch where the records
    # hold skorch's own keys alone; a scheduler's event_lr of every batch must stay
    student = default_net("student").set_params(callbacks=[
        ("lrs", LRScheduler(StepLR, step_size=1, gamma=0.99, step_every="batch"))])
    X, y = imbalanced_arrays
    clf = DistilledClassifier(**FAST, student=student, random_state=0).fit(X, y)
    batches = clf.student_.history[-1, "batches"]
    assert len(batches) == 13  # 400 rows in batches of 32
    assert len(clf.student_.history[-1, "batches", :, "event_lr"]) == 13
    # without such a callback, one record an epoch stays
    plain = DistilledClassifier(**FAST, random_state=0).fit(X, y)
    assert len(plain.student_.history[-1, "batches"]) == 1


def test_a_warning_in_a_search_points_at_the_users_call(imbalanced_arrays):
    # joblib runs scikit-learn's searches: its frames are skipped like scikit-learn's
    X, y = imbalanced_arrays
    student = NeuralNet(LinearLogits, criterion=torch.nn.BCEWithLogitsLoss, max_epochs=5)
    search = GridSearchCV(DistilledClassifier(**FAST, student=student, random_state=0),
                          {"alpha": [0.5]}, cv=2, error_score="raise")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        search.fit(X, y)
    unused = [warning for warning in record if "max_epochs=5 is not used" in str(warning.message)]
    assert unused
    assert {warning.filename for warning in unused} == {__file__}


def test_a_warm_fit_of_a_net_without_initial_lr_goes_on_with_its_scheduler(imbalanced_arrays):
    # a net rebuilt from a file of an earlier version has a fresh optimizer without the
    # initial_lr torch's schedulers resume from: rewire_net sets it to the current rate
    X, y = imbalanced_arrays

    def student():
        return default_net("student").set_params(
            callbacks=[("lrs", LRScheduler(StepLR, step_size=1, gamma=0.5))])

    clf = DistilledClassifier(**{**FAST, "meta_epochs": 1}, student=student(),
                              random_state=0).fit(X, y)
    for group in clf.student_.optimizer_.param_groups:
        del group["initial_lr"]
    clf.set_params(warm_start=True).fit(X, y)
    assert clf.n_iter_ == 2
