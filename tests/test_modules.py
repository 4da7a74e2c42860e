import re

import numpy as np
import pytest
import torch
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as make_imbalanced_pipeline
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from skorch import NeuralNet

from skdistill import DistilledClassifier
from skdistill import modules
from skdistill.modules import (
    CNN, GRU, MLP, BiLSTM, SequenceReadout, Transformer, count_parameters, sequence_shape,
)
from skdistill.preprocessing import SequenceEncoder, positions_frame

from .conftest import FAST

SEQUENCE_MODULES = [CNN, GRU, BiLSTM, Transformer]


@pytest.mark.parametrize("module_class", SEQUENCE_MODULES)
@pytest.mark.parametrize("readout", ["positions", "max", "mean"])
@pytest.mark.parametrize("output_dim", [1, 3])
def test_sequence_modules_map_flat_one_hot_to_logits(module_class, readout, output_dim):
    module = module_class(input_dim=40, alphabet_size=4, readout=readout, output_dim=output_dim)
    assert (module.sequence_length, module.alphabet_size) == (10, 4)
    logits = module(torch.rand(5, 40))
    assert logits.shape == ((5,) if output_dim == 1 else (5, 3))
    assert torch.isfinite(logits).all()


@pytest.mark.parametrize("module_class", [MLP, *SEQUENCE_MODULES])
@pytest.mark.parametrize("training", [True, False])
def test_modules_take_an_empty_batch(module_class, training):
    module = module_class(input_dim=40, **({} if module_class is MLP else {"alphabet_size": 4}))
    logits = module.train(training)(torch.rand(0, 40))
    assert logits.shape == (0,)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"input_dim": 40}, "needs the sequence shape"),
        # an instance built by the user: the advice was for input only
        ({}, r"If you built the module yourself \(\w+\(\.\.\.\)\), it was built before it "
             r"saw the input: pass the class \(\w+\), or NeuralNetClassifier\(\w+, "
             r"module__<setting>=\.\.\.\)"),
        ({"input_dim": 40, "alphabet_size": 3}, "is not sequence_length x alphabet_size"),
        ({"input_dim": 40, "sequence_length": 10, "alphabet_size": 5}, "!= input_dim"),
        ({"sequence_length": 10}, "needs input_dim"),
        ({"sequence_length": 10, "alphabet_size": 4, "readout": "sum"}, "readout must be"),
    ],
)
@pytest.mark.parametrize("module_class", SEQUENCE_MODULES)
def test_bad_shapes_are_named(module_class, kwargs, message):
    with pytest.raises(ValueError, match=message):
        module_class(**kwargs)


@pytest.mark.parametrize(
    "build, name, given",
    [(lambda: MLP(input_dim=8, hidden_units=(0,)), "hidden_units", r"\(0,\)"),
     (lambda: CNN(sequence_length=29, alphabet_size=21, channels=(8,), head_units=(16, 0)),
      "head_units", r"\(16, 0\)"),
     # channels of no units built and failed in forward; an int failed in a bare TypeError
     (lambda: CNN(sequence_length=10, alphabet_size=4, channels=(0,)), "channels", r"\(0,\)"),
     (lambda: MLP(input_dim=8, hidden_units=64), "hidden_units", "64"),
     # a set's layers came in the order of its hashes
     (lambda: MLP(input_dim=8, hidden_units={64, 8}), "hidden_units", r"\{(8, 64|64, 8)\}"),
     (lambda: MLP(input_dim=8, hidden_units=torch.tensor(8)), "hidden_units", r"tensor\(8\)")],
    ids=["MLP", "CNN head", "CNN channels", "an int", "a set", "a 0-d tensor"],
)
def test_a_layer_of_no_units_is_refused(build, name, given):
    # it built, and the net trained to a constant output (ROC AUC 0.5, exit status 0)
    with pytest.raises(ValueError, match=rf"^{name} must be a sequence of positive ints; "
                                         rf"got {given}\.$"):
        build()


@pytest.mark.parametrize("kernel_size", [4, -1, 3.0])
def test_cnn_kernel_must_keep_the_length(kernel_size):
    # -1 passed the odd check and failed in torch
    with pytest.raises(ValueError, match="kernel_size must be a positive odd int"):
        CNN(sequence_length=10, alphabet_size=4, kernel_size=kernel_size)


@pytest.mark.parametrize("sizes, name", [
    ((None, 5, 0), "alphabet_size"), ((None, 10, -4), "alphabet_size"),
    ((40, 10.0, None), "sequence_length"),
])
def test_sequence_sizes_must_be_positive_ints(sizes, name):
    # (5, 0), (10, -4) and (10.0, 4.0) came back as shapes
    with pytest.raises(ValueError, match=f"CNN: {name} must be a positive int"):
        sequence_shape(*sizes, "CNN")


@pytest.mark.parametrize("build, message", [
    # torch skips dropout for a negative or NaN rate: these trained without a word
    (lambda: MLP(4, dropout=-0.5), "MLP: dropout must be a number in [0, 1); got -0.5."),
    (lambda: MLP(4, dropout=float("nan")), "MLP: dropout must be a number in [0, 1); got nan."),
    # a rate of 1 zeroed every hidden feature: the net learnt its bias alone
    (lambda: CNN(sequence_length=10, alphabet_size=4, dropout=1.0), "CNN: dropout must be"),
    (lambda: GRU(sequence_length=10, alphabet_size=4, dropout=5), "GRU: dropout must be"),
    (lambda: BiLSTM(sequence_length=10, alphabet_size=4, hidden_size=0),
     "BiLSTM: hidden_size must be a positive int; got 0."),
    # an IndexError and an AssertionError from torch, naming none of these
    (lambda: Transformer(sequence_length=10, alphabet_size=4, d_model=8, nhead=2, num_layers=0),
     "Transformer: num_layers must be a positive int; got 0."),
    (lambda: Transformer(sequence_length=10, alphabet_size=4, d_model=8, nhead=3),
     "Transformer: d_model=8 must be a multiple of nhead=3"),
    (lambda: Transformer(sequence_length=10, alphabet_size=4, dim_feedforward=0),
     "Transformer: dim_feedforward must be a positive int; got 0."),
    (lambda: MLP(4, linear_skip="no"), "MLP: linear_skip must be True or False; got 'no'."),
    (lambda: MLP(4, output_dim=0), "MLP: output_dim must be a positive int; got 0."),
    # a TypeError from torch's empty(), and two errors naming "MLP: input_dim"
    (lambda: MLP(None), "MLP: input_dim must be a positive int; got None."),
    (lambda: SequenceReadout(5, 0), "SequenceReadout: channels must be a positive int; got 0."),
    (lambda: SequenceReadout(5.0, 3),
     "SequenceReadout: sequence_length must be a positive int; got 5.0."),
], ids=["MLP negative dropout", "MLP NaN dropout", "CNN dropout 1", "GRU dropout 5",
        "BiLSTM hidden_size", "Transformer num_layers", "Transformer nhead",
        "Transformer dim_feedforward", "MLP linear_skip", "MLP output_dim", "MLP input_dim",
        "SequenceReadout channels", "SequenceReadout length"])
def test_bad_layer_settings_are_named(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_flags_and_rates_of_numpy_and_torch_scalars_build_and_train():
    # refused by the first version of these checks (flags of 1 and 0, models saved with
    # them), then let through to torch, which refused 0-d arrays at the first step
    assert MLP(4, linear_skip=1).skip is not None
    assert MLP(4, linear_skip=torch.tensor(False)).skip is None
    for rate in (np.array(0.2), torch.tensor(0.2), np.float32(0.2)):
        for module in (MLP(4, dropout=rate, hidden_units=(8,)),
                       GRU(sequence_length=2, alphabet_size=2, num_layers=2, dropout=rate),
                       CNN(sequence_length=2, alphabet_size=2, dropout=rate)):
            assert module.train()(torch.rand(3, 4)).shape == (3,)
            assert type(module.dropout) is float


def test_flags_of_numpy_bools_and_sizes_of_zero_dimensional_arrays_build():
    # np.False_ from a grid of np.array([False, True]) was refused; sizes of 0-d arrays
    # reached torch's layers, some of which refuse them
    assert MLP(4, linear_skip=np.True_).skip is not None
    assert MLP(4, linear_skip=np.False_).skip is None
    sizes = {"d_model": np.array(8), "nhead": np.array(2), "num_layers": np.array(1),
             "dim_feedforward": np.array(16), "output_dim": np.array(1)}
    transformer = Transformer(sequence_length=np.array(3), alphabet_size=2, **sizes)
    assert transformer(torch.rand(4, 6)).shape == (4,)
    gru = GRU(sequence_length=3, alphabet_size=2, hidden_size=np.array(4),
              num_layers=torch.tensor(2), dropout=0.1)
    assert gru.train()(torch.rand(4, 6)).shape == (4,)
    assert MLP(np.array(20))(torch.zeros(2, 20)).shape == (2,)


@pytest.mark.parametrize("value", [1.0, np.array([1]), "no", None, 2])
def test_a_flag_is_a_bool_or_one_or_zero(value):
    # 1.0 and np.array([1]) passed as flags; arrays of several values raised numpy's error
    with pytest.raises(ValueError, match="MLP: linear_skip must be True or False"):
        MLP(4, linear_skip=value)


def test_a_bad_module_setting_is_named_with_its_role_in_fit():
    X, y = np.random.default_rng(0).normal(size=(60, 4)).astype(np.float32), np.arange(60) % 2
    student = NeuralNet(MLP, criterion=torch.nn.BCEWithLogitsLoss, module__dropout=-0.5)
    with pytest.raises(ValueError, match=r"The student's module MLP could not be built: "
                                         r"MLP: dropout must be a number in \[0, 1\)"):
        DistilledClassifier(student=student, meta_epochs=1).fit(X, y)


def _documented_counts():
    """(module expression, parameter count) pairs quoted in the module docstrings."""
    text = "\n".join(
        obj.__doc__ for obj in vars(modules).values() if isinstance(obj, type) and obj.__doc__
    )
    for expression, count in re.findall(r"``(\w+\([^`]*\))`` has ([\d,]+) parameters", text):
        yield expression, int(count.replace(",", ""))
    for expression, count in re.findall(r"[;,]\s+``(\w+\([^`]*\))``\s+([\d,]+)", text):
        yield expression, int(count.replace(",", ""))


@pytest.mark.parametrize("expression, count", list(_documented_counts()))
def test_documented_parameter_counts_are_true(expression, count):
    name, arguments = expression.split("(", 1)
    module = eval(f"{name}(sequence_length=29, alphabet_size=21, {arguments}")  # noqa: S307
    assert count_parameters(module) == count


def test_documented_mlp_counts_are_true():
    assert count_parameters(MLP(609, hidden_units=(64,))) == 39_105
    assert count_parameters(MLP(609, hidden_units=(256, 128), dropout=0.1)) == 189_185


def test_mlp_linear_skip_adds_a_linear_map_of_the_input():
    torch.manual_seed(0)
    net = MLP(5, hidden_units=(4,), linear_skip=True)
    X = torch.randn(7, 5)
    torch.testing.assert_close(net(X), net.layers(X)[:, 0] + X @ net.skip.weight[0])
    assert count_parameters(net) == count_parameters(MLP(5, hidden_units=(4,))) + 5
    # With the hidden path silenced the net is exactly the linear model.
    torch.nn.init.zeros_(net.layers[-1].weight)
    torch.nn.init.zeros_(net.layers[-1].bias)
    torch.testing.assert_close(net(X), X @ net.skip.weight[0])


def _centre_motif_data(n_samples=600, length=15, seed=0):
    """One 'A' per window among 'C's; the label says whether it sits at the centre."""
    rng = np.random.default_rng(seed)
    where = np.where(rng.random(n_samples) < 0.3, length // 2, rng.integers(0, length, n_samples))
    sequences = ["".join("A" if i == w else "C" for i in range(length)) for w in where]
    return np.asarray(sequences), (where == length // 2).astype(int)


@pytest.mark.parametrize("readout, learns", [("positions", True), ("max", False)])
def test_only_a_position_aware_readout_tells_where_a_motif_sits(readout, learns):
    sequences, y = _centre_motif_data()
    student = CNN(sequence_length=15, alphabet_size=2, channels=(8,), kernel_size=3,
                  readout=readout)
    clf = make_pipeline(
        SequenceEncoder(),
        DistilledClassifier(student=student, alpha=0.0, beta=1.0, meta_epochs=10,
                            student_epochs=2, batch_size=32, random_state=0),
    ).fit(sequences, y)
    test_sequences, test_y = _centre_motif_data(seed=1)
    auc = roc_auc_score(test_y, clf.predict_proba(test_sequences)[:, 1])
    assert (auc > 0.95) if learns else (auc < 0.8)


def _padded(letters, length, alphabet_size=4):
    """The one-hot rows of a sequence of letter indices, padded with all-zero positions."""
    X = torch.zeros(1, length, alphabet_size)
    X[0, torch.arange(len(letters)), torch.tensor(letters)] = 1.0
    return X.flatten(1)


@pytest.mark.parametrize("module_class", [CNN, GRU, Transformer])
@pytest.mark.parametrize("readout", ["mean", "max"])
def test_padding_does_not_reach_pooling_or_attention(module_class, readout):
    # "mean" averaged the padded positions in, and the Transformer attended to them: a
    # peptide's logit moved with the window it was padded to; a second convolution read
    # the first one's features of padded positions (bias, not zeros) near the end
    torch.manual_seed(0)
    letters = [0, 3, 1, 2, 2, 0, 1, 3, 0]
    params = {"alphabet_size": 4, "readout": readout, "dropout": 0.0}
    longest = module_class(sequence_length=30, **params).eval()
    logits = []
    for length in (len(letters), len(letters) + 1, 20, 30):
        module = module_class(sequence_length=length, **params).eval()
        state = longest.state_dict()
        if module_class is Transformer:  # the positions of the window's own length
            state["positions"] = state["positions"][:length]
        module.load_state_dict(state)
        with torch.no_grad():
            logits.append(module(_padded(letters, length)))
    for other in logits[1:]:
        torch.testing.assert_close(other, logits[0])
    with torch.no_grad():  # a sequence without any known letter pools over all of its positions
        assert torch.isfinite(longest(torch.zeros(2, 120))).all()


class OldStyleCNN(CNN):
    """A subclass written for skdistill 0.1.0: encode takes the sequences alone."""

    def encode(self, sequences):
        return super().encode(sequences)


class GELUCNN(CNN):
    """A subclass with another activation after its convolutions."""

    def __init__(self, **params):
        super().__init__(**params)
        self.convolutions = torch.nn.Sequential(*(
            torch.nn.GELU() if isinstance(layer, torch.nn.ReLU) else layer
            for layer in self.convolutions
        ))


def test_subclasses_keep_working_and_masked():
    # forward passed the mask to every encode, and a 0.1.0 override raised TypeError; the
    # CNN masked after a ReLU only, so another activation let padding in again
    X = _padded([0, 3, 1, 2, 2, 0, 1, 3, 0], 20)
    torch.manual_seed(0)
    old_style = OldStyleCNN(sequence_length=20, alphabet_size=4).eval()
    assert old_style(X).shape == (1,)
    logits = []
    for length in (9, 20):
        torch.manual_seed(0)
        module = GELUCNN(sequence_length=length, alphabet_size=4, readout="mean").eval()
        with torch.no_grad():
            logits.append(module(_padded([0, 3, 1, 2, 2, 0, 1, 3, 0], length)))
    torch.testing.assert_close(logits[1], logits[0])


def test_a_masked_mean_does_not_overflow_in_half_precision():
    # the sum of 1,000 positions of 100 overflowed float16 before the division
    readout = SequenceReadout(1000, 1, readout="mean").half()
    features = torch.full((1, 1000, 1), 100.0, dtype=torch.float16)
    present = torch.ones(1, 1000, dtype=torch.bool)
    assert torch.isfinite(readout(features, present)).all()


@pytest.mark.parametrize(
    "teacher, student",
    [(CNN, GRU), (BiLSTM, CNN), (Transformer, MLP), (None, BiLSTM), (CNN, Transformer)],
)
def test_modules_in_a_sequence_pipeline_fit_the_real_data(
    crotonylation_sequences, teacher, student
):
    sequences, y = crotonylation_sequences[0][:600], crotonylation_sequences[1][:600]
    pipeline = make_pipeline(
        SequenceEncoder(), DistilledClassifier(teacher=teacher, student=student,
                                               random_state=0, **FAST)
    ).fit(sequences, y)
    clf = pipeline[-1]
    assert clf.sequence_shape_ == (29, 21)
    assert roc_auc_score(y, pipeline.predict_proba(sequences)[:, 1]) > 0.7
    assert roc_auc_score(y, clf.teacher_predict_proba(pipeline[0].transform(sequences))[:, 1]) > 0.7


def test_per_position_one_hot_route_with_feature_names(crotonylation_frame):
    frame, y = crotonylation_frame
    pipeline = make_pipeline(
        OneHotEncoder(sparse_output=False, handle_unknown="ignore"),
        DistilledClassifier(teacher=CNN, student=GRU, random_state=0, **FAST),
    ).set_output(transform="pandas")
    pipeline.fit(frame[:600], y[:600])
    clf = pipeline[-1]
    assert clf.n_features_in_ < 29 * 21  # not every letter at every position
    assert clf.sequence_shape_ == (29, 21)
    assert clf.student_.module_.sequence_length == 29
    assert roc_auc_score(y[:600], pipeline.predict_proba(frame[:600])[:, 1]) > 0.7


def test_per_position_one_hot_route_with_a_shared_alphabet(crotonylation_frame):
    frame, y = crotonylation_frame
    alphabet = sorted(set(np.unique(frame.to_numpy())))
    pipeline = make_pipeline(
        OneHotEncoder(categories=[alphabet] * frame.shape[1], handle_unknown="ignore"),
        DistilledClassifier(student=CNN(channels=(8,), sequence_length=29,
                                        alphabet_size=len(alphabet)), **FAST),
    ).fit(frame[:600], y[:600])
    assert pipeline[-1].student_.module_.alphabet_size == len(alphabet)


def test_without_names_or_a_uniform_layout_the_error_says_what_to_do(crotonylation_frame):
    frame, y = crotonylation_frame
    X = OneHotEncoder().fit_transform(frame[:600])  # bare matrix, uneven letter sets
    with pytest.raises(ValueError, match="needs the sequence shape.*encode the sequences with "
                                         "SequenceEncoder"):
        DistilledClassifier(student=CNN, **FAST).fit(X, y[:600])


def test_an_oversampler_after_the_encoder_is_named(crotonylation_sequences):
    # SMOTE's interpolated rows are no one-hot layout: the advice was to encode with
    # SequenceEncoder, which the pipeline did
    sequences, labels = crotonylation_sequences
    pipeline = make_imbalanced_pipeline(SequenceEncoder(), SMOTE(random_state=0),
                                        DistilledClassifier(student=CNN, **FAST))
    with pytest.raises(ValueError, match="an over-sampler such as SMOTE interpolates"):
        pipeline.fit(np.asarray(sequences[:300]), np.asarray(labels[:300]))


def test_explicit_shape_through_a_skorch_net(crotonylation_frame):
    from skorch import NeuralNet

    frame, y = crotonylation_frame
    X = SequenceEncoder().fit_transform(positions_frame(frame.apply("".join, axis=1))[:600])
    student = NeuralNet(CNN, module__alphabet_size=21, criterion=torch.nn.BCEWithLogitsLoss)
    clf = DistilledClassifier(student=student, **FAST).fit(X, y[:600])
    assert clf.sequence_shape_ is None  # nothing had to be found
    assert clf.student_.module_.sequence_length == 29


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_sequence_modules_train_on_cuda(crotonylation_sequences):
    sequences, y = crotonylation_sequences[0][:600], crotonylation_sequences[1][:600]
    pipeline = make_pipeline(
        SequenceEncoder(),
        DistilledClassifier(teacher=Transformer, student=CNN, device="cuda", random_state=0,
                            **FAST),
    ).fit(sequences, y)
    assert next(pipeline[-1].student_.module_.parameters()).is_cuda
    assert roc_auc_score(y, pipeline.predict_proba(sequences)[:, 1]) > 0.7


def test_widths_of_numpy_ints_and_zero_dimensional_tensors_build():
    # the check of positive ints refused a 0-d tensor, which built before; a first
    # version of the fix let a bool tensor and a 1-element vector through to torch,
    # and a 0-d kernel_size failed in Conv1d
    assert count_parameters(MLP(4, hidden_units=(np.int64(3), torch.tensor(2)))) == \
        count_parameters(MLP(4, hidden_units=(3, 2)))
    # sequences of widths: tensors, arrays and ranges as tuples are
    for widths in (torch.tensor([3, 2]), np.array([3, 2]), range(3, 1, -1)):
        assert count_parameters(MLP(4, hidden_units=widths)) == \
            count_parameters(MLP(4, hidden_units=(3, 2)))
    for width in (torch.tensor(True), torch.tensor([3]), torch.tensor(3.0)):
        with pytest.raises(ValueError, match="hidden_units must be a sequence of positive"):
            MLP(4, hidden_units=(width,))
    cnn = CNN(sequence_length=10, alphabet_size=4, kernel_size=torch.tensor(3))
    assert cnn(torch.zeros(2, 40)).shape == (2,)


@pytest.mark.parametrize("module_class", SEQUENCE_MODULES)
def test_input_of_another_width_is_named_by_the_module(module_class):
    # torch's "shape '[2, 5, 4]' is invalid for input of size 60"
    module = module_class(sequence_length=5, alphabet_size=4)
    with pytest.raises(ValueError, match=re.escape(
            f"{module_class.__name__} reads 5 positions of 4 letters: input of shape "
            "(n, 20); got (2, 30).")):
        module(torch.zeros(2, 30))


@pytest.mark.parametrize("module", [
    lambda: MLP(12, hidden_units=(), dropout=0.3),
    lambda: GRU(input_dim=12, alphabet_size=4, dropout=0.3),
    lambda: BiLSTM(input_dim=12, alphabet_size=4, dropout=0.3),
    lambda: CNN(input_dim=12, alphabet_size=4, channels=(), dropout=0.3),
])
def test_dropout_that_acts_nowhere_is_named(module):
    # torch built these without dropout and said nothing (one-layer recurrent nets without
    # head units, nets without hidden layers): a user regularising with it got none
    with pytest.warns(UserWarning, match=r"dropout=0\.3 acts nowhere: .*Add one, or set "
                                         "dropout=0"):
        module()


@pytest.mark.parametrize("module", [
    lambda: MLP(12, dropout=0.3),
    lambda: GRU(input_dim=12, alphabet_size=4, dropout=0.3, num_layers=2),
    lambda: GRU(input_dim=12, alphabet_size=4, dropout=0.3, head_units=(8,)),
    lambda: CNN(input_dim=12, alphabet_size=4, dropout=0.3),
    lambda: Transformer(input_dim=12, alphabet_size=4, d_model=8, nhead=2),
    lambda: GRU(input_dim=12, alphabet_size=4),
])
def test_dropout_with_a_place_warns_of_nothing(module, recwarn):
    module()
    assert not [warning for warning in recwarn if "dropout" in str(warning.message)]


def test_an_mlp_refuses_a_batch_of_more_dimensions():
    # a (2, 3, 4) batch gave two logits, each of the first row of its sample
    with pytest.raises(ValueError, match=r"MLP takes a batch of shape \(n, 4\); got \(2, 3, 4\)"):
        MLP(4)(torch.zeros(2, 3, 4))


def _one_hot(letters, alphabet_size=4):
    """Position-major one-hot rows, shape (n, length * alphabet_size)."""
    letters = torch.as_tensor(letters)
    return torch.nn.functional.one_hot(letters, alphabet_size).float().flatten(1)


def test_mlp_hidden_layers_are_relu_each_followed_by_dropout_of_the_given_rate():
    net = MLP(6, hidden_units=(5, 4), dropout=0.25)
    assert [type(layer) for layer in net.layers] == [
        torch.nn.Linear, torch.nn.ReLU, torch.nn.Dropout,
        torch.nn.Linear, torch.nn.ReLU, torch.nn.Dropout, torch.nn.Linear]
    assert [layer.p for layer in net.layers if isinstance(layer, torch.nn.Dropout)] == [0.25] * 2
    # the logits are the ReLU chain's (eval mode: dropout off)
    X = torch.randn(7, 6)
    first, _, _, second, _, _, last = net.eval().layers
    expected = last(torch.relu(second(torch.relu(first(X)))))[:, 0]
    torch.testing.assert_close(net(X), expected)


def test_cnn_kernel_size_and_dropout_rate_reach_every_convolution():
    cnn = CNN(sequence_length=10, alphabet_size=4, channels=(3, 2), kernel_size=5, dropout=0.2)
    convolutions = [layer for layer in cnn.convolutions if isinstance(layer, torch.nn.Conv1d)]
    assert [(c.in_channels, c.out_channels, c.kernel_size, c.padding) for c in convolutions] == [
        (4, 3, (5,), (2,)), (3, 2, (5,), (2,))]
    dropouts = [layer for layer in cnn.convolutions if isinstance(layer, torch.nn.Dropout)]
    assert [layer.p for layer in dropouts] == [0.2] * 2


@pytest.mark.parametrize("module_class", SEQUENCE_MODULES)
def test_head_units_build_every_head_layer(module_class):
    extra = {"d_model": 8, "nhead": 2} if module_class is Transformer else {}
    module = module_class(sequence_length=5, alphabet_size=4, head_units=(6, 3), dropout=0.2,
                          readout="mean", output_dim=3, **extra)
    head = module.readout_.head.layers
    assert [layer.out_features for layer in head if isinstance(layer, torch.nn.Linear)] == [6, 3, 3]
    assert [layer.p for layer in head if isinstance(layer, torch.nn.Dropout)] == [0.2, 0.2]
    assert module(torch.zeros(2, 20)).shape == (2, 3)


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_transformer_settings_reach_its_encoder_layers(dropout):
    module = Transformer(sequence_length=5, alphabet_size=4, d_model=8, nhead=2, num_layers=3,
                         dim_feedforward=16, dropout=dropout)
    assert len(module.encoder.layers) == 3
    for layer in module.encoder.layers:
        assert layer.self_attn.num_heads == 2 and layer.linear1.out_features == 16
        assert (layer.dropout.p, layer.dropout1.p, layer.dropout2.p) == (dropout,) * 3
        assert layer.self_attn.dropout == dropout


@pytest.mark.parametrize("readout", ["mean", "max"])
def test_transformer_tells_the_order_of_the_positions(readout):
    # the positional embedding is what tells "ACGT..." from its reverse: attention and a
    # pooling readout are blind to the order without it
    torch.manual_seed(0)
    module = Transformer(sequence_length=6, alphabet_size=4, d_model=8, nhead=2,
                         readout=readout, dropout=0.0).eval()
    letters = [0, 1, 2, 3, 3, 1]
    with torch.no_grad():
        forward, backward = module(_one_hot([letters, letters[::-1]]))
    assert abs(float(forward - backward)) > 1e-4


@pytest.mark.parametrize("module_class", [MLP, *SEQUENCE_MODULES])
def test_a_samples_logits_do_not_depend_on_its_batch(module_class):
    # a recurrent layer built with batch_first=False ran across the samples of a batch
    torch.manual_seed(0)
    params = {"input_dim": 24} if module_class is MLP else {
        "sequence_length": 6, "alphabet_size": 4, "readout": "mean"}
    if module_class is Transformer:
        params.update(d_model=8, nhead=2, dropout=0.0)
    module = module_class(**params).eval()
    X = _one_hot(torch.randint(0, 4, (5, 6)))
    with torch.no_grad():
        together = module(X)
        alone = torch.cat([module(X[i:i + 1]) for i in range(len(X))])
    # float32 sums may differ in their last bits with the batch (docs/user_guide.md)
    torch.testing.assert_close(alone, together, rtol=1e-4, atol=1e-5)
