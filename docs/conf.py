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
