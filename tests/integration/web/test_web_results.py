"""Dashboard, results list, CSV, result page and PDF: what each role sees, bad filters."""
import csv
import hashlib
import io

import pytest
from pypdf import PdfReader

from server.web import results as results_page

from .seeding import jpeg, push, result_args, upload


def ids_on(page) -> list[str]:
    """Result ids linked from a list page, in order."""
    out, marker = [], 'href="/results/'
    for chunk in page.text.split(marker)[1:]:
        rid = chunk[:chunk.index('"')]
        if not rid.endswith(".pdf") and rid not in out:
            out.append(rid)
    return out


def test_the_dashboard_shows_my_sites_with_a_matplotlib_trend(web, team, seeded):
    page = web("supervisor-a").get("/dashboard")
    assert page.status_code == 200
    assert "Site A" in page.text and "Site B" not in page.text
    assert "<svg" in page.text and "Matplotlib" in page.text  # drawn by matplotlib
    assert set(ids_on(page)) == {"a-pass", "a-fail"}
    admin = web("admin-a").get("/dashboard")
    assert "Site A" in admin.text and "Site B" in admin.text and "b-1" in admin.text


def test_a_site_dashboard_of_another_site_is_not_found(web, team, seeded):
    browser = web("supervisor-a")
    assert browser.get(f"/dashboard?site={seeded.site_a}").status_code == 200
    assert browser.get(f"/dashboard?site={seeded.site_b}").status_code == 404


def test_the_list_shows_only_my_sites_with_a_count(web, team, seeded):
    page = web("supervisor-a").get("/results")
    assert page.status_code == 200
    assert sorted(ids_on(page)) == ["a-fail", "a-pass"] and 'id="count"' in page.text
    assert "共 2 条结果" in page.text
    assert sorted(ids_on(web("admin-a").get("/results"))) == ["a-fail", "a-pass", "b-1"]


def test_filters_narrow_the_list(web, team, seeded):
    browser = web("supervisor-a")
    assert ids_on(browser.get("/results?band=poor&site=&from=&to=")) == ["a-fail"]
    assert ids_on(browser.get("/results?flagged=false")) == ["a-pass"]
    assert sorted(ids_on(browser.get("/results?inspector=engineer-a&definition=web-check"
                                     "&review_state=submitted"))) == ["a-fail", "a-pass"]
    assert ids_on(browser.get("/results?to=2000-01-01")) == []
    assert ids_on(browser.get("/results?sort=score")) == ["a-fail", "a-pass"]


@pytest.mark.parametrize("query, field", [
    ("from=yesterday", "from"), ("from=2026-11-02&to=2026-11-01", "to"),
    ("inspector=nobody-here", "inspector"), ("sort=sideways", "sort"),
    ("cursor=garbage", "cursor"), ("flagged=perhaps", "flagged"), ("colour=red", "colour")])
def test_bad_filters_get_a_readable_page_not_a_500(web, team, seeded, query, field):
    page = web("supervisor-a").get(f"/results?{query}")
    assert page.status_code == 400
    assert 'id="problems"' in page.text and f"<strong>{field}</strong>" in page.text
    assert 'id="filters"' in page.text  # the form is there to fix it


def test_another_sites_filter_csv_and_results_are_not_found(web, team, seeded):
    browser = web("supervisor-a")
    for url in (f"/results?site={seeded.site_b}", f"/results.csv?site={seeded.site_b}",
                "/results/b-1", "/results/b-1.pdf", "/results/no-such-result",
                f"/api/v1/photos/{seeded.photo_b}?variant=thumb"):
        assert browser.get(url).status_code == 404, url


def test_keyset_pages_visit_every_row_once(web, team, seeded, monkeypatch):
    monkeypatch.setattr(results_page, "PAGE_SIZE", 1)
    browser, seen, url = web("admin-a"), [], "/results?sort=score"
    while url:
        page = browser.get(url)
        seen += ids_on(page)
        assert "共 3 条结果" in page.text
        marker = 'id="next" href="'
        url = page.text.split(marker)[1].split('"')[0].replace("&amp;", "&") \
            if marker in page.text else None
    assert sorted(seen) == ["a-fail", "a-pass", "b-1"] and len(seen) == 3


def test_the_csv_is_utf8_with_a_bom_and_only_my_sites(web, team, seeded):
    resp = web("supervisor-a").get("/results.csv?band=poor&band=good")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert sorted(r["id"] for r in rows) == ["a-fail", "a-pass"]
    assert {r["site"] for r in rows} == {"A"} and {r["inspector"] for r in rows} == {"engineer-a"}
    assert web("supervisor-a").get("/results.csv?from=nonsense").status_code == 400


def test_a_result_page_explains_the_score_and_shows_the_photos(web, team, seeded):
    browser = web("supervisor-a")
    page = browser.get("/results/a-fail")
    assert page.status_code == 200
    for text in ("地面清洁", "消防通道畅通", "不合格 → 0/1", "engineer-a", "+08:00",
                 "variant=thumb", "variant=annotated", "variant=stamped"):
        assert text in page.text, text
    for variant in ("thumb", "annotated", "stamped"):
        photo = browser.get(f"/api/v1/photos/{seeded.photo}?variant={variant}&result=a-fail")
        assert photo.status_code == 200 and photo.mimetype == "image/jpeg", variant
    english = browser.get("/results/a-pass", headers={"Accept-Language": "en"})
    assert "Floor clean" in english.text and "一切正常" in english.text


def test_the_pdf_has_the_chinese_item_names_in_its_text(web, team, seeded):
    resp = web("supervisor-a").get("/results/a-fail.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(resp.data))
    text = "".join(page.extract_text() for page in reader.pages)
    for words in ("环境巡查", "地面清洁", "消防通道畅通", "Site A"):
        assert words in text, words
    images = [image for page in reader.pages for image in page.images]
    assert images, "the stamped photo is embedded"


def test_photos_cited_only_in_an_answer_are_shown_too(web, client, team, seeded):
    photo = jpeg((250, 250, 0))
    args = result_args("a-cited", seeded.site_a, exit_="fail")
    args["answers"]["env.exit"]["photos"] = [hashlib.sha256(photo).hexdigest()]
    push(client, team.headers["engineer"], args)
    upload(client, team.headers["engineer"], photo)
    page = web("supervisor-a").get("/results/a-cited")
    assert f"/api/v1/photos/{hashlib.sha256(photo).hexdigest()}?variant=thumb" in page.text


def test_the_sort_shown_is_the_one_applied(web, team, seeded):
    """Without ?sort the list is newest first, and the form must say so (else the
    next Filter click would send the first option and turn the order around)."""
    browser = web("supervisor-a")
    assert '<option value="-submitted_at" selected>' in browser.get("/results").text
    assert '<option value="score" selected>' in browser.get("/results?sort=score").text


def test_rendering_a_pdf_leaves_truncated_photos_refused(web, team, seeded):
    """WeasyPrint sets PIL's LOAD_TRUNCATED_IMAGES when imported; left so, every
    truncated upload after the first PDF would pass as a whole photo."""
    from PIL import ImageFile
    assert web("supervisor-a").get("/results/a-fail.pdf").status_code == 200
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_times_are_shown_in_the_sites_own_zone(app, web, team, seeded):
    from server.services.accounts.sites import set_timezone
    from server.extensions import STORE_KEY
    set_timezone(app.extensions[STORE_KEY], seeded.site_a, "Europe/Berlin")
    page = web("supervisor-a").get("/results/a-pass")
    assert "+01:00" in page.text and "+08:00" not in page.text


def test_a_count_the_totals_cannot_give_stops_at_the_pages_bound(web, team, seeded,
                                                                  monkeypatch):
    """Filtered by inspector the count goes row by row: beyond the bound the page says
    "more than" instead of counting every row (a 1M store took seconds)."""
    from server.web import results
    monkeypatch.setattr(results, "COUNT_UP_TO", 1)
    browser = web("supervisor-a")
    page = browser.get("/results?inspector=engineer-a")
    assert page.status_code == 200 and "超过 1 条结果" in page.text
    assert "共 2 条结果" in browser.get("/results").text  # from the totals: exact
