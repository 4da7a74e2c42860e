import copy
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.estimator_checks import parametrize_with_checks

import skdistill.preprocessing as preprocessing
from skdistill.preprocessing import (
    SequenceEncoder,
    SequenceLengthWarning,
    UnknownSymbolWarning,
    positions_frame,
)


def test_positions_frame_splits_letters_into_columns():
    frame = positions_frame(["ACG", "TTA"], prefix="p")
    assert list(frame.columns) == ["p0", "p1", "p2"]
    assert frame.loc[1].tolist() == ["T", "T", "A"]


def test_positions_frame_names_missing_and_absent_sequences():
    # None became the row "N o n" ("n a n" for NaN), silently for three-letter windows
    for missing in (None, np.nan):
        with pytest.raises(ValueError, match=r"positions_frame: sample 1 is missing"):
            positions_frame(pd.Series(["ACG", missing, "ACT"]))
    with pytest.raises(ValueError, match="positions_frame: no sequences"):
        positions_frame([])


def test_positions_frame_refuses_numbers_and_empty_sequences():
    # [12, 34] became the digit columns of two "windows" (a label or ID column given
    # by mistake); ["", ""] a frame of no column, refused by the encoder after it
    with pytest.raises(ValueError, match=r"positions_frame: sample 1 is a number, 34, whose "
                                         r"digits are no sequence"):
        positions_frame(pd.Series(["12", 34]))
    with pytest.raises(ValueError, match=r"positions_frame: sample 0 is a number"):
        positions_frame(np.array([12, 34]))
    with pytest.raises(ValueError, match="positions_frame: all 2 sequences are empty"):
        positions_frame(["", ""])


def test_a_given_length_learns_the_alphabet_of_the_positions_it_encodes():
    # letters beyond length were learned (all-zero columns); a first cut to length + 1
    # learned those of one position more alone
    encoder = SequenceEncoder(length=3).fit(["ACDW", "ACDYK", "AC"])
    assert encoder.alphabet_.tolist() == ["A", "C", "D"]
    assert encoder.transform(["ACDW"]).shape == (1, 9)
    # a table of symbols, one per position, alike
    table = np.array([list("ACDW"), list("ACDY")])
    assert SequenceEncoder(length=3).fit(table).alphabet_.tolist() == ["A", "C", "D"]
    assert SequenceEncoder().fit(table).alphabet_.tolist() == ["A", "C", "D", "W", "Y"]


def test_positions_frame_rejects_mixed_lengths():
    with pytest.raises(ValueError, match="one length"):
        positions_frame(["ACG", "TT"])


@parametrize_with_checks([SequenceEncoder()])
def test_sequence_encoder_passes_sklearn_checks(estimator, check):
    # check_fit1d and check_fit2d_predict1d failed: 1-D numbers were read as the
    # text of their digits
    check(estimator)


def test_one_dimensional_numbers_are_no_sequences():
    # a column of features passed by mistake was encoded as digits, without a word
    for one_per_sample in (np.array(["ACD", 7], dtype=object),
                           pd.DataFrame({"x": ["ACD", 7]})):  # a ColumnTransformer's column
        with pytest.raises(ValueError, match=r"SequenceEncoder: X holds numbers as sequences, "
                                             r"one per sample in its 1 feature\(s\) "
                                             r"\(sample 1: 7\)") as refused:
            SequenceEncoder().fit(one_per_sample)
        # reshaping sequences (a Series has no reshape) to one sample is no advice
        assert "Reshape" not in str(refused.value)
    # a missing sequence (an empty CSV cell is NaN) is named as missing, not as a number
    with pytest.raises(ValueError, match="X holds a missing value .* in sample 1"):
        SequenceEncoder().fit(np.array(["ACD", np.nan], dtype=object))
    encoder = SequenceEncoder().fit([["A", 1], ["C", 2]])  # numbers as categories: kept
    with pytest.raises(ValueError, match=r"Reshape your data with X.reshape\(1, -1\)"):
        encoder.transform(np.array([1.5, 2.5]))  # one sample of this table, maybe
    for fitted, numbers in ((SequenceEncoder().fit(["AC", "GT"]), [1.5, 2.5]),
                            (encoder, [1.5, 2.5, 3.5])):  # not as many as its columns
        with pytest.raises(ValueError,
                           match=r"another transformer \(a StandardScaler, say\)\.$"):
            fitted.transform(np.array(numbers))


def _decode(encoder, row):
    """Letters of one encoded row, "" for an all-zero position."""
    grid = row.reshape(encoder.length_, len(encoder.alphabet_))
    return "".join(encoder.alphabet_[g.argmax()] if g.any() else "" for g in grid)


def test_encoding_is_position_major_one_hot():
    encoder = SequenceEncoder(alphabet="ACGT")
    X = encoder.fit_transform(["ACGT", "TTGA"])
    assert X.shape == (2, 16)
    assert X.dtype == np.float32
    assert [_decode(encoder, row) for row in X] == ["ACGT", "TTGA"]
    assert np.array_equal(X.sum(axis=1), [4, 4])


def test_alphabet_and_length_are_learned():
    encoder = SequenceEncoder().fit(["KAC", "CK"])
    assert encoder.alphabet_.tolist() == ["A", "C", "K"]
    assert encoder.length_ == 3
    assert list(encoder.get_feature_names_out()[:4]) == ["pos0_A", "pos0_C", "pos0_K", "pos1_A"]


def test_short_sequences_are_padded_and_long_ones_truncated():
    encoder = SequenceEncoder(alphabet="AC", length=3).fit(["A"])
    X = encoder.transform(["C", "ACAC"])
    assert [_decode(encoder, row) for row in X] == ["C", "ACA"]


def test_lengths_outside_those_of_fit_are_counted_in_a_warning():
    encoder = SequenceEncoder().fit(["ACGTA", "TTGAC"])
    # each count names its first sample, by its letters too: one of 73,927 windows was not
    # to be found, nor one named by its place in the training part skdistill fit drew
    with pytest.warns(SequenceLengthWarning, match=r"2 of 4 sample\(s\) are shorter \(the first: "
                      r"sample 1, 'ACG'\) and 1 longer \(the first: sample 2, 'ACGTA\.\.\.'\) "
                      r".*5 positions") as record:
        X = encoder.transform(["ACGTA", "ACG", "ACGTAC", "AC"])
    assert (record[0].message.n_shorter, record[0].message.n_longer) == (2, 1)
    assert [_decode(encoder, row) for row in X] == ["ACGTA", "ACG", "ACGTA", "AC"]
    with pytest.warns(SequenceLengthWarning, match="the sequences are 2 to 4 letters long"):
        several = SequenceEncoder().fit(["AC", "ACGT"])  # warned of in fit, once
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        several.transform(["ACG", "AC"])  # lengths seen in fit
        SequenceEncoder(length=5).fit(["ACGTA", "AC"]).transform(["AC", "ACGTAC"])  # asked for
    with pytest.warns(SequenceLengthWarning, match="seen in fit .2 to 4 positions"):
        SequenceEncoder().fit(["AC", "ACGT"]).transform(["A"])
    # an empty sequence in fit made 0 the shortest length, and silenced this for good
    with pytest.warns(SequenceLengthWarning, match="seen in fit .2 to 4 positions"):
        SequenceEncoder().fit(["AC", "", "ACGT"]).transform(["A"])


def test_fit_warns_of_several_lengths_and_of_letters_in_both_cases():
    # windows of 21 to 41 letters centred on a site, padded at the end, lost their
    # alignment without a word (a CNN's ROC AUC 0.995 fell to 0.646); soft-masked DNA
    # was learned as eight letters
    with pytest.warns(SequenceLengthWarning, match=r"the sequences are 3 to 5 letters long; "
                                                   r"the 2 shorter ones are padded") as record:
        SequenceEncoder().fit(["ACG", "ACGTA", "", "CGTA"])
    assert record[0].message.n_shorter == 2
    with pytest.warns(UserWarning, match=r"learned letters in both cases, \['A', 'C', 'G', 'T'\] "
                                         "and their lower case"):
        SequenceEncoder().fit(["ACgt", "acGT"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SequenceEncoder(alphabet="ACGTacgt").fit(["ACgt", "acGT"])
        SequenceEncoder().fit([["A", "a"], ["C", "G"]]).fit(["ACGT", "TGCA"])


def test_encoder_warnings_point_at_the_users_call():
    # transform runs inside scikit-learn's output wrapper, and here a Pipeline
    encoder = SequenceEncoder().fit(["ACGTA", "TTGAC"])
    pipeline = make_pipeline(SequenceEncoder(), FunctionTransformer()).fit(["ACGTA"])
    for transform in (encoder.transform, pipeline.transform):
        with pytest.warns(SequenceLengthWarning) as record:
            transform(["ACG"])
        assert record[0].filename == __file__
    with pytest.warns(UnknownSymbolWarning) as record:
        encoder.transform(["ACGTZ"])
    assert record[0].filename == __file__


@pytest.mark.parametrize("handle_unknown", ["ignore", "error"])
def test_unknown_letters(handle_unknown):
    encoder = SequenceEncoder(alphabet="ACGT", handle_unknown=handle_unknown).fit(["ACGT"])
    if handle_unknown == "error":
        with pytest.raises(ValueError, match="Unknown letter 'N' at position 1 of sample 0"):
            encoder.transform(["ANGT"])
    else:
        assert _decode(encoder, encoder.transform(["ANGT"])[0]) == "AGT"
        assert encoder.transform(["ANGT"])[0, 4:8].sum() == 0


def test_an_unknown_letter_in_the_other_case_is_refused_with_the_case_advice():
    # the advice was handle_unknown='ignore', which drops soft-masked bases in silence
    encoder = SequenceEncoder(alphabet="ACGT", handle_unknown="error")
    with pytest.raises(ValueError, match="Unknown letter 'a' at position 4 of sample 0; the "
                       "alphabet is 'ACGT'. The alphabet is case-sensitive: change the case"
                       ) as raised:
        encoder.fit_transform(["ACGTacgtAC"])
    assert "ignore" not in str(raised.value)


def test_padding_is_not_an_unknown_letter():
    encoder = SequenceEncoder(alphabet="AC", handle_unknown="error", length=4).fit(["AC"])
    assert encoder.transform(["A"]).sum() == 1


def test_prefix_and_dtype():
    encoder = SequenceEncoder(alphabet="AC", prefix="site", dtype=np.float64)
    X = encoder.fit_transform(["CA"])
    assert X.dtype == np.float64
    assert list(encoder.get_feature_names_out()) == ["site0_A", "site0_C", "site1_A", "site1_C"]


def test_feature_names_out_checks_input_features_as_scikit_learn_does():
    # input_features were ignored, where OneHotEncoder refuses names it was not fitted on
    frame = pd.DataFrame({"window": ["AC", "CA"]})
    encoder = SequenceEncoder().fit(frame)
    assert list(encoder.get_feature_names_out(["window"])) == list(
        encoder.get_feature_names_out())
    with pytest.raises(ValueError, match="input_features is not equal to feature_names_in_"):
        encoder.get_feature_names_out(["a", "b"])
    with pytest.raises(ValueError, match="input_features should have length equal"):
        SequenceEncoder().fit(["AC", "CA"]).get_feature_names_out(["a", "b"])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, bool])
def test_sparse_output_equals_dense_in_the_dtype_asked(dtype):
    # only the fuzz, by chance of its draw, caught sparse output always float32 and the
    # documented bool refused
    sequences = ["ACGT", "GGA", "TTTT"]
    dense = SequenceEncoder(dtype=dtype).fit_transform(sequences)
    sparse = SequenceEncoder(dtype=dtype, sparse_output=True).fit_transform(sequences)
    assert sp.issparse(sparse)
    assert dense.dtype == sparse.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(sparse.toarray(), dense)
    np.testing.assert_array_equal(dense.astype(np.float32),
                                  SequenceEncoder().fit_transform(sequences))


def test_a_given_alphabet_keeps_its_own_column_order():
    # the index of each letter in the sorted alphabet, not in alphabet_, passed: "TGCA", or
    # amino acids with the gap letter last, put every letter in another letter's column
    # while the feature names kept the given order
    encoder = SequenceEncoder(alphabet="TGCA").fit(["TGCA"])
    assert encoder.alphabet_.tolist() == ["T", "G", "C", "A"]
    assert encoder.get_feature_names_out()[:4].tolist() == [
        "pos0_T", "pos0_G", "pos0_C", "pos0_A"]
    expected = np.eye(4)[[3, 2, 1, 0]].reshape(1, -1)  # A, C, G, T in the columns of TGCA
    np.testing.assert_array_equal(encoder.transform(["ACGT"]), expected)
    sparse = encoder.set_params(sparse_output=True).transform(["ACGT"])
    np.testing.assert_array_equal(sparse.toarray(), expected)
    protein = SequenceEncoder(alphabet="ACD-").fit(["AC-D"])  # "-" sorts first
    np.testing.assert_array_equal(protein.transform(["-"])[0, :4], [0, 0, 0, 1])


@pytest.mark.parametrize(
    "make_input",
    [
        lambda s: s,
        lambda s: np.asarray(s, dtype=object),
        lambda s: pd.Series(s),
        lambda s: pd.DataFrame({"sequence": s}),
        lambda s: np.asarray(s, dtype=object).reshape(-1, 1),
        lambda s: positions_frame(s),
    ],
    ids=["list", "array", "series", "one-column frame", "column", "positions frame"],
)
def test_input_forms_agree(make_input):
    sequences = ["ACGT", "TGCA", "AAAA"]
    expected = SequenceEncoder().fit_transform(sequences)
    assert np.array_equal(SequenceEncoder().fit_transform(make_input(sequences)), expected)


def test_works_in_column_transformer():
    frame = pd.DataFrame({"sequence": ["ACG", "TTA"], "score": [0.5, 1.5]})
    transformer = ColumnTransformer(
        [("seq", SequenceEncoder(), ["sequence"])], remainder="passthrough"
    )
    X = transformer.fit_transform(frame)
    assert X.shape == (2, 4 * 3 + 1)
    assert transformer.get_feature_names_out()[0] == "seq__pos0_A"


def test_pandas_output_carries_the_feature_names():
    encoder = SequenceEncoder(alphabet="AC").set_output(transform="pandas")
    frame = encoder.fit_transform(["AC", "CA"])
    assert list(frame.columns) == ["pos0_A", "pos0_C", "pos1_A", "pos1_C"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"alphabet": "AAC"}, "distinct letters"),
        ({"alphabet": ""}, "distinct letters"),
        ({"length": 0}, "length"),
        ({"length": True}, "length"),
        ({"handle_unknown": "drop"}, "handle_unknown"),
        ({"sparse_output": "yes"}, "sparse_output"),
        ({"dtype": "no-such-type"}, "dtype"),
    ],
)
def test_bad_parameters_are_named(params, message):
    with pytest.raises(ValueError, match=message):
        SequenceEncoder(**params).fit(["ACGT"])


def test_a_failed_refit_leaves_the_encoder_as_it_was():
    # the refit's n_features_in_ of 3 stayed beside the first fit's alphabet and length,
    # and transform refused the data it was fitted on
    sequences = ["ACG", "TTA", "GCA"]
    encoder = SequenceEncoder().fit(sequences)
    expected = encoder.transform(sequences)
    encoder.set_params(alphabet="AAC")
    with pytest.raises(ValueError, match="alphabet must hold distinct letters"):
        encoder.fit(positions_frame(sequences))
    assert not hasattr(encoder, "feature_names_in_")
    np.testing.assert_array_equal(encoder.set_params(alphabet=None).transform(sequences),
                                  expected)


def test_an_interrupted_refit_leaves_the_encoder_as_it_was(monkeypatch):
    # a restore on errors alone (not on Ctrl-C) passed: the refit's n_features_in_ stayed
    # beside the first fit's alphabet
    sequences = ["ACG", "TTA", "GCA"]
    encoder = SequenceEncoder().fit(sequences)
    expected = encoder.transform(sequences)

    def interrupted(alphabet):
        raise KeyboardInterrupt

    monkeypatch.setattr(preprocessing, "_warn_of_blank_letters", interrupted)
    with pytest.raises(KeyboardInterrupt):
        encoder.fit(positions_frame(sequences))
    assert not hasattr(encoder, "feature_names_in_") and encoder.n_features_in_ == 1
    np.testing.assert_array_equal(encoder.transform(sequences), expected)


def test_missing_and_empty_sequences_are_rejected():
    with pytest.raises(ValueError, match="missing value .* in sample 1"):
        SequenceEncoder().fit(np.array([["AC"], [None]], dtype=object))
    with pytest.raises(ValueError, match="NaN"):
        SequenceEncoder().fit(np.array([["AC"], [np.nan]], dtype=object))
    with pytest.raises(ValueError, match="no letters"):
        SequenceEncoder().fit(["", ""])
    # with an alphabet but no length, the length was learned as 1 from no letters at all
    with pytest.raises(ValueError, match="no alphabet or length to learn"):
        SequenceEncoder(alphabet="AC").fit(["", ""])
    encoder = SequenceEncoder(alphabet="AC", length=2, handle_unknown="ignore").fit(["", ""])
    assert encoder.transform(["CA"]).tolist() == [[0, 1, 1, 0]]


@pytest.mark.parametrize(
    "X, message",
    [
        (pd.Series([list("ACG"), list("TTA")]), "sample 0 is of type list"),
        (["ACG", b"TTA", ("A", "C", "G")], "sample 2 is of type tuple"),
    ],
)
def test_sequences_that_are_not_strings_are_named(X, message):
    # a list of letters was encoded as the text "['A', 'C', 'G']"
    with pytest.raises(ValueError, match=f"SequenceEncoder: {message}"):
        SequenceEncoder().fit(X)


@pytest.mark.parametrize("letter", [None, np.nan, 1.5, "\u00e9".encode()])
def test_an_alphabet_of_other_things_than_letters_is_refused(letter):
    # they became the letters "None", "nan", "1.5" (on one string per sample, told to be
    # symbols of several letters)
    with pytest.raises(ValueError, match=r"alphabet must hold letters \(strings, or ASCII "
                                         r"bytes\); got "):
        SequenceEncoder(alphabet=["A", "C", letter]).fit(np.array([["A", "C"], ["C", "A"]]))
    # letters as bytes, as X may hold them, are letters
    encoder = SequenceEncoder(alphabet=[b"A", b"C"]).fit(np.array([[b"A", b"C"]]))
    assert encoder.transform(np.array([[b"C", b"A"]])).tolist() == [[0, 1, 1, 0]]


def test_symbols_of_several_letters_need_one_column_each():
    # every position of "ATGTAA" became all-zero, warned as letters outside 'ATGTAA'
    with pytest.raises(ValueError, match="holds symbols of several letters.*one per column"):
        SequenceEncoder(alphabet=["ATG", "TAA"]).fit(["ATGTAA"])
    # one such symbol beside letters was an all-zero column, in silence
    with pytest.raises(ValueError, match="holds symbols of several letters"):
        SequenceEncoder(alphabet=["A", "C", "ATG"]).fit(["ACA"])
    codons = np.array([["ATG", "TAA"], ["TAA", "ATG"]], dtype=object)
    encoder = SequenceEncoder(alphabet=["ATG", "TAA"]).fit(codons)
    assert encoder.transform(codons).tolist() == [[1, 0, 0, 1], [0, 1, 1, 0]]
    with pytest.warns(UnknownSymbolWarning, match=r"outside the alphabet \['ATG', 'TAA'\]"):
        encoder.transform(np.array([["ATG", "TGA"]], dtype=object))


def test_encoded_crotonylation_windows(crotonylation_sequences):
    sequences, _ = crotonylation_sequences
    X = SequenceEncoder().fit_transform(sequences)
    assert X.shape == (len(sequences), 29 * 21)
    assert np.all(X.sum(axis=1) == 29)


# --- regressions found by fuzzing (issue 10) ---------------------------------------------


@pytest.mark.parametrize(
    "make_input",
    [lambda s: [x.encode() for x in s], lambda s: np.array([x.encode() for x in s]),
     lambda s: pd.Series([x.encode() for x in s]), lambda s: positions_frame(s).map(str.encode)],
    ids=["list", "bytes array", "series", "positions frame"],
)
def test_bytes_are_decoded_not_read_as_their_repr(make_input):
    # b"ACG" was read as the letters of "b'ACG'": an alphabet of "'", "A", ..., "b"
    sequences = ["ACG", "TTA"]
    encoder = SequenceEncoder().fit(make_input(sequences))
    assert encoder.alphabet_.tolist() == ["A", "C", "G", "T"]
    assert encoder.length_ == 3
    expected = SequenceEncoder().fit_transform(sequences)
    assert np.array_equal(encoder.transform(make_input(sequences)), expected)
    with pytest.raises(ValueError, match=r"b'\\xffAC' is not UTF-8 text \(invalid start byte"):
        SequenceEncoder().fit([b"\xffAC"])


@pytest.mark.parametrize("dtype", [object, "string"])
def test_pd_na_is_a_missing_value(dtype):
    # pd.NA ended in "boolean value of NA is ambiguous"
    with pytest.raises(ValueError, match=r"missing value \(None, NaN or pd.NA\) in sample 1"):
        SequenceEncoder().fit(pd.Series(["AC", pd.NA], dtype=dtype))
    encoder = SequenceEncoder().fit(["AC"])
    with pytest.raises(ValueError, match="missing value"):
        encoder.transform(pd.DataFrame({"sequence": ["AC", pd.NA]}, dtype=dtype))


def test_unknown_lowercase_and_empty_sequences_are_counted_in_a_warning():
    # they became all-zero rows without a word
    encoder = SequenceEncoder().fit(["ACGT", "TTGA"])
    with pytest.warns(UnknownSymbolWarning, match="case-sensitive") as record:
        X = encoder.transform(["acgt", "", "NNNN", "ACGN", "ACGT"])
    warning = record[0].message
    assert (warning.n_unknown, warning.n_all_zero) == (3, 3)
    assert X[:3].sum() == 0 and X[3].sum() == 3


def test_known_letters_give_no_warning_and_ignore_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SequenceEncoder().fit_transform(["ACGT", "TTGA"])
        SequenceEncoder(handle_unknown="ignore").fit(["AC"]).transform(["", "xy"])


def test_error_mode_still_counts_empty_sequences():
    encoder = SequenceEncoder(handle_unknown="error").fit(["AC"])
    with pytest.warns(UnknownSymbolWarning) as record:
        encoder.transform(["", "CA"])
    assert (record[0].message.n_unknown, record[0].message.n_all_zero) == (0, 1)
    # it led with "0 of 2 sample(s) hold letters outside the alphabet 'AC' ([])"
    assert str(record[0].message).startswith(
        "SequenceEncoder: 1 of 2 sample(s) (the first: sample 0, '') are all-zero rows (empty, "
        "or no letter of the alphabet 'AC').")


@pytest.mark.parametrize("dtype", [str, object, "U3", None])
def test_dtype_must_be_numeric(dtype):
    # None was NumPy's float64
    with pytest.raises(ValueError, match="not a numeric NumPy dtype"):
        SequenceEncoder(dtype=dtype).fit(["AC"])


@pytest.mark.parametrize("encode", [
    lambda prefix: SequenceEncoder(prefix=prefix).fit(["AC"]),
    lambda prefix: positions_frame(["AC"], prefix=prefix),
], ids=["SequenceEncoder", "positions_frame"])
def test_a_prefix_ending_in_a_digit_or_a_sign_is_refused(encode):
    # "win1" named position 0 "win10_A", read back as position 10; "win-" would name
    # position 1 "win-1_A", an offset of -1
    for prefix in ("win1", "win-", "win+"):
        with pytest.raises(ValueError, match=rf"prefix='{re.escape(prefix)}' ends in "
                                             rf"'{re.escape(prefix[-1])}', so the names of "
                                             "positions would be misread"):
            encode(prefix)
    encode("pos²")  # would not be misread


def test_a_prefix_set_after_fit_is_checked_where_it_is_used():
    # set_params(prefix="win-") after fit named positions that read back reversed
    encoder = SequenceEncoder().fit(["AC"]).set_params(prefix="win-")
    for use in (encoder.get_feature_names_out, lambda: encoder.transform(["AC"])):
        with pytest.raises(ValueError, match="prefix='win-' ends in '-'"):
            use()


def test_positions_frame_names_a_prefix_that_is_no_string():
    with pytest.raises(ValueError, match="prefix must be a string; got 1"):
        positions_frame(["AC"], prefix=1)


@pytest.mark.parametrize("sequences", [{"ACG", "TTA"}, frozenset({"ACG"}), {"id1": "ACG"},
                                       {"id1": "ACG"}.keys()])
def test_positions_frame_refuses_collections_without_an_order_of_samples(sequences):
    # a set's rows came out in hash order, which no labels line up with; a dict's keys
    with pytest.raises(ValueError, match=rf"positions_frame: sequences is of type "
                       rf"{type(sequences).__name__}; give the sequences as a list"):
        positions_frame(sequences)
    assert positions_frame(iter(["ACG", "TTA"])).shape == (2, 3)


def test_positions_frame_refuses_a_single_string():
    # "ACGT" came back as four sequences of one letter, a (4, 1) frame
    with pytest.raises(ValueError, match=r"positions_frame: got a single string; give a list "
                                         r"of sequences \(\['ACGT'\] for one\)"):
        positions_frame("ACGT")
    assert positions_frame(["ACGT"]).shape == (1, 4)
    # a frame gave its column names as the sequences
    with pytest.raises(ValueError, match=r"positions_frame: got a DataFrame; give its column "
                                         r"of sequences \(frame\['sequence'\]\)"):
        positions_frame(pd.DataFrame({"sequence": ["ACGT", "TTAA"]}))
    assert positions_frame(pd.Series(["ACGT", "TTAA"])).shape == (2, 4)


def test_float16_output_is_dense_and_refused_sparse():
    # fit accepted it and every transform failed in scipy
    X = SequenceEncoder(dtype=np.float16).fit_transform(["ACG", "GCA"])
    assert X.dtype == np.float16
    np.testing.assert_array_equal(X, SequenceEncoder().fit_transform(["ACG", "GCA"]))
    with pytest.raises(ValueError, match="float16 needs sparse_output=False"):
        SequenceEncoder(dtype=np.float16, sparse_output=True).fit(["ACG"])
    # set after fit: a float32 matrix came back in silence
    encoder = SequenceEncoder(dtype=np.float16).fit(["ACG"]).set_params(sparse_output=True)
    with pytest.raises(ValueError, match="float16 needs sparse_output=False"):
        encoder.transform(["ACG"])


def test_one_long_sequence_does_not_widen_the_work_of_transform():
    # every window was padded to the longest input first: 2,000 windows and one
    # protein of 100,000 residues took 1.6 GB for an output of 6.6 MB
    import tracemalloc

    windows = ["ACDEFGHIK" * 4 + "L"] * 2000
    encoder = SequenceEncoder(length=41).fit(windows)
    tracemalloc.start()
    X = encoder.transform(windows + ["M" * 100_000])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 100 * 2**20
    np.testing.assert_array_equal(X[-1], encoder.transform(["M" * 41])[0])


@pytest.mark.parametrize("single", ["ACGT", b"ACGT", np.str_("ACGT"), np.array("ACGT")],
                         ids=["str", "bytes", "np.str_", "0-d array"])
def test_sequence_encoder_refuses_a_single_string(single):
    # scikit-learn's "Expected 2D array, got scalar array instead" named no sequence
    encoder = SequenceEncoder().fit(["ACGT", "TTAA"])
    with pytest.raises(ValueError, match=r"SequenceEncoder: got a single string; give a list "
                                         r"of sequences \(\['ACGT'\] for one\)"):
        encoder.transform(single)
    with pytest.raises(ValueError, match="SequenceEncoder: got a single string"):
        SequenceEncoder().fit(single)
    assert encoder.transform(["ACGT"]).shape == (1, 16)


@pytest.mark.parametrize("make", [lambda: (s for s in ["ACGT", "TTAA"]),
                                  lambda: {"ACGT", "TTAA"}, lambda: {0: "ACGT"}.values()],
                         ids=["generator", "set", "dict view"])
def test_sequence_encoder_names_a_container_without_order(make):
    # scikit-learn's "Expected 2D array, got scalar array ... reshape(-1, 1)" cannot help
    given = make()
    message = (rf"SequenceEncoder: X is of type {type(given).__name__}; give the sequences "
               "as a list, array, Series or DataFrame")
    with pytest.raises(ValueError, match=message):
        SequenceEncoder().fit(given)
    encoder = SequenceEncoder().fit(["ACGT", "TTAA"])
    with pytest.raises(ValueError, match=message):
        encoder.transform(make())
    assert encoder.transform(("ACGT",)).shape == (1, 16)


def test_sequence_encoder_names_bytes_that_are_not_utf8():
    # a bare UnicodeDecodeError named neither the sequence nor the encoder
    latin = "ACGTÉ".encode("latin-1")
    with pytest.raises(ValueError, match=r"SequenceEncoder: b'ACGT\\xc9' is not UTF-8 text "
                                         r"\(unexpected end of data at byte 4\)"):
        SequenceEncoder().fit([b"ACGT", latin])
    encoder = SequenceEncoder().fit([b"ACGT"])
    with pytest.raises(ValueError, match="is not UTF-8 text"):
        encoder.transform(np.array([latin]))


def test_positions_frame_keeps_the_index_of_a_series():
    # a filtered frame's windows and other columns no longer lined up
    frame = pd.DataFrame({"sequence": ["AAK", "CCK", "GGK", "TTK"], "charge": [1, 2, 3, 4]})
    kept = frame[frame.charge > 2]
    positions = positions_frame(kept["sequence"])
    assert positions.index.tolist() == [2, 3]
    assert pd.concat([positions, kept[["charge"]]], axis=1).notna().all().all()


def test_line_ends_learned_as_letters_are_warned_of():
    # readlines() kept "\n": learned as a letter and a position, silently
    with pytest.warns(UserWarning, match=r"whitespace or control characters as letters: "
                                         r"\['\\n'\].*str\.strip"):
        SequenceEncoder().fit(["ACG\n", "TTA\n"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SequenceEncoder(alphabet="ACGT", handle_unknown="ignore").fit(["ACG\n"])


@pytest.mark.parametrize("encode", [
    lambda X: SequenceEncoder().fit(X),
    lambda X: SequenceEncoder().fit(["AC"]).transform(X),
    lambda X: SequenceEncoder().fit(pd.DataFrame({"p0": ["A", "C"], "p1": X})),
    positions_frame,
], ids=["fit", "transform", "table", "positions_frame"])
def test_a_nul_character_is_refused(encode):
    # NumPy's strings dropped it at the end ("A\x00" learned 2 positions of 1 letter)
    # and transform read it as padding
    with pytest.raises(ValueError, match=r"'A\\x00' holds a NUL character"):
        encode(["A\x00", "CG"])


def test_a_given_alphabet_refuses_unknown_letters_in_fit_with_handle_unknown_error():
    # fit accepted them, as OneHotEncoder(categories=...) does not
    with pytest.raises(ValueError, match="Unknown letter 'U' at position 3 of sample 0"):
        SequenceEncoder(alphabet="ACGT", handle_unknown="error").fit(["ACGU"])
    # a letter beyond length is cut, in fit as in transform
    encoder = SequenceEncoder(alphabet="ACGT", length=3, handle_unknown="error")
    assert encoder.fit_transform(["ACGU"]).shape == (1, 12)


def test_an_encoder_fitted_before_the_length_rule_was_kept_still_transforms():
    # fitted by an earlier version, it has no _length_learned: an AttributeError
    encoder = SequenceEncoder().fit(["AC", "GT"])
    del encoder._length_learned
    with pytest.warns(SequenceLengthWarning, match="1 longer"):
        assert encoder.transform(["ACG"]).shape == (1, 8)


def test_parameters_set_after_fit_are_checked_or_the_fitted_ones_used():
    encoder = SequenceEncoder().fit(["AC", "GT"])
    with pytest.warns(SequenceLengthWarning, match="1 longer"):  # length_ learned: 2
        assert encoder.set_params(length=5).transform(["ACGTA"]).shape == (1, 8)
    with pytest.raises(ValueError, match="is not a numeric NumPy dtype"):
        SequenceEncoder().fit(["AC"]).set_params(dtype=str).transform(["AC"])
    with pytest.raises(ValueError, match="'handle_unknown' parameter"):
        SequenceEncoder().fit(["AC"]).set_params(handle_unknown="raise").transform(["AX"])


def test_a_table_of_whole_sequences_is_warned_of():
    # two columns of windows were read as two positions of whole-window symbols: 600
    # symbols for 300 rows, a model that memorised its rows without a word
    rng = np.random.default_rng(0)
    windows = ["".join(rng.choice(list("ACDEFGHIK"), 15)) for _ in range(300)]
    table = pd.DataFrame({"window": windows, "flank": [w[::-1] for w in windows]})
    with pytest.warns(UserWarning, match="learned 300 symbols from the 300 cells of column 0, "
                                         "reading a table.*its own SequenceEncoder"):
        SequenceEncoder().fit(table)
    # nor do short columns beside it, or repeated rows, hide it
    covariates = table.assign(flank=np.arange(300) % 3, other=np.arange(300) % 2)
    for hidden in (covariates, pd.concat([table, table])):
        with pytest.warns(UserWarning, match="learned 300 symbols from the"):
            SequenceEncoder().fit(hidden)
    dipeptides = [a + b for a in "ACDEFGHIKLMNPQRSTVWY" for b in "ACDEFGHIKLMNPQRSTVWY"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SequenceEncoder().fit(positions_frame(windows))  # one letter per cell
        SequenceEncoder().fit(pd.DataFrame(rng.choice(dipeptides, size=(30, 14))))


def test_an_empty_sample_is_told_to_go():
    # the warning advised handle_unknown='error', the setting already in use
    encoder = SequenceEncoder(handle_unknown="error").fit(["ACDK", "KLMN"])
    with pytest.warns(UnknownSymbolWarning, match="Remove the empty samples: "
                                                  "handle_unknown='error' refuses unknown"):
        encoder.transform(["ACDK", ""])
    # and under the default 'warn', which advised 'error' for them
    encoder = SequenceEncoder().fit(["ACDK", "KLMN"])
    with pytest.warns(UnknownSymbolWarning) as record:
        encoder.transform(["ACDK", ""])
    assert str(record[0].message).endswith(
        "Remove the empty samples: handle_unknown='error' refuses unknown letters only, and "
        "'ignore' encodes them silently.")
    with pytest.warns(UnknownSymbolWarning) as record:
        encoder.transform(["ACDX", ""])
    assert "Set handle_unknown='error' to refuse unknown letters, or 'ignore' to encode " \
        "them silently. Remove the empty samples" in str(record[0].message)


def test_letters_without_another_case_are_not_warned_of_as_both_cases():
    # "𝔸" is upper case and its own swapcase: it was named among letters in both cases
    with pytest.warns(UserWarning, match=r"in both cases, \['B'\] and"):
        SequenceEncoder().fit(["𝔸B", "bB"])


@pytest.mark.parametrize("X", [["AC", "CA"], np.array([["A", "C"], ["C", "A"]])],
                         ids=["sequences", "table"])
def test_an_empty_letter_in_a_given_alphabet_is_refused(X):
    # "" is the padding: short sequences would be encoded as holding a letter
    with pytest.raises(ValueError, match="alphabet must not contain the empty string"):
        SequenceEncoder(alphabet=["A", "C", ""]).fit(X)


@pytest.mark.parametrize("alphabet", [np.array("ACGT"), np.array([["A", "C"], ["G", "T"]])],
                         ids=["0-d", "2-d"])
def test_an_alphabet_array_of_other_than_one_dimension_is_refused_naming_it(alphabet):
    # a 0-d array passed the parameter check, then fit raised "iteration over a 0-d array"
    with pytest.raises(ValueError, match=r"^alphabet must be a string or a one-dimensional "
                                         rf"sequence of letters; got an array of "
                                         rf"{alphabet.ndim} dimensions"):
        SequenceEncoder(alphabet=alphabet).fit(["ACGT"])
    with pytest.raises(ValueError, match="^alphabet must hold distinct"):
        SequenceEncoder(alphabet="AA").fit("ACGT")  # the parameter before X
    encoder = SequenceEncoder(alphabet=np.array(list("ACGT"))).fit(["ACGT"])
    assert encoder.alphabet_.tolist() == list("ACGT")


def test_one_number_given_to_an_encoder_of_sequences_gets_no_reshape_advice():
    # to an encoder of one column one number is no sample of a table: X.reshape(1, -1)
    # would not help
    encoder = SequenceEncoder().fit(["AC", "GT"])
    with pytest.raises(ValueError, match="X holds numbers as sequences") as refused:
        encoder.transform(np.array([1.5]))
    assert "Reshape" not in str(refused.value)


def test_a_byte_order_mark_learned_as_a_letter_is_warned_of():
    # a warning of characters both blank and unprintable passed: a file read as "utf-8",
    # not "utf-8-sig", starts its first sequence with U+FEFF, neither
    with pytest.warns(UserWarning, match="whitespace or control characters as letters: "
                                         r"\['\\ufeff'\]"):
        SequenceEncoder().fit(["\ufeffACG", "TTAC"])


def test_a_table_of_a_few_longer_symbols_in_many_rows_is_no_table_of_sequences():
    # counting cells, not distinct symbols, passed: a few pentamers in 300 rows were warned
    # of as whole sequences read one per cell
    kmers = ["AACGT", "CCGTA", "GGTAC", "TTACG", "ACGTA", "CGTAC"]
    table = pd.DataFrame(np.random.default_rng(0).choice(kmers, size=(300, 3)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert SequenceEncoder().fit(table).alphabet_.tolist() == sorted(kmers)


def test_unknown_letters_alone_are_not_told_to_be_removed_as_empty():
    # a row of unknown letters only (all zero, not empty) was advised to remove empty samples
    encoder = SequenceEncoder().fit(["ACGT"])
    with pytest.warns(UnknownSymbolWarning) as record:
        encoder.transform(["NNNN"])
    assert (record[0].message.n_unknown, record[0].message.n_all_zero) == (1, 1)
    assert "Remove the empty samples" not in str(record[0].message)
    assert "Set handle_unknown='error'" in str(record[0].message)


def test_an_empty_sequence_is_no_shorter_sequence():
    # an empty sample counted as shorter too (besides as all zero) was caught only by a test
    # of handle_unknown='ignore'
    encoder = SequenceEncoder().fit(["ACGT", "TTGA"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        encoder.transform(["ACGT", ""])
    assert [w.category for w in caught] == [UnknownSymbolWarning]
    assert (caught[0].message.n_unknown, caught[0].message.n_all_zero) == (0, 1)


def test_a_whole_float_is_the_integer_symbol_it_equals():
    # 1.0 was the letter "1.0", unknown to an encoder fitted on 1 (as pandas makes an
    # int column float): its rows came out all zeros, where OneHotEncoder takes 1 == 1.0
    table = pd.DataFrame({"p0": [1, 2, 3, 1], "p1": [3, 1, 2, 2]})
    encoder = SequenceEncoder(handle_unknown="error").fit(table.astype(float))
    assert encoder.alphabet_.tolist() == ["1", "2", "3"]
    expected = encoder.transform(table)
    np.testing.assert_array_equal(encoder.transform(table.assign(p1=table["p1"] * 1.0)),
                                  expected)
    np.testing.assert_array_equal(encoder.transform(table.to_numpy(dtype=np.float32)),
                                  expected)
    assert SequenceEncoder().fit(table / 2).alphabet_.tolist() == ["0.5", "1", "1.5"]
    # a column of text "1.0" beside a float column: 1.0 and 2.0 are the integers fit read
    mixed = pd.DataFrame({"p0": ["1.0", "1", "2"], "p1": [1.0, 2.0, 1.0]})
    mixed_encoder = SequenceEncoder(handle_unknown="error").fit(mixed)
    assert mixed_encoder.alphabet_.tolist() == ["1", "1.0", "2"]
    np.testing.assert_array_equal(mixed_encoder.transform(mixed)[:, 3:],
                                  [[1, 0, 0], [0, 0, 1], [1, 0, 0]])
    # an encoder fitted by skdistill 0.1, which learned "1.0", reads 1.0 so still
    earlier = copy.deepcopy(encoder)
    earlier.alphabet_ = np.array(["1.0", "2.0", "3.0"])
    np.testing.assert_array_equal(earlier.transform(table.astype(float)), expected)
    # and so does fit, given that alphabet: it read 1.0 as "1" and refused its own data
    floats = table.astype(float)
    for alphabet in (["1.0", "2.0", "3.0"], ("1.0", "2.0", "3.0"), [b"1.0", b"2.0", b"3.0"],
                     np.array(["1.0", "2.0", "3.0"])):
        for X in (floats, floats.astype(np.float32), floats.astype(object),
                  floats.astype("Float64"), floats.to_numpy()):
            given = SequenceEncoder(alphabet=alphabet, handle_unknown="error")
            np.testing.assert_array_equal(given.fit_transform(X), expected)


def test_nullable_columns_give_the_symbols_of_their_numpy_dtypes():
    # a nullable Int64 table learned "0.0", "1.0"; fitted on int64 and given Int64, every
    # cell was an unknown letter
    table = pd.DataFrame(np.random.default_rng(0).integers(0, 3, (20, 3)),
                         columns=["p0", "p1", "p2"])
    encoder = SequenceEncoder().fit(table)
    assert encoder.alphabet_.tolist() == ["0", "1", "2"]
    np.testing.assert_array_equal(encoder.transform(table.astype("Int64")),
                                  encoder.transform(table))
    flags = table > 0
    assert (SequenceEncoder().fit(flags.astype("boolean")).alphabet_.tolist()
            == SequenceEncoder().fit(flags).alphabet_.tolist() == ["False", "True"])
    # a frame and its numpy array alike, columns of several dtypes too
    mixed = table.assign(p2=table["p2"] / 2)
    # a sparse column of numbers is no nullable one (it has no numpy_dtype)
    sparse = pd.DataFrame({"a": pd.arrays.SparseArray([0, 1, 0]), "b": ["G", "T", "A"]})
    assert SequenceEncoder().fit(sparse).alphabet_.tolist() == ["0", "1", "A", "G", "T"]
    for frame in (mixed, mixed.astype({"p0": "Int64"})):
        np.testing.assert_array_equal(SequenceEncoder().fit(frame).transform(mixed.to_numpy()),
                                      SequenceEncoder().fit(mixed.to_numpy()).transform(frame))


def test_padding_goes_after_the_letters_and_the_cut_takes_the_first_ones():
    # _decode skips all-zero positions: "C" padded at the start decoded as "C" too
    # (and "C" beside "ACAC" was padded by NumPy's array of strings, not by the encoder:
    # only a call whose sequences are all shorter than length_ pads them itself)
    encoder = SequenceEncoder(alphabet="AC", length=3).fit(["A"])
    short, long = [0, 1, 0, 0, 0, 0], [1, 0, 0, 1, 1, 0]
    np.testing.assert_array_equal(encoder.transform(["C"]), [short])
    np.testing.assert_array_equal(encoder.transform(["ACAC"]), [long])
    np.testing.assert_array_equal(encoder.transform(["C", "ACAC"]), [short, long])
