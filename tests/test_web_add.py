"""``reader add`` and the HTTP GET under it, against a local server the tests start."""

from __future__ import annotations

import gzip
import json

import pytest

from reader.cli import main
from reader.ingest import UnreadableArticle, parse_article
from reader.web import http
from reader.web.pages import canonical_url, page_from_response

from .html_pages import STORY, news_page
from .web_server import redirect, serve, slow_drip


@pytest.fixture
def site():
    with serve() as running:
        yield running


@pytest.fixture
def folders(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    return articles, tmp_path / "index"


def run(folders, *args):
    articles, index = folders
    return main(["--articles", str(articles), "--index", str(index), *args])


def add_json(folders, capsys, *sources):
    status = run(folders, "add", "--json", "--no-entities", *sources)
    out, err = capsys.readouterr()
    return status, json.loads(out), err


def test_add_url_writes_markdown_with_front_matter_and_indexes_it(site, folders, capsys):
    url = site.page("/2024/harbour", news_page())
    status, result, err = add_json(folders, capsys, url)
    assert status == 0, err
    [added] = result["added"]
    assert added["path"] == "the-harbour-gazette/2024-05-14-council-approves-harbour-expansion.md"
    assert added["id"] == "the-harbour-gazette/2024-05-14-council-approves-harbour-expansion"
    assert added["url"] == "https://gazette.example/2024/05/14/harbour-expansion"  # the page's canonical URL
    articles, _ = folders
    text = (articles / added["path"]).read_text("utf-8")
    assert text.startswith("---\ntitle: Council approves harbour expansion\nauthors:\n- Maria Jensen\ndate: '2024-05-14'\n")
    assert "\nsource: The Harbour Gazette\n" in text and "\nfetched: " in text
    article = parse_article((articles / added["path"]).read_bytes(), added["path"])
    assert article.title == "Council approves harbour expansion"
    assert article.url == added["url"]
    assert article.paragraphs[0] == STORY[0]
    status = run(folders, "search", "dredging", "--json")
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert [hit["id"] for hit in hits] == [added["id"]]


def test_same_canonical_url_twice_is_refused_naming_the_article(site, folders, capsys):
    first = site.page("/a", news_page())
    second = site.page("/b?utm_source=mail", news_page())  # another address, same canonical page
    assert add_json(folders, capsys, first)[0] == 0
    articles, _ = folders
    before = sorted(p.relative_to(articles) for p in articles.rglob("*.md"))
    status = run(folders, "add", "--no-entities", second)
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    assert err.strip().splitlines() == [
        f"reader add: {second}: already added as the-harbour-gazette/2024-05-14-council-approves-harbour-expansion.md"
    ]
    assert sorted(p.relative_to(articles) for p in articles.rglob("*.md")) == before


def test_plain_text_output_is_the_id(site, folders, capsys):
    url = site.page("/x", news_page())
    assert run(folders, "add", "--no-entities", url) == 0
    out, err = capsys.readouterr()
    assert out == "the-harbour-gazette/2024-05-14-council-approves-harbour-expansion\n"
    assert "added the-harbour-gazette/" in err


def test_add_local_html_file(tmp_path, folders, capsys):
    saved = tmp_path / "saved page.html"
    saved.write_text(news_page(), encoding="utf-8")
    status, result, _ = add_json(folders, capsys, str(saved))
    assert status == 0
    assert result["added"][0]["title"] == "Council approves harbour expansion"


def test_a_taken_file_name_is_never_overwritten(site, folders, capsys):
    articles, _ = folders
    target = articles / "the-harbour-gazette" / "2024-05-14-council-approves-harbour-expansion.md"
    target.parent.mkdir()
    target.write_text("my own notes, not from the web\n\nThey say the harbour plan is bad, according to me.\n")
    status, result, _ = add_json(folders, capsys, site.page("/p", news_page()))
    assert status == 0
    assert result["added"][0]["path"].endswith("expansion-2.md")
    assert target.read_text().startswith("my own notes")


def test_failures_are_one_line_each_and_others_still_added(site, folders, capsys):
    good = site.page("/good", news_page())
    site.routes["/gone"] = (404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
    pdf = site.page("/report.pdf", b"%PDF-1.4 binary", content_type="application/pdf")
    wall = site.page("/wall", news_page(body=["Sign in to read this story. Subscribe now."]).replace("What happens next", ""))
    status = run(folders, "add", "--no-entities", site.url("/gone"), pdf, good, "not-a-file.html")
    out, err = capsys.readouterr()
    assert status == 1
    assert out.strip() == "the-harbour-gazette/2024-05-14-council-approves-harbour-expansion"
    lines = err.strip().splitlines()
    assert f"reader add: {site.url('/gone')}: HTTP 404 Not Found" in lines
    assert f"reader add: {pdf}: not a web page (the server sent application/pdf)" in lines
    assert "reader add: not-a-file.html: not an http(s) URL or an existing .html file" in lines
    assert wall  # served, checked below through the page reader


def test_http_redirects_loops_status_size_and_slow_servers(site):
    site.page("/final", news_page())
    site.routes["/r1"] = redirect("/final")
    site.routes["/loop"] = redirect("/loop")
    for i in range(7):
        site.routes[f"/chain{i}"] = redirect(f"/chain{i + 1}")
    site.routes["/chain7"] = (200, {"Content-Type": "text/html"}, news_page().encode())
    site.routes["/boom"] = (500, {}, b"")
    site.routes["/js"] = redirect("javascript:alert(1)")
    site.page("/big", "<p>" + "x" * 300_000 + "</p>")
    site.routes["/slow"] = slow_drip(0.2)

    assert http.get(site.url("/r1")).url == site.url("/final")
    with pytest.raises(http.FetchError, match="too many redirects"):
        http.get(site.url("/loop"))
    with pytest.raises(http.FetchError, match="too many redirects"):
        http.get(site.url("/chain0"))
    with pytest.raises(http.FetchError, match="HTTP 500"):
        http.get(site.url("/boom"))
    with pytest.raises(http.FetchError, match="not http|usable URL"):
        http.get(site.url("/js"))
    with pytest.raises(http.FetchError, match="too large"):
        http.get(site.url("/big"), max_bytes=100_000)
    with pytest.raises(http.FetchError, match="timed out"):
        http.get(site.url("/slow"), timeout=1.0)
    with pytest.raises(http.FetchError, match="not an http"):
        http.get("file:///etc/passwd")
    with pytest.raises(http.FetchError, match="cannot connect"):
        http.get("http://127.0.0.1:9/")  # discard port: nothing listens


def test_gzip_and_charsets_from_headers_and_meta(site):
    text = "Le maire a déclaré que la décision était « définitive » et coûterait très cher à la ville."
    page = news_page(body=[text] + STORY, charset="")
    gzipped = {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}
    site.routes["/gz"] = (200, gzipped, gzip.compress(page.encode()))
    site.page("/latin", page.encode("cp1252"), content_type="text/html; charset=windows-1252")
    declared_in_meta = page.replace('<meta charset="">', '<meta charset="windows-1252">')
    site.page("/meta", declared_in_meta.encode("cp1252"), content_type="text/html")
    site.page("/lying", page.encode("utf-8"), content_type="text/html; charset=iso-8859-1")
    for path in ("/gz", "/latin", "/meta", "/lying"):
        fetched = page_from_response(http.get(site.url(path)))
        assert text in fetched.page.paragraphs, path


def test_login_wall_and_non_html_are_not_articles(site):
    wall = news_page(body=["Sign in to read this story. Subscribe now."]).replace("<h2>What happens next</h2>", "")
    wall = wall.replace(
        "<p>The port authority will publish the tender documents in June, and the first contracts are due\n"
        "to be signed before the end of the year, officials said on Wednesday evening.</p>",
        "",
    )
    site.page("/wall", wall)
    site.page("/json", b'{"a": 1}', content_type="application/json")
    with pytest.raises(UnreadableArticle, match="sign-in or subscription wall"):
        page_from_response(http.get(site.url("/wall")))
    with pytest.raises(UnreadableArticle, match="application/json"):
        page_from_response(http.get(site.url("/json")))


def test_canonical_url():
    assert canonical_url("HTTPS://Example.COM/a?utm_source=x&b=2&a=1#top") == "https://example.com/a?a=1&b=2"
    assert canonical_url("javascript:alert(1)") == ""
