"""Config-file runs: the YAML schema of ``skdistill fit`` and what it builds.

A config names the data, the test part, the encoder, the teacher and the
student by name with their parameters, the parameters of
:class:`~skdistill.DistilledClassifier` and the output folder::

    data:
      path: sites.fasta            # FASTA (headers >ID|LABEL|...) or CSV
      subsample: 3000              # optional stratified subsample
    test: {fraction: 0.25, stratify: true, random_state: 0}
    encoder: SequenceEncoder
    teacher: {name: CNN, params: {channels: [32, 32]}, net: {lr: 1e-3}}
    student: {name: MLP, params: {hidden_units: [32]}}
    classifier: {alpha: 0.5, meta_epochs: 20, random_state: 0}
    output: runs/sites

:func:`load_config` checks every key, type and value, and builds the
estimator with its parameters validated, before any data is read: a mistake
raises a :class:`ConfigError` that names the key path. Relative paths are
relative to the config file. :mod:`skdistill._run` reads the data and runs it.
"""

import difflib
import inspect
import math
import os
import re
import unicodedata
from collections import namedtuple
from collections.abc import Hashable
from numbers import Integral, Real
from pathlib import Path

import torch
import yaml
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.utils._param_validation import (
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)
from torch import nn, optim

from . import modules, pu
from ._classifier import DistilledClassifier, check_prior_is_used, resolve_device
from ._compression import COMPRESSION_SUFFIXES, where_not_utf8
from ._constraints import NumberInterval
from ._nets import net_class_and_params
from ._seeds import MAX_SEED, is_seed
from ._specs import accepts
from .preprocessing import SequenceEncoder

__all__ = ["ConfigError", "data_format", "format_of", "has_sequences", "is_sequence_module",
           "load_config", "parse_config", "read_yaml", "same_file_or_folder"]

MODULES = {name: getattr(modules, name) for name in ("MLP", "CNN", "GRU", "BiLSTM", "Transformer")}
#: Scikit-learn classifiers a config may name as the teacher.
TEACHER_ESTIMATORS = {
    cls.__name__: cls
    for cls in (HistGradientBoostingClassifier, LogisticRegression, RandomForestClassifier)
}
#: Prior estimators a config may name as ``classifier.prior``; their ``classifier``
#: (the scorer, or a list of them) is one of TEACHER_ESTIMATORS.
PRIOR_ESTIMATORS = {
    cls.__name__: cls
    for cls in (pu.BestBinPriorEstimator, pu.ElkanNotoPriorEstimator, pu.TIcEPriorEstimator)
}
ENCODERS = {
    "SequenceEncoder": SequenceEncoder, "OneHotEncoder": OneHotEncoder,
    "StandardScaler": StandardScaler, "none": None,
}
#: Encoder parameters a config starts from: positions or categories unseen in
#: training must not stop the test part or predict.
ENCODER_DEFAULTS = {"OneHotEncoder": {"handle_unknown": "warn"}}
OPTIMIZERS = {cls.__name__: cls for cls in (optim.AdamW, optim.Adam, optim.SGD)}
#: Net parameters of a teacher or student section, as skorch names them.
NET_PARAMS = {"lr": "lr", "weight_decay": "optimizer__weight_decay", "optimizer": "optimizer"}
_NET_CONSTRAINTS = {
    "lr": [NumberInterval(Real, 0, None, closed="neither")],
    "weight_decay": [NumberInterval(Real, 0, None, closed="left")],
    "optimizer": [StrOptions(set(OPTIMIZERS))],
}
#: Module arguments filled in from the data by DistilledClassifier.
FILLED_FROM_DATA = ("input_dim", "output_dim", "sequence_length", "alphabet_size")
#: DistilledClassifier parameters a config does not set in ``classifier``.
NOT_IN_CLASSIFIER = ("teacher", "student", "verbose", "trackers")
DATASETS = ("crotonylation",)
#: FASTA's usual suffixes: any, nucleic acids, coding regions, amino acids, and two more.
FASTA_SUFFIXES = (".fasta", ".fa", ".fna", ".ffn", ".faa", ".fas", ".fsa")
FORMATS = {".csv": "csv", **dict.fromkeys(FASTA_SUFFIXES, "fasta")}
DATA_KEYS = ("path", "dataset", "label_column", "id_column", "sequence_column",
             "feature_columns", "weight_column", "subsample")
CSV_KEYS = ("label_column", "id_column", "sequence_column", "feature_columns",
            "weight_column")
TOP_KEYS = ("data", "test", "encoder", "teacher", "student", "classifier", "output")

#: What :func:`load_config` returns: the config as resolved (paths, section defaults)
#: (plain data, as written next to the model) and the unfitted estimator.
Run = namedtuple("Run", ["config", "model"])


class ConfigError(ValueError):
    """A config (or an input file) is wrong; the message names the key path."""


_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
#: Numbers with an exponent, which YAML 1.1 reads as strings without a dot and a sign.
_EXPONENT = r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+"


class _Loader(yaml.SafeLoader):
    """YAML 1.1's numbers but those nobody means: ``1e-3`` is 0.001 (1.1:
    a string), and ``010`` (1.1: 8, in octal), ``0x10``, ``0b10``, ``1:30``
    (1.1: 90, in base 60) are strings, which an option that takes a number
    refuses, and a name (a column's, an ID) keeps. Every number it reads,
    YAML 1.1 reads as a number too (with ``1e-3`` as the only exception):
    the strings earlier versions wrote unquoted read back as strings."""


class _Dumper(yaml.SafeDumper):
    """Writes what :class:`_Loader` reads back the same: a string such as ``1e3``
    (a column's name) is quoted, and so is any string YAML 1.1 reads as a number."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT_TAG, _FLOAT_TAG)]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _INT_TAG, re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT_TAG, re.compile(
    rf"^(?:{_EXPONENT}|[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?"
    r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))
_Dumper.add_implicit_resolver(_FLOAT_TAG, re.compile(f"^{_EXPONENT}$"), list("-+0123456789."))


#: Why a Windows path in double quotes fails: YAML reads "C:\new" as "C:" and a line break.
BACKSLASH_ADVICE = (" In double quotes YAML reads a backslash as an escape (\\n a line "
                    "break, \\t a tab): write a Windows path in single quotes, or with /")


def dump_yaml(config):
    """The YAML text of ``config``, which :func:`read_yaml` reads back equal."""
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False)


def _mapping_without_repeats(loader, node):
    """A YAML mapping; a key given twice is an error, not the later value silently.
    A key brought in by a merge (``<<: *anchor``) may be given again: that is
    how YAML overrides it."""
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):  # a list or mapping as a key ("? [a, b]")
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be a name, not a {type(key).__name__}",
                key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is given twice", key_node.start_mark)
        seen.add(key)
    loader.flatten_mapping(node)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats)

_KINDS = {
    "an int": lambda v: isinstance(v, Integral) and not isinstance(v, bool),
    "a number": lambda v: isinstance(v, Real) and not isinstance(v, bool),
    "a string": lambda v: isinstance(v, str),
    "a bool": lambda v: isinstance(v, bool),
    "a mapping": lambda v: isinstance(v, dict),
    "a list of int": lambda v: isinstance(v, list) and all(_KINDS["an int"](x) for x in v),
    "a list of str": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}


#: A value quoted in a message is cut to this length (a whole file given as one).
MAX_SHOWN = 80


def _expect(value, path, kind):
    if not _KINDS[kind](value):
        shown = repr(value)
        if len(shown) > MAX_SHOWN:
            shown = f"{shown[:MAX_SHOWN - 3]}..."
        # YAML 1.1 reads yes, no, on, off, true and false unquoted as booleans
        items = value if isinstance(value, list) else [value]
        hint = ""
        if kind in ("a string", "a list of str"):
            if any(isinstance(item, bool) for item in items):
                hint = " (YAML read it as a bool: quote it)"
            elif any(isinstance(item, Real) for item in items):
                hint = " (YAML read it as a number: quote it)"
        raise ConfigError(f"{path}: expected {kind}, got {shown}{hint}")
    return value


def _escaped(letter):
    """Whether ``letter`` is what a YAML escape in double quotes makes of a Windows
    path's backslash and letter, and no file name holds: a control character
    (``\\n``, ``\\t``, ``\\N``) or a line or paragraph separator (``\\L``, ``\\P``)."""
    return unicodedata.category(letter) in ("Cc", "Zl", "Zp")


def _path(base, value, key):
    """The path a config gives under ``key``: ``~`` expanded, relative to ``base``."""
    if _expect(value, key, "a string") == "":
        raise ConfigError(f"{key}: expected a path, got an empty string")
    if any(_escaped(letter) for letter in value):  # the system refuses a NUL itself
        raise ConfigError(f"{key}: a path holds no control or line-break character; got "
                          f"{value[:MAX_SHOWN]!r}.{BACKSLASH_ADVICE}")
    try:
        return base / Path(value).expanduser()
    except RuntimeError as error:  # ~user of no such user
        raise ConfigError(f"{key}: cannot expand {value!r}: {error}") from None


def _join(path, key):
    return f"{path}.{key}" if path else key


def _section(value, path, allowed, required=()):
    """``value`` checked to be a mapping of ``allowed`` keys holding ``required``."""
    _expect(value, path or "the config", "a mapping")
    _refuse_unknown_keys(value, allowed, path or "top level")
    for key in required:
        if key not in value:
            raise ConfigError(f"{_join(path, key)}: missing (required)")
    return value


def _refuse_unknown_keys(keys, allowed, path):
    """A ConfigError naming the keys of ``keys`` not ``allowed``, with the
    allowed keys near each where some are (a typo)."""
    unknown = sorted(set(keys) - set(allowed), key=str)
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {unknown}{_nearest(unknown, allowed)}; "
                          f"allowed: {sorted(allowed)}")


def _nearest(given, allowed):
    """" (did you mean ...?)" for the strings of ``given`` near some of
    ``allowed``: whatever the case, holding it whole, or spelled alike."""
    guesses = []
    for name in (name for name in given if isinstance(name, str)):
        matches = _near(name, [key for key in allowed if isinstance(key, str)])
        if matches:
            shown = " or ".join(repr(match) for match in matches)
            guesses.append(f"{shown} for {name!r}" if len(given) > 1 else shown)
    return f" (did you mean {', '.join(guesses)}?)" if guesses else ""


def _near(name, keys):
    """Up to three of ``keys`` near ``name``, nearest first."""
    folded = name.casefold()
    scores = {key: difflib.SequenceMatcher(None, folded, key.casefold()).ratio()
              for key in keys}
    near = [key for key in keys if scores[key] >= 0.75
            or (len(folded) >= 3 and folded in key.casefold())
            or (len(key) >= 4 and key.casefold() in folded)]
    return sorted(near, key=lambda key: -scores[key])[:3]


def _named(value, path, names, extra_keys=("params",)):
    """A ``name:`` section (a bare string is the name alone), name checked."""
    if isinstance(value, str):
        value = {"name": value}
    section = _section(value, path, ("name", *extra_keys), required=("name",))
    name = _expect(section["name"], f"{path}.name", "a string")
    if name not in names:
        raise ConfigError(f"{path}.name: unknown name {name!r}{_nearest([name], names)}; "
                          f"allowed: {sorted(names)}")
    for key in extra_keys:
        _expect(section.get(key, {}), f"{path}.{key}", "a mapping")
    return section


def _check_each(constraints, params, path, caller):
    """Validate each parameter against scikit-learn style ``constraints``."""
    _refuse_unknown_keys(params, constraints, path)
    for name, value in params.items():
        if isinstance(value, bool) and not _takes_bools(constraints[name]):
            # scikit-learn takes a bool for an int: "n_estimators: on" grew one tree
            raise ConfigError(f"{path}.{name}: got {value!r}, which YAML reads from an unquoted "
                              "yes, no, on, off, true or false; give a number")
        try:
            validate_parameter_constraints(constraints, {name: value}, caller_name=caller)
        except InvalidParameterError as error:
            raise ConfigError(f"{path}.{name}: {error}") from None


def _takes_bools(constraint):
    """Whether a scikit-learn parameter constraint (or "no_validation") admits bools
    as bools, not as the ints they also are."""
    items = [constraint] if isinstance(constraint, str) else constraint
    return any(item in ("boolean", "verbose", bool, "no_validation") for item in items)


def _estimator(cls, params, path):
    """``cls(**params)`` with every parameter checked, as its ``fit`` would."""
    allowed = {name: cls._parameter_constraints.get(name, "no_validation")
               for name in cls().get_params(deep=False)}
    _check_each(allowed, params, path, cls.__name__)
    return cls(**params)


#: The kind a module parameter must have, from the type of its default (bool first:
#: a bool is an int).
_DEFAULT_KINDS = (
    ("a bool", bool), ("an int", int), ("a number", float), ("a string", str),
    ("a list of int", tuple),
)


def _module_params(module, params, path):
    """Module parameters checked against the types of their defaults, as tuples where
    the module takes sequences, and tried on a small input shape."""
    defaults = {
        name: parameter.default
        for name, parameter in inspect.signature(module).parameters.items()
        if name not in FILLED_FROM_DATA
    }
    _refuse_unknown_keys(params, defaults, path)
    checked = {}
    for name, value in params.items():
        default = defaults[name]
        kind = next(
            (kind for kind, types in _DEFAULT_KINDS if isinstance(default, types)), None
        )
        if kind is not None:
            _expect(value, f"{path}.{name}", kind)
        checked[name] = tuple(value) if isinstance(value, list) else value
    dims = {"sequence_length": 8, "alphabet_size": 4} if accepts(module, "sequence_length") \
        else {"input_dim": 8}
    try:
        built = module(**dims, **checked).eval()
        with torch.no_grad():  # some parameters fail only on data (channels of width 0)
            built(torch.zeros(2, math.prod(dims.values())))
    except Exception as error:  # whatever the module raises, the config's values caused it
        # torch's C++ errors go on with a backtrace of some thousand characters
        message = str(error).split("Exception raised from", 1)[0].strip()
        raise ConfigError(f"{path}: {module.__name__} refuses these parameters: {message}") \
            from None
    return checked


def _net_spec(value, path, *, estimators):
    """The plain section and the teacher or student spec it names (None: built-in)."""
    if value is None:
        return None, None
    names = {**MODULES, **(TEACHER_ESTIMATORS if estimators else {})}
    section = _named(value, path, names, extra_keys=("params", "net"))
    name, params, net = section["name"], section.get("params", {}), section.get("net", {})
    plain = {"name": name, "params": params, "net": net}
    if name in TEACHER_ESTIMATORS:
        if net:
            raise ConfigError(f"{path}.net: {name} is not a network; only networks take "
                              f"net parameters ({sorted(NET_PARAMS)})")
        return plain, _estimator(TEACHER_ESTIMATORS[name], params, f"{path}.params")
    module = MODULES[name]
    module_params = _module_params(module, params, f"{path}.params")
    _check_each(_NET_CONSTRAINTS, net, f"{path}.net", "net")
    if not params and not net:
        return plain, module
    net_class, net_params = net_class_and_params(module, None)
    net_params.update({f"module__{key}": v for key, v in module_params.items()})
    net_params.update({NET_PARAMS[key]: v for key, v in net.items()})
    if "optimizer" in net:
        net_params["optimizer"] = OPTIMIZERS[net["optimizer"]]
    # skorch wants a criterion; DistilledClassifier replaces it by its own.
    return plain, net_class(criterion=nn.BCEWithLogitsLoss, **net_params)


def named_format(path):
    """``"csv"`` or ``"fasta"`` where the name of ``path`` says so, else None."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes[-1:] and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes = suffixes[:-1]
    return FORMATS.get(suffixes[-1]) if suffixes else None


def format_of(path, key):
    """``"csv"`` or ``"fasta"`` from the name of ``path`` (``key`` names it in errors)."""
    named = named_format(path)
    if named is None:
        if Path(path).is_dir():
            raise ConfigError(f"{key}: {path} is a folder; give a CSV or FASTA file")
        raise ConfigError(
            f"{key}: cannot tell the format of {path}; name it *.csv or *.fasta "
            f"(one of {sorted(FORMATS)}, optionally {', '.join(COMPRESSION_SUFFIXES)})"
        )
    return named


def data_format(data):
    """``"fasta"`` or ``"csv"``: the format of a (checked) data section's file."""
    return "fasta" if "dataset" in data else format_of(data["path"], "data.path")


def has_sequences(data):
    """Whether a (checked) data section's samples are sequences, not feature columns."""
    return data_format(data) == "fasta" or data["sequence_column"] is not None


def _data_section(value, base):
    data = _section(value, "data", DATA_KEYS)
    if ("path" in data) == ("dataset" in data):
        raise ConfigError("data: give one of path (a CSV or FASTA file) or dataset "
                          f"(one of {list(DATASETS)})")
    if "dataset" in data:
        if data["dataset"] not in DATASETS:
            raise ConfigError(f"data.dataset: unknown data set {data['dataset']!r}; "
                              f"allowed: {list(DATASETS)}")
        resolved = {"dataset": data["dataset"]}
    else:
        resolved = {"path": str(_path(base, data["path"], "data.path"))}
    subsample = data.get("subsample")
    if subsample is not None and _expect(subsample, "data.subsample", "an int") < 4:
        raise ConfigError(f"data.subsample: expected at least 4 samples, got {subsample}")
    resolved["subsample"] = subsample
    if data_format(resolved) == "fasta":
        for key in sorted(set(CSV_KEYS) & set(data)):
            raise ConfigError(f"data.{key}: applies to CSV data only")
        return resolved
    resolved["label_column"] = _expect(data.get("label_column", "label"),
                                       "data.label_column", "a string")
    for key, kind in (("id_column", "a string"), ("sequence_column", "a string"),
                      ("feature_columns", "a list of str"), ("weight_column", "a string")):
        resolved[key] = None if data.get(key) is None else _expect(data[key], f"data.{key}",
                                                                   kind)
    if resolved["sequence_column"] and resolved["feature_columns"]:
        raise ConfigError("data: give sequence_column or feature_columns, not both")
    if resolved["feature_columns"] == []:
        raise ConfigError("data.feature_columns: expected at least one column; leave the "
                          "key out for every column but the label, ID and weight")
    _check_column_roles(resolved)
    return resolved


def _check_column_roles(data):
    """A ConfigError where the label, weight or ID column is also a feature or
    another of these (a label read as a feature), or a feature column is listed
    twice. The ID may be the sequence column: a peptide's sequence names it."""
    features = data["feature_columns"] or []
    repeated = sorted({column for column in features if features.count(column) > 1})
    if repeated:
        raise ConfigError(f"data.feature_columns: lists {repeated} more than once")
    apart_from = {
        "id_column": ["feature_columns"],
        "label_column": ["feature_columns", "sequence_column", "id_column"],
        "weight_column": ["feature_columns", "sequence_column", "id_column", "label_column"],
    }
    for key, others in apart_from.items():
        for other in others:
            if data[key] is not None and data[key] in (
                features if other == "feature_columns" else [data[other]]
            ):
                raise ConfigError(f"data.{key}: {data[key]!r} is also data.{other}; give "
                                  "each its own column (an ID may be the sequence column)")


def _test_section(value, base, file_format):
    if value is None:
        value = {}
    test = _section(value, "test", ("fraction", "stratify", "random_state", "path"))
    if "path" in test:
        if set(test) - {"path", "random_state"}:
            raise ConfigError(f"test: a test file (path) takes no other key than random_state "
                              f"(the seed of data.subsample); got {sorted(test)}")
        path = _path(base, test["path"], "test.path")
        if format_of(path, "test.path") != file_format:
            raise ConfigError(f"test.path: the data are {file_format}; give a "
                              f"{file_format} file, not {path}")
        if "random_state" in test:
            return {"path": str(path),
                    "random_state": _seed(test["random_state"], "test.random_state")}
        return {"path": str(path)}
    fraction = _expect(test.get("fraction", 0.25), "test.fraction", "a number")
    if not 0 < fraction < 1:
        raise ConfigError(f"test.fraction: expected a number in (0, 1), got {fraction!r}")
    return {
        "fraction": fraction,
        "stratify": _expect(test.get("stratify", True), "test.stratify", "a bool"),
        "random_state": _seed(test.get("random_state", 0), "test.random_state"),
    }


def same_file_or_folder(first, second):
    """Whether two paths name the same existing file or folder (a link to it included)."""
    return Path(first).exists() and Path(second).exists() and os.path.samefile(first, second)


def _seed(value, key):
    """A seed NumPy takes: an int in [0, 2**32 - 1]."""
    if not is_seed(_expect(value, key, "an int")):
        raise ConfigError(f"{key}: expected an int in [0, {MAX_SEED}], got {value!r}")
    return value


def _encoder_section(value, sequences):
    default = "SequenceEncoder" if sequences else "none"
    section = _named(default if value is None else value, "encoder", ENCODERS)
    name = section["name"]
    if sequences and name not in ("SequenceEncoder", "OneHotEncoder"):
        raise ConfigError(f"encoder.name: sequences need SequenceEncoder or OneHotEncoder, "
                          f"not {name!r}")
    if not sequences and name == "SequenceEncoder":
        raise ConfigError("encoder.name: SequenceEncoder reads sequences (FASTA, or a CSV's "
                          "data.sequence_column), and this data holds feature columns: use "
                          "StandardScaler or none for numbers, OneHotEncoder for categories")
    if name == "none":
        if section.get("params"):
            raise ConfigError("encoder.params: encoder none takes no parameters")
        return {"name": name, "params": {}}, None
    params = {**ENCODER_DEFAULTS.get(name, {}), **section.get("params", {})}
    if name == "OneHotEncoder":
        _check_categories_are_text(params)
    encoder = _estimator(ENCODERS[name], params, "encoder.params")
    if isinstance(encoder, SequenceEncoder):
        try:  # what its fit checks beyond the constraints: the prefix's last character
            encoder._check_output_params()
        except ValueError as error:
            raise ConfigError(f"encoder.params: {error}") from None
    return {"name": name, "params": params}, encoder


def _check_categories_are_text(params):
    """A ConfigError where OneHotEncoder's ``categories`` or ``drop`` name a
    category by a number or a bool: the file's categories are read as written, as
    text, so that 1 matched no cell "1" and the column was encoded as zeros."""
    named = []
    if isinstance(params.get("categories"), list):
        named += [(f"categories[{index}]", category)
                  for index, column in enumerate(params["categories"])
                  if isinstance(column, list) for category in column]
    if isinstance(params.get("drop"), list):
        named += [("drop", category) for category in params["drop"]]
    for key, category in named:
        if isinstance(category, Real) and not (isinstance(category, float)
                                               and math.isnan(category)):
            raise ConfigError(
                f"encoder.params.{key}: {category!r} is no text, and the categories of "
                "the data are read as written, as text: quote each as the file writes it "
                "(a cell written 1.50 is the category '1.50', which 1.5 would not match)")


def _scorer(value, path, listed=True):
    """The scikit-learn classifier (or non-empty list of them) a prior
    estimator's ``classifier`` names; None for its default."""
    if value is None and listed:
        return None
    if isinstance(value, list) and listed:
        if not value:
            raise ConfigError(f"{path}: expected a classifier or a list of them, got []")
        return [_scorer(item, f"{path}[{index}]", listed=False)
                for index, item in enumerate(value)]
    section = _named(value, path, TEACHER_ESTIMATORS)
    return _estimator(TEACHER_ESTIMATORS[section["name"]], section.get("params", {}),
                      f"{path}.params")


def _prior(value, path):
    """``classifier.prior`` as the classifier takes it: a number in [0, 1),
    "estimate", or the prior estimator a ``name:`` section names."""
    if value == "estimate":
        return value
    if isinstance(value, Real) and not isinstance(value, bool) and 0 <= value < 1:
        try:
            return pu._check_given_prior(value)
        except ValueError as error:  # 0.999 and above: every unlabeled sample positive
            raise ConfigError(f"{path}: {error}") from None
    if not isinstance(value, dict) and not (isinstance(value, str)
                                            and value in PRIOR_ESTIMATORS):
        near = (_nearest([value], [*PRIOR_ESTIMATORS, "estimate"])
                if isinstance(value, str) else "")
        raise ConfigError(
            f"{path}: got {value!r}{near}; give a number in [0, 1), estimate, or a prior "
            f"estimator ({sorted(PRIOR_ESTIMATORS)}), by name or as {{name: ..., params: "
            "{...}}"
        )
    section = _named(value, path, PRIOR_ESTIMATORS)
    params = dict(section.get("params", {}))
    if "classifier" in params:
        params["classifier"] = _scorer(params["classifier"], f"{path}.params.classifier")
    return _estimator(PRIOR_ESTIMATORS[section["name"]], params, f"{path}.params")


def seeded(classifier):
    """A classifier section (a mapping) with ``random_state`` filled in: 0, so
    that a run repeats, as its test split does; ``null`` draws anew."""
    return {**classifier, "random_state": classifier.get("random_state", 0)}


def _classifier_params(value):
    """The classifier section, ``random_state`` filled in (:func:`seeded`), and
    the parameters it gives the classifier."""
    plain = seeded(_expect({} if value is None else value, "classifier", "a mapping"))
    params = dict(plain)
    if params.get("warm_start") is True:
        raise ConfigError(
            "classifier.warm_start: a run trains a new model from scratch, into a folder "
            "of its own, whatever warm_start says; to train a saved model on, load it in "
            "Python and fit it with warm_start=True (user guide: 'Training on: "
            "warm_start')")
    if "prior" in params:
        params["prior"] = _prior(params["prior"], "classifier.prior")
    constraints = {name: constraint
                   for name, constraint in DistilledClassifier._parameter_constraints.items()
                   if name not in NOT_IN_CLASSIFIER}
    _check_each(constraints, params, "classifier", "DistilledClassifier")
    if params.get("prior", 0) != 0 and params.get("true_label_loss", "auto") != "auto":
        try:
            check_prior_is_used(params["prior"], params["true_label_loss"])
        except ValueError as error:
            raise ConfigError(f"classifier.prior: {error}") from None
    if "device" in params:
        try:
            resolve_device(params["device"])
        except ValueError as error:
            raise ConfigError(f"classifier.device: {error}") from None
    return plain, params


def is_sequence_module(section):
    """Whether a plain teacher or student section names a module of sequences
    (CNN, GRU, ...), which reads one-hot positions."""
    return bool(section) and accepts(MODULES.get(section["name"]), "sequence_length")


def _check_sequence_module(role, section, encoder_name, sequences):
    """Refuse a sequence module behind an encoder whose output holds no one-hot
    positions of one alphabet. Encoder none passes here: on feature columns
    one-hot already the classifier reads their layout (the data's check is
    ``_run``'s)."""
    if encoder_name in ("SequenceEncoder", "none") or not is_sequence_module(section):
        return
    problem = ("with one shared alphabet, which OneHotEncoder's categories of each column "
               "are not" if encoder_name == "OneHotEncoder" else
               f"of sequences, which encoder {encoder_name} does not give")
    advice = ("use encoder SequenceEncoder" if sequences else
              "use MLP for feature columns, a data.sequence_column with encoder "
              "SequenceEncoder, or encoder none on columns one-hot already")
    raise ConfigError(f"{role}.name: {section['name']} reads one-hot positions {problem}: "
                      f"{advice}")


def parse_config(raw, base, output=None, verbose=0):
    """Check a config read from YAML and build its estimator.

    Parameters
    ----------
    raw : object
        The config as ``yaml.safe_load`` returns it.
    base : pathlib.Path
        Folder relative paths are relative to.
    output : str, path-like or None, default=None
        Output folder that replaces the config's ``output``.
    verbose : int, default=0
        The classifier's ``verbose``.

    Returns
    -------
    run : Run
        ``(config, model)``: the config as resolved (paths, section defaults) and the
        unfitted estimator (a Pipeline when there is an encoder).

    Raises
    ------
    ConfigError
        At the first wrong key, type or value, naming its key path.

    Examples
    --------
    >>> from pathlib import Path
    >>> parse_config({"data": {"dataset": "crotonylation"}, "output": "run"},
    ...              Path(".")).model
    Pipeline(steps=[('sequenceencoder', SequenceEncoder()),
                    ('distilledclassifier', DistilledClassifier(random_state=0))])
    >>> parse_config({"data": {"dataset": "crotonylation"}, "output": "run",
    ...               "student": {"name": "MLP", "params": {"hidden_units": "abc"}}},
    ...              Path("."))
    Traceback (most recent call last):
    ...
    skdistill._config.ConfigError: student.params.hidden_units: expected a list of int, got 'abc'
    """
    config = _section(raw, "", TOP_KEYS, required=("data",) if output else ("data", "output"))
    data = _data_section(config["data"], base)
    sequences = has_sequences(data)
    encoder_plain, encoder = _encoder_section(config.get("encoder"), sequences)
    teacher_plain, teacher = _net_spec(config.get("teacher"), "teacher", estimators=True)
    student_plain, student = _net_spec(config.get("student"), "student", estimators=False)
    for role, section in (("teacher", teacher_plain), ("student", student_plain)):
        _check_sequence_module(role, section, encoder_plain["name"], sequences)
    classifier_plain, params = _classifier_params(config.get("classifier"))
    classifier = DistilledClassifier(teacher=teacher, student=student, verbose=verbose,
                                     **params)
    output = _path(base, config["output"], "output") if output is None else Path(output)
    test = _test_section(config.get("test"), base, data_format(data))
    if "path" in test and "random_state" in test and data.get("subsample") is None:
        raise ConfigError("test.random_state: beside a test file (test.path) it seeds "
                          "data.subsample alone, which is not given; leave it out, or give "
                          "data.subsample")
    if "path" in test and "path" in data and same_file_or_folder(test["path"], data["path"]):
        raise ConfigError("test.path: the test file is the training data (data.path), "
                          "whose scores would say nothing of new data; give another file, "
                          "or leave test.path out to hold out a fraction")
    resolved = {
        "data": data, "test": test,
        "encoder": encoder_plain, "teacher": teacher_plain, "student": student_plain,
        "classifier": classifier_plain, "output": str(output.resolve()),
    }
    return Run(resolved, classifier if encoder is None else make_pipeline(encoder, classifier))


def read_yaml(path):
    """The YAML document of ``path`` (``1e-3`` read as a number)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_Loader)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path} is not UTF-8 text "
                          f"({where_not_utf8(path, error, decompress=False)}): "
                          "save it as UTF-8") from None
    except yaml.MarkedYAMLError as error:  # one line: the problem and where it is
        mark = error.problem_mark
        # JSON is YAML but for tabs, which YAML never reads as indentation
        hint = (" (YAML indents with spaces only, JSON written with tabs included)"
                if "'\\t'" in str(error.problem) else
                f".{BACKSLASH_ADVICE}" if "escape" in str(error.problem) else "")
        raise ConfigError(f"{path} is not valid YAML: {error.problem} (line {mark.line + 1}, "
                          f"column {mark.column + 1}){hint}") from None
    except RecursionError:
        raise ConfigError(f"{path} is not a config: it nests too deeply for YAML's "
                          "reader") from None
    # what a tag's constructor raises for a value it cannot make ("!!float x",
    # "!!int ''", "!!bool x", "!!timestamp x")
    except (yaml.YAMLError, ValueError, LookupError, AttributeError) as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from None


def load_config(path, output=None, verbose=0):
    """Read, check and build the config file ``path`` (see :func:`parse_config`)."""
    path = Path(path)
    raw = read_yaml(path)
    if raw is None:  # what YAML reads of an empty file, or of comments only
        raise ConfigError(f"{path} holds no settings (empty, or comments only): a config "
                          "is a mapping of data, output and the other sections")
    return parse_config(raw, path.resolve().parent, output, verbose)
