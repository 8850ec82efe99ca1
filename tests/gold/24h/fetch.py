"""Re-create the 24h gold articles from leduchuy20/crawl_news (dev tool, needs network).

See ``tests/gold/fetch_sources.py`` and ``MANIFEST.md``. Not run by the tests.

Example:
    python tests/gold/24h/fetch.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fetch_sources import main  # noqa: E402

SPECS = [{'repo': 'leduchuy20/crawl_news',
  'commit': '3f164f26034e91f03c868b10e0debae8d5a51287',
  'items': [{'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_dd0e37ca54bda242d2a73ada5425fddb.txt',
             'kind': 'csv_record',
             'record_id': 'dd0e37ca54bda242d2a73ada5425fddb'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_86012368e91ee3da18475108786e3a16.txt',
             'kind': 'csv_record',
             'record_id': '86012368e91ee3da18475108786e3a16'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_afd5b943a910768d5211cbaa3f70f654.txt',
             'kind': 'csv_record',
             'record_id': 'afd5b943a910768d5211cbaa3f70f654'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_ddb56c066140d75e103a288cebc38d39.txt',
             'kind': 'csv_record',
             'record_id': 'ddb56c066140d75e103a288cebc38d39'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_adeb5c67b5608720f6618441365ff7b5.txt',
             'kind': 'csv_record',
             'record_id': 'adeb5c67b5608720f6618441365ff7b5'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_7297ddde15f33713d186b0c3fabee175.txt',
             'kind': 'csv_record',
             'record_id': '7297ddde15f33713d186b0c3fabee175'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_25d4f1976e7e2b60a45b64eba3406e6c.txt',
             'kind': 'csv_record',
             'record_id': '25d4f1976e7e2b60a45b64eba3406e6c'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_9dde7099ccefbc83c96fbd60029f9542.txt',
             'kind': 'csv_record',
             'record_id': '9dde7099ccefbc83c96fbd60029f9542'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_5e9fd1e69e540de7d1325c3ffa87cef3.txt',
             'kind': 'csv_record',
             'record_id': '5e9fd1e69e540de7d1325c3ffa87cef3'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_1a1064e0219bb12f7510eee930626e76.txt',
             'kind': 'csv_record',
             'record_id': '1a1064e0219bb12f7510eee930626e76'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_d8af9be30f1164bc948365e99bb4ef01.txt',
             'kind': 'csv_record',
             'record_id': 'd8af9be30f1164bc948365e99bb4ef01'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_b8e3e5babaade6092b45d3f0b8511412.txt',
             'kind': 'csv_record',
             'record_id': 'b8e3e5babaade6092b45d3f0b8511412'},
            {'path': 'crawl_news/crawl/24h_html_categories_vi.csv',
             'name': '24h_c1d82c63a63a236cb6bf47f6cf076715.txt',
             'kind': 'csv_record',
             'record_id': 'c1d82c63a63a236cb6bf47f6cf076715'}]}]

if __name__ == "__main__":
    sys.exit(main(SPECS, HERE))
