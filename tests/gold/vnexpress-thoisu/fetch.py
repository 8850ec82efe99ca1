"""Re-create the vnexpress-thoisu gold articles from Trungkien2022001/ProjectII (dev tool, needs network).

See ``tests/gold/fetch_sources.py`` and ``MANIFEST.md``. Not run by the tests.

Example:
    python tests/gold/vnexpress-thoisu/fetch.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fetch_sources import main  # noqa: E402

SPECS = [{'repo': 'Trungkien2022001/ProjectII',
  'commit': '109642dc9c892891281c417bf85d17497f3cd962',
  'items': [{'path': 'Data/thoi_su/Thoi_su_10.txt', 'name': 'Thoi_su_10.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_405.txt', 'name': 'Thoi_su_405.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_125.txt', 'name': 'Thoi_su_125.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_398.txt', 'name': 'Thoi_su_398.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_184.txt', 'name': 'Thoi_su_184.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_191.txt', 'name': 'Thoi_su_191.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_124.txt', 'name': 'Thoi_su_124.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_340.txt', 'name': 'Thoi_su_340.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_2.txt', 'name': 'Thoi_su_2.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_599.txt', 'name': 'Thoi_su_599.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_616.txt', 'name': 'Thoi_su_616.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_401.txt', 'name': 'Thoi_su_401.txt', 'kind': 'raw'},
            {'path': 'Data/thoi_su/Thoi_su_153.txt', 'name': 'Thoi_su_153.txt', 'kind': 'raw'}]}]

if __name__ == "__main__":
    sys.exit(main(SPECS, HERE))
