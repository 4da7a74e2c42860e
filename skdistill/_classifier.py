"""DistilledClassifier: online teacher/student distillation as a classifier."""

from numbers import Integral, Real

import numpy as np
import torch
from scipy.special import expit, softmax
from skorch import NeuralNet
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn
from tqdm.auto import tqdm

from ._nets import (
    DEFAULT_STUDENT,
    DEFAULT_TEACHER,
    StudentCriterion,
    TensorData,
    build_net,
    last_epoch_loss,
    predict_logits,
)
from .losses import DISTILLATION_LOSSES, DistillationLoss, make_true_label_loss

__all__ = ["DistilledClassifier"]

_NET_SPECS = [None, type, nn.Module, NeuralNet]


def resolve_device(device):
    """Return the torch device for ``device`` ("auto", "cpu", "cuda:0", ...)."""
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"device={device!r} is not a torch device: {error}") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was asked for, but torch sees no CUDA GPU.")
    return resolved


def _roc_auc(y, logits):
    if logits.ndim == 1:
        return roc_auc_score(y, logits)
    return roc_auc_score(y, softmax(logits, axis=1), multi_class="ovr")


def _probabilities(logits):
    logits = logits.astype(np.float64)
    if logits.ndim == 1:
        positive = expit(logits)
        return np.column_stack([1.0 - positive, positive])
    return softmax(logits, axis=1)


def _roc_aucs(nets, parts, known_logits):
    """ROC AUC of every net on every ``(TensorData, encoded labels)`` part.

    ``known_logits`` maps ``(role, part)`` to logits already computed, which
    are reused instead of running the net again.
    """
    scores = {}
    for role, net in nets.items():
        for part, (data, y) in parts.items():
            logits = known_logits.get((role, part))
            if logits is None:
                logits = predict_logits(net, data)
            scores[f"{role}_{part}_auc"] = _roc_auc(y, logits.cpu().numpy())
    return scores


class DistilledClassifier(ClassifierMixin, BaseEstimator):
    """Classifier whose small student network is distilled online from a teacher.

    A teacher and a student skorch net are trained together in meta-epochs:
    each meta-epoch trains the teacher on the true labels for
    ``teacher_epochs``, computes its predictions for the training set once
    (eval mode, no gradient), then trains the student for ``student_epochs``
    on the convex loss::

        alpha * teacher term + (1 - alpha) * true-label term

    where in every shuffled student batch a ``beta`` part keeps its true labels
    (true-label term) and the rest is labelled by the teacher (teacher term).
    Predictions are the student's.

    Parameters
    ----------
    teacher : None, torch.nn.Module subclass or instance, or skorch.NeuralNet, \
            default=None
        The teacher. None is a built-in :class:`~skdistill.modules.MLP` with
        hidden layers (128, 64) and dropout 0.5. A module class or instance
        gets AdamW (lr 1e-3, weight decay 0.1). A skorch net keeps its own
        module, optimizer and learning rate, so nested parameters such as
        ``teacher__lr`` or ``teacher__module__hidden_units`` can be searched;
        its criterion, batch size, epochs, iterators and device are set by
        this estimator. Cloned at fit. Where the module class takes
        ``input_dim`` (and ``output_dim``), they are filled in from the data.
        A module returns one logit per sample for two classes, of shape (n,)
        or (n, 1), and one logit per class for more.
    student : same as ``teacher``, default=None
        The student. None is an :class:`~skdistill.modules.MLP` with one hidden
        layer of 16 units, about 9 times smaller than the default teacher on
        one-hot encoded sequence windows.
    alpha : float, default=0.5
        Weight in [0, 1] of the **teacher** term; ``1 - alpha`` weights the
        true-label term. (Some libraries weight the other way round.)
    beta : float, default=0.5
        Fraction in [0, 1] of each student batch that keeps its true labels;
        the rest is labelled by the teacher. An empty part contributes nothing.
    prior : float, default=0.0
        Class prior pi in [0, 1) of the PU risk: the fraction of positives
        hidden among the samples labelled negative (the unlabeled ones). 0
        trusts the negative labels; the risk is then the class-balanced sigmoid
        risk re-weighted to ``target_prior``, stable on fully labelled,
        imbalanced data. Set it only for positive-unlabeled data: on fully
        labelled data a positive prior makes the non-negative correction fight
        any good model.
    target_prior : float, default=0.5
        Prior pi' in (0, 1) the imbalanced PU risk is re-weighted to.
    meta_epochs : int, default=20
        Number of alternating teacher/student rounds.
    teacher_epochs : int, default=3
        Teacher epochs per meta-epoch.
    student_epochs : int, default=2
        Student epochs per meta-epoch.
    batch_size : int, default=128
        Training batch size of both nets.
    true_label_loss : {"auto", "pu", "bce"}, default="auto"
        Loss on true labels, for teacher and student alike. "pu" is the
        imbalanced non-negative PU risk (:class:`~skdistill.losses.ImbalancedNNPULoss`,
        two classes only); "bce" is (binary) cross-entropy; "auto" is "pu" for
        two classes and cross-entropy for more.
    distillation_loss : {"soft", "hard", "mse"}, default="soft"
        Teacher term: "soft" is per-sample cross-entropy against the teacher's
        probabilities at ``temperature``, scaled by ``temperature ** 2``;
        "hard" uses the teacher's predicted labels; "mse" compares logits.
    temperature : float, default=1.0
        Positive softening temperature of the "soft" teacher term.
    validation_fraction : float or None, default=None
        If a float in (0, 1), that stratified fraction of the training data is
        held out, and after every meta-epoch the teacher's and the student's
        ROC AUC on the training and held-out parts are stored in ``history_``.
    device : str or torch.device, default="auto"
        "auto" is "cuda" when torch sees a GPU and "cpu" otherwise; or any
        torch device string.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, batch order and the validation
        split. An int gives identical results on CPU for identical inputs.
        The caller's global torch random state is left untouched.
    verbose : int, default=0
        0 is silent; 1 or more shows a progress bar over meta-epochs.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels. With two classes the positive class (the one the PU risk
        and ``predict_proba[:, 1]`` refer to) is ``classes_[1]``, the later one
        in sorted order: with labels "neg"/"pos" it is "pos", with 0/1 it is 1.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit; only defined for pandas input with
        string column names.
    prior_ : float
        The class prior used by the PU risk.
    device_ : torch.device
        Device the nets were trained on.
    teacher_ : skorch.NeuralNet or None
        The fitted teacher; None when ``alpha == 0`` or ``beta == 1``, where
        the teacher term is empty and the student is trained alone.
    student_ : skorch.NeuralNet
        The fitted student, used for prediction.
    history_ : list of dict
        One dict per meta-epoch with ``meta_epoch``, ``teacher_loss`` and
        ``student_loss`` (mean training loss of the net's last epoch) and, with
        ``validation_fraction``, ``teacher_train_auc``, ``student_train_auc``,
        ``teacher_valid_auc`` and ``student_valid_auc``. Teacher entries are
        absent when no teacher is trained.

    See Also
    --------
    skdistill.losses.ImbalancedNNPULoss : The true-label risk.
    skdistill.losses.DistillationLoss : The student's loss.

    References
    ----------
    Hinton, Vinyals & Dean, "Distilling the Knowledge in a Neural Network", 2015.
    Kiryo et al., "Positive-Unlabeled Learning with Non-Negative Risk
    Estimator", NeurIPS 2017.
    Su, Chen & Xu, "Positive-Unlabeled Learning from Imbalanced Data", IJCAI 2021.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skdistill import DistilledClassifier
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> clf = DistilledClassifier(meta_epochs=3, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints = {
        "teacher": _NET_SPECS,
        "student": _NET_SPECS,
        "alpha": [Interval(Real, 0, 1, closed="both")],
        "beta": [Interval(Real, 0, 1, closed="both")],
        "prior": [Interval(Real, 0, 1, closed="left")],
        "target_prior": [Interval(Real, 0, 1, closed="neither")],
        "meta_epochs": [Interval(Integral, 1, None, closed="left")],
        "teacher_epochs": [Interval(Integral, 1, None, closed="left")],
        "student_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "true_label_loss": [StrOptions({"auto", "pu", "bce"})],
        "distillation_loss": [StrOptions(set(DISTILLATION_LOSSES))],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "validation_fraction": [None, Interval(Real, 0, 1, closed="neither")],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        teacher=None,
        student=None,
        alpha=0.5,
        beta=0.5,
        prior=0.0,
        target_prior=0.5,
        meta_epochs=20,
        teacher_epochs=3,
        student_epochs=2,
        batch_size=128,
        true_label_loss="auto",
        distillation_loss="soft",
        temperature=1.0,
        validation_fraction=None,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.beta = beta
        self.prior = prior
        self.target_prior = target_prior
        self.meta_epochs = meta_epochs
        self.teacher_epochs = teacher_epochs
        self.student_epochs = student_epochs
        self.batch_size = batch_size
        self.true_label_loss = true_label_loss
        self.distillation_loss = distillation_loss
        self.temperature = temperature
        self.validation_fraction = validation_fraction
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.classifier_tags.multi_class = True
        return tags

    def fit(self, X, y):
        """Train teacher and student together on ``X``, ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Numeric features: NumPy, pandas or scipy.sparse (densified one
            batch at a time).
        y : array-like of shape (n_samples,)
            Class labels of any type (ints, strings, bools).

        Returns
        -------
        self : DistilledClassifier
        """
        self._validate_params()
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float32)
        check_classification_targets(y)
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                "DistilledClassifier needs samples of at least two classes; "
                f"y holds only one class: {self.classes_[0]!r}."
            )
        loss_name = self.true_label_loss
        if loss_name == "auto":
            loss_name = "pu" if n_classes == 2 else "bce"
        true_label_loss = make_true_label_loss(
            loss_name, n_classes, prior=self.prior, target_prior=self.target_prior
        )
        self.prior_ = float(self.prior)
        self.device_ = resolve_device(self.device)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(np.iinfo(np.int32).max))

        if self.validation_fraction is None:
            train, valid = (X, y_encoded), None
        else:
            X_train, X_valid, y_train, y_valid = train_test_split(
                X, y_encoded, test_size=self.validation_fraction,
                stratify=y_encoded, random_state=rng,
            )
            train, valid = (X_train, y_train), (X_valid, y_valid)

        student_loss = DistillationLoss(
            self.alpha, true_label_loss, self.distillation_loss, self.temperature
        )
        common = {
            "batch_size": self.batch_size,
            "device": self.device_,
            "module_dims": {
                "input_dim": X.shape[1],
                "output_dim": 1 if n_classes == 2 else n_classes,
            },
        }
        self.teacher_ = None
        if self.alpha > 0 and self.beta < 1:
            self.teacher_ = build_net(
                self.teacher, DEFAULT_TEACHER, criterion=true_label_loss,
                max_epochs=self.teacher_epochs, **common,
            )
        self.student_ = build_net(
            self.student, DEFAULT_STUDENT,
            criterion=StudentCriterion(student_loss, self.beta),
            max_epochs=self.student_epochs, **common,
        )
        cuda_devices = [self.device_.index or 0] if self.device_.type == "cuda" else []
        with torch.random.fork_rng(devices=cuda_devices):
            torch.manual_seed(seed)
            self.history_ = self._train(train, valid, binary=n_classes == 2)
        return self

    def _target_tensor(self, y_encoded, binary):
        dtype = torch.float32 if binary else torch.int64
        return torch.as_tensor(y_encoded, dtype=dtype, device=self.device_)

    def _train(self, train, valid, binary):
        X_train, y_train = train
        target = self._target_tensor(y_train, binary)
        teacher_data = TensorData(X_train, target, device=self.device_)
        student_data = teacher_data.with_targets({"target": target})
        if valid is not None:
            valid = (TensorData(valid[0], device=self.device_), valid[1])

        history = []
        progress = tqdm(
            range(1, self.meta_epochs + 1), desc="meta-epochs",
            disable=not self.verbose, leave=False,
        )
        for meta_epoch in progress:
            record = {"meta_epoch": meta_epoch}
            nets = {"student": self.student_}
            if self.teacher_ is not None:
                nets["teacher"] = self.teacher_
                self.teacher_.partial_fit(teacher_data)
                record["teacher_loss"] = last_epoch_loss(self.teacher_, "teacher")
                student_data.y["teacher_logits"] = predict_logits(self.teacher_, teacher_data)
            self.student_.partial_fit(student_data)
            record["student_loss"] = last_epoch_loss(self.student_, "student")
            if valid is not None:
                parts = {"train": (teacher_data, y_train), "valid": valid}
                known = {("teacher", "train"): student_data.y.get("teacher_logits")}
                record.update(_roc_aucs(nets, parts, known))
            history.append(record)
            progress.set_postfix({k: round(v, 4) for k, v in record.items() if k != "meta_epoch"})
        return history

    def decision_function(self, X):
        """Return the student's logits.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            With two classes, the logit of ``classes_[1]``.
        """
        check_is_fitted(self)
        return self._logits(self.student_, X)

    def _logits(self, net, X):
        X = validate_data(self, X, reset=False, accept_sparse="csr", dtype=np.float32)
        return predict_logits(net, TensorData(X, device=self.device_), device="cpu").numpy()

    def predict_proba(self, X):
        """Return the student's class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        return _probabilities(self.decision_function(X))

    def teacher_predict_proba(self, X):
        """Return the teacher's class probabilities, to compare with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        if self.teacher_ is None:
            raise ValueError(
                "No teacher was trained: with alpha=0 or beta=1 the teacher term is empty."
            )
        return _probabilities(self._logits(self.teacher_, X))

    def predict(self, X):
        """Return the student's predicted class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]
