"""drafting's web app: `drafting app`, or `DRAFTING_WORKSPACE=DIR streamlit run app.py`."""
import sys, pathlib  # noqa: E401  (a checkout without `pip install -e .` still runs)
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "src"))
from drafting.app.main import run  # noqa: E402
run()
