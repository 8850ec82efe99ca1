"""Re-create the baomoi-magizbox gold articles from magizbox/scraper (dev tool, needs network).

See ``tests/gold/fetch_sources.py`` and ``MANIFEST.md``. Not run by the tests.

Example:
    python tests/gold/baomoi-magizbox/fetch.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fetch_sources import main  # noqa: E402

SPECS = [{'repo': 'magizbox/scraper',
  'commit': '3387ada618569fd73517092f2215a89398d8f7ee',
  'items': [{'path': 'vn_news/data/22737748.txt', 'name': '22737748.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22591202.txt', 'name': '22591202.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22585553.txt', 'name': '22585553.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/21490865.txt', 'name': '21490865.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22582223.txt', 'name': '22582223.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/21480548.txt', 'name': '21480548.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22229320.txt', 'name': '22229320.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22589761.txt', 'name': '22589761.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/21490603.txt', 'name': '21490603.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22382732.txt', 'name': '22382732.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22667741.txt', 'name': '22667741.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22372206.txt', 'name': '22372206.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22226669.txt', 'name': '22226669.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22344466.txt', 'name': '22344466.txt', 'kind': 'raw'},
            {'path': 'vn_news/data/22648291.txt', 'name': '22648291.txt', 'kind': 'raw'}]}]

if __name__ == "__main__":
    sys.exit(main(SPECS, HERE))
