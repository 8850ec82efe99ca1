"""Re-create the vfnd gold articles from thanhhocse96/vfnd-vietnamese-fake-news-datasets (dev tool, needs network).

See ``tests/gold/fetch_sources.py`` and ``MANIFEST.md``. Not run by the tests.

Example:
    python tests/gold/vfnd/fetch.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fetch_sources import main  # noqa: E402

SPECS = [{'repo': 'thanhhocse96/vfnd-vietnamese-fake-news-datasets',
  'commit': '8328a84cb1248d38a55e8f2f3976df56fba57768',
  'items': [{'path': 'Article_Contents/Real/VFND_Ac_Real_6.json',
             'name': 'VFND_Ac_Real_6.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_53.json',
             'name': 'VFND_Ac_Real_53.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_50.json',
             'name': 'VFND_Ac_Real_50.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_36.json',
             'name': 'VFND_Ac_Real_36.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_60.json',
             'name': 'VFND_Ac_Real_60.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_87.json',
             'name': 'VFND_Ac_Real_87.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_104.json',
             'name': 'VFND_Ac_Real_104.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_90.json',
             'name': 'VFND_Ac_Real_90.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_83.json',
             'name': 'VFND_Ac_Real_83.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_79.json',
             'name': 'VFND_Ac_Real_79.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_7.json',
             'name': 'VFND_Ac_Real_7.txt',
             'kind': 'newsplease_json'},
            {'path': 'Article_Contents/Real/VFND_Ac_Real_3.json',
             'name': 'VFND_Ac_Real_3.txt',
             'kind': 'newsplease_json'}]}]

if __name__ == "__main__":
    sys.exit(main(SPECS, HERE))
