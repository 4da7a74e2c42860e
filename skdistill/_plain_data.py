"""Objects as trees of plain data plus tensors, and back, with trusted classes only.

A tree is what JSON holds: None, bools, numbers, strings, lists, and nodes
``{"kind": ..., ...}`` for everything else (tuples, dicts, arrays, tensors,
classes by name, objects). Tensors are kept apart, by key, for safetensors.
Building a tree back never imports a name and never unpickles: classes come
from a mapping of trusted names to the classes themselves, and objects are
rebuilt the way each kind allows:

- skorch nets by constructing the net class with the saved parameters,
  initialising it and loading the module's weights (not the optimizer state);
- module instances (criteria) by calling their class with the constructor
  arguments they keep as attributes of the same name, then loading their
  state dict; torch's containers (``Sequential``, ``ModuleList``,
  ``ModuleDict``) by adding their layers, rebuilt so, to an empty one;
- skorch callbacks by calling their class with their parameters, as skorch
  clones them (what a trained callback holds belongs to its training run);
- any other object (estimators, helper objects) from its state dict, as
  pickle would: ``cls.__new__`` then ``__setstate__`` or ``__dict__``.
"""

import contextlib
import copy
import copyreg
import functools
import inspect
import warnings
from collections import Counter, OrderedDict
from numbers import Number

import numpy as np
import torch
from skorch import NeuralNet
from skorch.callbacks import Callback, ParamMapper
from skorch.history import History
from torch import nn

from ._nets import defined_by_torch, optimizer_settings, restore_optimizer_settings
from .modules import DROPOUT_ACTS_NOWHERE

#: Array and scalar dtypes stored as JSON lists: bool, int, uint, float,
#: unicode, datetime and timedelta, and object arrays of such values.
_ARRAY_KINDS = "biufUMmO"
#: Datetime and timedelta kinds, stored as their int64 counts of their unit.
_TIME_KINDS = "Mm"
#: How many bytes a string array may take beyond what its values need.
_MAX_PADDED_BYTES = 64 * 2**20
#: torch's modules stored as their layers, which rebuild them when added to an empty one.
_CONTAINERS = (nn.Sequential, nn.ModuleList, nn.ModuleDict)


def name_of(obj):
    """The qualified name a class or function is stored and trusted under."""
    if isinstance(obj, np.ufunc):  # older NumPy's ufuncs have no __qualname__
        return f"numpy.{obj.__name__}"
    return f"{obj.__module__}.{obj.__qualname__}"


def is_nameable(obj):
    """Whether ``obj`` is stored by name: a class, a function or a NumPy ufunc."""
    return inspect.isclass(obj) or inspect.isroutine(obj) or isinstance(obj, np.ufunc)


def check_nameable(obj):
    """Raise a TypeError unless ``obj`` is a class or a function with a stable name."""
    if not is_nameable(obj):
        raise TypeError(f"Only classes and functions can be trusted; got {obj!r}.")
    if isinstance(obj, np.ufunc):
        if getattr(np, obj.__name__, None) is not obj:
            raise TypeError(
                f"{obj!r} is not one of NumPy's own ufuncs, the only ufuncs stored by "
                "name; wrap it in a function defined at the top level of a module."
            )
        return
    if "<" in obj.__qualname__ or getattr(obj, "__module__", None) is None:
        raise TypeError(
            f"{obj!r} has no importable name (a lambda or a class defined inside a "
            "function); define it at the top level of a module."
        )


def _check_dtype(dtype, what):
    dtype = np.dtype(dtype)
    if dtype.kind not in _ARRAY_KINDS:
        raise TypeError(
            f"Cannot save {what} of dtype {dtype}: only bool, integer, float, string, "
            "datetime and timedelta values, and object arrays of the first four, are stored."
        )
    return dtype


def _json_values(value):
    """An array or NumPy scalar as values JSON holds: datetimes and timedeltas
    as int64 counts of their unit (``item()`` would give ``datetime`` objects)."""
    return value.astype(np.int64) if value.dtype.kind in _TIME_KINDS else value


def _from_json_values(data, dtype):
    """The inverse of :func:`_json_values`: an array of ``dtype`` from JSON values.

    Strings are padded to the dtype's width (or the longest value) up to
    :data:`_MAX_PADDED_BYTES` beyond what they hold: a file declaring
    ``<U100000000`` for a few letters, or one long value among many short
    ones, would otherwise make NumPy allocate gigabytes.
    """
    if dtype.kind in _TIME_KINDS:
        return np.array(data, dtype=np.int64).astype(dtype)
    if dtype.kind == "U":
        values = data if isinstance(data, list) else [data]
        if not all(isinstance(value, str) for value in values):
            raise ValueError(f"an array of dtype {dtype.str} holds values that are not text")
        # NumPy pads every value to the array's width: bounded before it allocates
        lengths = [len(value) for value in values]
        width = max(dtype.itemsize // 4, max(lengths, default=0))
        padding = 4 * (width * len(lengths) - sum(lengths))
        if padding > _MAX_PADDED_BYTES:
            raise ValueError(
                f"strings of dtype {dtype.str} would take {padding:,} bytes more than "
                "their values hold"
            )
    return np.array(data, dtype=dtype)


def _plain_item(value):
    """A Python value of an object array, checked to be JSON data."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or type(value) in (bool, int, float):
        return value
    if isinstance(value, str):
        return str(value)
    raise TypeError(
        f"Cannot save an object array holding {type(value).__name__} values; only "
        "strings, numbers, booleans and None are stored."
    )


def class_names(tree):
    """Every class name in a tree, to check before anything is built.

    Raises
    ------
    ValueError
        If a class name is not a string.
    """
    if isinstance(tree, list):
        return {name for item in tree for name in class_names(item)}
    if not isinstance(tree, dict):
        return set()
    names = set()
    if "class" in tree:
        if not isinstance(tree["class"], str):
            raise ValueError(f"a class name is not a string: {tree['class']!r}")
        names.add(tree["class"])
    return names.union(*(class_names(value) for value in tree.values()))


#: No attribute of a module.
_MISSING = object()


def _refuse_module(module, reason):
    """A TypeError where a module instance cannot be rebuilt from its constructor's
    named arguments, kept as attributes of those names."""
    raise TypeError(
        f"Cannot save the {type(module).__name__} instance: {reason}, so it cannot be "
        "rebuilt without pickle. Give the module as a class instead, one whose __init__ "
        "builds its layers from named arguments it keeps as attributes of those names "
        "(its settings as module__<name> of a skorch NeuralNetClassifier)."
    )


def _check_rebuilds(module, arguments):
    """Refuse a module instance that ``arguments``, the attributes of its
    constructor's argument names, do not rebuild with its weights and those
    attributes, as ``load`` would: an attribute may hold the layer built from
    the argument of its name (``self.dropout = nn.Dropout(dropout)``), or the
    argument changed (``self.scale = scale ** 0.5``), not the argument."""
    try:
        # the constructor's warnings were given at fit
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rebuilt = _built_again(type(module), arguments)
            rebuilt.load_state_dict(module.state_dict())
    except Exception as error:  # a user's constructor may raise anything
        why = ("torch's module keeps some of its settings under other names"
               if defined_by_torch(type(module)) else
               "an attribute may hold what __init__ built from the argument of its name "
               "(self.dropout = nn.Dropout(dropout)), not the argument")
        _refuse_module(module, (
            f"built from the attributes named as its constructor's arguments "
            f"({', '.join(arguments) or 'none'}), it fails ({type(error).__name__}: "
            f"{error}); {why}"))
    for name, value in arguments.items():
        kept = getattr(rebuilt, name, _MISSING)
        # (not a bias=True read from the bias a torch layer keeps)
        if _plain(value) and getattr(module, name) is value and repr(kept) != repr(value):
            _refuse_module(module, (
                f"its attribute {name!r} holds {value!r}, but built with {name}={value!r} "
                f"it holds {'nothing' if kept is _MISSING else repr(kept)}: the attribute "
                "is not the argument as given"))
    _check_hooks_kept(module, rebuilt)
    # torch's modules print their settings, those left to their defaults too
    if defined_by_torch(type(module)) and repr(rebuilt) != repr(module):
        _refuse_module(module, f"built from the attributes named as its constructor's "
                               f"arguments, it reads {rebuilt!r}, not {module!r}")


def _built_again(cls, arguments):
    """``cls(**arguments)`` on torch's meta device (no memory taken, no weight
    drawn from the generators fits in other threads seed), or on the CPU, as
    ``load`` builds, where it fails there (a constructor that reads its tensors'
    values, through NumPy say, or checks their device)."""
    try:
        with torch.device("meta"):
            return cls(**copy.deepcopy(arguments))
    except Exception:  # a user's constructor may raise anything on the meta device
        pass
    with torch.random.fork_rng(devices=[]):
        return cls(**copy.deepcopy(arguments))


def _module_as_loaded(net):
    """``net``'s module as load builds it from the net's parameters (before its
    weights are loaded)."""
    spec = net.module
    return _built_again(type(spec) if isinstance(spec, nn.Module) else spec,
                        net.get_params_for("module"))


#: What a module calls beyond its own forward, which no file keeps.
_HOOKS = ("_forward_pre_hooks", "_forward_hooks", "_backward_pre_hooks", "_backward_hooks")


def _hook_name(hook):
    """The qualified name of a hook's function, or of its class where it is a
    callable object (torch's weight_norm registers one)."""
    hook = getattr(hook, "func", hook)  # a functools.partial's
    return getattr(hook, "__qualname__", type(hook).__qualname__)


def _hooks(module, layers=True):
    """The hooks ``module`` (and, with ``layers``, each of its layers) holds, as
    the names of their functions by (layer name, kind)."""
    named = module.named_modules() if layers else [("", module)]
    return {(name, kind): Counter(map(_hook_name, getattr(layer, kind).values()))
            for name, layer in named for kind in _HOOKS if getattr(layer, kind, None)}


def _check_hooks_kept(module, rebuilt=None, layers=True):
    """Refuse ``module`` where it (or, with ``layers``, a layer of it) holds
    hooks that ``rebuilt``, as load builds it, lacks: the loaded module would
    run without them (those its constructor registers are kept)."""
    kept = {} if rebuilt is None else _hooks(rebuilt)
    for (name, kind), hooks in _hooks(module, layers).items():
        if hooks - kept.get((name, kind), Counter()):
            where = f"its layer {name!r}" if name else "it"
            raise TypeError(
                f"Cannot save the {type(module).__name__} module: {where} holds "
                f"{kind.strip('_')} its constructor does not register, which a file cannot "
                "keep (the loaded module would run without them); remove them (the handle "
                "register_forward_hook returns has a remove method) before saving."
            )


def _check_not_lazy(module):
    """Refuse a lazy layer whose parameters are not built yet."""
    if isinstance(module, nn.modules.lazy.LazyModuleMixin) and (
            module.has_uninitialized_params()):
        _refuse_module(module, "its parameters are not built yet (a lazy layer learns its "
                               "input size in its first forward, and this one never ran): "
                               "give the layer its input size (nn.Linear for nn.LazyLinear)")


def _plain(value):
    """Whether ``value`` is a number, string or None, or a tuple or list of them."""
    if isinstance(value, (tuple, list)):
        return all(map(_plain, value))
    return value is None or isinstance(value, (Number, str, bytes))


def _check_nothing_attached(module):
    """Refuse a module of no ``__init__`` of its own (the library's losses, rebuilt
    as they are) that holds a layer, parameter or buffer registered after it was
    built (plain attributes are left: what ``forward`` or ``compile`` keeps cannot
    be told from a setting)."""
    attached = [*module._modules, *module._parameters, *module._buffers]
    if attached:
        _refuse_module(module, "it holds layers or tensors registered after it was built "
                               f"({', '.join(attached)})")


#: Why a constructor's ``*args`` or ``**kwargs`` of its own cannot be rebuilt
#: (Sequential's layers; a parent's sizes or a setting passed on through them).
_VARIADIC_REASONS = {
    inspect.Parameter.VAR_POSITIONAL: "its constructor takes *{}, which no attribute keeps",
    inspect.Parameter.VAR_KEYWORD:
        "its constructor takes **{}, whose values (if any) no attribute keeps",
}


class TreeWriter:
    """Turns objects into a tree and a dict of tensors.

    Parameters
    ----------
    state_hook : callable or None, default=None
        ``state_hook(obj, state)`` returns the state to store for an object
        rebuilt from its state (to leave parts out, say).
    """

    def __init__(self, state_hook=None):
        self.state_hook = state_hook
        self.tensors = {}
        self._ids = {}
        # Objects whose id() is memoised stay alive until the end, so that no
        # id is reused by another object.
        self._kept = []

    def node(self, value):
        """The tree of ``value``; an object met twice is stored once."""
        if value is None or type(value) in (bool, int, float, str):
            return value
        if type(value) is list:
            return [self.node(item) for item in value]
        # Exact types: a subclass (a namedtuple, a defaultdict) would come
        # back as its base, so it is stored as an object, or refused.
        if type(value) is tuple:
            return {"kind": "tuple", "items": [self.node(item) for item in value]}
        if type(value) is dict:
            return self._dict(value)
        if type(value) is OrderedDict:  # imbalanced-learn's sampling_strategy_
            return {**self._dict(value), "kind": "ordered_dict"}
        for kind, encode in self._VALUE_ENCODERS:
            if isinstance(value, kind):
                return encode(self, value)
        if is_nameable(value):
            check_nameable(value)
            return {"kind": "name", "class": name_of(value)}
        if id(value) in self._ids:
            return {"kind": "ref", "id": self._ids[id(value)]}
        self._ids[id(value)] = len(self._ids)
        self._kept.append(value)
        for kind, encode in self._OBJECT_ENCODERS:
            if isinstance(value, kind):
                node = encode(self, value)
                break
        else:
            node = self._object(value)
        return {**node, "id": self._ids[id(value)]}

    def _dict(self, value, owner=None):
        """A dict node; ``owner`` ("MLP argument", say) names an item that cannot
        be saved in the error, so that a nested failure reads as a path."""
        items = []
        for key, item in dict(value).items():
            try:
                items.append([self.node(key), self.node(item)])
            except TypeError as error:
                if owner is None:
                    raise
                # the cause a refusal names (a user's constructor failing) is kept
                raise TypeError(f"{owner} {key!r}: {error}") from error.__cause__
        return {"kind": "dict", "items": items}

    def _array(self, value):
        if type(value) is not np.ndarray:
            raise TypeError(f"Cannot save an array of type {type(value).__name__}.")
        dtype = _check_dtype(value.dtype, "an array")
        data = _json_values(value).ravel().tolist()
        if dtype.kind == "O":
            data = [_plain_item(item) for item in data]
        node = {"kind": "array", "dtype": dtype.str, "shape": list(value.shape), "data": data}
        # The data stay in C order, as every version reads them; Fortran order is
        # a hint for the memory layout (a product with PCA's components_ rounds
        # otherwise in the other order), which older versions ignore.
        if value.flags.f_contiguous and not value.flags.c_contiguous:
            node["layout"] = "F"
        return node

    def _scalar(self, value):
        dtype = _check_dtype(value.dtype, "a NumPy scalar")
        return {"kind": "scalar", "dtype": dtype.str, "value": _json_values(value).item()}

    def _tensor(self, value):
        key = str(len(self.tensors))
        # Host tensors of their own storage, as safetensors wants: a model
        # trained on a GPU loads on a machine without one.
        self.tensors[key] = value.detach().to("cpu", copy=True).contiguous()
        return {"kind": "tensor", "key": key}

    def _random_state(self, value):
        return {"kind": "random_state", "state": self.node(value.get_state(legacy=True))}

    def _slice(self, value):
        items = [self.node(v) for v in (value.start, value.stop, value.step)]
        return {"kind": "slice", "items": items}

    _VALUE_ENCODERS = (
        (np.ndarray, _array),
        (np.generic, _scalar),
        (np.dtype, lambda self, value: {"kind": "dtype", "value": value.str}),
        (torch.Tensor, _tensor),
        (torch.device, lambda self, value: {"kind": "device", "value": str(value)}),
        (slice, _slice),
        (np.random.RandomState, _random_state),
    )

    def _net(self, net):
        params = {
            name: value for name, value in net.get_params(deep=False).items()
            if not name.startswith("_")
        }
        node = {"kind": "net", "class": name_of(type(net)),
                "params": self._dict(params, f"{type(net).__name__} parameter")}
        if getattr(net, "initialized_", False):
            # a module instance given as such is saved, and checked, as a parameter
            if net.module_ is not net.module and _hooks(net.module_):
                try:
                    rebuilt = _module_as_loaded(net)
                except Exception as error:  # a user's constructor may raise anything
                    raise TypeError(
                        f"Cannot save the {type(net.module_).__name__} module: built from "
                        f"the net's parameters, as load builds it, it fails "
                        f"({type(error).__name__}: {error})") from error
                _check_hooks_kept(net.module_, rebuilt)
            node["module_state"] = self._dict(net.module_.state_dict())
            node.update(self._frozen(net.module_))
            node["history"] = self.node(list(net.history))
            # where a learning-rate scheduler left them, for a warm start after load
            node["optimizer_groups"] = self.node(optimizer_settings(net))
        return node

    def _module(self, module):
        _check_not_lazy(module)
        if type(module) in _CONTAINERS:
            return self._container(module)
        arguments = {}
        # nn.Module's own takes *args and **kwargs, and nothing by them
        own_init = type(module).__init__ is not torch.nn.Module.__init__
        if not own_init:
            _check_nothing_attached(module)
        # torch's modules leave some arguments to their defaults (device, dtype,
        # deprecated ones, Identity's *args), which the rebuild's repr checks
        by_torch = defined_by_torch(type(module))
        for parameter in inspect.signature(type(module)).parameters.values():
            if parameter.kind in _VARIADIC_REASONS:
                if own_init and not by_torch:
                    _refuse_module(module, _VARIADIC_REASONS[parameter.kind].format(
                        parameter.name))
                continue
            value = getattr(module, parameter.name, _MISSING)
            if inspect.ismethod(value):  # ModuleList's modules
                _refuse_module(module, f"its attribute {parameter.name!r} is a method, not "
                                       "the constructor argument of that name")
            if by_torch and isinstance(parameter.default, bool) and (
                    value is None or isinstance(value, torch.Tensor)):
                value = value is not None  # a layer's bias=True keeps the bias itself
            if value is not _MISSING:
                arguments[parameter.name] = value
            elif not (by_torch and parameter.default is not inspect.Parameter.empty):
                _refuse_module(module, f"it does not keep its constructor argument "
                                       f"{parameter.name!r} as an attribute of that name")
        _check_rebuilds(module, arguments)
        return {
            "kind": "module", "class": name_of(type(module)),
            "arguments": self._dict(arguments, f"{type(module).__name__} argument"),
            "state": self._dict(module.state_dict()), **self._frozen(module),
        }

    def _container(self, module):
        """A Sequential, ModuleList or ModuleDict as its named layers, each saved
        as a module (holding its weights); nothing else may be attached to it."""
        attached = [*module._parameters, *module._buffers]
        if attached:
            _refuse_module(module, "it holds tensors registered after it was built "
                                   f"({', '.join(attached)})")
        _check_hooks_kept(module, layers=False)  # its layers are checked as modules
        names, layers = {}, []
        # every entry, not named_children's, which lists a layer held twice once
        for name, layer in module._modules.items():
            if layer is None:  # an empty slot, left out as named_children leaves it
                continue
            if id(layer) in names:
                _refuse_module(module, f"it holds one layer twice ({names[id(layer)]!r} and "
                                       f"{name!r})")
            names[id(layer)] = name
            node = self.node(layer)
            if node["kind"] == "ref" and type(layer) in _CONTAINERS:  # load takes none twice
                _refuse_module(module, f"its layer {name!r}, a container, is a layer of "
                                       "another module of the model too")
            layers.append([name, node])
        return {"kind": "module", "class": name_of(type(module)), "layers": layers}

    def _frozen(self, module):
        """The node entry of the parameters of ``module`` that do not train (frozen by
        the user or a Freezer, which does not act again at a warm start), if any."""
        frozen = [name for name, parameter in module.named_parameters()
                  if not parameter.requires_grad]
        return {"frozen": self.node(frozen)} if frozen else {}

    def _callback(self, callback):
        # By its parameters, as skorch clones it: what a trained callback
        # holds (an LRScheduler's torch scheduler) belongs to the training run.
        # A parameter that is its default is left to the class: PrintLog's sink is
        # builtins.print, which no file may name (it could print from any place).
        defaults = {
            name: parameter.default
            for name, parameter in inspect.signature(type(callback)).parameters.items()
        }
        params = {
            name: value for name, value in _given_params(callback).items()
            if defaults.get(name, inspect.Parameter.empty) is not value
        }
        return {"kind": "callback", "class": name_of(type(callback)),
                "params": self._dict(params, f"{type(callback).__name__} parameter")}

    _OBJECT_ENCODERS = ((NeuralNet, _net), (nn.Module, _module), (Callback, _callback))

    def _object(self, obj):
        cls = type(obj)
        # copyreg's table reduces some types (NumPy's ufuncs, say) its own way.
        reduces_by_state = (
            cls.__reduce_ex__ is object.__reduce_ex__ and cls.__reduce__ is object.__reduce__
            and cls not in copyreg.dispatch_table
        )
        state = obj.__getstate__() if reduces_by_state else None
        if not isinstance(state, dict):
            raise TypeError(
                f"Cannot save a {cls.__name__} object without pickle: only estimators, "
                "skorch nets, modules and objects made of plain data are stored."
            )
        if self.state_hook is not None:
            state = self.state_hook(obj, state)
        return {"kind": "object", "class": name_of(cls),
                "state": self._dict(state, f"{cls.__name__} attribute")}


def _given_params(callback):
    """A callback's parameters as given: skorch's ParamMapper (Freezer,
    Unfreezer, Initializer) rewrites its ``at`` and ``schedule`` when its net
    is initialised, into a partial and a bound method of itself."""
    params = callback.get_params(deep=False)
    if isinstance(callback, ParamMapper):
        at, schedule = params["at"], params["schedule"]
        if (isinstance(at, functools.partial)
                and getattr(at.func, "__func__", None) is ParamMapper._epoch_at):
            params["at"] = at.keywords["epoch"]
        if getattr(schedule, "__func__", None) is ParamMapper._default_schedule:
            params["schedule"] = None
    return params


def _numel(state):
    return sum(value.numel() for value in state.values() if isinstance(value, torch.Tensor))


def _check_size(what, build, budget):
    """Refuse a module that would hold more numbers than ``budget``, those of the
    weights the file stores for it or its net. It is built first on torch's meta
    device, which allocates nothing, so that constructor arguments in a file
    cannot make us allocate what the file does not hold. A module that does not
    build there (or is lazy) is left to the real build."""
    try:
        with torch.device("meta"):
            state = build().state_dict()
    except Exception:  # noqa: BLE001 - any module code may fail on meta tensors
        return
    if any(nn.parameter.is_lazy(value) for value in state.values()):
        return
    numel = _numel(state)
    if numel > budget:
        raise ValueError(
            f"its {what} would hold {numel:,} numbers, more than the {budget:,} of its "
            "weights"
        )


@contextlib.contextmanager
def _built_as_at_fit():
    """A block building a saved net or module: it draws random weights, soon
    replaced, so the caller's torch state is kept; a dropout that acts nowhere
    was warned of at fit, where the module was chosen."""
    with torch.random.fork_rng(devices=[]), warnings.catch_warnings():
        warnings.filterwarnings("ignore", DROPOUT_ACTS_NOWHERE, UserWarning)
        yield


def _load_weights(module, state):
    """Load ``state`` into ``module``. Where every saved floating-point tensor has
    one dtype, the module's take it first (the module was built in torch's
    default dtype, which may differ from the one it was saved in)."""
    dtypes = {value.dtype for value in state.values() if value.is_floating_point()}
    if len(dtypes) == 1:
        dtype = dtypes.pop()
        for tensor in [*module.parameters(), *module.buffers()]:
            if tensor.is_floating_point() and tensor.dtype != dtype:
                # In place, so that the optimizer keeps the same parameters.
                tensor.data = tensor.data.to(dtype)
    module.load_state_dict(state)


def _freeze(module, names):
    """Stop the parameters ``names`` of ``module`` from training."""
    parameters = dict(module.named_parameters())
    unknown = [name for name in names if name not in parameters]
    if unknown:
        raise ValueError(f"the frozen parameter(s) {unknown} are not the module's")
    for name in names:
        parameters[name].requires_grad_(False)


class TreeReader:
    """Builds objects from a tree and its tensors, with trusted classes only.

    Parameters
    ----------
    trusted : dict
        Qualified name to class (or function). Check :func:`class_names`
        against it first: a name missing here is a damaged tree.
    tensors : dict of str to torch.Tensor
    device : torch.device
        Where fitted skorch nets are put.
    object_hook : callable or None, default=None
        ``object_hook(obj)`` is called on every object rebuilt from its state.
    unbuilt_state : callable or None, default=None
        ``unbuilt_state(cls)`` names the attributes of a ``cls`` object whose
        stored values are not rebuilt (the object hook sets them).
    """

    def __init__(self, trusted, tensors, device, object_hook=None, unbuilt_state=None):
        self.trusted = trusted
        self.tensors = tensors
        self.device = device
        self.object_hook = object_hook
        self.unbuilt_state = unbuilt_state
        #: Every torch module built, in the order built.
        self.modules = []
        self._objects = {}
        self._tensor_keys = set()

    def build(self, node):
        """The value of a tree."""
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.build(item) for item in node]
        builder = self._BUILDERS.get(node["kind"])
        if builder is None:
            raise ValueError(f"Unknown node kind {node['kind']!r}.")
        value = builder(self, node)
        if "id" in node:
            self._objects[node["id"]] = value
        return value

    def _class(self, node, base=object):
        cls = self.trusted[node["class"]]
        if not (inspect.isclass(cls) and issubclass(cls, base)):
            raise ValueError(f"{node['class']} cannot be rebuilt as a {node['kind']}.")
        return cls

    def _items(self, node):
        return [self.build(item) for item in node["items"]]

    def _dict(self, node, unbuilt=()):
        return {self.build(key): self.build(value) for key, value in node["items"]
                if key not in unbuilt}

    def _array(self, node):
        dtype = _check_dtype(node["dtype"], "an array")
        if dtype.kind == "O":
            # Filled element by element, so that no string or list is unpacked.
            array = np.empty(len(node["data"]), dtype=object)
            array[:] = node["data"]
        else:
            array = _from_json_values(node["data"], dtype)
        shape = node["shape"]
        if not all(type(size) is int and size >= 0 for size in shape):
            raise ValueError(f"an array's shape {shape} is not a list of non-negative integers")
        array = array.reshape(shape)
        return np.asfortranarray(array) if node.get("layout") == "F" else array

    def _scalar(self, node):
        return _from_json_values(node["value"], _check_dtype(node["dtype"], "a scalar"))[()]

    def _random_state(self, node):
        random_state = np.random.RandomState()
        random_state.set_state(self.build(node["state"]))
        return random_state

    def _net(self, node):
        cls = self._class(node, NeuralNet)
        params = self._dict(node["params"])
        if "module_state" not in node:
            return cls(**params)
        state = self._dict(node["module_state"])
        budget = _numel(state)
        net = cls(**{**params, "device": self.device})
        with _built_as_at_fit():
            for component in ("module", "criterion"):
                spec, arguments = getattr(net, component), net.get_params_for(component)
                _check_size(component, lambda: net.initialized_instance(spec, arguments),
                            budget)
            net.initialize()
        _load_weights(net.module_, state)
        _freeze(net.module_, self.build(node.get("frozen", [])))
        self.modules.append(net.module_)
        net.history = History(self.build(node["history"]))
        # absent in files of earlier versions
        restore_optimizer_settings(net, self.build(node.get("optimizer_groups", [])))
        return net

    def _module(self, node):
        cls = self._class(node, nn.Module)
        if "layers" in node:
            return self._container(cls, node["layers"])
        arguments = self._dict(node["arguments"])
        state = self._dict(node["state"])
        with _built_as_at_fit():
            _check_size(node["class"], lambda: cls(**arguments), _numel(state))
            module = cls(**arguments)
        _load_weights(module, state)
        _freeze(module, self.build(node.get("frozen", [])))
        self.modules.append(module)
        return module

    def _container(self, cls, layers):
        if cls not in _CONTAINERS:
            raise ValueError(f"{name_of(cls)} cannot be rebuilt from its layers.")
        container = cls()
        for name, node in layers:
            layer = self.build(node)
            if not isinstance(name, str) or not isinstance(layer, nn.Module):
                raise ValueError(f"a layer of a {cls.__name__} is not a named module")
            if node["kind"] == "ref" and type(layer) in _CONTAINERS:
                # save writes no container twice (one met again made load's and
                # forward's work double with each level of nesting)
                raise ValueError(f"a layer of a {cls.__name__} is a container met before")
            container.add_module(name, layer)
        self.modules.append(container)
        return container

    def _callback(self, node):
        return self._class(node, Callback)(**self._dict(node["params"]))

    def _object(self, node):
        cls = self._class(node)
        if issubclass(cls, (nn.Module, NeuralNet, Callback)):
            raise ValueError(f"{node['class']} cannot be rebuilt from a state.")
        obj = cls.__new__(cls)
        unbuilt = () if self.unbuilt_state is None else self.unbuilt_state(cls)
        state = self._dict(node["state"], unbuilt)
        if hasattr(obj, "__setstate__"):
            obj.__setstate__(state)
        else:
            vars(obj).update(state)
        if self.object_hook is not None:
            self.object_hook(obj)
        return obj

    def _tensor(self, node):
        key = node["key"]
        # save stores each tensor under a key of its own: one read twice would be
        # built as many times as named (a file of one weight made load build 40)
        if key in self._tensor_keys:
            raise ValueError(f"the tensor {key!r} is named twice")
        self._tensor_keys.add(key)
        return self.tensors[key]

    _BUILDERS = {
        "tuple": lambda self, node: tuple(self._items(node)),
        "dict": _dict,
        "ordered_dict": lambda self, node: OrderedDict(self._dict(node)),
        "array": _array,
        "scalar": _scalar,
        "dtype": lambda self, node: _check_dtype(node["value"], "a dtype"),
        "tensor": _tensor,
        "device": lambda self, node: torch.device(node["value"]),
        "slice": lambda self, node: slice(*self._items(node)),
        "random_state": _random_state,
        "name": lambda self, node: self.trusted[node["class"]],
        "ref": lambda self, node: self._objects[node["id"]],
        "net": _net,
        "module": _module,
        "callback": _callback,
        "object": _object,
    }
