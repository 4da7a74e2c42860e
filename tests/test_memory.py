"""Memory: parts of the data are views, and sparse input is densified one batch at a time."""

import pickle
import tracemalloc
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from sklearn.base import clone

from skdistill import DistilledClassifier
from skdistill._nets import TensorData
from skdistill.modules import MLP

N_ROWS, LENGTH, ALPHABET = 20_000, 29, 21


def one_hot_windows(n_rows, seed=0):
    """Random position-major one-hot windows (float32 CSR) with a planted motif."""
    rng = np.random.default_rng(seed)
    letters = rng.integers(0, ALPHABET, size=(n_rows, LENGTH))
    y = (rng.random(n_rows) < 0.1).astype(int)
    letters[y == 1, LENGTH // 2] = 0
    indices = (letters + np.arange(LENGTH) * ALPHABET).ravel()
    indptr = np.arange(0, n_rows * LENGTH + 1, LENGTH)
    X = sp.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr),
        shape=(n_rows, LENGTH * ALPHABET),
    )
    return X, y


@pytest.mark.parametrize("sparse", [False, True])
def test_subsets_are_views_that_compose(sparse):
    X = np.arange(20, dtype=np.float32).reshape(10, 2)
    data = TensorData(sp.csr_matrix(X) if sparse else X, torch.arange(10))
    inner = data.subset(torch.tensor([8, 6, 4, 2])).subset(torch.tensor([3, 0, 1]))
    assert inner.X is data.X and len(inner) == 3
    for index, rows in [(slice(0, 2), [2, 8]), (torch.tensor([2, 0]), [6, 2])]:
        batch, target = inner.take(index)
        np.testing.assert_array_equal(batch.numpy(), X[rows])
        assert target.tolist() == rows


def test_a_read_only_array_is_shared_and_its_batches_are_copies(tmp_path):
    # a read-only array (pandas 3's to_numpy, a memory map) was copied whole: 118 MB
    # more for 50,000 encoded windows, in fit and in every predict
    expected = np.arange(20, dtype=np.float32).reshape(10, 2)
    np.save(tmp_path / "X.npy", expected)
    read_only = np.load(tmp_path / "X.npy", mmap_mode="r")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # torch's "not writable" warning
        data = TensorData(read_only)
    assert np.shares_memory(data.X.numpy(), read_only)
    for index in (slice(0, 3), torch.tensor([4, 1])):
        batch, _ = data.take(index)
        batch.mul_(0)  # a module that writes into its input
    np.testing.assert_array_equal(read_only, expected)


def test_sparse_fit_and_predict_never_densify_the_whole_matrix():
    X, y = one_hot_windows(N_ROWS)
    dense_bytes = X.shape[0] * X.shape[1] * np.dtype(np.float32).itemsize
    clf = DistilledClassifier(
        teacher=MLP, meta_epochs=1, early_stopping=True, device="cpu", random_state=0
    )
    # A first small fit imports what fit imports lazily (torch's optimizers
    # pull in tens of MB of Python objects), which is not the data's memory.
    clone(clf).fit(X[:200], y[:200])
    # NumPy reports its buffers to tracemalloc: every densified batch (and a
    # dense or CSR copy of X) is counted; the nets' own tensors are not.
    tracemalloc.start()
    try:
        proba = clf.fit(X, y).predict_proba(X)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert proba.shape == (N_ROWS, 2) and np.all(np.isfinite(proba))
    # Densified batches take a few MB; densifying all of X would alone reach the bound.
    assert peak < dense_bytes, (
        f"fit + predict_proba traced a peak of {peak / 2**20:.1f} MB; a dense copy of X "
        f"is {dense_bytes / 2**20:.1f} MB"
    )


def test_a_fitted_model_does_not_grow_with_rows_times_epochs():
    # each net's history kept a record per batch of every epoch: 260 MB at a million
    # rows over 200 meta-epochs, in memory and in every saved file
    X, y = one_hot_windows(4_000)
    clf = DistilledClassifier(teacher=MLP, meta_epochs=2, batch_size=64, early_stopping=False,
                              device="cpu", random_state=0).fit(X, y)
    for net in (clf.student_, clf.teacher_):
        assert [len(batches) for batches in net.history[:, "batches"]] == [1, 1]
        assert net.history[:, "train_batch_count"] == [4_000 // 64 + 1] * 2
        assert np.isfinite(net.history[:, "train_loss"]).all()
    small = pickle.dumps(clf.set_params(warm_start=True))
    big = pickle.dumps(clf.fit(X, y))
    assert len(big) - len(small) < 4_000


def test_a_skorch_checkpoint_finds_its_files_after_fit(tmp_path):
    # its file names read the last batch record of an epoch: an IndexError once they went
    from skorch import NeuralNetBinaryClassifier
    from skorch.callbacks import Checkpoint

    X, y = one_hot_windows(300)
    checkpoint = Checkpoint(monitor="train_loss_best", load_best=False, dirname=str(tmp_path),
                            f_params="params_{last_epoch[epoch]}_{last_batch[train_batch_size]}.pt",
                            f_history=None)
    student = NeuralNetBinaryClassifier(MLP, callbacks=[("checkpoint", checkpoint)])
    clf = DistilledClassifier(student=student, meta_epochs=2, batch_size=64,
                              early_stopping=False, device="cpu", random_state=0).fit(X, y)
    fitted = dict(clf.student_.callbacks_)["checkpoint"]
    assert fitted.get_formatted_files(clf.student_)["f_params"].endswith(".pt")
    clf.student_.load_params(checkpoint=fitted)


def test_sequence_encoder_builds_its_output_without_a_coo_copy():
    # the COO matrix, its int64 row and column arrays and the conversion to CSR took
    # about seven times the sparse output (1.7 GB for a million windows of 31)
    from skdistill.preprocessing import SequenceEncoder

    letters = np.array(list("ACDEFGHIKLMNPQRSTVWY"))
    windows = ["".join(row) for row in np.random.default_rng(0).choice(letters, (N_ROWS, 31))]
    encoder = SequenceEncoder(sparse_output=True).fit(windows)
    tracemalloc.start()
    X = encoder.transform(windows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    output = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    assert peak < 4.5 * output, (peak, output)
    assert X.has_canonical_format and X.indices.dtype == np.int32


def test_sequence_encoder_of_a_given_length_cuts_a_long_sequence_before_splitting_it():
    # fit split every sequence out to the longest before cutting to length: 3.2 GB
    # for 2,000 windows beside one sequence of 200,000 letters
    from skdistill.preprocessing import SequenceEncoder

    windows = ["ACDEFGHIKLMNPQRSTVWYACDEFGHIKLM"] * 200 + ["A" * 20_000]
    tracemalloc.start()
    encoder = SequenceEncoder(length=31).fit(windows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert encoder.length_ == 31
    assert peak < 2_000_000, peak  # the split of all out to 20,000 letters: 32 MB
