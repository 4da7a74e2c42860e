import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from skdistill.fusion import fuse_teacher_logits
from skdistill.losses import (
    BinaryCrossEntropyLoss,
    CrossEntropyLoss,
    MAX_TEMPERATURE,
    DistillationLoss,
    ImbalancedNNPULoss,
    make_true_label_loss,
)

logit_arrays = arrays(
    np.float64, st.integers(1, 40), elements=st.floats(-30, 30, allow_nan=False)
)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def reference_pu_risk(logits, target, prior, target_prior):
    """The formula of DESIGN.md, in NumPy."""
    pos, unl = logits[target == 1], logits[target == 0]
    mean = lambda values: values.mean() if len(values) else 0.0  # noqa: E731
    neg = (1 - target_prior) / (1 - prior) * (mean(sigmoid(unl)) - prior * mean(sigmoid(pos)))
    return target_prior * mean(sigmoid(-pos)) + max(0.0, neg), neg


@st.composite
def pu_batches(draw):
    logits = draw(logit_arrays)
    target = draw(arrays(np.int64, len(logits), elements=st.integers(0, 1)))
    prior = draw(st.floats(0, 0.95))
    target_prior = draw(st.floats(0.05, 0.95))
    return logits, target, prior, target_prior


@settings(deadline=None, max_examples=150)
@given(pu_batches())
def test_pu_risk_matches_numpy_reference(batch):
    logits, target, prior, target_prior = batch
    loss = ImbalancedNNPULoss(prior, target_prior=target_prior)
    value = loss(torch.tensor(logits), torch.tensor(target))
    expected, _ = reference_pu_risk(logits, target, prior, target_prior)
    assert torch.isfinite(value)
    np.testing.assert_allclose(value.item(), expected, rtol=1e-6, atol=1e-9)


@settings(deadline=None, max_examples=100)
@given(pu_batches(), st.floats(0, 0.2), st.floats(0.1, 2))
def test_pu_gradient_follows_nonnegative_rule(batch, beta, gamma):
    logits, target, prior, target_prior = batch
    loss = ImbalancedNNPULoss(prior, target_prior=target_prior, beta=beta, gamma=gamma)
    g = torch.tensor(logits, requires_grad=True)
    loss(g, torch.tensor(target)).backward()

    expected, neg = reference_pu_risk(logits, target, prior, target_prior)
    g_ref = torch.tensor(logits, requires_grad=True)
    pos_mask = torch.tensor(target == 1, dtype=torch.float64)
    unl_mask = 1 - pos_mask
    mean = lambda v, m: (v * m).sum() / m.sum().clamp_min(1)  # noqa: E731
    neg_ref = (1 - target_prior) / (1 - prior) * (
        mean(torch.sigmoid(g_ref), unl_mask) - prior * mean(torch.sigmoid(g_ref), pos_mask)
    )
    # Kiryo et al., Algorithm 1: the uncorrected risk while neg >= -beta.
    if neg < -beta:
        (-gamma * neg_ref).backward()
    else:
        (target_prior * mean(torch.sigmoid(-g_ref), pos_mask) + neg_ref).backward()
    np.testing.assert_allclose(g.grad.numpy(), g_ref.grad.numpy(), rtol=1e-6, atol=1e-12)


def test_pu_gradient_within_slack_is_that_of_the_uncorrected_risk():
    # neg is slightly negative, above -beta: nnPU descends pi' R_P+ + neg, so the
    # unlabeled logits still get a gradient (clamping neg to 0 gave them none).
    logits = torch.tensor([3.0, 3.0, -2.0, -1.5], requires_grad=True)
    target = torch.tensor([1, 1, 0, 0])
    loss = ImbalancedNNPULoss(prior=0.3, target_prior=0.3, beta=0.5)
    _, neg = reference_pu_risk(logits.detach().numpy(), target.numpy(), 0.3, 0.3)
    assert -0.5 <= neg < 0
    loss(logits, target).backward()
    assert (logits.grad[2:] > 0).all()


@pytest.mark.parametrize("surrogate", ["sigmoid", "logistic"])
@pytest.mark.parametrize("prior", [0.0, 0.05])
def test_pu_positive_share_makes_batch_means_unbiased(surrogate, prior):
    # 12 of 60 positives in batches of 6: with the set's share, the mean over the
    # batches of the two groups' batch means is the set's mean at any batch size
    # (the risk is linear in them while neg >= 0), unlike each batch's own means.
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(60, generator=generator, dtype=torch.float64)
    target = torch.zeros(60, dtype=torch.int64)
    target[torch.randperm(60, generator=generator)[:12]] = 1
    full = ImbalancedNNPULoss(prior, surrogate=surrogate)(logits, target)

    def mean_over_batches(loss):
        return torch.stack([loss(logits[i:i + 6], target[i:i + 6]) for i in range(0, 60, 6)]).mean()

    shared = ImbalancedNNPULoss(prior, surrogate=surrogate, positive_share=0.2)
    assert mean_over_batches(shared).item() == pytest.approx(full.item(), rel=1e-12)
    per_batch = ImbalancedNNPULoss(prior, surrogate=surrogate)
    assert mean_over_batches(per_batch).item() != pytest.approx(full.item(), rel=1e-3)


def test_pu_positive_share_weighs_samples():
    logits = torch.tensor([1.0, -0.5, 2.0, -1.0], dtype=torch.float64)
    target = torch.tensor([1, 0, 0, 1])
    weight = torch.tensor([2.0, 1.0, 1.0, 0.0], dtype=torch.float64)
    share = ImbalancedNNPULoss(0.0, surrogate="logistic", positive_share=0.5)
    # Total weight 4, half of it expected on the positives: the weighted sums over 2.
    expected = (0.5 * 2 * np.log1p(np.exp(-1.0))
                + 0.5 * (np.log1p(np.exp(-0.5)) + np.log1p(np.exp(2.0)))) / 2
    assert share(logits, target, sample_weight=weight).item() == pytest.approx(expected)


@pytest.mark.parametrize("share", [0, 1, -0.1, 1.5, float("nan"), True, "0.2"])
def test_pu_positive_share_is_checked(share):
    with pytest.raises((ValueError, TypeError), match="positive_share"):
        ImbalancedNNPULoss(0.0, positive_share=share)


def test_pu_correction_gradient_pushes_negative_part_up():
    # Positives scored low among the unlabeled make neg < 0 when prior > 0.
    logits = torch.tensor([5.0, 5.0, -5.0, -5.0], requires_grad=True)
    target = torch.tensor([1, 1, 0, 0])
    loss = ImbalancedNNPULoss(prior=0.5)
    value = loss(logits, target)
    value.backward()
    # The value is the clamped risk; the gradient is that of -neg, so a descent
    # step raises the unlabeled logits and lowers the positive ones.
    expected, neg = reference_pu_risk(logits.detach().numpy(), target.numpy(), 0.5, 0.5)
    assert neg < 0
    assert value.item() == pytest.approx(expected)
    assert (logits.grad[2:] < 0).all()
    assert (logits.grad[:2] > 0).all()


@pytest.mark.parametrize("target", [[1, 1, 1], [0, 0, 0], []])
def test_pu_empty_group_contributes_zero(target):
    logits = torch.tensor([2.0, -1.0, 0.5][: len(target)])
    value = ImbalancedNNPULoss(0.0)(logits, torch.tensor(target, dtype=torch.int64))
    expected, _ = reference_pu_risk(logits.numpy(), np.array(target), 0.0, 0.5)
    assert value.item() == pytest.approx(expected)
    assert torch.isfinite(value)


def test_pu_accepts_column_logits_and_rejects_matrices():
    loss = ImbalancedNNPULoss(0.1)
    target = torch.tensor([1, 0])
    flat = loss(torch.tensor([1.0, -1.0]), target)
    assert loss(torch.tensor([[1.0], [-1.0]]), target).item() == pytest.approx(flat.item())
    with pytest.raises(ValueError, match="one logit per sample"):
        loss(torch.zeros(2, 3), target)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"prior": 1.0}, "prior"),
        ({"prior": -0.1}, "prior"),
        ({"prior": 0.1, "target_prior": 0.0}, "target_prior"),
        ({"prior": 0.1, "beta": -1}, "beta"),
        ({"prior": 0.1, "gamma": -1}, "gamma"),
    ],
)
def test_pu_rejects_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ImbalancedNNPULoss(**kwargs)


def test_make_true_label_loss():
    assert isinstance(make_true_label_loss("pu", 2), ImbalancedNNPULoss)
    assert isinstance(make_true_label_loss("bce", 2), BinaryCrossEntropyLoss)
    assert isinstance(make_true_label_loss("bce", 3), CrossEntropyLoss)
    with pytest.raises(ValueError, match="two classes"):
        make_true_label_loss("pu", 3)
    with pytest.raises(ValueError, match="Unknown true-label loss"):
        make_true_label_loss("hinge", 2)
    assert isinstance(make_true_label_loss("bce", torch.tensor(3)), CrossEntropyLoss)
    for n_classes in (1, "2", True, 2.0):  # each gave CrossEntropyLoss (2.0 a binary one)
        with pytest.raises(ValueError, match=f"n_classes must be an int of 2 or more; got "
                                             f"{n_classes!r}"):
            make_true_label_loss("bce", n_classes)


@st.composite
def distillation_batches(draw, n_classes=None):
    n = draw(st.integers(1, 30))
    k = n_classes or draw(st.sampled_from([1, 3]))
    shape = (n,) if k == 1 else (n, k)
    floats = st.floats(-20, 20, allow_nan=False)
    student = draw(arrays(np.float64, shape, elements=floats))
    teacher = draw(arrays(np.float64, shape, elements=floats))
    target = draw(arrays(np.int64, n, elements=st.integers(0, max(k, 2) - 1)))
    n_true = draw(st.integers(0, n))
    return torch.tensor(student), torch.tensor(teacher), torch.tensor(target), n_true


def true_loss_for(student):
    return make_true_label_loss("bce", 2 if student.ndim == 1 else student.shape[1])


def reference_soft(student, teacher, temperature):
    """Per-sample cross-entropy against softened teacher probabilities, NumPy."""
    s, t = student.numpy() / temperature, teacher.numpy() / temperature
    if s.ndim == 1:
        q, p = sigmoid(t), sigmoid(s)
        per_sample = -(q * np.log(p) + (1 - q) * np.log(1 - p))
    else:
        q = np.exp(t - t.max(1, keepdims=True))
        q /= q.sum(1, keepdims=True)
        log_p = s - s.max(1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(1, keepdims=True))
        per_sample = -(q * log_p).sum(1)
    return per_sample.mean() * temperature**2


@pytest.mark.parametrize("classes", [2, 3, 1000])
def test_the_soft_term_is_finite_at_the_highest_temperature(classes):
    # at sqrt(float32 max), accepted before, three classes made the term inf
    generator = torch.Generator().manual_seed(0)
    student, teacher = torch.randn(2, 8, classes, generator=generator)
    if classes == 2:
        student, teacher = student[:, 1], teacher[:, 1]
    loss = DistillationLoss(1.0, make_true_label_loss("bce", classes), "soft", MAX_TEMPERATURE)
    term = loss.teacher_term(student, teacher)
    assert torch.isfinite(term)


@settings(deadline=None, max_examples=100)
@given(distillation_batches(), st.floats(0.5, 8))
def test_soft_term_is_per_sample_cross_entropy(batch, temperature):
    student, teacher, _, _ = batch
    student, teacher = student.clamp(-8, 8), teacher.clamp(-8, 8)
    loss = DistillationLoss(1.0, true_loss_for(student), "soft", temperature)
    np.testing.assert_allclose(
        loss.teacher_term(student, teacher).item(),
        reference_soft(student, teacher, temperature),
        rtol=1e-6,
    )


def test_soft_term_does_not_mix_samples():
    # The research code's defect: a softmax across the batch made each
    # sample's loss depend on the others. Per-sample losses must not.
    loss = DistillationLoss(1.0, BinaryCrossEntropyLoss(), "soft", 2.0)
    student = torch.tensor([0.3, -1.2, 2.0])
    teacher = torch.tensor([1.0, -0.5, 0.0])
    whole = loss.teacher_term(student, teacher) * 3
    parts = sum(loss.teacher_term(student[i : i + 1], teacher[i : i + 1]) for i in range(3))
    assert whole.item() == pytest.approx(parts.item(), rel=1e-6)


@settings(deadline=None, max_examples=100)
@given(distillation_batches(), st.sampled_from(["soft", "hard", "mse"]))
def test_alpha_extremes_reduce_to_one_term(batch, kind):
    student, teacher, target, n_true = batch
    keeps = torch.arange(len(target)) < n_true
    true_loss = true_loss_for(student)
    only_teacher = DistillationLoss(1.0, true_loss, kind)(student, target, teacher, n_true)
    only_true = DistillationLoss(0.0, true_loss, kind)(student, target, teacher, n_true)
    reference = DistillationLoss(0.5, true_loss, kind)
    expected_teacher = reference.teacher_term(student[~keeps], teacher[~keeps]) if (~keeps).any() else 0.0
    expected_true = true_loss(student[keeps], target[keeps]) if keeps.any() else 0.0
    assert float(only_teacher) == pytest.approx(float(expected_teacher), rel=1e-6, abs=1e-9)
    assert float(only_true) == pytest.approx(float(expected_true), rel=1e-6, abs=1e-9)
    mixed = DistillationLoss(0.3, true_loss, kind)(student, target, teacher, n_true)
    assert float(mixed) == pytest.approx(
        0.3 * float(expected_teacher) + 0.7 * float(expected_true), rel=1e-6, abs=1e-9
    )
    assert torch.isfinite(mixed)


def test_hard_and_mse_terms():
    student = torch.tensor([0.0, 0.0])
    teacher = torch.tensor([3.0, -3.0])
    hard = DistillationLoss(1.0, BinaryCrossEntropyLoss(), "hard")
    assert hard.teacher_term(student, teacher).item() == pytest.approx(np.log(2))
    mse = DistillationLoss(1.0, BinaryCrossEntropyLoss(), "mse")
    assert mse.teacher_term(student, teacher).item() == pytest.approx(9.0)
    multi = DistillationLoss(1.0, torch.nn.CrossEntropyLoss(), "hard")
    logits = torch.tensor([[2.0, 0.0, 0.0]])
    assert multi.teacher_term(logits, torch.tensor([[0.0, 5.0, 0.0]])).item() > multi.teacher_term(
        logits, torch.tensor([[5.0, 0.0, 0.0]])
    ).item()


def test_hard_term_shares_a_tied_vote():
    # argmax gave every tie to the first class: a student of two teachers that
    # always disagree learned to predict classes_[0] only
    disagreeing = [torch.tensor([[9.0, -9.0, 0.0]]), torch.tensor([[-9.0, 9.0, 0.0]])]
    tied = fuse_teacher_logits(disagreeing, "vote")
    multi = DistillationLoss(1.0, torch.nn.CrossEntropyLoss(), "hard")
    student = torch.tensor([[1.0, -1.0, 0.0]])
    shared = 0.5 * (F.cross_entropy(student, torch.tensor([0])) + F.cross_entropy(student, torch.tensor([1])))
    assert multi.teacher_term(student, tied).item() == pytest.approx(shared.item())
    binary_tie = fuse_teacher_logits([torch.tensor([4.0]), torch.tensor([-4.0])], "vote")
    hard = DistillationLoss(1.0, BinaryCrossEntropyLoss(), "hard")
    loss = hard.teacher_term(torch.tensor([2.0]), binary_tie).item()
    assert loss == pytest.approx(0.5 * (np.log1p(np.exp(-2.0)) + np.log1p(np.exp(2.0))))


def test_teacher_gets_no_gradient_and_empty_parts_contribute_nothing():
    student = torch.tensor([0.5, -0.5], requires_grad=True)
    teacher = torch.tensor([1.0, 1.0], requires_grad=True)
    loss = DistillationLoss(0.5, BinaryCrossEntropyLoss())
    loss(student, torch.tensor([1, 0]), teacher, 1).backward()
    assert teacher.grad is None
    all_true = loss(student, torch.tensor([1, 0]), None, 2)
    assert all_true.item() == pytest.approx(0.5 * BinaryCrossEntropyLoss()(student, torch.tensor([1, 0])).item())


@pytest.mark.parametrize(
    "args, message",
    [((1.5, BinaryCrossEntropyLoss()), "alpha"), ((0.5, BinaryCrossEntropyLoss(), "kl"), "distillation_loss"),
     ((0.5, BinaryCrossEntropyLoss(), "soft", 0.0), "temperature")],
)
def test_distillation_loss_rejects_bad_parameters(args, message):
    with pytest.raises(ValueError, match=message):
        DistillationLoss(*args)


def test_logistic_surrogate_with_trusted_negatives_is_class_balanced_cross_entropy():
    logits = torch.tensor([2.0, -1.0, 0.5, -3.0, 1.5])
    target = torch.tensor([1.0, 1.0, 0.0, 0.0, 0.0])
    risk = ImbalancedNNPULoss(prior=0.0, target_prior=0.3, surrogate="logistic")(logits, target)
    softplus = torch.nn.functional.softplus
    expected = 0.3 * softplus(-logits[:2]).mean() + 0.7 * softplus(logits[2:]).mean()
    torch.testing.assert_close(risk, expected)
    sigmoid_risk = ImbalancedNNPULoss(prior=0.0, target_prior=0.3)(logits, target)
    torch.testing.assert_close(
        sigmoid_risk,
        0.3 * torch.sigmoid(-logits[:2]).mean() + 0.7 * torch.sigmoid(logits[2:]).mean(),
    )


def test_unknown_surrogate_is_named():
    for surrogate in ("hinge", ["sigmoid"]):  # a list raised "unhashable type"
        with pytest.raises(ValueError, match="surrogate must be one of"):
            ImbalancedNNPULoss(prior=0.0, surrogate=surrogate)


# --- regressions found by fuzzing (issue 10) ---------------------------------------------


def test_pu_refuses_a_target_that_would_broadcast():
    with pytest.raises(ValueError, match="one label per sample"):
        ImbalancedNNPULoss(0.0)(torch.zeros(5), torch.ones(1))


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: ImbalancedNNPULoss(prior=float("nan")), ValueError, "prior"),
        (lambda: ImbalancedNNPULoss(prior="0.1"), TypeError, "prior must be a real number"),
        (lambda: ImbalancedNNPULoss(prior=0.0, beta=float("nan")), ValueError, "beta"),
        (lambda: ImbalancedNNPULoss(prior=0.0, gamma=float("nan")), ValueError, "gamma"),
        (lambda: ImbalancedNNPULoss(prior=0.0, target_prior=True), TypeError, "target_prior"),
        (lambda: DistillationLoss(float("nan"), BinaryCrossEntropyLoss()), ValueError, "alpha"),
        (lambda: DistillationLoss(0.5, BinaryCrossEntropyLoss(), "soft", float("nan")),
         ValueError, "temperature"),
        # its square overflowed: OverflowError in the first batch
        (lambda: DistillationLoss(0.5, BinaryCrossEntropyLoss(), "soft", 1e300),
         ValueError, r"temperature must be in \[0\.01, 1e\+18\]"),
        (lambda: DistillationLoss(0.5, "pu"), TypeError, "true_label_loss"),
    ],
)
def test_nan_and_non_numbers_are_refused_by_name(make, error, message):
    # NaN passed every range check and turned the loss into NaN
    with pytest.raises(error, match=message):
        make()


@pytest.mark.parametrize(
    "teacher, n_true, message",
    [
        (None, 1, "teacher_logits is None"),
        (torch.zeros(4, 3), 1, "student and teacher logits must match"),
        (torch.zeros(4), -1, "n_true"),
        (torch.zeros(4), 1.5, "n_true"),
        (torch.zeros(4), True, "n_true"),  # taken as 1
    ],
)
def test_distillation_loss_names_bad_teacher_logits_and_n_true(teacher, n_true, message):
    loss = DistillationLoss(0.5, BinaryCrossEntropyLoss())
    with pytest.raises(ValueError, match=message):
        loss(torch.zeros(4), torch.tensor([0.0, 1.0, 0.0, 1.0]), teacher, n_true=n_true)
    with pytest.raises(ValueError, match="one label per sample"):
        loss(torch.zeros(4), torch.zeros(3), torch.zeros(4))


def test_a_binary_teacher_beside_a_multiclass_student_is_named_a_mismatch():
    # "A binary loss expects one logit per sample ...; got shape (3, 3)": the
    # student's shape, right for three classes, blamed
    loss = DistillationLoss(0.5, CrossEntropyLoss())
    with pytest.raises(ValueError, match=re.escape(
            "student and teacher logits must match: shape (n,) for two classes, (n, k) for k; "
            "got (3, 3) and (3, 1).")):
        loss(torch.zeros(3, 3), torch.tensor([0, 1, 2]), torch.zeros(3, 1))


@pytest.mark.parametrize("logits, target, message", [
    # torch took (n,) logits for one sample of n classes: a softmax across the batch
    (torch.tensor([2.0, -1.0, 0.5]), torch.tensor([1.0, 0.0, 1.0]), r"got shape \(3,\) \(for one"),
    (torch.zeros(3, 1), torch.zeros(3, dtype=torch.long), r"got shape \(3, 1\)"),  # always 0
    # torch's "Expected floating point type for target with class probabilities"
    (torch.zeros(3, 3), torch.tensor([0.0, 1.0, 2.0]), "class indices as integers; got torch.float32"),
])
def test_cross_entropy_names_logits_or_targets_of_another_kind(logits, target, message):
    with pytest.raises(ValueError, match=message):
        CrossEntropyLoss()(logits, target)


# --- sample weights ---------------------------------------------------------------------

WEIGHTED_LOSSES = {
    "pu, trusted negatives": lambda: ImbalancedNNPULoss(0.0, surrogate="logistic"),
    "pu, prior 0.3": lambda: ImbalancedNNPULoss(0.3, target_prior=0.4),
    "bce": BinaryCrossEntropyLoss,
    "soft": lambda: DistillationLoss(0.6, BinaryCrossEntropyLoss(), "soft", temperature=2.0),
    "hard": lambda: DistillationLoss(0.6, ImbalancedNNPULoss(0.1), "hard"),
    "mse": lambda: DistillationLoss(0.6, BinaryCrossEntropyLoss(), "mse"),
    "cross-entropy": CrossEntropyLoss,
    "soft, 3 classes": lambda: DistillationLoss(0.6, CrossEntropyLoss(), "soft"),
}


@st.composite
def weighted_batches(draw):
    n = draw(st.integers(2, 30))
    counts = draw(arrays(np.int64, n, elements=st.integers(0, 3)))
    assume(counts.sum() > 0)  # the mean of no sample at all is NaN, unweighted too
    targets = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    return counts, targets, draw(st.integers(0, 2**16))


@pytest.mark.parametrize("name", WEIGHTED_LOSSES)
@settings(deadline=None, max_examples=40)
@given(batch=weighted_batches())
def test_integer_weights_equal_repeated_samples(name, batch):
    counts, targets, seed = batch
    multiclass = "cross-entropy" in name or "3 classes" in name
    generator = torch.Generator().manual_seed(seed)
    shape = (len(counts), 3) if multiclass else (len(counts),)
    logits = torch.randn(shape, generator=generator, dtype=torch.float64)
    teacher = torch.randn(shape, generator=generator, dtype=torch.float64)
    target = torch.as_tensor(targets if multiclass else targets.astype(float))
    loss = WEIGHTED_LOSSES[name]()
    repeat = torch.as_tensor(np.repeat(np.arange(len(counts)), counts))
    extra = isinstance(loss, DistillationLoss)
    weighted = loss(logits, target, *([teacher] if extra else []),
                    sample_weight=torch.as_tensor(counts, dtype=torch.float64))
    repeated = loss(logits[repeat], target[repeat], *([teacher[repeat]] if extra else []))
    assert weighted.item() == pytest.approx(repeated.item(), rel=1e-9, abs=1e-12)


def test_weights_of_a_part_reach_its_term_and_zero_weights_give_zero():
    logits, target = torch.tensor([2.0, -1.0, 0.5, 3.0]), torch.tensor([1.0, 0.0, 1.0, 0.0])
    teacher = torch.tensor([1.0, 1.0, -2.0, 0.0])
    loss = DistillationLoss(0.5, BinaryCrossEntropyLoss())
    weight = torch.tensor([1.0, 3.0, 0.0, 0.0])  # the teacher's part (the last two) weighs 0
    weighted = loss(logits, target, teacher, n_true=2, sample_weight=weight)
    true_part = BinaryCrossEntropyLoss()(logits[:2], target[:2], sample_weight=weight[:2])
    assert weighted.item() == pytest.approx(0.5 * true_part.item())
    assert torch.isfinite(weighted)
    assert ImbalancedNNPULoss(0.2)(logits, target, sample_weight=torch.zeros(4)).item() == 0


def test_a_parameter_to_learn_is_no_number_of_a_loss():
    # read as its float, it would have lost its gradient without a word
    with pytest.raises(TypeError, match="temperature must be a real number"):
        DistillationLoss(0.5, BinaryCrossEntropyLoss(),
                         temperature=torch.nn.Parameter(torch.tensor(2.0)))
    with pytest.raises(TypeError, match="prior must be a real number"):
        ImbalancedNNPULoss(np.ma.masked)
    assert ImbalancedNNPULoss(np.array(0.25)).prior == 0.25


def test_weights_that_are_no_tensor_are_named():
    # an AttributeError on '.to' or '.shape'
    for weight in (np.ones(3), [1.0, 1.0, 1.0]):
        for loss in (BinaryCrossEntropyLoss(), ImbalancedNNPULoss(0.2)):
            with pytest.raises(TypeError, match="sample_weight must be a torch.Tensor or None; "
                                                f"got {type(weight).__name__}"):
                loss(torch.zeros(3), torch.tensor([0.0, 1.0, 0.0]), sample_weight=weight)


def test_weights_of_the_wrong_shape_are_named():
    with pytest.raises(ValueError, match=r"sample_weight must hold one weight per sample"):
        BinaryCrossEntropyLoss()(torch.zeros(3), torch.zeros(3), sample_weight=torch.ones(2))


@pytest.mark.parametrize("surrogate", ["sigmoid", "logistic"])
def test_the_shortcut_at_prior_0_is_the_general_risk_to_the_last_bit(surrogate):
    # prior=0 skips R_P-, the clamp and the training rule; a prior of 1e-300 takes the
    # general path with the same numbers (1e-300 * R_P- vanishes beside R_U-)
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(64, generator=generator)
    target = (torch.rand(64, generator=generator) < 0.2).to(torch.int64)
    weight = torch.rand(64, generator=generator)
    for sample_weight in (None, weight):
        results = []
        for prior in (0.0, 1e-300):
            scores = logits.clone().requires_grad_()
            loss = ImbalancedNNPULoss(prior, target_prior=0.5, surrogate=surrogate,
                                      positive_share=0.2)
            risk = loss(scores, target, sample_weight)
            risk.backward()
            results.append((risk.detach(), scores.grad))
        (risk_0, grad_0), (risk_tiny, grad_tiny) = results
        assert torch.equal(risk_0, risk_tiny) and torch.equal(grad_0, grad_tiny)


@pytest.mark.parametrize("kind", ["soft", "hard", "mse"])
def test_a_binary_teacher_of_one_column_is_a_binary_teacher(kind):
    # (n, 1) teacher logits were a softmax over one class: a term of 0 whatever they said
    student = torch.tensor([[5.0], [-5.0], [0.0]])
    teacher = torch.tensor([[-5.0], [5.0], [3.0]])
    loss = DistillationLoss(1.0, BinaryCrossEntropyLoss(), kind)
    column = loss.teacher_term(student, teacher)
    assert float(column) > 1.0
    assert float(column) == float(loss.teacher_term(student[:, 0], teacher[:, 0]))


def test_the_gradient_of_a_weight_of_zero_is_its_samples_loss():
    # "learning to reweight" differentiates the loss by the weights: the fix for an
    # infinite loss outside a group had made it 0 wherever a weight was 0
    logits = torch.tensor([0.5, -1.0, 2.0, 0.3], dtype=torch.float64)
    target = torch.tensor([1, 0, 1, 0])
    weight = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    ImbalancedNNPULoss(0.0, surrogate="logistic")(logits, target, sample_weight=weight).backward()
    softplus = torch.nn.functional.softplus
    expected = torch.where(target == 1, 0.5 * softplus(-logits), 0.5 * softplus(logits))
    torch.testing.assert_close(weight.grad, expected)


def test_an_infinite_loss_outside_a_group_stays_out_of_its_mean():
    # softplus(+inf) of a positive, multiplied by the unlabeled mask's 0, was NaN
    logits = torch.tensor([float("inf"), 1.0, -float("inf"), 1.0])
    target = torch.tensor([1, 1, 0, 0])
    softplus = torch.nn.functional.softplus
    expected = 0.5 * softplus(-logits[:2]).mean() + 0.5 * softplus(logits[2:]).mean()
    risk = ImbalancedNNPULoss(prior=0.0, surrogate="logistic")(logits, target)
    assert float(risk) == pytest.approx(float(expected))


@pytest.mark.parametrize("prior", [0.0, 0.1])
def test_an_infinite_loss_is_an_infinite_risk(prior):
    # a positive's logit of -inf gave NaN (inf - inf) with a prior, inf without
    logits = torch.tensor([-float("inf"), 3.0, -2.0, 1.0], requires_grad=True)
    loss = ImbalancedNNPULoss(prior=prior, surrogate="logistic")
    risk = loss(logits, torch.tensor([1, 0, 1, 0]))
    risk.backward()
    assert risk.item() == float("inf")
    assert not torch.isnan(logits.grad).any()
    # a positive's logit of +inf: a first fix gave a finite risk and no gradient at all
    logits = torch.tensor([float("inf"), 3.0, -2.0, 1.0], requires_grad=True)
    risk = loss(logits, torch.tensor([1, 0, 1, 0]))
    risk.backward()
    assert not torch.isfinite(risk) or logits.grad.abs().sum() > 0


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("prior", [0.0, 0.3])
def test_half_precision_risks_do_not_overflow_their_sums(dtype, prior):
    # 70,000 losses near 1 summed to inf (prior 0) or NaN (prior 0.3) in float16
    logits = torch.full((70_000,), 3.0, dtype=dtype)
    target = torch.zeros(70_000, dtype=torch.int64)
    target[::2] = 1
    expected = ImbalancedNNPULoss(prior)(logits.float(), target)
    risk = ImbalancedNNPULoss(prior)(logits, target)
    assert float(risk) == pytest.approx(float(expected), rel=1e-2)
    weighted = DistillationLoss(1.0, BinaryCrossEntropyLoss(), "mse")(
        logits, target, logits + 100, sample_weight=torch.ones(70_000, dtype=dtype)
    )
    assert float(weighted) == pytest.approx(10_000.0, rel=1e-2)


@pytest.mark.parametrize("kind", ["hard", "mse"])
def test_unweighted_half_precision_terms_are_the_weighted_ones(kind):
    # without weights torch's own float16 mean summed 5,000 losses of 20.7 to inf on
    # the CPU (the weighted path gave 20.7), and an MSE of logits 256 apart was inf
    student = torch.zeros(5_000, 3, dtype=torch.float16)
    student[:, 0] = -20.0
    teacher = torch.full_like(student, -128.0)
    teacher[:, 0] = 128.0
    target = torch.zeros(5_000, dtype=torch.int64)
    for loss in (CrossEntropyLoss(), DistillationLoss(1.0, CrossEntropyLoss(), kind)):
        arguments = (student, target) if isinstance(loss, CrossEntropyLoss) else (
            student, target, teacher)
        unweighted = loss(*arguments)
        weighted = loss(*arguments, sample_weight=torch.ones(5_000))
        assert torch.isfinite(unweighted) and unweighted.dtype == torch.float32
        torch.testing.assert_close(unweighted, weighted)


def test_an_infinite_multiclass_teacher_logit_is_a_certain_soft_target():
    # softmax([inf, 0, 0]) is NaN (inf - inf): the soft term was NaN, the hard one finite
    student = torch.tensor([[0.0, 1.0, 2.0]])
    for teacher in ([[float("inf"), 0.0, 0.0]], [[float("inf"), float("inf"), 0.0]]):
        certain = torch.tensor(teacher).isinf().float()
        soft, hard = (DistillationLoss(1.0, CrossEntropyLoss(), kind)(
            student, torch.tensor([2]), torch.tensor(teacher)) for kind in ("soft", "hard"))
        expected = -(certain / certain.sum() * torch.log_softmax(student, dim=1)).sum()
        torch.testing.assert_close(soft, expected)
        torch.testing.assert_close(hard, expected)


@pytest.mark.parametrize("alpha, n_true", [(1.0, 4), (0.0, 0)])
def test_a_batch_of_two_empty_terms_back_propagates(alpha, n_true):
    # an empty part "contributes nothing", but the loss was a constant: backward raised
    # "element 0 of tensors does not require grad"
    logits = torch.zeros(4, requires_grad=True)
    loss = DistillationLoss(alpha, make_true_label_loss("pu", 2))(
        logits, torch.tensor([1, 0, 0, 0]), torch.zeros(4), n_true=n_true)
    loss.backward()
    assert float(loss) == 0.0 and torch.equal(logits.grad, torch.zeros(4))


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("temperature", [0.01, 256.0, 1024.0])
def test_the_soft_term_of_half_precision_logits_is_the_full_precision_one(n_classes,
                                                                          temperature):
    # times T ** 2 in float16 the term overflowed from T = 256 on, and with three classes
    # its gradient was NaN; logits divided by T = 0.01 overflowed (inf, or NaN)
    generator = torch.Generator().manual_seed(0)
    shape = (2, 8) if n_classes == 2 else (2, 8, n_classes)
    student, teacher = torch.randn(*shape, generator=generator).mul(100)
    loss = DistillationLoss(1.0, make_true_label_loss("bce", n_classes), "soft", temperature)
    half_student = student.half().requires_grad_()
    half = loss.teacher_term(half_student, teacher.half())
    half.backward()
    assert half.dtype == torch.float32 and torch.isfinite(half_student.grad).all()
    full = loss.teacher_term(student.half().float(), teacher.half().float())
    torch.testing.assert_close(half, full)
    at_one = DistillationLoss(1.0, make_true_label_loss("bce", 2), "soft", 1.0)
    assert at_one.teacher_term(student.half(), teacher.half()).dtype == torch.float32


def test_the_weighted_soft_term_back_propagates_at_the_highest_temperature():
    # T ** 2 divided by a total weight of 1e-3 overflowed float32: NaN gradients
    logits = torch.tensor([0.5, -0.5], requires_grad=True)
    loss = DistillationLoss(1.0, make_true_label_loss("bce", 2), "soft", MAX_TEMPERATURE)
    loss.teacher_term(logits, torch.zeros(2), sample_weight=torch.tensor([0.0, 1e-3])).backward()
    assert torch.isfinite(logits.grad).all() and logits.grad[0] == 0


def test_class_indices_of_any_integer_type_are_accepted():
    # int32 indices passed the check, then torch's cross entropy refused them
    logits = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))
    target = torch.tensor([0, 2, 1, 1, 0])
    expected = CrossEntropyLoss()(logits, target)
    for dtype in (torch.int32, torch.int16, torch.uint8):
        torch.testing.assert_close(CrossEntropyLoss()(logits, target.to(dtype)), expected)
