"""Distillation with more than two classes: handwritten digits as 8x8 images.

scikit-learn's digits (10 classes, pixels scaled to [0, 1]) are split 75/25,
stratified. The teacher is a small 2-D convolutional network defined here, reading
the 64 features as an 8x8 image; the student is an MLP with one small hidden layer.
The student is distilled from the teacher's softened probabilities
(``distillation_loss="soft", temperature=4``) and, for comparison, trained alone
(alpha=0, beta=1); with more than two classes both nets learn the true labels by
cross-entropy. The table gives test accuracy and macro F1 with the parameters, and
``digits.png`` shows the accuracy as bars. Reproduce with::

    python examples/digits.py

and for a quick check ``python examples/digits.py --meta-epochs 2``.
"""

import math

import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from torch import nn

from _evidence import build_parser, fit_options, model_name, net, pyplot, save_figure, subsample
from skdistill import DistilledClassifier
from skdistill.cli import format_table
from skdistill.modules import MLP, count_parameters


class ImageCNN(nn.Module):
    """2-D convolutional network over square one-channel images given flat.

    Parameters
    ----------
    input_dim : int
        Number of pixels, a square (64 for 8x8 digits); filled by DistilledClassifier.
    output_dim : int
        Number of logits (classes); filled by DistilledClassifier.
    channels : sequence of int, default=(16, 32)
        Output channels of each 3x3 convolution (ReLU after each; the image keeps its size).
    dropout : float, default=0.0
        Dropout before the linear output layer.
    """

    def __init__(self, input_dim, output_dim, channels=(16, 32), dropout=0.0):
        super().__init__()
        self.side = math.isqrt(input_dim)
        if self.side**2 != input_dim:
            raise ValueError(f"input_dim={input_dim} is not the size of a square image.")
        layers, width = [], 1
        for out_channels in channels:
            layers += [nn.Conv2d(width, out_channels, 3, padding=1), nn.ReLU()]
            width = out_channels
        layers += [nn.Flatten(), nn.Dropout(dropout),
                   nn.Linear(width * input_dim, output_dim)]
        self.layers = nn.Sequential(*layers)

    def forward(self, X):
        """Return the logits for a batch of flat images."""
        return self.layers(X.view(len(X), 1, self.side, self.side))


TEACHER = net(ImageCNN, weight_decay=0.01, channels=(16, 32), dropout=0.2)
STUDENT = net(MLP, lr=3e-3, weight_decay=0.01, hidden_units=(16,))
#: A small data set: small batches give enough steps per epoch.
BATCH_SIZE = 32
DISTILLATION = {"alpha": 0.5, "beta": 0.5, "distillation_loss": "soft", "temperature": 4.0}
COLUMNS = ("model", "parameters", "accuracy", "macro F1")


def digits_split(n_samples=None):
    """Digits scaled to [0, 1], split 75/25 (stratified).

    Parameters
    ----------
    n_samples : int or None, default=None
        Size of a stratified subsample drawn first; None uses all 1,797 digits.

    Returns
    -------
    X_train, X_test : ndarray of shape (n, 64), float32
    y_train, y_test : ndarray of shape (n,)
    """
    X, y = subsample(*load_digits(return_X_y=True), n_samples)
    X = (X / 16.0).astype(np.float32)
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


def plot(results, output):
    """Bar chart of the test accuracy of every model.

    Parameters
    ----------
    results : list of dict
        With a short ``label`` and ``accuracy``.
    output : str
        Folder of ``digits.png``.
    """
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(6, 3))
    accuracies = [result["accuracy"] for result in results]
    ax.barh([result["label"] for result in results], accuracies, color=["C0", "C1", "C2"])
    ax.invert_yaxis()
    ax.set_xlim(max(0.0, min(accuracies) - 0.1), 1.0)
    ax.set_xlabel("test accuracy")
    ax.set_title("Digits: 2-D CNN teacher, MLP student")
    save_figure(figure, output, "digits.png")


def main():
    """Fit the distilled and the lone student; print and plot the test scores."""
    args = build_parser(__doc__).parse_args()
    pyplot()
    X_train, X_test, y_train, y_test = digits_split(args.n_samples)
    print(f"Digits: {len(y_train):,} training, {len(y_test):,} test images of 8x8 pixels, "
          "10 classes (stratified 75/25).", flush=True)

    common = {"student": STUDENT, "batch_size": BATCH_SIZE, "random_state": args.random_state,
              **fit_options(args)}
    distilled = DistilledClassifier(teacher=TEACHER, **DISTILLATION, **common)
    distilled.fit(X_train, y_train)
    alone = DistilledClassifier(alpha=0.0, beta=1.0, **common).fit(X_train, y_train)

    teacher_pred = distilled.classes_[distilled.teacher_predict_proba(X_test).argmax(axis=1)]
    results = [
        {"name": f"teacher {model_name(TEACHER)}", "label": "teacher",
         "parameters": count_parameters(distilled.teacher_.module_), "y_pred": teacher_pred},
        {"name": f"student distilled (T={DISTILLATION['temperature']:g})",
         "label": "distilled student", "parameters": count_parameters(distilled.student_.module_),
         "y_pred": distilled.predict(X_test)},
        {"name": "student alone (alpha=0, beta=1)", "label": "student alone",
         "parameters": count_parameters(alone.student_.module_), "y_pred": alone.predict(X_test)},
    ]
    for result in results:
        result["accuracy"] = accuracy_score(y_test, result["y_pred"])
        result["macro F1"] = f1_score(y_test, result["y_pred"], average="macro")
    rows = [(r["name"], f"{r['parameters']:,}", f"{r['accuracy']:.4f}", f"{r['macro F1']:.4f}")
            for r in results]
    print(format_table(rows, COLUMNS))
    print(f"Test scores, {args.meta_epochs} meta-epochs; student {model_name(STUDENT)}.")
    plot(results, args.output)


if __name__ == "__main__":
    main()
