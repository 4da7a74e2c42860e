import re

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from skorch import NeuralNet

from skdistill._nets import BatchIterator, StudentCriterion, TensorData, true_label_count
from skdistill.losses import BinaryCrossEntropyLoss, DistillationLoss


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("shuffle", [False, True])
def test_batches_cover_every_sample_once(sparse, shuffle):
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = torch.arange(10)
    data = TensorData(sp.csr_matrix(X) if sparse else X, {"target": y})
    batches = list(BatchIterator(data, batch_size=4, shuffle=shuffle))
    assert len(batches) == len(BatchIterator(data, batch_size=4)) == 3
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    X_seen = torch.cat([b[0] for b in batches])
    y_seen = torch.cat([b[1]["target"] for b in batches])
    # rows stay aligned with their targets, and every row comes once
    np.testing.assert_array_equal(X_seen[:, 0].numpy(), 2 * y_seen.numpy())
    assert sorted(y_seen.tolist()) == list(range(10))
    assert X_seen.layout == torch.strided


def test_wide_sparse_input_predicts_in_batches_of_bounded_memory():
    # 4,096 rows of 50,000 columns made dense batches of 819 MB (and skorch holds two)
    X = sp.random(1000, 50_000, density=1e-4, format="csr", dtype=np.float32, random_state=0)
    data = TensorData(X)
    inference = [len(batch) for batch, _ in BatchIterator(data, batch_size=4096)]
    assert inference == [335, 335, 330]  # 2**24 // 50,000 rows
    training = [len(batch) for batch, _ in BatchIterator(data, batch_size=512, shuffle=True)]
    assert training == [512, 488]
    np.testing.assert_array_equal(
        torch.cat([batch for batch, _ in BatchIterator(data, batch_size=4096)]).numpy(),
        X.toarray())


@pytest.mark.parametrize(
    "shuffle, drop_last, sizes",
    [(False, False, [4, 4, 1]), (True, False, [4, 5]), (True, True, [4, 4]), (False, True, [4, 4])],
)
def test_a_last_batch_of_one_joins_the_one_before_in_training(shuffle, drop_last, sizes):
    data = TensorData(np.zeros((9, 2), dtype=np.float32))
    iterator = BatchIterator(data, batch_size=4, shuffle=shuffle, drop_last=drop_last)
    assert [len(batch[0]) for batch in iterator] == sizes
    assert len(iterator) == len(sizes)


class BatchNormNet(torch.nn.Module):
    def __init__(self, input_dim, output_dim=1):
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(input_dim, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(),
            torch.nn.Linear(8, output_dim),
        )

    def forward(self, X):
        return self.layers(X).squeeze(-1)


@pytest.mark.parametrize("net_params", [{}, {"iterator_train__drop_last": True}])
def test_batch_normalisation_trains_whatever_the_last_batch(net_params):
    # 289 rows in batches of 18 leave one sample: BatchNorm1d refused it ("Expected more
    # than 1 value per channel"), and skorch's drop_last was an unexpected keyword
    from sklearn.datasets import make_classification
    from skorch import NeuralNet

    from skdistill import DistilledClassifier

    X, y = make_classification(289, random_state=0)
    student = NeuralNet(BatchNormNet, criterion=torch.nn.BCEWithLogitsLoss, **net_params)
    clf = DistilledClassifier(student=student, batch_size=18, meta_epochs=2,
                              early_stopping=False, random_state=0).fit(X.astype(np.float32), y)
    assert np.isfinite(clf.predict_proba(X)).all()


def test_with_targets_shares_the_samples():
    data = TensorData(np.ones((3, 2), dtype=np.float32), torch.zeros(3))
    other = data.with_targets({"target": torch.ones(3)})
    assert other.X is data.X
    assert torch.equal(data.y, torch.zeros(3))


def test_iterator_serves_other_datasets_as_a_data_loader():
    # skorch's own Dataset, when a fitted net's forward is called on an array
    dataset = torch.utils.data.TensorDataset(torch.arange(5))
    iterator = BatchIterator(dataset, batch_size=2)
    assert len(iterator) == 3
    assert [batch[0].tolist() for batch in iterator] == [[0, 1], [2, 3], [4]]
    assert len(BatchIterator(dataset, batch_size=2, drop_last=True)) == 2


@pytest.mark.parametrize("beta, n_true", [(0.0, 0), (0.5, 4), (0.75, 6), (1.0, 8)])
def test_student_criterion_splits_batch_by_beta(beta, n_true):
    logits = torch.linspace(-2, 2, 8)
    target = torch.tensor([1, 0, 1, 0, 1, 0, 1, 0])
    teacher = torch.linspace(2, -2, 8)
    loss = DistillationLoss(0.5, BinaryCrossEntropyLoss())
    value = StudentCriterion(loss, beta)(logits, {"target": target, "teacher_logits": teacher})
    assert value.item() == pytest.approx(loss(logits, target, teacher, n_true).item())


def test_default_net_still_switches_between_train_and_eval_mode():
    from skdistill._nets import (
        DEFAULT_TEACHER, DistillationNet, TrueLabelCriterion, build_net, predict_logits,
    )
    from skdistill.losses import BinaryCrossEntropyLoss

    net = build_net(None, DEFAULT_TEACHER, role="teacher",
                    criterion=TrueLabelCriterion(BinaryCrossEntropyLoss()), max_epochs=1,
                    batch_size=8, device=torch.device("cpu"), module_dims={"input_dim": 3})
    assert isinstance(net, DistillationNet)
    data = TensorData(np.random.default_rng(0).normal(size=(32, 3)).astype(np.float32),
                      {"target": torch.arange(32) % 2})
    net.partial_fit(data)
    assert net.module_.training
    first = predict_logits(net, data, binary=True)
    assert not net.module_.training
    # eval mode: dropout off, so inference is deterministic
    assert torch.equal(first, predict_logits(net, data, binary=True))
    net.partial_fit(data)
    assert net.module_.training


def test_the_optimizer_state_check_names_a_non_finite_tensor_and_skips_others():
    # sparse and meta tensors crashed the check; complex ones went unread
    from types import SimpleNamespace

    from skdistill._nets import _non_finite_state

    parameter = torch.zeros(2)
    sparse = torch.sparse_coo_tensor([[0]], [float("inf")], (2,))
    state = {"step": torch.tensor(3.0), "sparse": sparse, "meta": torch.empty(2, device="meta"),
             "count": torch.tensor([1, 2]), "note": "text"}
    assert _non_finite_state(SimpleNamespace(state={parameter: state})) is None
    state["phase"] = torch.tensor([1 + 1j, complex(float("inf"), 0)])
    assert _non_finite_state(SimpleNamespace(state={parameter: state})) == "phase"


class EdgeModule(torch.nn.Module):
    """A linear module whose output or parameters a test bends (``kind``)."""

    def __init__(self, input_dim, output_dim=1, kind="plain"):
        super().__init__()
        self.kind = kind
        self.linear = torch.nn.Linear(input_dim, output_dim)
        if kind == "frozen":
            self.linear.requires_grad_(False)

    def forward(self, x):
        if self.kind == "in place":
            x.mul_(2)
        logits = self.linear(x).squeeze(-1)
        if self.kind == "bfloat16":
            return logits.to(torch.bfloat16)
        if self.kind == "int":
            return logits.long()
        if self.kind == "dict":
            return {"logits": logits}
        return logits


def test_modules_at_the_edges_are_served_or_named(imbalanced_arrays):
    from skdistill import DistilledClassifier

    from .conftest import FAST

    X, y = imbalanced_arrays

    def model(kind):
        spec = NeuralNet(EdgeModule, criterion=torch.nn.BCEWithLogitsLoss,
                         module__input_dim=X.shape[1], module__kind=kind)
        return DistilledClassifier(student=spec, random_state=0, **FAST)

    # predict_proba handed the module a view of the caller's float32 array: x.mul_(2)
    # doubled it on every call
    given = X.copy()
    fitted = model("in place").fit(given, y)
    first = fitted.predict_proba(given)
    np.testing.assert_array_equal(given, X)
    np.testing.assert_array_equal(fitted.predict_proba(given), first)
    # bfloat16 logits trained, then every prediction failed in "unsupported ScalarType"
    proba = model("bfloat16").fit(X, y).predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    for kind, message in (
        ("int", "The student's module returns torch.int64 values; its forward must return "
                "floating-point logits"),  # failed in the loss: "not implemented for 'Long'"
        ("dict", "The student's module returns a dict; its forward must return one tensor"),
        # "element 0 of tensors does not require grad", in the first training step
        ("frozen", "The student's module EdgeModule has no parameter to train (none, or all "
                   "with requires_grad=False: frozen in the module or by a callback such as "
                   "skorch's Freezer)"),
    ):
        with pytest.raises(ValueError, match=re.escape(message)):
            model(kind).fit(X, y)


@pytest.mark.parametrize("beta, batch_size, expected", [
    (0.29, 50, 15), (np.float64(0.29), 50, 15), (0.5, 3, 2), (0.5, 1, 1), (0.25, 2, 1),
    (0.5, 16, 8), (0.0, 7, 0), (1.0, 7, 7), (0.3, 10, 3),
    (np.float32(0.02), 25, 1), (np.float32(0.35), 10, 4),  # not float(): 0.3499999940...
])
def test_true_label_count_rounds_the_decimal_product_half_up(beta, batch_size, expected):
    # the float product of 0.29 and 50 is 14.499999999999998: 14 where half up says 15
    assert true_label_count(beta, batch_size) == expected
