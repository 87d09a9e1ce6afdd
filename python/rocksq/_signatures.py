"""Python signatures for the compiled API, so that ``inspect.signature``,
``help()`` and IDEs see every method's parameters.

nanobind functions describe themselves only in ``__nb_signature__`` (no
``__signature__`` or ``__text_signature__``), so each public method and
function of ``rocksq._rocksq`` is replaced by a Python function with the same
parameters, names and defaults, generated from that description, which calls
the original.  The parameters are defined once, in the bindings; this adds
one Python call (about 60 ns) to each call.
"""

from __future__ import annotations

import ast
import types
from typing import Any, Callable, Dict, List, Tuple

__all__ = ["install"]

# Methods given a signature besides the public ones.
_DUNDERS = {"__init__", "__enter__", "__exit__"}
_NO_DEFAULT = object()


class _Placeholder:
    def __init__(self, index: int) -> None:
        self.index = index


def _split_top_level(text: str) -> List[str]:
    """Splits a parameter list at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def _parameters(nb_signature: str) -> List[Tuple[str, Any]]:
    """[(name, default)] of 'def f(...) -> R', default being _NO_DEFAULT, a
    literal's value, or _Placeholder(i) for nanobind's i-th default."""
    head, _, _ = nb_signature.rpartition(") -> ")
    inner = head[head.index("(") + 1:]
    out = []
    for part in _split_top_level(inner):
        if part in ("*", "/") or part.startswith("*"):
            out.append((part.split(":")[0].strip(), False))
            continue
        name = part.split(":")[0].split("=")[0].strip()
        if "=" not in part:
            out.append((name, _NO_DEFAULT))
            continue
        text = part.split("=", 1)[1].strip()
        if text.startswith("\\"):
            out.append((name, _Placeholder(int(text.lstrip("\\=")))))
        else:
            out.append((name, ast.literal_eval(text)))
    return out


def _wrap(native: Any, qualname: str, is_method: bool) -> Callable[..., Any]:
    nb_signature, doc, defaults = native.__nb_signature__[0]
    params = _parameters(nb_signature)
    names_given: List[str] = []  # the call's arguments, in order
    declared: List[str] = []
    namespace: Dict[str, Any] = {"_native": native}
    keyword_only = False
    default_index = 0
    for i, (name, default) in enumerate(params):
        if name == "/":
            continue
        if name == "*":
            keyword_only = True
            declared.append("*")
            continue
        if name.startswith("*"):
            declared.append(name)
            names_given.append(name)
            continue
        if default is not _NO_DEFAULT:
            if isinstance(default, _Placeholder):
                default = defaults[default.index]
            namespace["_default%d" % default_index] = default
            declared.append("%s=_default%d" % (name, default_index))
            default_index += 1
        else:
            declared.append(name)
        names_given.append("%s=%s" % (name, name) if keyword_only else name)
        if i == 0 and is_method:
            declared.append("/")  # self is positional-only, as in rocksq 0.3.0
    name = qualname.rpartition(".")[2]
    source = "def %s(%s):\n    return _native(%s)\n" % (name, ", ".join(declared),
                                                        ", ".join(names_given))
    exec(compile(source, "<rocksq %s>" % qualname, "exec"), namespace)
    function = namespace[name]
    function.__qualname__ = qualname
    function.__module__ = getattr(native, "__module__", None)
    function.__doc__ = doc or None
    function.__native__ = native  # type: ignore[attr-defined]  # for benchmarks/workloads.py
    return function


def _is_native(value: Any) -> bool:
    return hasattr(value, "__nb_signature__")


def install(classes: List[type], module: types.ModuleType, functions: List[str]) -> None:
    """Gives Python signatures to the public methods of classes, and to the
    named functions of module (replaced in module)."""
    for cls in classes:
        for attr, value in list(vars(cls).items()):
            if (attr.startswith("_") and attr not in _DUNDERS) or not _is_native(value):
                continue
            method = _wrap(value, "%s.%s" % (cls.__qualname__, attr), True)
            method.__module__ = cls.__module__
            setattr(cls, attr, method)
    for name in functions:
        native = getattr(module, name)
        if _is_native(native):
            wrapper = _wrap(native, name, False)
            wrapper.__module__ = module.__name__
            setattr(module, name, wrapper)
