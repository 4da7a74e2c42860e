"""The teachers of one fit: nets trained in rounds, estimators fitted once, frozen ones.

Each kind answers the same two questions: how is it trained (``train_round``,
a no-op once fitted) and what are its logits for a part of the data. The
classifier fuses the answers of all its teachers. One rule serves every
cache: a teacher's logits for a named part are kept until it trains again.
"""

import numpy as np
import torch
from sklearn.exceptions import NotFittedError, UnsetMetadataPassedError
from sklearn.frozen import FrozenEstimator
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.validation import _check_method_params

from ._nets import keeps_its_type, predict_logits, train_round
from ._random import generators_lent_out
from .fusion import fuse_teacher_logits, probabilities_to_logits


class StandIn:
    """Marks a stand-in for a teacher that is not there (one a model file could
    not keep): its settings are not the teacher's, and a warm fit compares none."""


class TeacherUnavailableError(ValueError):
    """Raised by a stand-in for a teacher that is not there (one a model file
    could not keep): its message is the one to see, passed on as it is."""


class _Teacher:
    """Base: the cache of logits per part name; ``role`` names the teacher in
    messages: "teacher", or "teacher[i]" in a list."""

    #: For teachers loaded from files written before the role was kept.
    role = "teacher"

    def __init__(self, estimator, sample, role="teacher"):
        self.estimator = estimator
        self.sample = sample
        self.role = role
        self._logits = {}

    def logits(self, part):
        """Logits for a :class:`~skdistill._training.Part`, kept until the next round.

        ``part.name`` None marks data seen once (new samples at predict time),
        which is not kept.
        """
        if part.name in self._logits:
            return self._logits[part.name]
        logits = self._compute_logits(part)
        if part.name is not None:
            self._logits[part.name] = logits
        return logits

    def forget(self):
        """Drop the kept logits."""
        self._logits.clear()


class NetTeacher(_Teacher):
    """A skorch net trained by the classifier, ``teacher_epochs`` per round.

    Parameters
    ----------
    net : skorch.NeuralNet
        Initialised, untrained.
    binary : bool
        Whether there are two classes.
    sample : ndarray of int or None, default=None
        Rows of the training data it sees (a bootstrap sample); None for all.
    role : str, default="teacher"
        How messages name it: "teacher", or "teacher[i]" in a list.
    """

    trains_in_rounds = True

    def __init__(self, net, binary, sample=None, role="teacher"):
        super().__init__(net, sample, role)
        self.binary = binary

    def data(self, part):
        """The rows of ``part`` it trains on: its sample's, or all."""
        if self.sample is None:
            return part.data
        return part.data.subset(torch.as_tensor(self.sample))

    def train_round(self, part):
        """Train for one round on the (sampled) training part; return the loss."""
        loss = train_round(self.estimator, self.data(part), self.role)
        self.forget()
        return loss

    def _compute_logits(self, part):
        return predict_logits(self.estimator, part.data, self.binary)


class EstimatorTeacher(_Teacher):
    """A scikit-learn classifier, fitted once (on the raw input) or already frozen.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
        A :class:`sklearn.frozen.FrozenEstimator` is never fitted; anything
        else is fitted in the first round (pass a clone).
    classes : ndarray
        The classifier's ``classes_``: the teacher's probability columns are
        put in this order.
    sample : ndarray of int or None, default=None
        Rows it is fitted on (a bootstrap sample); None for all.
    fitted : bool, default=False
        Whether ``estimator`` was fitted by an earlier fit and is kept as it
        is (a warm start).
    fit_params : dict or None, default=None
        Metadata for ``fit`` (``sample_weight``, or what metadata routing
        sends it), of every sample of the fit: each array of that length is
        cut to the rows the teacher is fitted on.
    role : str, default="teacher"
        How messages name it: "teacher", or "teacher[i]" in a list.
    """

    trains_in_rounds = False

    def __init__(self, estimator, classes, sample=None, fitted=False, fit_params=None,
                 role="teacher"):
        super().__init__(estimator, sample, role)
        self.classes = classes
        self.fit_params = {} if fit_params is None else fit_params
        self._fitted = fitted or isinstance(estimator, FrozenEstimator)

    def train_round(self, part):
        """Fit once, in the first round; later rounds change nothing."""
        if not self._fitted:
            y = part.y if self.sample is None else part.y[self.sample]
            rows = part.rows if self.sample is None else (
                self.sample if part.rows is None else part.rows[self.sample])
            X = part.source if rows is None else _safe_indexing(part.source, rows)
            with generators_lent_out():
                self._call("fit", X, self.classes[y],
                           **_check_method_params(part.source, self.fit_params, rows))
            # the fit's metadata is no part of the model (nor of a saved file)
            self.fit_params = {}
            self._fitted = True
            self.forget()
        return None

    def _call(self, method, *args, rows="X as given", **kwargs):
        """Call a method of the estimator; a ValueError, TypeError or plain
        RuntimeError (torch's, of a skorch net inside) it raises says which
        teacher failed, since its own message may point deep into it, and on
        which ``rows`` (see :meth:`_rows_named`)."""
        try:
            return getattr(self.estimator, method)(*args, **kwargs)
        except (TeacherUnavailableError, UnsetMetadataPassedError):
            raise  # the latter names the step of the teacher whose request is unset
        except (TypeError, ValueError, RuntimeError) as error:
            if keeps_its_type(error):
                raise
            # NotFittedError (a FrozenEstimator of an unfitted one) and
            # InvalidParameterError (both a ValueError and a TypeError) keep their
            # type, and no word on the input, which has nothing to do with them
            kind = next(kind for kind in (NotFittedError, InvalidParameterError, TypeError,
                                          ValueError, RuntimeError) if isinstance(error, kind))
            on_input = "" if kind in (NotFittedError, InvalidParameterError) else (
                f" on {rows}, its dtype kept (the nets read it as numbers)"
                + (f", and {', '.join(sorted(kwargs))}" if kwargs else "")
            )
            raise kind(
                f"The {self._named} failed in {method}{on_input}: {error}"
            ) from error

    @property
    def _named(self):
        """How messages name the teacher: "scikit-learn teacher[1] LogisticRegression"."""
        return f"scikit-learn {self.role} {type(self.estimator).__name__}"

    def _check_probabilities(self, proba):
        """A ValueError naming the teacher where ``predict_proba`` gave no
        probabilities of its ``classes_`` (NaN, values outside [0, 1], other
        columns, rows not summing to 1): they would reach the student as targets."""
        problem = _probability_error(proba, len(self.estimator.classes_))
        if problem is not None:
            raise ValueError(
                f"The {self._named} returned from predict_proba {problem}; a teacher must "
                "return probabilities in [0, 1], one column per class, each row summing to 1."
            )

    def _rows_named(self, part):
        """How messages name the rows of ``part``: as rows the fit held out of
        the teacher's where it holds such rows, since a failure that depends on
        them (an encoder meeting a category its fit did not see) comes and goes
        with the split's random draw."""
        if isinstance(self.estimator, FrozenEstimator) or part.name is None:
            return "X as given"
        if part.name == "valid":
            return ("X as given, the validation part of early stopping: rows held out of its "
                    "fit (early_stopping=False holds none out)")
        if self.sample is not None:
            return ("X as given, the training part: rows of it outside its bootstrap sample "
                    "were held out of its fit (bootstrap=False holds none out)")
        return "X as given"

    def _compute_logits(self, part):
        proba = np.asarray(self._call("predict_proba", part.raw, rows=self._rows_named(part)),
                           dtype=np.float32)
        self._check_probabilities(proba)
        proba = proba[:, _column_order(self.estimator.classes_, self.classes, self._named)]
        proba = torch.as_tensor(proba, device=part.data.device)
        return probabilities_to_logits(proba[:, 1] if proba.shape[1] == 2 else proba)


#: How far from 1 a row of a teacher's probabilities may sum (float32 rounding).
_ROW_SUM_TOLERANCE = 1e-3


def _probability_error(proba, n_classes):
    """What is wrong with a teacher's ``predict_proba`` output, or None."""
    if proba.ndim != 2 or proba.shape[1] != n_classes:
        return f"an array of shape {proba.shape}, for {n_classes} classes_"
    # a mean of probabilities may round a step past 0 or 1, as in the displays
    bad = ~np.isfinite(proba) | (proba < -1e-6) | (proba > 1 + 1e-6)
    if bad.any():
        return f"{int(bad.any(axis=1).sum())} row(s) holding {float(proba[bad][0])!r}"
    sums = proba.sum(axis=1, dtype=np.float64)
    off = np.abs(sums - 1) > _ROW_SUM_TOLERANCE
    if off.any():
        return f"{int(off.sum())} row(s) summing to {float(sums[off][0])!r}, not 1"
    return None


def stratified_bootstrap(y, rng):
    """Rows of a bootstrap sample that holds every class as often as ``y`` does.

    Each class is resampled with replacement within itself, so no teacher
    misses a rare class (a plain bootstrap drops a class of one sample in
    60 with probability 0.36, and a scikit-learn teacher fitted without it
    cannot predict it) and the class balance the losses see stays that of
    ``y``.

    Parameters
    ----------
    y : ndarray of int of shape (n_samples,)
        Encoded labels.
    rng : numpy.random.RandomState

    Returns
    -------
    rows : ndarray of int of shape (n_samples,)
        In random order.

    Examples
    --------
    >>> import numpy as np
    >>> rows = stratified_bootstrap(np.array([0, 0, 0, 1]), np.random.RandomState(0))
    >>> np.bincount(np.array([0, 0, 0, 1])[rows]).tolist()
    [3, 1]
    """
    members = [np.flatnonzero(y == label) for label in np.unique(y)]
    rows = np.concatenate([rng.choice(group, size=len(group)) for group in members])
    return rng.permutation(rows)


def _column_order(teacher_classes, classes, named):
    """The columns of a teacher's probabilities in the order of ``classes``; a
    ValueError naming the teacher (``named``) where its classes are others."""
    teacher_classes = list(np.asarray(teacher_classes).tolist())
    missing = [c for c in np.asarray(classes).tolist() if c not in teacher_classes]
    if missing or len(teacher_classes) != len(classes):
        raise ValueError(
            f"The {named} predicts the classes {teacher_classes}, but y holds "
            f"{np.asarray(classes).tolist()}: a teacher must be fitted on the same labels."
        )
    return [teacher_classes.index(c) for c in np.asarray(classes).tolist()]


class TeacherEnsemble:
    """The teachers of one fit and the rule that fuses their logits.

    Parameters
    ----------
    teachers : list of NetTeacher or EstimatorTeacher
    fusion : {"mean_proba", "mean_logits", "vote"}
    weights : sequence of float or None
    """

    def __init__(self, teachers, fusion, weights):
        self.teachers = teachers
        self.fusion = fusion
        self.weights = weights

    @property
    def nets(self):
        """The skorch nets among the teachers."""
        return [t.estimator for t in self.teachers if t.trains_in_rounds]

    def nets_and_data(self, part):
        """Each skorch net among the teachers with the rows of ``part`` it trains on."""
        return [(t.estimator, t.data(part)) for t in self.teachers if t.trains_in_rounds]

    def train_round(self, part):
        """One round for every teacher; the mean loss of the nets, or None."""
        losses = [teacher.train_round(part) for teacher in self.teachers]
        losses = [loss for loss in losses if loss is not None]
        return float(np.mean(losses)) if losses else None

    def logits(self, part):
        """Fused logits of all teachers for a part of the data."""
        logits = [teacher.logits(part) for teacher in self.teachers]
        if len(logits) == 1 and self.fusion != "vote":  # a mean of one is itself
            return logits[0]
        return fuse_teacher_logits(logits, self.fusion, self.weights)

    def forget(self):
        """Drop every teacher's kept logits (when its training ends)."""
        for teacher in self.teachers:
            teacher.forget()

    def end_fit(self):
        """Drop what only training reads: the kept logits and the bootstrap
        samples (a warm start draws new ones)."""
        self.forget()
        for teacher in self.teachers:
            teacher.sample = None
