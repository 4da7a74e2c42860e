import warnings

import numpy as np
import pandas as pd
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import expit, logit, softmax

from skdistill.fusion import (
    EPSILON, FUSION_RULES, check_teacher_weights, fuse_teacher_logits, probabilities_to_logits,
)

logit_values = st.floats(-8, 8, allow_nan=False, width=32)


def _teacher_logits(n_teachers, n_samples, n_classes):
    shape = (n_teachers, n_samples) if n_classes == 2 else (n_teachers, n_samples, n_classes)
    return arrays(np.float32, shape, elements=logit_values)


def _as_tensors(stacked):
    return [torch.from_numpy(one) for one in stacked]


def _normalised(weights, n_teachers):
    weights = np.ones(n_teachers) if weights is None else np.asarray(weights, float)
    return weights / weights.sum()


@settings(max_examples=50, deadline=None)
@given(
    data=st.data(),
    n_teachers=st.integers(1, 5),
    n_classes=st.sampled_from([2, 3]),
    weighted=st.booleans(),
)
def test_means_match_numpy(data, n_teachers, n_classes, weighted):
    stacked = data.draw(_teacher_logits(n_teachers, 6, n_classes))
    weights = (
        data.draw(st.lists(st.floats(0.1, 3), min_size=n_teachers, max_size=n_teachers))
        if weighted else None
    )
    w = _normalised(weights, n_teachers)
    tensors = _as_tensors(stacked)

    fused_logits = fuse_teacher_logits(tensors, "mean_logits", weights).numpy()
    np.testing.assert_allclose(fused_logits, np.tensordot(w, stacked, axes=1), atol=1e-5)

    fused = fuse_teacher_logits(tensors, "mean_proba", weights).numpy()
    if n_classes == 2:
        expected = np.clip(np.tensordot(w, expit(stacked), axes=1), EPSILON, 1 - EPSILON)
        np.testing.assert_allclose(expit(fused), expected, atol=1e-5)
    else:
        expected = np.tensordot(w, softmax(stacked, axis=2), axes=1)
        np.testing.assert_allclose(np.exp(fused), expected, atol=1e-5)


def test_binary_vote_is_the_weighted_majority_and_ties_split():
    teachers = _as_tensors(np.array([[3.0, -1.0, 2.0], [1.0, -2.0, -5.0]], np.float32))
    fused = fuse_teacher_logits(teachers, "vote").numpy()
    # both positive; both negative; one each: a tie gives probability 1/2
    np.testing.assert_allclose(expit(fused), [1 - EPSILON, EPSILON, 0.5], atol=1e-6)
    weighted = fuse_teacher_logits(teachers, "vote", weights=[1, 3]).numpy()
    assert weighted[2] < 0  # the heavier teacher says negative


def test_multiclass_vote():
    a = torch.tensor([[5.0, 0.0, 0.0], [0.0, 5.0, 0.0]])
    b = torch.tensor([[5.0, 0.0, 0.0], [0.0, 0.0, 5.0]])
    c = torch.tensor([[0.0, 5.0, 0.0], [0.0, 0.0, 5.0]])
    probabilities = fuse_teacher_logits([a, b, c], "vote").exp().numpy()
    np.testing.assert_allclose(probabilities.argmax(axis=1), [0, 2])
    assert probabilities.max() == pytest.approx(1 - 2 * EPSILON, abs=1e-5)


def test_a_teacher_undecided_between_classes_shares_its_vote():
    # its vote went to the first class: a tie of 0.5 probabilities (k-NN with an even k,
    # a tree's leaf) and two teachers of opposite votes fused into a negative target
    binary = [torch.tensor([0.0]), torch.tensor([4.0]), torch.tensor([-4.0])]
    assert expit(fuse_teacher_logits(binary, "vote").item()) == pytest.approx(0.5)
    undecided = torch.tensor([[0.0, 1.0, 1.0]])
    for order in ([undecided, torch.tensor([[0.0, 3.0, 0.0]])],
                  [torch.tensor([[0.0, 0.0, 3.0]]), undecided]):
        shares = fuse_teacher_logits(order, "vote").exp().numpy()[0]
        expected = [EPSILON, 1 - 2 * EPSILON, EPSILON] if order[0] is undecided else [
            EPSILON, EPSILON, 1 - 2 * EPSILON]
        np.testing.assert_allclose(shares, expected, atol=1e-5)


def test_numpy_arrays_are_named_as_no_tensors():
    # AttributeErrors on is_floating_point, and a TypeError from torch.finfo
    with pytest.raises(TypeError,
                       match=r"needs torch tensors, one per teacher; got \['ndarray'\]"):
        fuse_teacher_logits([np.zeros(2)] * 2)
    # one teacher's (5, 3) logits, not in a list, fused its rows as five teachers
    with pytest.raises(TypeError, match=r"got one tensor: give \[logits\] for one teacher"):
        fuse_teacher_logits(torch.zeros(5, 3))
    with pytest.raises(TypeError, match="needs a floating-point torch tensor; got ndarray"):
        probabilities_to_logits(np.array([0.2]))
    with pytest.raises(TypeError, match="needs a floating-point torch tensor; got torch.int64"):
        probabilities_to_logits(torch.tensor([0, 1]))


def test_probabilities_to_logits_is_finite_at_the_extremes():
    logits = probabilities_to_logits(torch.tensor([0.0, 0.25, 1.0]))
    assert torch.isfinite(logits).all()
    np.testing.assert_allclose(logits[1].item(), logit(0.25), rtol=1e-5)


def test_weights_beyond_int64_keep_their_ratio():
    # a check of flags through torch.as_tensor refused integers from 2**63 on
    weights = check_teacher_weights([2**63, 2**62], 2)
    assert weights.dtype == torch.float64 and weights[0] / weights[1] == 2.0
    assert check_teacher_weights(np.array([1e-300, 1.0]), 2)[0] == 1e-300


def test_read_only_weights_are_taken_without_a_warning():
    # torch warned that writing to the tensor of a read-only array (pandas 3's
    # to_numpy()) "will result in undefined behavior"; nothing writes to it
    weights = np.array([1.0, 3.0])
    weights.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        checked = check_teacher_weights(weights, 2)
    assert checked.tolist() == [1.0, 3.0]
    assert check_teacher_weights(torch.tensor([1.0, 3.0]), 2).tolist() == [1.0, 3.0]
    # numbers held as objects are numbers (a first version of the copy refused them)
    for numbers in (np.array([1, 3], dtype=object), pd.Series([1, 3.0], dtype=object),
                    np.array([1, 3], dtype=np.longdouble), [np.array(1.0), np.array(3.0)],
                    torch.tensor([1, 3], dtype=torch.float16)):
        assert check_teacher_weights(numbers, 2).tolist() == [1.0, 3.0]
    # text is no weight, read-only or not (a first copy through float64 parsed it)
    # nor are dates, durations (as nanoseconds) or complex numbers (as their real part)
    for text in (["1", "2"], np.array(["1", "2"]), [b"1", b"2"],
                 np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[ns]"),
                 np.array([1, 2], dtype="timedelta64[ns]"), torch.tensor([1 + 1j, 2 + 0j])):
        with pytest.raises(ValueError, match="must hold one finite, non-negative weight"):
            check_teacher_weights(text, 2)


def test_unknown_rule_is_named():
    with pytest.raises(ValueError, match="fusion must be one of"):
        fuse_teacher_logits([torch.zeros(2)], "median")


@pytest.mark.parametrize("fusion", FUSION_RULES)
@pytest.mark.parametrize("weights", [[1e-300, 1e-300], [1e308, 1e308]], ids=["tiny", "huge"])
def test_tiny_and_huge_weights_weigh_as_their_ratio(fusion, weights):
    # 1e-300 underflowed to 0 in float32, and 0 / 0 made every fused logit NaN; 1e308
    # twice summed to inf, and every weight became 0 (a teacher of 1/3 everywhere)
    logits = [torch.tensor([0.5, -1.0, 2.0]), torch.tensor([1.5, 0.0, -2.0])]
    np.testing.assert_array_equal(
        fuse_teacher_logits(logits, fusion, weights=weights).numpy(),
        fuse_teacher_logits(logits, fusion).numpy(),
    )


@pytest.mark.parametrize("logits, weights, message", [
    # NaN targets for the student, without a word
    ([torch.tensor([1.0]), torch.tensor([2.0])], [0.0, 0.0], "not all zero"),
    ([torch.tensor([1.0]), torch.tensor([2.0])], [float("nan"), 1.0], "one finite"),
    ([torch.tensor([1.0]), torch.tensor([2.0])], [-1.0, 2.0], "non-negative"),
    # torch's RuntimeError
    ([torch.tensor([1.0]), torch.tensor([2.0])], [1.0], r"per teacher \(2\)"),
    ([], None, "one shape per teacher; got none"),
    ([torch.tensor([1.0]), torch.tensor([1.0, 2.0])], None, "one shape per teacher"),
    # truncated to 0 as integers
    ([torch.tensor([1, -1]), torch.tensor([1, 1])], None, "floating-point logits"),
    # fused without a word, and an IndexError
    ([torch.zeros(2, 2, 2)] * 2, None, r"logits of shape \(n,\) or \(n, k\); got \(2, 2, 2\)"),
    ([torch.tensor(1.0)] * 2, None, r"logits of shape \(n,\) or \(n, k\); got \(\)"),
], ids=["zeros", "nan", "negative", "too few", "none", "shapes", "integers", "3-D", "0-D"])
def test_bad_logits_and_weights_are_named(logits, weights, message):
    with pytest.raises(ValueError, match=message):
        fuse_teacher_logits(logits, "mean_logits", weights)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_hard_targets_stay_finite_in_half_precision(dtype):
    # 1 - EPSILON rounded to 1: a unanimous vote gave an infinite logit
    logits = [torch.tensor([5.0, -5.0], dtype=dtype)] * 2
    assert torch.isfinite(fuse_teacher_logits(logits, "vote")).all()
    assert torch.isfinite(probabilities_to_logits(torch.tensor([0.0, 1.0], dtype=dtype))).all()


@pytest.mark.parametrize("logits", [
    torch.tensor([20.0, -20.0, 0.5]),
    torch.tensor([[10.0, -10.0, -20.0], [30.0, 0.0, -30.0]]),
], ids=["binary", "three classes"])
def test_the_mean_of_identical_teachers_is_either_one_at_any_temperature(logits):
    # probabilities clipped to [1e-6, 1 - 1e-6] before the temperature: at T=4 a
    # 3-class target went from [.9928, .0067, .0005] to [.9405, .0297, .0297]
    fused = fuse_teacher_logits([logits, logits])
    soften = torch.sigmoid if logits.ndim == 1 else (lambda z: torch.softmax(z, dim=1))
    for temperature in (1.0, 4.0):
        expected = logits if logits.ndim == 1 else torch.log_softmax(logits, dim=1)
        torch.testing.assert_close(soften(fused / temperature), soften(expected / temperature))


@pytest.mark.parametrize("fusion", FUSION_RULES)
def test_binary_logits_of_one_column_fuse_as_binary(fusion):
    # (n, 1) was a one-class softmax: every fused logit came out -1e-6
    a, b = torch.tensor([2.0, -3.0, 0.5]), torch.tensor([4.0, -1.0, -2.0])
    fused = fuse_teacher_logits([a[:, None], b[:, None]], fusion, weights=[1, 2])
    assert fused.shape == (3, 1)
    torch.testing.assert_close(fused[:, 0], fuse_teacher_logits([a, b], fusion, weights=[1, 2]))


def test_undefined_and_ruled_out_teachers_in_the_mean_of_probabilities():
    # a NaN teacher fused into logit 0 (a confident-looking 0.5) for two classes; a
    # class every teacher rules out fused to -inf, and an MSE on such targets was inf
    binary = fuse_teacher_logits([torch.tensor([float("nan"), 1.0]), torch.tensor([0.0, 1.0])])
    assert torch.isnan(binary[0]) and binary[1] == pytest.approx(1.0)
    ruled_out = torch.tensor([[0.0, float("-inf"), 1.0]])
    fused = fuse_teacher_logits([ruled_out, ruled_out])
    assert torch.isfinite(fused).all()
    torch.testing.assert_close(torch.softmax(fused, dim=1),
                               torch.softmax(ruled_out, dim=1))


def test_an_infinite_multiclass_logit_makes_its_teacher_certain_in_the_mean():
    # log_softmax([inf, 0, 0]) is NaN: the whole fused row was NaN
    certain = torch.tensor([[float("inf"), 0.0, 0.0]])
    fused = fuse_teacher_logits([certain, torch.zeros(1, 3)])
    torch.testing.assert_close(fused.exp(), torch.tensor([[4 / 6, 1 / 6, 1 / 6]]))
    # a row that holds NaN too stays undefined, as every row with a NaN does
    undefined = torch.tensor([[float("inf"), 0.0, float("nan")]])
    assert torch.isnan(fuse_teacher_logits([undefined, torch.zeros(1, 3)])).all()


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_means_keep_ordinary_log_probabilities(dtype):
    # floored at the log of float16's smallest normal, -9.70: -12 and -20 became -9.70
    teacher = torch.tensor([[0.0, -12.0, -20.0]], dtype=dtype)
    fused = fuse_teacher_logits([teacher, teacher])
    assert fused.dtype == dtype
    torch.testing.assert_close(fused.float(), torch.log_softmax(teacher.float(), dim=1),
                               atol=0.1, rtol=0.01)


@pytest.mark.parametrize("fusion", FUSION_RULES)
def test_a_teacher_of_weight_zero_is_left_out_even_at_infinite_logits(fusion):
    # mean_logits multiplied it: 0 * inf made the fused logits NaN
    kept, spoiled = torch.tensor([1.0, -2.0]), torch.tensor([float("inf"), float("-inf")])
    fused = fuse_teacher_logits([kept, spoiled], fusion, weights=[1.0, 0.0])
    np.testing.assert_allclose(fused.numpy(), fuse_teacher_logits([kept], fusion).numpy(),
                               rtol=1e-6)


def test_a_vote_ties_classes_whose_weights_sum_alike_in_float32():
    # the docstring's "within 1e-6 of the most": weights 0.2 + 0.4 + 0.1 against 0.7
    # sum to 0.50000006 against 0.5 in float32, by rounding alone
    assert np.float32(0.2) + np.float32(0.4) + np.float32(0.1) != np.float32(0.7)
    a, c = torch.tensor([2.0, -1.0]), torch.tensor([-2.0, 1.0])
    fused = torch.sigmoid(fuse_teacher_logits([a, a, a, c], "vote", [0.2, 0.4, 0.1, 0.7]))
    np.testing.assert_allclose(fused.numpy(), [0.5, 0.5])
