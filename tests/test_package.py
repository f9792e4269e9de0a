import subprocess
import sys


def test_import_mlplab_nn_loads_numpy_and_nothing_heavy():
    code = ("import sys, mlplab.nn; "
            "heavy = {'matplotlib', 'scipy', 'sklearn', 'torch', 'fastapi', 'dask', 'pandas'}; "
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
