"""Torch modules usable as teacher or student.

Each module takes a flat feature matrix of shape (n_samples, input_dim) and
returns logits: shape (n_samples,) for ``output_dim=1`` (two classes) and
(n_samples, output_dim) otherwise. :class:`~skdistill.DistilledClassifier`
fills ``input_dim`` and ``output_dim`` from the data.

The sequence modules (:class:`CNN`, :class:`GRU`, :class:`BiLSTM`,
:class:`Transformer`) read the flat input as one-hot sequences laid out
position-major: columns ``pos0_A, pos0_C, ..., pos1_A, ...``, the layout of
:class:`~skdistill.preprocessing.SequenceEncoder`. Their shape is
``sequence_length`` x ``alphabet_size``; given ``input_dim``, either one
determines the other, and DistilledClassifier fills both from the data when it
can (see "How the shape reaches the module" in the user guide).

Parameter counts quoted below are for the embedded crotonylation windows
encoded by ``SequenceEncoder`` (29 positions x 21 letters = 609 features) and
two classes.
"""

import inspect
import math
import warnings
from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np
import torch
from torch import nn

from ._numbers import as_scalar, is_positive_int
from ._options import check_option
from ._warnings import user_stacklevel

__all__ = ["BiLSTM", "CNN", "GRU", "MLP", "Transformer", "count_parameters"]

#: Readouts from per-position features to one feature vector per sequence.
READOUTS = ("positions", "max", "mean")


def count_parameters(module):
    """Return the number of trainable parameters of a torch module.

    Parameters
    ----------
    module : torch.nn.Module

    Returns
    -------
    n_parameters : int
    """
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def _check_sizes(module_name, optional=False, **sizes):
    """Return the sizes (units, layers, heads) as ints; refuse one that is not a
    positive int (None kept where ``optional``)."""
    for name, size in sizes.items():
        if not (optional and size is None) and not is_positive_int(size):
            raise ValueError(f"{module_name}: {name} must be a positive int; got {size!r}.")
    return tuple(None if size is None else int(as_scalar(size)) for size in sizes.values())


def _check_dropout(module_name, dropout):
    """Return the dropout rate as a float, refused outside [0, 1): our layers are
    skipped for a negative or NaN rate, and a rate of 1 zeroes every feature the
    layer sees (the net learns its bias alone)."""
    rate = as_scalar(dropout)
    if isinstance(rate, bool) or not isinstance(rate, Real) or not 0 <= rate < 1:
        raise ValueError(
            f"{module_name}: dropout must be a number in [0, 1); got {dropout!r}."
        )
    return float(rate)


def _check_flag(module_name, name, value):
    """Return a flag as a bool: True, False, 1 or 0 (NumPy's and 0-d tensors too);
    refuse anything else, such as "no", which would be true."""
    flag = as_scalar(value)
    if isinstance(flag, (Integral, np.bool_)) and flag in (0, 1):  # bool is an Integral
        return bool(flag)
    raise ValueError(f"{module_name}: {name} must be True or False; got {value!r}.")


def _check_widths(name, widths):
    """Refuse a layer of no units: torch builds it silently, and the net's
    output is then constant; and widths in no order (a set's layers came in the
    order of its hashes)."""
    if not (isinstance(widths, (Sequence, np.ndarray, torch.Tensor))
            and not isinstance(widths, str) and getattr(widths, "ndim", 1) == 1
            and all(is_positive_int(units) for units in widths)):
        raise ValueError(f"{name} must be a sequence of positive ints; got {widths!r}.")


def _keep_arguments(module, arguments):
    """Keep the constructor's arguments as attributes of the same name, as
    torch's own layers do (``Linear.in_features``), so that an instance can be
    saved and rebuilt without pickle. Attributes already set (a sequence shape
    resolved from ``input_dim``) are kept."""
    for name in inspect.signature(type(module)).parameters:
        # a subclass's own parameters (``**kwargs``, say) are its to keep
        if not hasattr(module, name) and name in arguments:
            setattr(module, name, arguments[name])


#: What the warning of a dropout that follows no layer says (a regular expression).
DROPOUT_ACTS_NOWHERE = r".*: dropout=\S+ acts nowhere"


def _warn_if_dropout_acts_nowhere(module, dropout):
    """Warn where ``dropout`` > 0 follows no layer of ``module``: torch builds
    such a net without a word (a one-layer GRU without head units, an MLP
    without hidden layers), and a user who set it to regularise gets none."""
    if dropout > 0 and not any(
        isinstance(layer, nn.Dropout) or (isinstance(layer, nn.RNNBase) and layer.dropout > 0)
        for layer in module.modules()
    ):
        warnings.warn(
            f"{type(module).__name__}: dropout={dropout} acts nowhere: it follows hidden "
            "layers (hidden_units, head_units, channels) and recurrent layers but the last "
            "(num_layers above 1), of which this net has none. Add one, or set dropout=0.",
            UserWarning, stacklevel=user_stacklevel(),
        )


def _logits_of(output, output_dim):
    return output[:, 0] if output_dim == 1 else output


class MLP(nn.Module):
    """Multi-layer perceptron with ReLU activations.

    Parameters
    ----------
    input_dim : int
        Number of input features.
    hidden_units : sequence of int, default=(64,)
        Width of each hidden layer; empty for a linear model.
    dropout : float, default=0.0
        Dropout probability after each hidden layer, in [0, 1).
    output_dim : int, default=1
        Number of logits: 1 for two classes, the number of classes otherwise.
    linear_skip : bool, default=False
        If True, a linear map of the input is added to the logits, so that the
        net starts out close to a linear model and spends its hidden units on
        what a linear model misses (a "wide and deep" net).

    Notes
    -----
    On the embedded data (609 features), the default student of
    :class:`~skdistill.DistilledClassifier` (``hidden_units=(64,)``) has 39,105
    parameters and the default teacher (``hidden_units=(256, 128)``,
    ``dropout=0.1``) 189,185.

    Examples
    --------
    >>> import torch
    >>> net = MLP(input_dim=4, hidden_units=(8,))
    >>> net(torch.zeros(3, 4)).shape
    torch.Size([3])
    """

    def __init__(self, input_dim, hidden_units=(64,), dropout=0.0, output_dim=1,
                 linear_skip=False):
        super().__init__()
        _check_widths("hidden_units", hidden_units)
        input_dim, output_dim = _check_sizes("MLP", input_dim=input_dim, output_dim=output_dim)
        dropout = _check_dropout("MLP", dropout)
        linear_skip = _check_flag("MLP", "linear_skip", linear_skip)
        layers = []
        width = input_dim
        for units in hidden_units:
            layers += [nn.Linear(width, units), nn.ReLU()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = units
        layers.append(nn.Linear(width, output_dim))
        self.layers = nn.Sequential(*layers)
        self.skip = nn.Linear(input_dim, output_dim, bias=False) if linear_skip else None
        self.output_dim = output_dim
        _keep_arguments(self, locals())
        _warn_if_dropout_acts_nowhere(self, dropout)

    def forward(self, X):
        """Return the logits for a batch of flat feature vectors.

        Parameters
        ----------
        X : torch.Tensor of shape (n, input_dim)

        Returns
        -------
        logits : torch.Tensor of shape (n,) for output_dim=1, else (n, output_dim)
        """
        if X.ndim != 2:  # a 3-d batch gave one logit per first row of each sample
            raise ValueError(f"MLP takes a batch of shape (n, {self.layers[0].in_features}); got "
                             f"{tuple(X.shape)}.")
        output = self.layers(X)
        if self.skip is not None:
            output = output + self.skip(X)
        return _logits_of(output, self.output_dim)


def sequence_shape(input_dim, sequence_length, alphabet_size, module_name):
    """Resolve ``(sequence_length, alphabet_size)`` of a flat one-hot input.

    Any two of the three sizes determine the third.

    Raises
    ------
    ValueError
        If the sizes are missing or disagree.
    """
    if sequence_length is None and alphabet_size is None:
        raise ValueError(
            f"{module_name} needs the sequence shape, and the input does not give it. "
            "DistilledClassifier reads it from feature names such as 'pos3_K', every "
            "column named so (a OneHotEncoder or SequenceEncoder with "
            "set_output(transform='pandas'), no other columns beside them) or "
            "from a position-major one-hot layout with every letter at every position "
            "(SequenceEncoder's): encode the sequences with SequenceEncoder, and put no "
            "step that changes the 0s and 1s after it (an over-sampler such as SMOTE "
            "interpolates them, a scaler shifts them). Give the sizes "
            f"yourself ({module_name}(sequence_length=29, alphabet_size=21)) only for "
            f"input already in that layout. If you built the module yourself "
            f"({module_name}(...)), it was built before it saw the input: pass the class "
            f"({module_name}), or NeuralNetClassifier({module_name}, "
            "module__<setting>=...) with your settings, for the sizes to be filled in."
        )
    input_dim, sequence_length, alphabet_size = _check_sizes(
        module_name, optional=True, input_dim=input_dim, sequence_length=sequence_length,
        alphabet_size=alphabet_size,
    )
    if input_dim is None:
        if sequence_length is None or alphabet_size is None:
            raise ValueError(
                f"{module_name} needs input_dim, or both sequence_length and alphabet_size."
            )
        input_dim = sequence_length * alphabet_size
    known = alphabet_size if sequence_length is None else sequence_length
    if known < 1 or input_dim % known:
        raise ValueError(
            f"{module_name}: input_dim={input_dim} is not sequence_length x "
            f"alphabet_size with sequence_length={sequence_length}, "
            f"alphabet_size={alphabet_size}."
        )
    sequence_length = sequence_length or input_dim // alphabet_size
    alphabet_size = alphabet_size or input_dim // sequence_length
    if sequence_length * alphabet_size != input_dim:
        raise ValueError(
            f"{module_name}: sequence_length={sequence_length} x alphabet_size="
            f"{alphabet_size} != input_dim={input_dim}."
        )
    return sequence_length, alphabet_size


class SequenceReadout(nn.Module):
    """From per-position features to logits.

    Parameters
    ----------
    sequence_length : int
    channels : int
        Features per position.
    readout : {"positions", "max", "mean"}, default="positions"
        "positions" keeps where each feature occurs: the (length x channels)
        map is flattened and weighted per position, which a label about the
        centre of a window (a modified residue, a splice site) needs. "max"
        and "mean" pool over the positions that hold a letter (padding and
        unknown letters, all-zero in the one-hot input, left out): fewer
        weights, but blind to position.
    head_units : sequence of int, default=()
        Hidden layers of the MLP head after the readout.
    dropout : float, default=0.0
        Dropout in the head, in [0, 1).
    output_dim : int, default=1
    """

    def __init__(
        self, sequence_length, channels, readout="positions", head_units=(), dropout=0.0,
        output_dim=1,
    ):
        super().__init__()
        check_option("readout", readout, READOUTS)
        _check_widths("head_units", head_units)
        sequence_length, channels = _check_sizes(
            "SequenceReadout", sequence_length=sequence_length, channels=channels
        )
        self.readout = readout
        width = channels * sequence_length if readout == "positions" else channels
        # the module that owns the readout says where its dropout acts nowhere
        self.head = MLP(width, hidden_units=head_units, dropout=dropout if head_units else 0.0,
                        output_dim=output_dim)

    def forward(self, features, present=None):
        """Logits from features of shape (n, length, channels).

        ``present``, a bool tensor of shape (n, length) with at least one
        True per row, or None (every position), marks the positions "max"
        and "mean" pool over.
        """
        if self.readout == "positions":
            return self.head(features.flatten(1))
        if present is None:
            present = torch.ones(features.shape[:2], dtype=torch.bool, device=features.device)
        present = present.unsqueeze(-1)
        if self.readout == "max":
            pooled = features.masked_fill(~present, -math.inf).amax(dim=1)
        else:
            # weights that sum to 1, not a sum divided: a float16 sum would overflow
            weights = present / present.sum(dim=1, keepdim=True)
            pooled = (features * weights.to(features.dtype)).sum(dim=1)
        return self.head(pooled)


_SHAPE_PARAMETERS = """\
    input_dim : int or None, default=None
        Number of input features, ``sequence_length * alphabet_size``.
    sequence_length : int or None, default=None
    alphabet_size : int or None, default=None
        Two of ``input_dim``, ``sequence_length`` and ``alphabet_size`` are
        needed; :class:`~skdistill.DistilledClassifier` fills them.
"""


class _SequenceModule(nn.Module):
    """Base of the sequence modules: shape resolution, reshaping, readout."""

    def __init__(self, input_dim, sequence_length, alphabet_size, output_dim):
        super().__init__()
        (output_dim,) = _check_sizes(type(self).__name__, output_dim=output_dim)
        self.sequence_length, self.alphabet_size = sequence_shape(
            input_dim, sequence_length, alphabet_size, type(self).__name__
        )
        self.output_dim = output_dim

    def _check_layers(self, dropout, **sizes):
        """Return the dropout rate as a float, then the sizes as ints; refuse a
        rate outside [0, 1) and sizes that are not positive ints."""
        sizes = _check_sizes(type(self).__name__, **sizes)
        return (_check_dropout(type(self).__name__, dropout), *sizes)

    def _sequences(self, X):
        width = self.sequence_length * self.alphabet_size
        if X.ndim != 2 or X.shape[1] != width:
            raise ValueError(
                f"{type(self).__name__} reads {self.sequence_length} positions of "
                f"{self.alphabet_size} letters: input of shape (n, {width}); got "
                f"{tuple(X.shape)}."
            )
        return X.view(len(X), self.sequence_length, self.alphabet_size)

    @staticmethod
    def _present(sequences):
        """Positions that hold a letter (padding and unknown letters are
        all-zero), of shape (n, length); a row without any letter has all of
        its positions, so that pooling and attention have something to read."""
        present = (sequences != 0).any(dim=-1)
        return present | ~present.any(dim=1, keepdim=True)

    @property
    def masks_padding(self):
        """Whether pooling leaves padding and unknown letters out.

        Padding and unknown letters are all-zero positions. A pooling readout
        leaves them out here, attention too in the Transformer; modules of
        skdistill 0.1 did not. The BiLSTM's backward direction still runs
        through them before the sequence, so that padding moves its logits all
        the same.
        """
        return self.readout_.readout != "positions"

    def _make_readout(self, channels, readout, head_units, dropout):
        return SequenceReadout(
            self.sequence_length, channels, readout, head_units, dropout, self.output_dim
        )

    def encode(self, sequences, present=None):
        """Per-position features of the sequences.

        Parameters
        ----------
        sequences : torch.Tensor of shape (n, sequence_length, alphabet_size)
            One-hot sequences.
        present : torch.Tensor of bool, shape (n, sequence_length), or None
            The positions that hold a letter, where the readout pools: the
            CNN then sets its features elsewhere to 0 after every
            convolution, so that padding reads as the zeros of its edges at
            every depth; the Transformer always masks attention, computing
            them where None.

        Returns
        -------
        features : torch.Tensor of shape (n, sequence_length, width)
            The outputs of the last convolution (CNN, width ``channels[-1]``),
            the hidden states of the last recurrent layer (GRU and BiLSTM,
            ``hidden_size`` per direction) or the contextual embeddings of the
            last encoder layer (Transformer, ``d_model``).
        """
        raise NotImplementedError

    def forward(self, X):
        """Return the logits for a batch of flat one-hot sequences.

        Parameters
        ----------
        X : torch.Tensor of shape (n, sequence_length * alphabet_size)
            Position-major one-hot sequences, as
            :class:`~skdistill.preprocessing.SequenceEncoder` writes them.

        Returns
        -------
        logits : torch.Tensor of shape (n,) for output_dim=1, else (n, output_dim)
        """
        sequences = self._sequences(X)
        if self.readout_.readout == "positions":  # an encode(sequences) of 0.1.0 still serves
            return self.readout_(self.encode(sequences))
        present = self._present(sequences)
        return self.readout_(self.encode(sequences, present), present)


class CNN(_SequenceModule):
    __doc__ = f"""1-D convolutional network over the positions of one-hot sequences.

    Parameters
    ----------
{_SHAPE_PARAMETERS}    channels : sequence of int, default=(32, 32)
        Output channels of each convolution (ReLU after each); empty, no
        convolution: the readout reads the one-hot letters themselves.
    kernel_size : int, default=7
        Odd width of every convolution; the output keeps the input length.
    readout : {{"positions", "max", "mean"}}, default="positions"
        How per-position features become one vector: see
        :class:`SequenceReadout`. "max" is global max pooling.
    head_units : sequence of int, default=()
        Hidden layers after the readout.
    dropout : float, default=0.0
        Dropout after each convolution and each head layer, in [0, 1).
    output_dim : int, default=1

    Notes
    -----
    On the embedded data: ``CNN()`` has 12,865 parameters;
    ``CNN(channels=(64, 64))`` 40,065; ``CNN(channels=(8,))`` 1,417.

    Examples
    --------
    >>> import torch
    >>> net = CNN(sequence_length=10, alphabet_size=4, channels=(8,))
    >>> net(torch.zeros(3, 40)).shape
    torch.Size([3])
    """

    def __init__(
        self, input_dim=None, sequence_length=None, alphabet_size=None, channels=(32, 32),
        kernel_size=7, readout="positions", head_units=(), dropout=0.0, output_dim=1,
    ):
        super().__init__(input_dim, sequence_length, alphabet_size, output_dim)
        if not is_positive_int(kernel_size) or kernel_size % 2 == 0:
            raise ValueError(
                f"kernel_size must be a positive odd int, to keep the length; got "
                f"{kernel_size!r}."
            )
        _check_widths("channels", channels)
        (dropout,) = self._check_layers(dropout)
        layers = []
        width = self.alphabet_size
        for out_channels in channels:
            layers += [nn.Conv1d(width, out_channels, int(kernel_size),
                                 padding=int(kernel_size) // 2),
                       nn.ReLU()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = out_channels
        self.convolutions = nn.Sequential(*layers)
        self.readout_ = self._make_readout(width, readout, head_units, dropout)
        _keep_arguments(self, locals())
        _warn_if_dropout_acts_nowhere(self, dropout)

    def encode(self, sequences, present=None):
        features = sequences.transpose(1, 2)
        keep = None if present is None else present.unsqueeze(1).to(features.dtype)
        for layer in self.convolutions:
            features = layer(features)
            if keep is not None:  # after every layer, whatever a subclass puts there
                features = features * keep
        return features.transpose(1, 2)


class _Recurrent(_SequenceModule):
    rnn_class = None
    bidirectional = False

    def __init__(
        self, input_dim=None, sequence_length=None, alphabet_size=None, hidden_size=16,
        num_layers=1, readout="positions", head_units=(), dropout=0.0, output_dim=1,
    ):
        super().__init__(input_dim, sequence_length, alphabet_size, output_dim)
        dropout, hidden_size, num_layers = self._check_layers(
            dropout, hidden_size=hidden_size, num_layers=num_layers
        )
        self.rnn = self.rnn_class(
            self.alphabet_size, hidden_size, num_layers=num_layers, batch_first=True,
            bidirectional=self.bidirectional, dropout=dropout if num_layers > 1 else 0.0,
        )
        width = hidden_size * (2 if self.bidirectional else 1)
        self.readout_ = self._make_readout(width, readout, head_units, dropout)
        _keep_arguments(self, locals())
        _warn_if_dropout_acts_nowhere(self, dropout)

    def encode(self, sequences, present=None):
        return self.rnn(sequences)[0]


_RECURRENT_PARAMETERS = f"""
    Parameters
    ----------
{_SHAPE_PARAMETERS}    hidden_size : int, default=16
        Hidden units per direction.
    num_layers : int, default=1
    readout : {{"positions", "max", "mean"}}, default="positions"
        How the hidden states of all positions become one vector: see
        :class:`SequenceReadout`.
    head_units : sequence of int, default=()
        Hidden layers after the readout.
    dropout : float, default=0.0
        Dropout between recurrent layers and in the head, in [0, 1).
    output_dim : int, default=1
"""


class GRU(_Recurrent):
    __doc__ = f"""Gated recurrent network run over the positions of one-hot sequences.
{_RECURRENT_PARAMETERS}
    Notes
    -----
    On the embedded data: ``GRU()`` has 2,337 parameters; ``GRU(hidden_size=32)``
    6,209; ``GRU(hidden_size=8)`` 977.

    Examples
    --------
    >>> import torch
    >>> net = GRU(sequence_length=10, alphabet_size=4, hidden_size=8)
    >>> net(torch.zeros(3, 40)).shape
    torch.Size([3])
    """

    rnn_class = nn.GRU


class BiLSTM(_Recurrent):
    __doc__ = f"""Bidirectional LSTM run over the positions of one-hot sequences.
{_RECURRENT_PARAMETERS}
    Notes
    -----
    On the embedded data: ``BiLSTM()`` has 5,921 parameters; ``BiLSTM(hidden_size=32)``
    15,937.

    Examples
    --------
    >>> import torch
    >>> net = BiLSTM(sequence_length=10, alphabet_size=4, hidden_size=8)
    >>> net(torch.zeros(3, 40)).shape
    torch.Size([3])
    """

    rnn_class = nn.LSTM
    bidirectional = True


class Transformer(_SequenceModule):
    __doc__ = f"""Transformer encoder over the positions of one-hot sequences.

    Each position's letter is embedded, a learned positional embedding is
    added, and self-attention layers mix the positions: a sequence model, not
    an attention layer over one flattened vector.

    Parameters
    ----------
{_SHAPE_PARAMETERS}    d_model : int, default=32
        Width of the letter and position embeddings.
    nhead : int, default=4
        Attention heads; must divide ``d_model``.
    num_layers : int, default=2
    dim_feedforward : int, default=64
    readout : {{"positions", "max", "mean"}}, default="positions"
        See :class:`SequenceReadout`.
    head_units : sequence of int, default=()
    dropout : float, default=0.1
        Dropout inside the encoder layers and the head, in [0, 1).
    output_dim : int, default=1

    Notes
    -----
    On the embedded data ``Transformer()`` has 19,649 parameters.

    Examples
    --------
    >>> import torch
    >>> net = Transformer(sequence_length=10, alphabet_size=4, d_model=8, nhead=2)
    >>> net(torch.zeros(3, 40)).shape
    torch.Size([3])
    """

    def __init__(
        self, input_dim=None, sequence_length=None, alphabet_size=None, d_model=32, nhead=4,
        num_layers=2, dim_feedforward=64, readout="positions", head_units=(), dropout=0.1,
        output_dim=1,
    ):
        super().__init__(input_dim, sequence_length, alphabet_size, output_dim)
        dropout, d_model, nhead, num_layers, dim_feedforward = self._check_layers(
            dropout, d_model=d_model, nhead=nhead, num_layers=num_layers,
            dim_feedforward=dim_feedforward,
        )
        if d_model % nhead:
            raise ValueError(
                f"Transformer: d_model={d_model} must be a multiple of nhead={nhead} (each "
                "head attends over d_model / nhead features)."
            )
        self.embedding = nn.Linear(self.alphabet_size, d_model)
        self.positions = nn.Parameter(
            torch.randn(self.sequence_length, d_model) / math.sqrt(d_model)
        )
        layer = nn.TransformerEncoderLayer(
            d_model, nhead, dim_feedforward=dim_feedforward, dropout=dropout,
            batch_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.readout_ = self._make_readout(d_model, readout, head_units, dropout)
        _keep_arguments(self, locals())

    @property
    def masks_padding(self):
        """Whether padding and unknown letters are left out: always, by attention."""
        return True

    def encode(self, sequences, present=None):
        # Attention skips padding and unknown letters, whatever the readout.
        embedded = self.embedding(sequences) + self.positions
        if not len(sequences):  # torch's attention cannot reshape an empty batch
            return embedded
        present = self._present(sequences) if present is None else present
        return self.encoder(embedded, src_key_padding_mask=~present)
