"""A grid search run through joblib's Dask backend on a cluster of process workers.

Process workers (not threads) make every candidate travel to another Python
process and its scores travel back, so anything that does not pickle fails
here as it would on a real cluster.
"""

from contextlib import contextmanager

import joblib
import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skdistill import DistilledClassifier
from skdistill.modules import MLP

from .conftest import FAST

distributed = pytest.importorskip(
    "distributed", reason='the Dask test needs distributed: pip install "skdistill[dask]"'
)

GRID = {"alpha": [0.25, 0.75], "beta": [0.25, 0.75]}


def make_search():
    return GridSearchCV(
        DistilledClassifier(teacher=MLP, **FAST, device="cpu", random_state=0),
        GRID, scoring="roc_auc", cv=StratifiedKFold(2), refit=False,
    )


@contextmanager
def torch_threads(n_threads):
    """Run with ``n_threads`` torch threads, as a Dask worker does (it sets
    OMP_NUM_THREADS=1), so that local and remote sums add up alike."""
    before = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def test_grid_search_on_a_local_cluster_matches_a_local_search(imbalanced_arrays):
    X, y = imbalanced_arrays
    with torch_threads(1):
        local = make_search().fit(X, y)

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as task_stream,
        joblib.parallel_backend("dask"),
    ):
        remote = make_search().fit(X, y)
        worker_addresses = set(client.scheduler_info()["workers"])

    # every fit ran in a worker process of the cluster
    assert task_stream.data
    assert {task["worker"] for task in task_stream.data} <= worker_addresses
    assert remote.cv_results_["params"] == local.cv_results_["params"]
    for split in range(2):
        key = f"split{split}_test_score"
        assert np.all(np.isfinite(remote.cv_results_[key]))
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key])
