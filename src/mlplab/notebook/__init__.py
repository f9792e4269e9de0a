"""Jupyter: rich HTML for networks, histories and animations (:mod:`.reprs`), and the
ipywidgets panel :class:`mlplab.widgets.Trainer` (:mod:`.trainer`; the ``notebook`` extra)."""
