import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import torch
from skorch import NeuralNet
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from skdistill import DistilledClassifier, SequenceShapeWarning
from skdistill._layout import find_layout, layout_from_names, layout_from_values
from skdistill.modules import CNN, GRU
from skdistill.preprocessing import SequenceEncoder, positions_frame

from .conftest import FAST

SEQUENCES = ["ACGTA", "TTGCA", "GACTT", "CCATG"]


@pytest.mark.parametrize("sparse_output", [False, True])
def test_values_of_a_sequence_encoding_give_its_shape(sparse_output):
    X = SequenceEncoder(sparse_output=sparse_output).fit_transform(SEQUENCES)
    layout = layout_from_values(X)
    assert layout.shape == (5, 4)
    assert layout.transform(X) is X


def test_values_that_are_not_one_hot_give_no_layout():
    assert layout_from_values(np.array([[0.5, 1.0, 0.0, 1.0]])) is None
    assert layout_from_values(np.ones((3, 6))) is None


def test_names_give_the_shape_and_identity_for_the_encoder_layout():
    encoder = SequenceEncoder().fit(SEQUENCES)
    layout = layout_from_names(encoder.get_feature_names_out())
    assert layout.shape == (5, 4)
    assert layout.columns is None


@pytest.mark.parametrize("sparse", [False, True])
def test_names_with_missing_letters_are_placed_in_the_full_grid(sparse):
    frame = positions_frame(SEQUENCES)
    onehot = OneHotEncoder(sparse_output=sparse).fit(frame)
    X = onehot.transform(frame)
    assert X.shape[1] < 5 * 4  # not every letter occurs at every position
    layout = find_layout(X, onehot.get_feature_names_out())
    assert layout.shape == (5, 4)
    placed = layout.transform(X)
    assert sp.issparse(placed) == sparse
    expected = SequenceEncoder().fit_transform(SEQUENCES)
    assert np.array_equal(placed.toarray() if sparse else placed, expected)


@pytest.mark.parametrize("step, prefix", [("seq", "pos"), ("seq1", "pos"), ("window", "w15_")])
def test_digits_in_a_step_name_or_prefix_are_not_the_position(step, prefix):
    # "seq1__pos0_A" was read as position 1, letter "_pos0_A"
    frame = pd.DataFrame({"window": SEQUENCES})
    columns = ColumnTransformer([(step, SequenceEncoder(prefix=prefix), "window")])
    names = columns.fit(frame).get_feature_names_out()
    layout = layout_from_names(names)
    assert layout.shape == (5, 4)
    assert layout.columns is None


def test_unrelated_names_fall_back_to_values():
    X = SequenceEncoder().fit_transform(SEQUENCES)
    names = [f"feature{i}" for i in range(X.shape[1])]
    assert find_layout(X, names).shape == (5, 4)
    assert layout_from_names(["a", "b"]) is None
    assert layout_from_names(pd.Index(["p0_A", "q0_C"])) is None


def test_one_letter_sequences_are_one_position():
    # 200 one-letter DNA sequences were taken for a (2, 2) layout
    letters = np.random.default_rng(0).choice(list("ACGT"), 200)
    for sparse_output in (False, True):
        X = SequenceEncoder(sparse_output=sparse_output).fit_transform(letters)
        assert layout_from_values(X).shape == (1, 4)


def test_a_one_letter_alphabet_cannot_be_told_from_values():
    assert layout_from_values(np.ones((3, 1))) is None
    assert layout_from_values(np.ones((3, 4))) is None  # four positions of "A", or not one-hot


def test_a_sequence_module_reads_one_letter_sequences():
    letters = np.random.default_rng(0).choice(list("ACGT"), 64)
    y = (letters == "A").astype(int)
    student = NeuralNet(CNN, module__channels=(4,), module__kernel_size=3,
                        criterion=torch.nn.MSELoss)
    model = make_pipeline(SequenceEncoder(), DistilledClassifier(
        student=student, random_state=0, **{**FAST, "meta_epochs": 1}))
    assert model.fit(letters, y)[-1].sequence_shape_ == (1, 4)
    assert np.isfinite(model.predict_proba(letters)).all()


@pytest.mark.parametrize("offsets, sign", [
    (range(-2, 3), ""), (range(-2, 3), "+"), (range(-5, 0), ""),
], ids=["p-2 to p2", "p-2 to p+2", "p-5 to p-1"])
def test_positions_named_by_signed_offsets_give_the_shape(offsets, sign):
    # p-2_A ... p2_T read as the prefixes "p-" and "p": no layout from the names; an
    # explicit "+" gave none either, and p-5 ... p-1 were read backwards from 5 to 1
    X = SequenceEncoder().fit_transform(SEQUENCES)
    names = [f"p{offset:{sign}d}_{letter}" for offset in offsets for letter in "ACGT"]
    layout = find_layout(X, names)
    assert layout.shape == (5, 4)
    assert layout.columns is None  # the lowest offset is the first position
    shuffled = np.random.default_rng(0).permutation(len(names))
    placed = find_layout(X[:, shuffled], [names[i] for i in shuffled]).transform(X[:, shuffled])
    np.testing.assert_array_equal(placed, X)


@pytest.mark.parametrize("case", ["covariate named like a position", "two encoders"])
def test_names_of_positions_that_give_no_layout_stop_the_guess_from_values(case):
    # OneHotEncoder names an array's columns x1_F, x1_M: every name looked like a
    # position, and the values read 12 x 4 DNA as (25, 2); DNA beside a peptide became
    # one sequence of (37, 4)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"dna": ["".join(rng.choice(list("ACGT"), 12)) for _ in range(60)],
                          "x1": rng.choice(["F", "M"], 60),
                          "peptide": ["".join(rng.choice(list("ACDEFGHIKLMNPQRSTVWY"), 5))
                                      for _ in range(60)]})
    other = (("covariate", OneHotEncoder(sparse_output=False), ["x1"])
             if case == "covariate named like a position"
             else ("peptide", SequenceEncoder(), ["peptide"]))
    columns = ColumnTransformer([("dna", SequenceEncoder(), ["dna"]), other]).set_output(
        transform="pandas")
    X = columns.fit_transform(frame)
    assert layout_from_values(X.to_numpy()) is not None  # a wrong shape the values allow
    assert find_layout(X.to_numpy(), X.columns) is None


def test_names_of_positions_beside_other_columns_stop_the_guess_from_values():
    # 8 positions x 4 letters + 2 covariate columns read as 17 "positions" x 2
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "window": ["".join(rng.choice(list("ACGT"), 8)) for _ in range(150)],
        "species": rng.choice(["human", "mouse"], 150),
    })
    columns = ColumnTransformer([
        ("sequence", SequenceEncoder(), ["window"]),
        ("species", OneHotEncoder(sparse_output=False), ["species"]),
    ]).set_output(transform="pandas")
    X = columns.fit_transform(frame)
    assert layout_from_values(X.to_numpy()).shape == (17, 2)  # what the values allow
    assert find_layout(X.to_numpy(), X.columns) is None
    y = frame["window"].str.count("A").gt(2).astype(int)
    with pytest.raises(ValueError, match="CNN needs the sequence shape.*every column"):
        DistilledClassifier(teacher=CNN, student=CNN, **FAST).fit(X, y)


def test_a_prefix_ending_in_a_digit_of_another_script_is_no_position():
    # "pos\u0663" (Arabic-Indic three) read "pos\u06630_A" as position 30
    names = [f"pos\u0663{position}_{letter}" for position in range(5) for letter in "ACGT"]
    assert layout_from_names(names).shape == (5, 4)


def windows(n=120, length=6, seed=0):
    """Random DNA windows and labels (an A at the middle position)."""
    rng = np.random.default_rng(seed)
    sequences = ["".join(rng.choice(list("ACGT"), length)) for _ in range(n)]
    return sequences, np.array([s[length // 2] == "A" for s in sequences], dtype=int)


@pytest.mark.parametrize("pandas", [False, True], ids=["values", "feature names"])
@pytest.mark.parametrize("role", ["teacher", "student"])
@pytest.mark.parametrize("given", [
    lambda: CNN(sequence_length=4, alphabet_size=6, channels=(4,), kernel_size=3),
    lambda: NeuralNet(CNN, module__alphabet_size=6, criterion=torch.nn.MSELoss),
    lambda: NeuralNet(CNN, module__sequence_length=4, module__alphabet_size=6,
                      criterion=torch.nn.MSELoss),
    # NumPy's ints (a grid of np.arange) skipped both checks
    lambda: NeuralNet(CNN, module__sequence_length=np.int64(4),
                      module__alphabet_size=np.int64(6), criterion=torch.nn.MSELoss),
], ids=["instance", "alphabet_size", "both sizes", "NumPy ints"])
def test_a_sequence_shape_given_against_the_input_is_refused(pandas, role, given):
    # 6 positions of 4 letters read as 4 positions of 6 letters trained without a word;
    # names make it certain (an error), values likely (a warning: ambiguity codes beside
    # positions of no letter can mimic it)
    sequences, y = windows()
    encoder = SequenceEncoder().set_output(transform="pandas" if pandas else "default")
    model = make_pipeline(encoder, DistilledClassifier(**{role: given()}, **FAST))
    message = (rf"The {role}'s sequence module was given 4 positions of 6 letters, but .* 6 "
               "positions of 4 letters")
    if pandas:
        with pytest.raises(ValueError, match=message):
            model.fit(sequences, y)
    else:
        with pytest.warns(SequenceShapeWarning, match=message + r".*Read from the values alone"):
            model.fit(sequences, y)


@pytest.mark.parametrize("pandas", [False, True], ids=["values", "feature names"])
def test_a_sequence_shape_given_as_the_input_has_it_trains(pandas):
    sequences, y = windows()
    encoder = SequenceEncoder().set_output(transform="pandas" if pandas else "default")
    student = CNN(sequence_length=6, alphabet_size=4, channels=(4,), kernel_size=3)
    teacher = NeuralNet(CNN, module__alphabet_size=4, criterion=torch.nn.MSELoss)
    model = make_pipeline(encoder, DistilledClassifier(teacher=teacher, student=student,
                                                       **FAST)).fit(sequences, y)
    assert np.isfinite(model.predict_proba(sequences)).all()


@pytest.mark.parametrize("size", [{"module__alphabet_size": 4}, {"module__sequence_length": 6}])
def test_one_size_given_on_a_net_spec_takes_the_other_from_the_width(size):
    # masked odd positions read as 3 positions of 8 letters; beside a GRU student, which
    # asked for the values' layout, the teacher's other size came from it (6 x 8 or 3 x 4
    # against 24 columns), while beside an MLP it came from the width
    sequences, y = windows()
    masked = ["".join(c if i % 2 == 0 else "N" for i, c in enumerate(s)) for s in sequences]
    X = SequenceEncoder(alphabet="ACGT", handle_unknown="ignore").fit_transform(masked)
    teacher = NeuralNet(CNN, **size, criterion=torch.nn.MSELoss)
    clf = DistilledClassifier(teacher=teacher, student=GRU, **FAST).fit(X, y)
    module = clf.teacher_.module_
    assert (module.sequence_length, module.alphabet_size) == (6, 4)


@pytest.mark.parametrize("code", [[1, 1, 0, 0], [1, 0, 1, 0]], ids=["M (A or C)", "R (A or G)"])
def test_a_shape_given_to_multi_hot_values_is_taken_as_given(code):
    # two letters at a position (an ambiguity code) are no layout to contradict; with R at
    # every first position, the values read as 12 positions of 2 letters refused it
    sequences, y = windows()
    X = SequenceEncoder().fit_transform(sequences)
    X[:, :4] = code
    student = CNN(sequence_length=6, alphabet_size=4, channels=(4,), kernel_size=3)
    assert DistilledClassifier(student=student, **FAST).fit(X, y).n_iter_ == FAST[
        "meta_epochs"]


@pytest.mark.parametrize("alphabet", ["TGCA", "ACGTN"])
def test_a_shape_given_for_an_alphabet_in_its_own_order_trains(alphabet):
    # feature names in the alphabet's order, not sorted, read as "another column order"
    sequences, y = windows()
    encoder = SequenceEncoder(alphabet=alphabet).set_output(transform="pandas")
    student = CNN(sequence_length=6, alphabet_size=len(alphabet), channels=(4,),
                  kernel_size=3)
    model = make_pipeline(encoder, DistilledClassifier(student=student, **FAST))
    assert np.isfinite(model.fit(sequences, y).predict_proba(sequences)).all()


def test_a_shape_given_for_columns_out_of_position_order_is_refused():
    sequences, y = windows()
    frame = SequenceEncoder().set_output(transform="pandas").fit_transform(sequences)
    shuffled = frame[np.random.default_rng(0).permutation(frame.columns)]
    student = CNN(sequence_length=6, alphabet_size=4, channels=(4,), kernel_size=3)
    with pytest.raises(ValueError, match="feature names give the positions and letters in "
                                         "another column order"):
        DistilledClassifier(student=student, **FAST).fit(shuffled, y)


@pytest.mark.parametrize("teacher", [None, CNN], ids=["alone", "beside a filled-in teacher"])
@pytest.mark.parametrize("unknown", [False, True], ids=["", "one unknown letter"])
def test_a_given_shape_across_the_values_positions_is_warned_of(teacher, unknown):
    # 6 positions of 4 letters given as 4 of 6: blocks that do not nest in the values'
    sequences, y = windows()
    if unknown:  # a position without a letter in one sample
        sequences[0] = "N" + sequences[0][1:]
    X = SequenceEncoder(alphabet="ACGT", handle_unknown="ignore").fit_transform(sequences)
    student = NeuralNet(CNN, module__sequence_length=4, module__alphabet_size=6,
                        criterion=torch.nn.MSELoss)
    clf = DistilledClassifier(student=student, **({} if teacher is None else {"teacher": teacher}),
                              **FAST)
    with pytest.warns(SequenceShapeWarning, match="was given 4 positions of 6 letters, but its one-hot "
                                         "values give 6 positions of 4 letters"):
        clf.fit(X, y)


def test_the_layout_checks_leave_the_callers_sparse_matrix_as_it_is():
    # explicit zeros of the caller's CSR matrix were pruned in place by fit
    sequences, y = windows()
    X = sp.csr_matrix(SequenceEncoder().fit_transform(sequences))
    X.data[::5] = 0
    stored, data = X.nnz, X.data.copy()
    DistilledClassifier(student=CNN, **FAST).fit(X, y)
    assert X.nnz == stored and np.array_equal(X.data, data)


@pytest.mark.parametrize("end", ["end", "start"])
def test_a_given_shape_across_padded_windows_is_warned_of(end):
    # windows of 8 letters padded to 10 positions: the padding counted as positions of no
    # letter, so 4 x 10 given against 10 x 4 trained without a word
    sequences, y = windows(length=8)
    X = SequenceEncoder(length=10).fit_transform(sequences)
    if end == "start":
        X = np.roll(X, 8, axis=1)
    student = CNN(sequence_length=4, alphabet_size=10, channels=(4,), kernel_size=3)
    with pytest.warns(SequenceShapeWarning, match="was given 4 positions of 10 letters, but "
                                                  "its one-hot values give 10 positions of 4"):
        DistilledClassifier(student=student, **FAST).fit(X, y)


@pytest.mark.parametrize("teacher", [None, CNN], ids=["alone", "beside a filled-in teacher"])
def test_a_true_shape_of_mostly_ambiguity_codes_trains(teacher):
    # R (A or G) and Y (C or T) at most positions read as blocks of two letters, and the
    # true 6 x 4 as two positions in one: refused
    rng = np.random.default_rng(0)
    X = np.zeros((120, 24))
    for row in X:
        for position in range(6):
            code = rng.choice(4) if position % 3 == 0 else [[0, 2], [1, 3]][rng.integers(2)]
            row[np.add(position * 4, code)] = 1
    y = np.arange(120) % 2
    student = CNN(sequence_length=6, alphabet_size=4, channels=(4,), kernel_size=3)
    clf = DistilledClassifier(student=student, **({} if teacher is None else {"teacher": teacher}),
                              **FAST)
    assert clf.fit(X, y).n_iter_ == FAST["meta_epochs"]


@pytest.mark.parametrize("offsets", [range(1, 7), range(-5, 1)], ids=["1 to 6", "-5 to 0"])
def test_a_shape_given_for_positions_named_from_any_number_trains(offsets):
    # P1_A ... P6_T read as 7 positions, the first empty: the true 6 x 4 was refused
    sequences, y = windows()
    X = SequenceEncoder().fit_transform(sequences)
    frame = pd.DataFrame(X, columns=[f"P{position}_{letter}" for position in offsets
                                     for letter in "ACGT"])
    student = CNN(sequence_length=6, alphabet_size=4, channels=(4,), kernel_size=3)
    assert DistilledClassifier(student=student, **FAST).fit(frame, y).n_iter_ == FAST[
        "meta_epochs"]
    # beside a teacher whose shape is filled in: a grid of 7 positions, the first empty,
    # failed in the student's forward ("shape '[2, 6, 4]' is invalid for input of size 56")
    clf = DistilledClassifier(teacher=CNN, student=student, **FAST).fit(frame, y)
    assert clf.sequence_shape_ == (6, 4)


def test_a_given_shape_without_the_gap_a_filled_in_teacher_reads_is_refused():
    # p-3 ... p+3 without the site p0: placed in a grid of 7 positions for the teacher, the
    # student given the 6 named failed in its forward ("shape '[2, 6, 4]' is invalid")
    sequences, y = windows()
    X = SequenceEncoder().fit_transform(sequences)
    frame = pd.DataFrame(X, columns=[f"p{offset:+d}_{letter}" for offset in (-3, -2, -1, 1, 2, 3)
                                     for letter in "ACGT"])
    student = CNN(sequence_length=6, alphabet_size=4, channels=(4,), kernel_size=3)
    assert DistilledClassifier(student=student, **FAST).fit(frame, y).n_iter_ == FAST[
        "meta_epochs"]  # alone, it reads the six named positions in order
    with pytest.raises(ValueError, match=r"its feature names give 7 positions of 4 letters "
                                         r"\(gaps included\)"):
        DistilledClassifier(teacher=CNN, student=student, **FAST).fit(frame, y)


@pytest.mark.parametrize("sequences, shape", [
    (["ANT", "CNG", "GNA", "TNC"] * 10, (3, 4)),  # an unknown letter at every middle position
    (["ANCNGNTN", "CNGNANTN", "TNANCNGN"] * 10, (8, 4)),  # at every other position
    (["A", "C", "G", "T"] * 10, (2, 4)),  # windows shorter than the encoder's length
], ids=["middle unknown", "every other unknown", "padded"])
def test_a_true_shape_with_positions_of_no_letter_trains(sequences, shape):
    # such values look like larger blocks (ANT as 2 positions of 6 letters): refused
    y = np.arange(len(sequences)) % 2
    X = SequenceEncoder(alphabet="ACGT", length=shape[0], handle_unknown="ignore"
                        ).fit_transform(sequences)
    student = CNN(sequence_length=shape[0], alphabet_size=4, channels=(4,), kernel_size=1)
    assert DistilledClassifier(student=student, **FAST).fit(X, y).n_iter_ == FAST[
        "meta_epochs"]


def test_an_ambiguity_code_beside_masked_positions_is_no_error():
    # S (C or G) at the middle of 3-mers whose other positions use three letters each read
    # as 4 positions of 3 letters: the true 3 x 4 was refused
    rng = np.random.default_rng(0)
    X = np.zeros((60, 3, 4))
    X[np.arange(60), 0, rng.integers(0, 3, 60)] = 1
    X[:, 1, [1, 2]] = 1
    X[np.arange(60), 2, rng.integers(1, 4, 60)] = 1
    student = CNN(sequence_length=3, alphabet_size=4, channels=(4,), kernel_size=1)
    with pytest.warns(SequenceShapeWarning, match="Read from the values alone"):
        clf = DistilledClassifier(student=student, **FAST).fit(X.reshape(60, 12),
                                                                np.arange(60) % 2)
    assert clf.n_iter_ == FAST["meta_epochs"]


def test_feature_names_of_a_line_end_letter_give_the_shape():
    # "pos8_\n" matched no name, so the shape was not found and the error blamed the encoding
    sequences, y = windows()
    model = make_pipeline(SequenceEncoder(), DistilledClassifier(student=CNN, **FAST))
    with pytest.warns(UserWarning, match="whitespace or control characters"):
        model.set_output(transform="pandas").fit([s + "\n" for s in sequences], y)
    assert model[-1].sequence_shape_ == (7, 5)


@pytest.mark.parametrize("sparse", [False, True], ids=["dense", "sparse"])
def test_one_hot_columns_beside_a_sequence_are_doubted_as_a_layout(sparse):
    # one-hot windows beside a feature of 3 levels were read as blocks that fit by chance
    # (29 x 21 amino acids as 204 positions of 3 letters, 15 % held; these 29 x 4 DNA
    # letters in a 21-letter grid as 102 of 6, 29 %): a CNN read them silently
    sequences, y = windows(n=120, length=29)
    encoded = SequenceEncoder(alphabet="ACDEFGHIKLMNPQRSTVWY-").fit_transform(sequences)
    mixed = np.hstack([encoded, np.eye(3)[np.arange(len(sequences)) % 3]])
    mixed = sp.csr_matrix(mixed) if sparse else mixed
    with pytest.warns(SequenceShapeWarning, match=r"give 102 positions of 6 letters, but only "
                                                  r"29% of the positions from a sample's "
                                                  r"first letter to its last"):
        DistilledClassifier(student=CNN, **FAST).fit(mixed, y)
    # padding at the end leaves positions empty too, after the last letter only; and
    # sequences masked by unknown letters still read (a doubt, not a refusal)
    padded = SequenceEncoder(length=40).fit_transform(
        [s[: 8 + i % 20] for i, s in enumerate(sequences)])
    masked = SequenceEncoder(alphabet="ACGT", handle_unknown="ignore").fit_transform(
        [s[:5] + "n" * 19 + s[24:] for s in sequences])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert DistilledClassifier(student=CNN, **FAST).fit(padded, y).sequence_shape_ == (
            40, 4)
    with pytest.warns(SequenceShapeWarning, match="masked with many unknown letters"):
        assert DistilledClassifier(student=CNN, **FAST).fit(masked, y).sequence_shape_ == (
            29, 4)


def test_a_shape_given_for_letters_in_another_order_at_one_position_is_refused():
    # the positions in order, but pos1's A and C swapped: a net reading blocks of 4 took
    # pos1's C for an A
    rng = np.random.default_rng(0)
    sequences = ["".join(rng.choice(list("ACGT"), 6)) for _ in range(120)]
    y = np.array([s[3] == "A" for s in sequences], dtype=int)
    frame = SequenceEncoder().set_output(transform="pandas").fit_transform(sequences)
    columns = list(frame.columns)
    assert columns[4:6] == ["pos1_A", "pos1_C"]
    columns[4:6] = columns[5], columns[4]
    student = CNN(sequence_length=6, alphabet_size=4, channels=(4,), kernel_size=3)
    with pytest.raises(ValueError, match="feature names give the positions and letters in "
                                         "another column order"):
        DistilledClassifier(student=student, **FAST).fit(frame[columns], y)
