"""The browser playground: a FastAPI server that trains with the mlplab engine and a
page (plain HTML, CSS and JavaScript, shipped in the package) that draws its frames.

Start it with ``mlplab playground`` (the ``playground`` extra).
"""
