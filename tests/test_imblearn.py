"""imbalanced-learn's samplers before DistilledClassifier, in its Pipeline."""

import numpy as np
import pytest
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, train_test_split

from skdistill import DistilledClassifier
from skdistill.modules import MLP

from .conftest import FAST


def small(**params):
    return DistilledClassifier(
        teacher=MLP, student=MLP, device="cpu", random_state=0, **{**FAST, **params}
    )


def test_the_sampler_resamples_the_training_data_only(imbalanced_arrays):
    X, y = imbalanced_arrays
    pipeline = make_pipeline(RandomUnderSampler(random_state=0), small()).fit(X, y)
    X_balanced, y_balanced = RandomUnderSampler(random_state=0).fit_resample(X, y)
    assert np.bincount(y_balanced)[0] == np.bincount(y_balanced)[1] == np.bincount(y)[1]
    alone = small().fit(X_balanced, y_balanced)
    # the same fit as on the resampled data, and predictions for every sample
    np.testing.assert_array_equal(pipeline.predict_proba(X), alone.predict_proba(X))
    assert pipeline.predict_proba(X).shape == (len(y), 2)


def test_grid_search_over_the_sampler_and_alpha(imbalanced_arrays):
    X, y = imbalanced_arrays
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    grid = {
        "smote__sampling_strategy": [0.5, 1.0],
        "distilledclassifier__alpha": [0.0, 0.5],
    }
    search = GridSearchCV(
        make_pipeline(SMOTE(random_state=0), small()), grid, scoring="roc_auc", cv=2
    ).fit(X_train, y_train)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 4 and np.all(np.isfinite(scores))
    assert search.best_params_ in [
        {"smote__sampling_strategy": s, "distilledclassifier__alpha": a}
        for s in grid["smote__sampling_strategy"] for a in grid["distilledclassifier__alpha"]
    ]
    assert search.best_estimator_[-1].alpha == search.best_params_["distilledclassifier__alpha"]
    assert roc_auc_score(y_test, search.predict_proba(X_test)[:, 1]) > 0.7
    assert search.score(X_test, y_test) == pytest.approx(
        roc_auc_score(y_test, search.predict_proba(X_test)[:, 1])
    )
