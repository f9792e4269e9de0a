"""Bridges to other tools: scikit-learn estimators (:mod:`.sklearn`)."""
