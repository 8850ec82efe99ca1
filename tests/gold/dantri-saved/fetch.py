"""Re-create the dantri-saved gold articles from JayBMF/eNewsWebApp (dev tool, needs network).

See ``tests/gold/fetch_sources.py`` and ``MANIFEST.md``. Not run by the tests.

Example:
    python tests/gold/dantri-saved/fetch.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fetch_sources import main  # noqa: E402

SPECS = [{'repo': 'JayBMF/eNewsWebApp',
  'commit': '185758f5bb59ef612d23042ac185257d29a8b31f',
  'items': [{'path': 'src/main/webapp/Views/xa-hoi/truyen-thong-ve-nguoi-tot-viec-tot-la-mot-su-menh-lon-lao-cua-bao-chi-20221224191050762.jsp',
             'name': 'dantri_20221224191050762.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/kinh-doanh/thu-tuong-chi-dao-bo-cong-thuong-khong-de-thieu-hut-xang-dau-dip-tet-20221224162858354.jsp',
             'name': 'dantri_20221224162858354.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/kinh-doanh/thanh-tra-xang-dau-vach-ra-mot-loat-sai-pham-co-ca-loi-cua-nha-quan-ly-20221224100422289.jsp',
             'name': 'dantri_20221224100422289.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/bat-dong-san/cao-toc-tuyen-quang-phu-tho-dieu-chinh-dau-tu-can-them-hon-4000-ty-dong-20221223180348340.jsp',
             'name': 'dantri_20221223180348340.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/xa-hoi/khoi-cong-nha-ga-t3-san-bay-tan-son-nhat-20221224192522724.jsp',
             'name': 'dantri_20221224192522724.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/xa-hoi/cuc-hang-khong-tang-cuong-cac-chuyen-bay-tren-ca-nuoc-vao-dip-tet-20221224152117143.jsp',
             'name': 'dantri_20221224152117143.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/the-gioi/trung-quoc-phan-doi-dao-luat-ngan-sach-quoc-phong-moi-cua-my-20221224190411575.jsp',
             'name': 'dantri_20221224190411575.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/the-gioi/the-tran-giang-co-tren-chien-truong-ukraine-sau-10-thang-xung-dot-khoc-liet-20221223160208680.jsp',
             'name': 'dantri_20221223160208680.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/xa-hoi/khong-khi-nguoi-dan-don-giang-sinh-vui-tuoi-am-ap-tren-khap-ca-nuoc-20221224200034706.jsp',
             'name': 'dantri_20221224200034706.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/xa-hoi/khu-vuc-trung-tam-xom-dao-o-tphcm-ket-cung-trong-dem-noel-20221224204141057.jsp',
             'name': 'dantri_20221224204141057.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/kinh-doanh/gia-vang-giam-sau-dau-hieu-kha-quan-cua-kinh-te-my-20221224012650880.jsp',
             'name': 'dantri_20221224012650880.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/kinh-doanh/khach-bat-ngo-bi-rut-tien-khoi-the-tin-dung-chuyen-gia-chi-meo-phong-tranh-20221223123311491.jsp',
             'name': 'dantri_20221223123311491.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/bat-dong-san/dat-nen-giam-gia-hang-loat-chu-nha-dat-trong-pho-van-het-gia-cao-20221223140955840.jsp',
             'name': 'dantri_20221223140955840.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/bat-dong-san/gia-chung-cu-van-neo-cao-nguoi-mua-kho-voi-20221223135201919.jsp',
             'name': 'dantri_20221223135201919.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/bat-dong-san/can-ho-chung-cu-di-nguoc-lan-song-cat-lo-20221224095943188.jsp',
             'name': 'dantri_20221224095943188.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/the-thao/dai-thang-5-0-truoc-lao-malaysia-gui-loi-thach-thuc-toi-viet-nam-20221224192103764.jsp',
             'name': 'dantri_20221224192103764.html',
             'kind': 'raw'},
            {'path': 'src/main/webapp/Views/the-thao/khung-thanh-san-my-dinh-duoc-bat-vit-chac-chan-truoc-tran-gap-malaysia-20221224181223256.jsp',
             'name': 'dantri_20221224181223256.html',
             'kind': 'raw'}]}]

if __name__ == "__main__":
    sys.exit(main(SPECS, HERE))
