"""Re-create the html-testpages gold articles from adbar/htmldate, flairNLP/fundus (dev tool, needs network).

See ``tests/gold/fetch_sources.py`` and ``MANIFEST.md``. Not run by the tests.

Example:
    python tests/gold/html-testpages/fetch.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fetch_sources import main  # noqa: E402

SPECS = [{'repo': 'adbar/htmldate',
  'commit': 'b8952828329abaeeb3be21387b526f2be614ce67',
  'items': [{'path': 'tests/eval/VnExpress.net-Kinh-doanh.html',
             'name': 'htmldate_VnExpress.net-Kinh-doanh.html',
             'kind': 'raw'}]},
 {'repo': 'flairNLP/fundus',
  'commit': '18da6e53592f99cf0ac5770dc63d6ba99ba63ae8',
  'items': [{'path': 'tests/resources/parser/test_data/vn/VnExpress_2025_10_22.html.gz',
             'name': 'fundus_VnExpress_2025_10_22.html',
             'kind': 'gunzip'}]}]

if __name__ == "__main__":
    sys.exit(main(SPECS, HERE))
