"""The training loop of one fit: teacher and student rounds, early stopping, restarts.

Below the estimator and above the nets: it knows parts of the data, the
teacher ensemble and the student net, and nothing of how they were built.
"""

import warnings
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import count

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import roc_auc_score
from sklearn.utils import _safe_indexing
from tqdm.auto import tqdm

from ._nets import (
    TensorData, module_state, non_finite_error, predict_logits, restore_module_state,
    return_to, train_round, training_position, training_run, warn_of_squashed_logits,
)
from ._signals import ctrl_c_recorded
from ._warnings import user_stacklevel, warn_interrupted


@dataclass
class Part:
    """One part of the data, as every learner sees it.

    Attributes
    ----------
    name : str or None
        "train", "valid", or None for data seen once (new samples to predict).
    source : object
        What scikit-learn teachers see, for all samples of the fit: the input
        as given, or as validated.
    data : TensorData
        What the nets see (a view of this part's rows), with the encoded
        labels as targets (when known): a dict of ``"target"`` and, with
        sample weights, ``"sample_weight"``.
    y : ndarray of int or None
        Encoded labels.
    rows : ndarray of int or None
        This part's rows of ``source``; None for all of them.
    sample_weight : ndarray of float or None
        This part's sample weights; None for unweighted.
    """

    name: object
    source: object
    data: TensorData
    y: object = None
    rows: object = None
    sample_weight: object = None

    @property
    def raw(self):
        """This part's rows of ``source``, copied on each access (only scikit-learn
        teachers ask, so a fit of nets alone never copies the input)."""
        return self.source if self.rows is None else _safe_indexing(self.source, self.rows)


#: AUCs closer than this are the same AUC (see ValidationScore.beats).
AUC_TIE = 1e-12


#: NumPy 2's name of the trapezoidal rule; NumPy 1's is trapz.
_trapezoid = getattr(np, "trapezoid", None) or np.trapz


def _binary_roc_auc(y, scores, sample_weight=None):
    """scikit-learn's ``roc_auc_score`` of 0/1 labels holding both classes and
    finite scores, the same number without its input checks, which took 93 % of
    the time of scoring a held-out part every meta-epoch (its labels are
    checked once, when it is drawn). The steps of ``roc_curve`` (ties as one
    threshold, ``drop_intermediate``) and the trapezoidal ``auc``."""
    if sample_weight is not None:
        kept = sample_weight != 0
        y, scores, sample_weight = y[kept], scores[kept], sample_weight[kept]
    n_samples = len(scores)
    # descending, ties in reverse order of appearance, as scikit-learn sorts them
    order = (n_samples - 1) - np.flip(np.argsort(np.flip(scores), kind="stable"))
    scores, positive = scores[order], (y[order] == 1).astype(np.float64)
    weight = 1.0 if sample_weight is None else sample_weight[order]
    thresholds = np.append(np.flatnonzero(np.diff(scores)), n_samples - 1)
    tps = np.cumsum(positive * weight)[thresholds]
    fps = (1.0 + thresholds - tps if sample_weight is None
           else np.cumsum((1.0 - positive) * weight)[thresholds])
    if len(fps) > 2:
        corners = np.flatnonzero(np.concatenate(
            [[True], np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), [True]]))
        fps, tps = fps[corners], tps[corners]
    tps, fps = np.append(0.0, tps), np.append(0.0, fps)
    return float(_trapezoid(tps / tps[-1], fps / fps[-1]))


@dataclass(frozen=True)
class ValidationScore:
    """How well a round predicts the held-out part.

    Attributes
    ----------
    auc : float
        ROC AUC (one-vs-rest, macro, for more classes).
    loss : float
        Class-balanced cross-entropy: every class weighs the same, as in the
        true-label risk.
    """

    auc: float
    loss: float

    @classmethod
    def of(cls, y, logits, sample_weight=None):
        """Score logits against encoded labels ``y``, weighted by ``sample_weight``
        (every class must have some weight)."""
        logits = logits.cpu().double()
        if logits.ndim == 1:
            # ranked by the logits themselves: probabilities saturate and would tie
            auc = _binary_roc_auc(y, logits.numpy(), sample_weight)
            logits = torch.stack([torch.zeros_like(logits), logits], dim=1)
        log_proba = torch.log_softmax(logits, dim=1).numpy()
        if log_proba.shape[1] > 2:
            auc = roc_auc_score(
                y, np.exp(log_proba), multi_class="ovr", sample_weight=sample_weight
            )
        per_sample = -log_proba[np.arange(len(y)), y]
        weight = np.ones(len(y)) if sample_weight is None else sample_weight
        loss = np.mean([
            np.average(per_sample[y == k], weights=weight[y == k]) for k in np.unique(y)
        ])
        return cls(float(auc), float(loss))

    def beats(self, other, tol=0.0):
        """Whether this score beats ``other`` by more than ``tol``: a higher
        AUC, or an AUC as high and a lower loss (ties of the AUC are common
        on small validation parts, and an AUC of 1 cannot rise). AUCs closer
        than ``AUC_TIE`` are ties: the same AUC comes out of scikit-learn's
        sums as floats that differ in their last bits."""
        gain = self.auc - other.auc
        if abs(gain) <= AUC_TIE:
            gain = 0.0
        return gain > tol or (gain >= 0 and self.loss < other.loss - tol)


@dataclass
class RoundEnd:
    """A complete round as :meth:`Monitor.round_end` took it: its validation
    score, a copy of the nets' weights where it is the best so far (else
    None), and the nets' :func:`training_position`."""

    score: object
    states: object
    positions: list


class Monitor:
    """Early stopping for one role and the weights it returns to.

    After every complete round, :meth:`count` keeps a copy of the nets'
    weights (taken by :meth:`round_end`) when the validation score is the
    best so far (or, without validation, always: the last complete round). A round counts as an
    improvement when it beats the best score by more than ``tol`` (see
    :meth:`ValidationScore.beats`);
    ``n_iter_no_change`` rounds in a row without one end training: the rule of
    scikit-learn's ``MLPClassifier``, which waits one round more and counts a
    gain of exactly ``tol``.

    Parameters
    ----------
    nets : list of skorch.NeuralNet
    n_iter_no_change : int or None
        None never stops.
    tol : float
    """

    def __init__(self, nets, n_iter_no_change, tol):
        self.nets = nets
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.best_score = None
        self.best_round = 0
        self.rounds = 0
        self._stale = 0
        self._states = None
        self._positions = None

    def round_end(self, score=None):
        """Take what :meth:`count` keeps of a complete round with its
        :class:`ValidationScore` (None: not validating): the copies are made
        here, so that counting the round is a few assignments, where an
        interrupt all but never lands."""
        best = score is None or self.best_score is None or score.beats(self.best_score)
        return RoundEnd(score, [module_state(net) for net in self.nets] if best else None,
                        [training_position(net) for net in self.nets])

    def count(self, end):
        """Count a complete round, as :meth:`round_end` took it."""
        self.rounds += 1
        self._positions = end.positions
        if end.states is not None:
            self._states = end.states
            self.best_round = self.rounds
        if end.score is None:
            return
        improved = self.best_score is None or end.score.beats(self.best_score, self.tol)
        self._stale = 0 if improved else self._stale + 1
        if end.states is not None:
            self.best_score = end.score

    @property
    def done(self):
        """Whether ``n_iter_no_change`` rounds in a row brought no improvement."""
        return self.n_iter_no_change is not None and self._stale >= self.n_iter_no_change

    def start_from(self, score):
        """Take the nets as they are, with their :class:`ValidationScore`, as
        the best so far (a warm start): a round must beat them to replace them."""
        self._states = [module_state(net) for net in self.nets]
        self.best_score = score

    def restore(self, interrupted=False):
        """Put the kept weights back into the nets.

        A no-op when they are the last round's, unless an interrupted round
        has changed the nets since; that round's epochs leave the nets'
        histories then, and their learning-rate schedules go back to the
        round's end.
        """
        if interrupted and self._positions is not None:
            for net, position in zip(self.nets, self._positions):
                return_to(net, position)
        if self._states is None or (self.best_round == self.rounds and not interrupted):
            return
        for net, state in zip(self.nets, self._states):
            restore_module_state(net, state)


@dataclass
class RunResult:
    """What a run leaves: its history (after the records of the earlier fits it
    goes on from), the student's rounds in this run, whether it was cut short,
    and the history record (1-based) of the student round whose weights it
    kept (None: the nets it started from, which no round beat)."""

    history: list
    n_iter: int
    interrupted: bool
    best_record: object


class DistillationRun:
    """The rounds of one fit, in the order of a schedule.

    Parameters
    ----------
    ensemble : TeacherEnsemble
        Empty when the teacher term is empty.
    student : skorch.NeuralNet
        Its criterion reads ``{"target", "teacher_logits"}`` targets.
    train : Part
    valid : Part or None
        Scored after every round when given; the scores drive early stopping.
    schedule : {"online", "sequential"}
    max_rounds : int
        Rounds per net at most (``meta_epochs``).
    n_iter_no_change : int or None
        Early stopping's patience in rounds; None trains for ``max_rounds``.
    tol : float
    binary : bool
    verbose : int
    on_round : callable or None, default=None
        Called as ``on_round(index, fields)`` whenever round ``index`` (1-based)
        adds ``fields`` to its history record (experiment tracking).
    warm_roles : set of {"student", "teachers"}, default=frozenset()
        The roles whose nets come trained from an earlier fit: they are
        scored on ``valid`` before the first round, and early stopping keeps
        them unless a round beats them.
    earlier_history : list of dict, default=()
        The history of the earlier fits this run goes on from (``warm_start``):
        its records are kept and each role's rounds are numbered after its
        own earlier rounds (online: after the earlier records).
    """

    def __init__(
        self, ensemble, student, train, valid, *, schedule, max_rounds, n_iter_no_change,
        tol, binary, verbose, on_round=None, warm_roles=frozenset(), earlier_history=(),
    ):
        self.ensemble = ensemble
        self.student = student
        self.train = train
        self.valid = valid
        self.schedule = schedule
        self.max_rounds = max_rounds
        self.binary = binary
        self.verbose = verbose
        self.on_round = on_round
        self.warm_roles = warm_roles
        patience = n_iter_no_change if valid is not None else None
        self.teacher_monitor = Monitor(ensemble.nets, patience, tol)
        self.student_monitor = Monitor([student], patience, tol)
        self.history = [dict(record) for record in earlier_history]
        self.rounds_before = {
            role: (
                len(self.history) if schedule == "online"
                else sum(any(key.startswith(f"{role}_") for key in record)
                         for record in self.history)
            )
            for role in ("teacher", "student")
        }
        # A dict of its own: the teachers' targets must not get the teacher logits.
        self.student_data = train.data.with_targets(dict(train.data.y))

    def _record(self, index):
        """The history record of round ``index`` (1-based), created on first use."""
        while len(self.history) < index:
            self.history.append({"meta_epoch": len(self.history) + 1})
        return self.history[index - 1]

    def _complete(self, index, fields, scores):
        """Add ``fields`` to the history record of round ``index``, count the
        round for each ``(monitor, score)`` of ``scores``, then report it.

        Counted before it is reported: a Ctrl-C inside ``on_round`` (a tracker
        uploading) leaves a complete round, in the history and in ``n_iter_``.
        """
        ends = [(monitor, monitor.round_end(score)) for monitor, score in scores]
        self._record(index).update(fields)
        for monitor, end in ends:
            monitor.count(end)
        if self.on_round is not None:
            self.on_round(index, fields)

    def _validate(self, role, logits, fields):
        """Score a role's validation logits; add the score to its record ``fields``."""
        if not torch.isfinite(logits).all():  # a NaN of the held-out input alone
            raise non_finite_error(
                f"The {role}'s logits on the part held out for early stopping hold inf or NaN")
        score = ValidationScore.of(self.valid.y, logits, self.valid.sample_weight)
        fields.update({f"{role}_valid_auc": score.auc, f"{role}_valid_loss": score.loss})
        return score

    def _teacher_score(self, fields):
        """The teachers' validation score, added to ``fields``."""
        return self._validate("teacher", self.ensemble.logits(self.valid), fields)

    def _student_score(self, fields):
        """The student's validation score, added to ``fields``."""
        logits = predict_logits(self.student, self.valid.data, self.binary)
        return self._validate("student", logits, fields)

    def _start_from_warm_nets(self):
        """Score the nets of an earlier fit before any round, as the best so far."""
        if "teachers" in self.warm_roles and self.ensemble.teachers:
            self.teacher_monitor.start_from(self._teacher_score({}))
        if "student" in self.warm_roles:
            self.student_monitor.start_from(self._student_score({}))

    def _teacher_round(self):
        """Train the teachers once; return the round's record fields and
        validation score (None without validation)."""
        fields, score = {}, None
        loss = self.ensemble.train_round(self.train)
        if loss is not None:
            fields["teacher_loss"] = loss
        if self.valid is not None:
            score = self._teacher_score(fields)
        return fields, score

    def _student_round(self):
        """Train the student once against the current teachers; return its
        fields and validation score."""
        if self.ensemble.teachers:
            self.student_data.y["teacher_logits"] = self.ensemble.logits(self.train)
        fields = {"student_loss": train_round(self.student, self.student_data, "student")}
        score = None if self.valid is None else self._student_score(fields)
        return fields, score

    def _online(self, progress):
        for index in range(1, self.max_rounds + 1):
            fields, teacher_score = (
                self._teacher_round() if self.ensemble.teachers else ({}, None)
            )
            student_fields, student_score = self._student_round()
            fields.update(student_fields)
            self._complete(index + self.rounds_before["student"], fields, [
                (self.teacher_monitor, teacher_score), (self.student_monitor, student_score),
            ])
            self._advance(progress, fields)
            if self.student_monitor.done:
                return

    def _sequential(self, progress):
        phases = [("student", self._student_round, self.student_monitor, self.max_rounds)]
        if self.ensemble.teachers:
            # teachers without nets are fitted in their first round and never change
            teacher_rounds = self.max_rounds if self.ensemble.nets else 1
            phases.insert(
                0, ("teacher", self._teacher_round, self.teacher_monitor, teacher_rounds)
            )
        for role, round_, monitor, max_rounds in phases:
            for index in count(1):
                fields, score = round_()
                self._complete(index + self.rounds_before[role], fields, [(monitor, score)])
                self._advance(progress, fields)
                if monitor.done or index == max_rounds:
                    break
            if role == "teacher":
                monitor.restore()
                self.ensemble.forget()

    def _warn_of_squashed_logits(self):
        """Warn of each trained net whose logits on the training data look squashed."""
        warn_of_squashed_logits(self.student, self.train.data, "student")
        for teacher in self.ensemble.teachers:
            if teacher.trains_in_rounds:
                warn_of_squashed_logits(teacher.estimator, self.train.data, teacher.role)

    def _best_student_record(self):
        """The history record (1-based) of the student round whose weights are
        kept, or None: the nets it started from, which no round beat."""
        best_round = self.student_monitor.best_round
        return best_round + self.rounds_before["student"] if best_round else None

    def _warn_of_rounds_run_out(self):
        """Warn of each phase whose rounds ran out before early stopping ended it:
        the student's, and the teachers' of the sequential schedule (its own phase,
        nets only: scikit-learn teachers are fitted once)."""
        phases = [("student's", self.student_monitor)]
        if self.schedule == "sequential" and self.ensemble.nets:
            phases.insert(0, ("teachers'", self.teacher_monitor))
        for whose, monitor in phases:
            if monitor.n_iter_no_change is None or monitor.done:
                continue
            kept = ""
            if monitor is self.student_monitor:
                best = self._best_student_record()
                kept = (f" (best_meta_epoch_={best})" if best else
                        " (no meta-epoch beat the nets it started from)")
            warnings.warn(
                f"meta_epochs={self.max_rounds} ran out before early stopping ended "
                f"training: the {whose} held-out score had not gone "
                f"n_iter_no_change={monitor.n_iter_no_change} meta-epochs without "
                f"improving{kept}. Raise meta_epochs to train on, or set "
                "early_stopping=False for a fixed number of meta-epochs.",
                ConvergenceWarning, stacklevel=user_stacklevel(),
            )

    def _advance(self, progress, fields):
        progress.update()
        progress.set_postfix({key: round(value, 4) for key, value in fields.items()})

    def run(self):
        """Train; return a :class:`RunResult`.

        A KeyboardInterrupt (Ctrl-C) ends training after the last complete
        student round, with a warning; before the first one it propagates.
        Either way every net is put back to its best (or last complete) round
        before its callbacks' training run ends (so that they see, and save,
        the weights kept), and the warning comes after: turned into an error,
        it leaves no run unended. After the rounds, a Ctrl-C waits for that
        clean-up and the check of the nets' logits to end, and is then taken
        as one that ended the last round; a second one aborts the fit.
        """
        rounds = self.max_rounds * (2 if self.schedule == "sequential" else 1)
        progress = tqdm(total=rounds, desc="meta-epochs", disable=not self.verbose,
                        leave=False)
        interrupt = None
        nets_and_data = self.ensemble.nets_and_data(self.train) + [
            (self.student, self.student_data)]
        with ExitStack() as after_rounds:
            with training_run(nets_and_data):
                try:
                    with progress:
                        if self.valid is not None:
                            self._start_from_warm_nets()
                        (self._online if self.schedule == "online" else self._sequential)(progress)
                except KeyboardInterrupt as caught:
                    interrupt = caught
                    if self.student_monitor.rounds == 0:
                        raise
                finally:
                    late_interrupts = after_rounds.enter_context(
                        ctrl_c_recorded(after_one=interrupt is not None))
                    self.ensemble.end_fit()
                    self.student_data.y.pop("teacher_logits", None)
                self.teacher_monitor.restore(interrupt is not None)
                self.student_monitor.restore(interrupt is not None)
            self._warn_of_squashed_logits()
        if late_interrupts and interrupt is None:
            interrupt = KeyboardInterrupt()
        interrupted = interrupt is not None
        if interrupted:
            warn_interrupted(
                f"Training was interrupted after {self.student_monitor.rounds} complete "
                "meta-epoch(s); the estimator keeps the nets of its best (or last "
                "complete) meta-epoch (turn this warning into an error to abort instead).",
                interrupt,
            )
        else:
            self._warn_of_rounds_run_out()
        return RunResult(self.history, self.student_monitor.rounds, interrupted,
                         self._best_student_record())
