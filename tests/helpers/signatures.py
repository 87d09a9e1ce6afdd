"""Prints, as JSON, the signature of every public callable of rocksq,
rocksq.nonblocking and rocksq.blocking (whichever rocksq this interpreter
imports): {"module.name[.method]": [[parameter, kind, default repr], ...] or
"error: ..."}.  Properties and exception classes are not callables here."""

import inspect
import json

import rocksq
from rocksq import blocking, nonblocking


def describe(obj):
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError) as e:
        return "error: %s" % e
    return [[p.name, p.kind.name,
             None if p.default is inspect.Parameter.empty else repr(p.default)]
            for p in sig.parameters.values()]


out = {}
for module_name, module in (("rocksq", rocksq), ("nonblocking", nonblocking),
                            ("blocking", blocking)):
    for name in dir(module):
        obj = getattr(module, name)
        if name.startswith("_") or inspect.ismodule(obj):
            continue
        if inspect.isclass(obj):
            if issubclass(obj, BaseException) or name == "StartPosition":
                continue
            if hasattr(obj, "__init__") and "__init__" in vars(obj) and \
                    "no public constructor" not in (obj.__doc__ or "") and \
                    not name.endswith(("Response", "ResponseVariant")):
                out["%s.%s" % (module_name, name)] = describe(obj)
            for attr, value in vars(obj).items():
                if attr.startswith("_") or isinstance(value, property) or \
                        type(value).__name__ == "getset_descriptor":
                    continue
                out["%s.%s.%s" % (module_name, name, attr)] = describe(getattr(obj, attr))
        elif callable(obj):
            out["%s.%s" % (module_name, name)] = describe(obj)
print(json.dumps(out, sort_keys=True))
