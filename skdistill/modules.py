"""Torch modules usable as teacher or student.

Each module takes a flat feature matrix of shape (n_samples, input_dim) and
returns logits: shape (n_samples,) for ``output_dim=1`` (two classes) and
(n_samples, output_dim) otherwise. :class:`~skdistill.DistilledClassifier`
fills ``input_dim`` and ``output_dim`` from the data.
"""

from torch import nn

__all__ = ["MLP", "count_parameters"]


def count_parameters(module):
    """Return the number of trainable parameters of a torch module."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


class MLP(nn.Module):
    """Multi-layer perceptron with ReLU activations.

    Parameters
    ----------
    input_dim : int
        Number of input features.
    hidden_units : sequence of int, default=(64,)
        Width of each hidden layer; empty for a linear model.
    dropout : float, default=0.0
        Dropout probability after each hidden layer.
    output_dim : int, default=1
        Number of logits: 1 for two classes, the number of classes otherwise.

    Notes
    -----
    On the embedded crotonylation data with each position one-hot encoded
    (588 features), the default student of :class:`~skdistill.DistilledClassifier`
    (``hidden_units=(16,)``) has 9,441 parameters and the default teacher
    (``hidden_units=(128, 64)``, ``dropout=0.5``) 83,713.

    Examples
    --------
    >>> import torch
    >>> net = MLP(input_dim=4, hidden_units=(8,))
    >>> net(torch.zeros(3, 4)).shape
    torch.Size([3])
    """

    def __init__(self, input_dim, hidden_units=(64,), dropout=0.0, output_dim=1):
        super().__init__()
        layers = []
        width = input_dim
        for units in hidden_units:
            layers += [nn.Linear(width, units), nn.ReLU()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = units
        layers.append(nn.Linear(width, output_dim))
        self.layers = nn.Sequential(*layers)
        self.output_dim = output_dim

    def forward(self, X):
        """Return the logits for a batch of flat feature vectors."""
        logits = self.layers(X)
        return logits[:, 0] if self.output_dim == 1 else logits
