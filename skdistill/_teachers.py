"""The teachers of one fit: nets trained in rounds, estimators fitted once, frozen ones.

Each kind answers the same two questions: how is it trained (``train_round``,
a no-op once fitted) and what are its logits for a part of the data. The
classifier fuses the answers of all its teachers.
"""

import numpy as np
import torch
from sklearn.frozen import FrozenEstimator
from sklearn.utils import _safe_indexing

from ._nets import last_epoch_loss, predict_logits
from .fusion import fuse_teacher_logits, probabilities_to_logits


class NetTeacher:
    """A skorch net trained by the classifier, ``teacher_epochs`` per round.

    Parameters
    ----------
    net : skorch.NeuralNet
        Unfitted.
    sample : ndarray of int or None
        Rows of the training data it sees (a bootstrap sample); None for all.
    """

    def __init__(self, net, sample=None):
        self.estimator = net
        self.sample = sample

    def train_round(self, data, X_raw, y):
        """Train for one round on the (sampled) training data; return the loss."""
        if self.sample is not None:
            data = data.subset(torch.as_tensor(self.sample))
        self.estimator.partial_fit(data)
        return last_epoch_loss(self.estimator, "teacher")

    def logits(self, data, X_raw):
        """Logits for ``data`` (a TensorData) on its device."""
        return predict_logits(self.estimator, data)


class EstimatorTeacher:
    """A scikit-learn classifier, fitted once (on the raw input) or already frozen.

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
        A :class:`sklearn.frozen.FrozenEstimator` is never fitted; anything
        else is fitted in the first round (pass a clone).
    classes : ndarray
        The classifier's ``classes_``: the teacher's probability columns are
        put in this order.
    sample : ndarray of int or None
        Rows it is fitted on (a bootstrap sample); None for all.
    """

    def __init__(self, estimator, classes, sample=None):
        self.estimator = estimator
        self.classes = classes
        self.sample = sample
        self._fitted = isinstance(estimator, FrozenEstimator)

    def train_round(self, data, X_raw, y):
        """Fit once, in the first round; later rounds change nothing."""
        if not self._fitted:
            rows = slice(None) if self.sample is None else self.sample
            self.estimator.fit(_safe_indexing(X_raw, rows), self.classes[y[rows]])
            self._fitted = True
        return None

    def logits(self, data, X_raw):
        """Logits from ``predict_proba`` on ``X_raw``, on ``data``'s device."""
        proba = np.asarray(self.estimator.predict_proba(X_raw), dtype=np.float32)
        proba = proba[:, _column_order(self.estimator.classes_, self.classes)]
        proba = torch.as_tensor(proba, device=data.device)
        return probabilities_to_logits(proba[:, 1] if proba.shape[1] == 2 else proba)


def _column_order(teacher_classes, classes):
    teacher_classes = list(np.asarray(teacher_classes).tolist())
    missing = [c for c in np.asarray(classes).tolist() if c not in teacher_classes]
    if missing or len(teacher_classes) != len(classes):
        raise ValueError(
            f"A teacher predicts the classes {teacher_classes}, but y holds "
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
        self._settled_logits = {}

    def train_round(self, data, X_raw, y):
        """One round for every teacher; the mean loss of the nets, or None."""
        losses = [teacher.train_round(data, X_raw, y) for teacher in self.teachers]
        losses = [loss for loss in losses if loss is not None]
        return float(np.mean(losses)) if losses else None

    def logits(self, data, X_raw, part=None):
        """Fused logits for a part of the data.

        Logits of teachers that no longer change (fitted estimators) are kept
        per ``part`` name, so they are computed once per fit.
        """
        logits = []
        for index, teacher in enumerate(self.teachers):
            key = (index, part)
            if key in self._settled_logits:
                logits.append(self._settled_logits[key])
                continue
            teacher_logits = teacher.logits(data, X_raw)
            if part is not None and isinstance(teacher, EstimatorTeacher):
                self._settled_logits[key] = teacher_logits
            logits.append(teacher_logits)
        if len(logits) == 1:
            return logits[0]
        return fuse_teacher_logits(logits, self.fusion, self.weights)

    def forget(self):
        """Drop the kept logits at the end of fit."""
        self._settled_logits.clear()
