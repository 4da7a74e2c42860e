"""The fitted DistilledClassifier inside what a user hands to a tool."""

from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._classifier import DistilledClassifier


def _unchanged(X):
    return X


def fitted_classifier(estimator, needed_by):
    """The fitted classifier of ``estimator`` and what comes before it.

    Parameters
    ----------
    estimator : DistilledClassifier or sklearn.pipeline.Pipeline
        A fitted DistilledClassifier, or a fitted Pipeline whose last step is one.
    needed_by : str
        What asks, for the messages, e.g. ``"export_onnx"``.

    Returns
    -------
    classifier : DistilledClassifier
    preprocess : callable
        Maps input of ``estimator`` to the input of ``classifier``: the
        ``transform`` of the Pipeline's earlier steps, or the identity.

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
        if len(estimator.steps) > 1:
            preprocess = estimator[:-1].transform
    if not isinstance(classifier, DistilledClassifier):
        raise TypeError(
            f"{needed_by} needs a DistilledClassifier or a Pipeline whose last step is "
            f"one; got {type(estimator).__name__}"
            + (f" ending in {type(classifier).__name__}." if classifier is not estimator
               else ".")
        )
    check_is_fitted(classifier)
    return classifier, preprocess
