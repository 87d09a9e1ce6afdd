# Sphinx configuration of rocksq's documentation (built by tools/docs.sh).
import rocksq

project = "rocksq"
author = "rocksq developers"
copyright = "rocksq developers"
release = rocksq.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",  # the API pages read the compiled module's docstrings
    "sphinx.ext.napoleon",  # which are written in numpydoc style
]
napoleon_google_docstring = False
napoleon_numpy_docstring = True
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # nanobind signatures say "object"; the docstrings say more

html_theme = "alabaster"
exclude_patterns = ["_build"]
nitpicky = False


def _no_inline_attribute_type(app, what, name, obj, options, lines):
    """napoleon reads "text: more" on a property's first line as "type:
    description"; the properties' docstrings are prose, so keep them so."""
    if what in ("property", "attribute") and lines and ": " in lines[0]:
        lines[0] = lines[0].replace(": ", ", ", 1)


def setup(app):
    # Before napoleon's own handler (priority 500).
    app.connect("autodoc-process-docstring", _no_inline_attribute_type, priority=400)
