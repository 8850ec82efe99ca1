"""Re-create the baomoi-dzung gold articles from dzungcamlang/crawler_baomoi (dev tool, needs network).

See ``tests/gold/fetch_sources.py`` and ``MANIFEST.md``. Not run by the tests.

Example:
    python tests/gold/baomoi-dzung/fetch.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fetch_sources import main  # noqa: E402

SPECS = [{'repo': 'dzungcamlang/crawler_baomoi',
  'commit': '82860ea6c6e36130e83d3282dc60a8f4cda81870',
  'items': [{'path': 'data/11154749.txt', 'name': '11154749.txt', 'kind': 'raw'},
            {'path': 'data/11120968.txt', 'name': '11120968.txt', 'kind': 'raw'},
            {'path': 'data/11111126.txt', 'name': '11111126.txt', 'kind': 'raw'},
            {'path': 'data/11150035.txt', 'name': '11150035.txt', 'kind': 'raw'},
            {'path': 'data/11114829.txt', 'name': '11114829.txt', 'kind': 'raw'},
            {'path': 'data/11112066.txt', 'name': '11112066.txt', 'kind': 'raw'},
            {'path': 'data/11145204.txt', 'name': '11145204.txt', 'kind': 'raw'},
            {'path': 'data/11128102.txt', 'name': '11128102.txt', 'kind': 'raw'},
            {'path': 'data/11151548.txt', 'name': '11151548.txt', 'kind': 'raw'},
            {'path': 'data/11145756.txt', 'name': '11145756.txt', 'kind': 'raw'},
            {'path': 'data/11140772.txt', 'name': '11140772.txt', 'kind': 'raw'},
            {'path': 'data/11149587.txt', 'name': '11149587.txt', 'kind': 'raw'},
            {'path': 'data/11111740.txt', 'name': '11111740.txt', 'kind': 'raw'}]}]

if __name__ == "__main__":
    sys.exit(main(SPECS, HERE))
