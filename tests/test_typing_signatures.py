"""The stubs (python/rocksq/*.pyi) agree with the compiled module.

mypy.stubtest checks names, classes and properties, but cannot read the
parameters of nanobind functions (they expose ``__nb_signature__`` rather than
``__text_signature__``).  This test compares those parameters: names, order,
keyword-only markers and default values.
"""

import ast
import importlib
import inspect
import pathlib
import re

import pytest

import rocksq

STUB_DIR = pathlib.Path(rocksq.__file__).parent
MODULES = ["rocksq._rocksq", "rocksq.nonblocking", "rocksq.blocking"]


def stub_functions(module_name):
    """(qualified name, ast.FunctionDef) of every function in the module's stub."""
    tree = ast.parse((STUB_DIR / (module_name.split(".")[-1] + ".pyi")).read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and not any(
                    isinstance(d, ast.Name) and d.id == "property" for d in item.decorator_list
                ):
                    yield f"{node.name}.{item.name}", item


def runtime_object(module_name, qualified_name):
    obj = importlib.import_module(module_name)
    for part in qualified_name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


_MISSING = object()


def params_of_def(fn, defaults=None):
    """[(name, kind, default)] of an ast.FunctionDef; kind in pos/kw/*/**.
    defaults maps a nanobind placeholder name to its value."""
    args = fn.args
    out = []
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for i, a in enumerate(positional):
        default = _MISSING if i < first_default else args.defaults[i - first_default]
        out.append((a.arg, "pos", default))
    if args.vararg:
        out.append((args.vararg.arg, "*", _MISSING))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        out.append((a.arg, "kw", _MISSING if d is None else d))
    if args.kwarg:
        out.append((args.kwarg.arg, "**", _MISSING))

    def value(d):
        if d is _MISSING:
            return _MISSING
        if isinstance(d, ast.Name) and defaults is not None and d.id in defaults:
            return defaults[d.id]
        if isinstance(d, ast.Constant) and d.value is Ellipsis:
            return Ellipsis  # "some default"
        return ast.literal_eval(d)

    return [(name, kind, value(d)) for name, kind, d in out]


def runtime_params(obj):
    """Parameters of a nanobind function (from __nb_signature__) or a Python one."""
    signatures = getattr(obj, "__nb_signature__", None)
    if signatures is None:
        sig = inspect.signature(obj)
        kinds = {
            inspect.Parameter.POSITIONAL_ONLY: "pos",
            inspect.Parameter.POSITIONAL_OR_KEYWORD: "pos",
            inspect.Parameter.VAR_POSITIONAL: "*",
            inspect.Parameter.KEYWORD_ONLY: "kw",
            inspect.Parameter.VAR_KEYWORD: "**",
        }
        return [
            (p.name, kinds[p.kind], _MISSING if p.default is p.empty else p.default)
            for p in sig.parameters.values()
        ]
    assert len(signatures) == 1, f"overloads are not expected: {signatures}"
    text, _doc, default_values = signatures[0]
    defaults = {f"_default{i}": v for i, v in enumerate(default_values or ())}
    text = re.sub(r"\\(\d+)", lambda m: f"_default{m.group(1)}", text)
    fn = ast.parse(text + ": ...").body[0]
    return params_of_def(fn, defaults)


def cases():
    for module_name in MODULES:
        for qualified_name, fn in stub_functions(module_name):
            yield pytest.param(module_name, qualified_name, fn, id=f"{module_name}.{qualified_name}")


@pytest.mark.parametrize("module_name, qualified_name, stub", list(cases()))
def test_stub_parameters_match_runtime(module_name, qualified_name, stub):
    obj = runtime_object(module_name, qualified_name)
    if obj is None:
        pytest.skip(f"{module_name}.{qualified_name} is not built in this module yet")
    runtime = runtime_params(obj)
    stubbed = params_of_def(stub)
    if any(kind == "*" for _, kind, _ in runtime):
        # e.g. __exit__(self, *args): the stub may name the arguments.
        return
    assert [(n, k) for n, k, _ in stubbed] == [(n, k) for n, k, _ in runtime], qualified_name
    for (name, _, stub_default), (_, _, runtime_default) in zip(stubbed, runtime):
        assert (stub_default is _MISSING) == (runtime_default is _MISSING), (qualified_name, name)
        if stub_default not in (_MISSING, Ellipsis):
            assert stub_default == runtime_default, (qualified_name, name)


def test_every_public_runtime_name_has_a_stub():
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        stub = (STUB_DIR / (module_name.split(".")[-1] + ".pyi")).read_text()
        for name in dir(module):
            if name.startswith("_"):
                continue
            assert re.search(rf"\b{name}\b", stub), f"{module_name}.{name} has no stub"


def doc_of(obj):
    """The docstring, without the signature line nanobind puts first."""
    signatures = getattr(obj, "__nb_signature__", None)
    if signatures is not None:
        return "".join(doc or "" for _, doc, _ in signatures)
    return getattr(obj, "__doc__", None) or ""


def test_every_public_name_has_a_docstring():
    """help() shows prose for every class, function, method and property."""
    missing = []
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in dir(module):
            obj = getattr(module, name)
            if name.startswith("_") or inspect.ismodule(obj):
                continue
            if not doc_of(obj).strip():
                missing.append(f"{module_name}.{name}")
            if isinstance(obj, type) and not issubclass(obj, BaseException):
                for member_name, member in vars(obj).items():
                    if member_name.startswith("_") and member_name not in (
                        "__init__", "__enter__", "__exit__", "__await__"
                    ):
                        continue
                    if not doc_of(member).strip():
                        missing.append(f"{module_name}.{name}.{member_name}")
    assert not missing, missing
