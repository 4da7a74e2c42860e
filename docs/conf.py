"""Sphinx configuration of the skdistill documentation site.

Build it from the repository root::

    python -m sphinx -W -b html docs docs/_build/html

The gallery (``examples/plot_*.py``) is executed by default; ``-D plot_gallery=0``
builds the pages without running the examples (what CI does).
"""

import os
import re

import skdistill

project = "skdistill"
author = "the skdistill developers"
copyright = "the skdistill developers, BSD-3-Clause"
version = release = skdistill.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
]

# The user guide, the evidence and the benchmark pages stay Markdown (readable on the
# forge as they are); the API page is reStructuredText for autosummary.
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "_templates", "Thumbs.db", ".DS_Store"]
# scikit-learn's convention: `name` in a docstring is code, as in
# "ndarray of shape (`n_features_in_`,)", where a bare trailing underscore would be
# read as a link.
default_role = "literal"

# -- API pages from the docstrings ---------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True}
# The class template lists the members itself; numpydoc's own table would repeat them.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
add_function_parentheses = False

# -- Markdown pages ---------------------------------------------------------------------
# Anchors for the links between sections (user_guide.md#offline-distillation).
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

# -- Gallery ----------------------------------------------------------------------------
# Only the short plot_*.py scripts belong to the gallery; the evidence scripts beside
# them (ablation.py, students.py, ...) take command-line options and run for minutes,
# so they are neither executed nor listed (docs/evidence.md shows their tables).
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"^(?!plot_)",
    "doc_module": ("skdistill",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"skdistill": None},
    "plot_gallery": "True",
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 1,
}
# Examples draw with matplotlib's non-interactive backend.
os.environ.setdefault("MPLBACKEND", "Agg")

# -- HTML -------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skdistill {release}"
html_static_path = ["_static"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    """Leave out scikit-learn's generated ``set_<method>_request`` methods.

    scikit-learn writes one per method that takes extra arguments; their docstrings link
    into scikit-learn's own glossary and user guide, and say nothing about skdistill.
    """
    if re.fullmatch(r"set_\w+_request", name):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
