"""The fitted DistilledClassifier inside what a user hands to a tool."""

from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._classifier import DistilledClassifier


def _unchanged(X):
    return X


def _transforms_before_last(pipeline):
    """What ``pipeline`` does to ``X`` before its last step at predict time:
    each earlier step's ``transform``, skipping None and "passthrough" and,
    in an imbalanced-learn Pipeline, the samplers (which resample in ``fit``
    only; scikit-learn's Pipeline calls every step's ``transform``)."""
    from imblearn.pipeline import Pipeline as ImbalancedPipeline

    skips_samplers = isinstance(pipeline, ImbalancedPipeline)
    steps = [
        step for _, step in pipeline.steps[:-1]
        if step not in (None, "passthrough")
        and not (skips_samplers and hasattr(step, "fit_resample"))
    ]

    def preprocess(X):
        for step in steps:
            X = step.transform(X)
        return X

    return preprocess


def fitted_classifier(estimator, needed_by):
    """The fitted classifier of ``estimator`` and what comes before it.

    Parameters
    ----------
    estimator : DistilledClassifier or Pipeline
        A fitted DistilledClassifier, or a fitted Pipeline (scikit-learn's or
        imbalanced-learn's) whose last step is one.
    needed_by : str
        What asks, for the messages, e.g. ``"export_onnx"``.

    Returns
    -------
    classifier : DistilledClassifier
    preprocess : callable
        Maps input of ``estimator`` to the input of ``classifier``: the
        ``transform`` of the Pipeline's earlier steps (an imbalanced-learn
        sampler among them skipped, as at predict time), or the identity.

    Raises
    ------
    TypeError
        If ``estimator`` is neither.
    sklearn.exceptions.NotFittedError
        If the classifier is not fitted.
    """
    classifier, preprocess = estimator, _unchanged
    if isinstance(estimator, Pipeline):
        classifier = estimator.steps[-1][1]
        preprocess = _transforms_before_last(estimator)
    if not isinstance(classifier, DistilledClassifier):
        raise TypeError(
            f"{needed_by} needs a DistilledClassifier or a Pipeline whose last step is "
            f"one; got {type(estimator).__name__}"
            + (f" ending in {type(classifier).__name__}." if classifier is not estimator
               else ".")
        )
    check_is_fitted(classifier)
    return classifier, preprocess
