"""Re-create the saved-pages gold articles from naustudio/tuoitrevn-optimization-case-study,
lythinhsunrise/adv-video and lythinhsunrise/videojs (dev tool, needs network).

See ``tests/gold/fetch_sources.py`` and ``MANIFEST.md``. Not run by the tests.

Example:
    python tests/gold/saved-pages/fetch.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fetch_sources import main  # noqa: E402

SPECS = [{'repo': 'naustudio/tuoitrevn-optimization-case-study',
  'commit': '5f0ad0cbdc3b907b3425b9d90e57256c50ce2bc3',
  'items': [{'path': 'static/subpage.html', 'name': 'tuoitre_724115.html', 'kind': 'raw'}]},
 {'repo': 'lythinhsunrise/adv-video',
  'commit': 'fc37f5e0d65d3880a2016e2be8e6b2786a5837c3',
  'items': [{'path': 'vnexpress.html', 'name': 'vnexpress_mo-lai-duong-bay-quoc-te.html', 'kind': 'raw'}]},
 {'repo': 'lythinhsunrise/videojs',
  'commit': '75ee052be4f80fef842630c4cd68e7a2ecfd9242',
  'items': [{'path': 'index.html', 'name': 'vnexpress_4420519.html', 'kind': 'raw'}]},
 {'repo': 'lythinhsunrise/videojs',
  'commit': '7b91d8f9585443580cfafc764d534dfb01c74605',
  'items': [{'path': 'index.html', 'name': 'vneconomy_dow-jones-bay-them-300-diem.html', 'kind': 'raw'}]},
 {'repo': 'lythinhsunrise/videojs',
  'commit': 'b8c397fd32dd10e49f117dc227e0cbc9a23327ae',
  'items': [{'path': 'index.html', 'name': 'cafebiz_20220120123728536.html', 'kind': 'raw'}]}]

if __name__ == "__main__":
    sys.exit(main(SPECS, HERE))
