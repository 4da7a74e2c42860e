"""Randomness of one fit, all of it drawn from the estimator's ``random_state``.

Nets draw weight initialisation, dropout and batch order from torch's global
generator; scikit-learn teachers draw from their own ``random_state`` or,
left at None, from NumPy's global generator. A fit seeds all of them from its
own RandomState, so an int ``random_state`` repeats a fit exactly on the CPU,
and hands the caller's global states back untouched.
"""

import threading
from contextlib import contextmanager

import numpy as np
import torch


#: torch's and NumPy's global generators belong to the process: seeded blocks
#: in threads of one process take turns, or they would draw from each other's.
_GLOBAL_GENERATORS = threading.RLock()
#: How many seeded blocks the current thread is in (the lock's depth).
_SEEDED = threading.local()
#: torch's default dtype is process-wide too: float32 while any fit (or prediction
#: under another default) runs in any thread; the caller's dtype comes back when the
#: last of them ends.
#: The global random states are kept alike over the fits (blocks of several threads
#: overlap while a teacher has the generators lent out, and need not end in the
#: order they began).
_CALLER_LOCK = threading.Lock()
_DTYPE = {"blocks": 0, "caller": None}
_GENERATORS = {"blocks": 0, "numpy": None, "torch": None}


@contextmanager
def float32_by_default(where_needed=False):
    """torch's default dtype float32 for a block, in every thread; the caller's
    back when the last of the blocks that overlap ends.

    ``where_needed`` (predictions): touch nothing where the default is float32
    already and no other block runs, so that threads serving predictions leave
    the others' default alone. A fit is always a block: a prediction or fit in
    another thread that ends while it runs gives back no other default."""
    with _CALLER_LOCK:
        counted = (not where_needed or _DTYPE["blocks"] > 0
                   or torch.get_default_dtype() != torch.float32)
        if counted:
            if _DTYPE["blocks"] == 0:
                _DTYPE["caller"] = torch.get_default_dtype()
            _DTYPE["blocks"] += 1
            torch.set_default_dtype(torch.float32)
    try:
        yield
    finally:
        if counted:
            with _CALLER_LOCK:
                _DTYPE["blocks"] -= 1
                if _DTYPE["blocks"] == 0:
                    torch.set_default_dtype(_DTYPE["caller"])


@contextmanager
def callers_state_kept():
    """:func:`float32_by_default`, and torch's and NumPy's global random states
    back when the last of the blocks that overlap ends: for fits, which seed
    them. Predictions take the dtype alone: states put back after them would
    rewind what other threads drew meanwhile."""
    with float32_by_default():
        with _CALLER_LOCK:
            if _GENERATORS["blocks"] == 0:
                _GENERATORS.update(numpy=np.random.get_state(), torch=torch.get_rng_state())
            _GENERATORS["blocks"] += 1
        try:
            yield
        finally:
            with _CALLER_LOCK:
                _GENERATORS["blocks"] -= 1
                if _GENERATORS["blocks"] == 0:
                    np.random.set_state(_GENERATORS["numpy"])
                    torch.set_rng_state(_GENERATORS["torch"])


@contextmanager
def _own_states_kept(cuda_devices):
    """torch's and NumPy's global random states put back after a block (so that
    a block nested in another leaves the outer one's streams as they were)."""
    numpy_state = np.random.get_state()
    try:
        with torch.random.fork_rng(devices=cuda_devices):
            yield
    finally:
        np.random.set_state(numpy_state)


@contextmanager
def seeded_global_generators(seed, device):
    """Seed torch's and NumPy's global generators for a block; restore them after.

    One block runs at a time in a process (a reentrant lock), so that fits in
    threads (joblib's threading backend) repeat exactly as they do one after
    another.

    torch's default dtype, process-wide too, is float32 in the block (see
    :func:`callers_state_kept`): the nets are built in the dtype of their data.

    Parameters
    ----------
    seed : int
    device : torch.device
        A CUDA device has its generator forked and seeded too.
    """
    cuda_devices = [device.index or 0] if device.type == "cuda" else []
    with _GLOBAL_GENERATORS:
        _SEEDED.depth = getattr(_SEEDED, "depth", 0) + 1
        try:
            with callers_state_kept(), _own_states_kept(cuda_devices):
                torch.manual_seed(seed)
                np.random.seed(seed)
                yield
        finally:
            _SEEDED.depth -= 1


@contextmanager
def generators_lent_out():
    """Let other threads seed the global generators during a block; this
    thread's states are put back after it.

    A scikit-learn teacher may fit skdistill estimators in threads of its own
    (a ``VotingClassifier`` with ``n_jobs`` under joblib's threading backend):
    holding the lock while it fits would leave them waiting for ever.
    """
    depth = getattr(_SEEDED, "depth", 0)
    if depth == 0:
        yield
        return
    with torch.random.fork_rng(devices=[]):
        numpy_state = np.random.get_state()
        for _ in range(depth):
            _GLOBAL_GENERATORS.release()
        _SEEDED.depth = 0
        try:
            yield
        finally:
            for _ in range(depth):
                _GLOBAL_GENERATORS.acquire()
            _SEEDED.depth = depth
            np.random.set_state(numpy_state)
            torch.set_default_dtype(torch.float32)  # whatever the teacher set
