"""Feeds: follow, list, remove, OPML, and ``reader fetch`` against a local server."""

from __future__ import annotations

import json

import pytest

from reader.cli import main
from reader.web.opml import parse_opml

from .html_pages import LONG, item, rss, story
from .web_server import serve


def conditional_feed(body_holder: dict):
    """A feed that answers 304 to a matching If-None-Match, and its ETag changes with its body."""

    def answer(handler):
        body = body_holder["body"]
        etag = f'"{hash(body) & 0xFFFFFF:x}"'
        if handler.headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": etag}, body

    return answer


@pytest.fixture
def site():
    with serve() as running:
        for n in range(1, 6):
            running.page(f"/story/{n}", story(n))
        yield running


@pytest.fixture
def cli(tmp_path, capsys):
    articles = tmp_path / "articles"
    articles.mkdir()
    index = tmp_path / "index"

    def run(*args: str) -> tuple[int, str, str]:
        status = main(["--articles", str(articles), "--index", str(index), *args])
        out, err = capsys.readouterr()
        return status, out, err

    run.articles = articles  # type: ignore[attr-defined]
    return run


def files(articles) -> dict[str, str]:
    return {p.relative_to(articles).as_posix(): p.read_text("utf-8") for p in sorted(articles.rglob("*.md"))}


def test_follow_list_remove(site, cli):
    feed = {"body": rss(site, [item(site, 1)])}
    site.routes["/feed.xml"] = conditional_feed(feed)
    status, out, err = cli("feeds", "add", site.url("/feed.xml"))
    assert status == 0, err
    assert out.startswith("following Harbour Gazette: ")
    status, out, err = cli("feeds", "add", site.url("/feed.xml"), "--name", "Other")
    assert status == 1 and "already following" in err and "Harbour Gazette" in err
    status, out, _ = cli("feeds", "list", "--json")
    [listed] = json.loads(out)["feeds"]
    assert listed["name"] == "Harbour Gazette" and listed["url"] == site.url("/feed.xml")
    assert listed["last_fetch"] == "" and listed["articles"] == 0
    status, out, _ = cli("feeds", "list")
    assert out.split("\t") == ["Harbour Gazette", site.url("/feed.xml"), "never fetched", "0 articles\n"]
    status, out, _ = cli("feeds", "remove", "harbour gazette")
    assert status == 0 and "stopped following Harbour Gazette" in out
    assert json.loads(cli("feeds", "list", "--json")[1])["feeds"] == []


def test_a_page_url_finds_its_feed_and_a_page_without_one_is_refused(site, cli):
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(site, [item(site, 1)]))
    home = '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Home</body></html>'
    site.page("/home", home)
    site.page("/plain", "<html><head><title>No feed</title></head><body><p>Nothing</p></body></html>")
    status, out, err = cli("feeds", "add", site.url("/home"), "--name", "Gazette")
    assert status == 0, err
    assert site.url("/feed.xml") in out
    status, _, err = cli("feeds", "add", site.url("/plain"))
    assert status == 1 and "names no feed" in err


def test_fetch_writes_new_entries_once_and_refetch_adds_nothing(site, cli):
    full = "".join(f"<p>{LONG}</p>" for _ in range(2))
    feed = {"body": rss(site, [item(site, 1), item(site, 2, content=full)])}
    site.routes["/feed.xml"] = conditional_feed(feed)
    cli("feeds", "add", site.url("/feed.xml"))
    status, out, err = cli("fetch", "--no-entities")
    assert status == 0, err
    assert out.strip() == "Harbour Gazette: 2 new"
    written = files(cli.articles)
    assert sorted(written) == ["harbour-gazette/2024-05-14-harbour-story-1.md", "harbour-gazette/2024-05-14-harbour-story-2.md"]
    one = written["harbour-gazette/2024-05-14-harbour-story-1.md"]
    assert "Story 1: the council voted" in one  # the summary-only entry got the linked page's text
    assert "\nfeed: Harbour Gazette\n" in one
    assert site.hits("/story/2") == 0  # full content in the feed: no page download
    # Again: the server answers 304 to the conditional GET; nothing is written.
    status, out, err = cli("fetch", "--no-entities")
    assert status == 0 and out.strip() == "Harbour Gazette: unchanged"
    assert site.requests[-1][1].get("if-none-match")
    assert files(cli.articles) == written
    # The feed changes but only re-lists what was taken: still nothing new.
    feed["body"] = rss(site, [item(site, 2, content=full), item(site, 1, summary="Edited summary.")])
    assert cli("fetch", "--no-entities")[1].strip() == "Harbour Gazette: unchanged"
    # One new entry: exactly one new article, found by search.
    feed["body"] = rss(site, [item(site, 3), item(site, 1), item(site, 2, content=full)])
    status, out, err = cli("fetch", "--no-entities", "--json")
    result = json.loads(out)
    assert result["feeds"][0]["added"] == ["harbour-gazette/2024-05-14-harbour-story-3"]
    assert len(files(cli.articles)) == 3
    hits = json.loads(cli("search", "part 3", "--json")[1])["hits"]
    assert hits[0]["id"] == "harbour-gazette/2024-05-14-harbour-story-3"


def test_a_failing_feed_is_named_deletes_nothing_and_others_are_read(site, cli):
    site.routes["/good.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(site, [item(site, 1)], "Good"))
    site.routes["/bad.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(site, [item(site, 2)], "Bad"))
    assert cli("feeds", "add", site.url("/good.xml"))[0] == 0
    assert cli("feeds", "add", site.url("/bad.xml"))[0] == 0
    assert cli("fetch", "--no-entities")[0] == 0
    before = files(cli.articles)
    assert len(before) == 2
    for route, reason in (
        ((404, {"Content-Type": "text/html"}, b"gone"), "HTTP 404"),
        ((500, {}, b""), "HTTP 500"),
        ((200, {"Content-Type": "text/html"}, b"<html><body><p>A page</p></body></html>"), "not a feed"),
        ((200, {"Content-Type": "application/json"}, b'{"not": "a feed"}'), "not a feed"),
    ):
        site.routes["/bad.xml"] = route
        good = rss(site, [item(site, 1), item(site, 4)], "Good")
        site.routes["/good.xml"] = (200, {"Content-Type": "application/rss+xml"}, good)
        status, out, err = cli("fetch", "--no-entities")
        assert status == 1, reason
        assert f"reader fetch: Bad: failed: {reason}" in err
        assert "Good:" in out  # the other feed was still read
        assert set(before) <= set(files(cli.articles))
        for path, text in before.items():
            assert files(cli.articles)[path] == text
    status, out, _ = cli("feeds", "list", "--json")
    bad = next(f for f in json.loads(out)["feeds"] if f["name"] == "Bad")
    assert bad["last_status"].startswith("failed: ")


def test_broken_xml_duplicates_and_entries_without_links_or_dates(site, cli):
    long_summary = LONG
    items = [
        item(site, 1),
        item(site, 1),  # the same entry twice
        item(site, 5, link=False, summary=long_summary, date=False).replace("story-5", "no-link"),
        item(site, 6, link=False, summary="Too short to be an article."),
    ]
    broken = rss(site, items)[:-len("</channel></rss>")] + b"<item><title>cut off"
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, broken)
    cli("feeds", "add", site.url("/feed.xml"), "--name", "Broken")
    status, out, err = cli("fetch", "--no-entities")
    assert status == 0, err
    assert "warning: Broken: the feed is damaged" in err
    assert "Too short" not in out
    assert "skipped Broken: Harbour story 6: only a short summary, and no link to the article" in err
    written = files(cli.articles)
    assert len(written) == 2  # story 1 once, and the long link-less entry
    undated = next(text for path, text in written.items() if "story-5" in path)
    assert "shipyards once employed" in undated


def test_opml_import_export_and_rebuild_keeps_feeds(site, cli, tmp_path):
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        f'<outline text="Folder"><outline type="rss" text="One &amp; Two" xmlUrl="{site.url("/one.xml")}"/></outline>'
        f'<outline type="rss" title="Three" xmlUrl="{site.url("/three.xml")}" htmlUrl="{site.base}"/>'
        '<outline type="rss" text="Local" xmlUrl="file:///etc/passwd"/>'
        "</body></opml>"
    )
    status, out, err = cli("feeds", "import", str(opml))
    assert status == 0 and "following 2 new feeds" in out, err
    assert "following 0 new feeds" in cli("feeds", "import", str(opml))[1]
    exported = cli("feeds", "export")[1]
    assert [(o.title, o.url) for o in parse_opml(exported.encode())] == [
        ("One & Two", site.url("/one.xml")),
        ("Three", site.url("/three.xml")),
    ]
    cli("index", "--rebuild", "--no-entities")
    assert len(json.loads(cli("feeds", "list", "--json")[1])["feeds"]) == 2
    laughs = tmp_path / "laughs.opml"  # entities are never expanded: no bomb, no file read
    laughs.write_text(
        '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c SYSTEM "file:///etc/passwd">]><opml><body><outline text="&b;&c;" xmlUrl="http://x/&b;"/></body></opml>'
    )
    status, out, err = cli("feeds", "import", str(laughs))
    assert status in (0, 2) and "root:" not in out + err
    bad = tmp_path / "bad.opml"
    bad.write_text("<rss><channel></channel></rss>")
    status, _, err = cli("feeds", "import", str(bad))
    assert status == 2 and "bad.opml: not an OPML file" in err


def test_feeds_and_seen_entries_travel_in_the_json_export(site, cli, tmp_path):
    site.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(site, [item(site, 1)]))
    cli("feeds", "add", site.url("/feed.xml"))
    cli("fetch", "--no-entities")
    document = json.loads(cli("bookmarks", "export", "--format", "json")[1])
    assert [feed["name"] for feed in document["feeds"]] == ["Harbour Gazette"]
    keys = {entry["key"] for entry in document["feed_seen"]}
    assert {key.split(":", 1)[0] for key in keys} == {"id", "link", "hash"}
    other = tmp_path / "other"
    (other / "articles").mkdir(parents=True)
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(document))
    main(["--articles", str(other / "articles"), "--index", str(other / "index"), "bookmarks", "import", str(exported)])
    main(["--articles", str(other / "articles"), "--index", str(other / "index"), "fetch", "--no-entities"])
    assert not list((other / "articles").rglob("*.md"))  # seen entries came along: nothing fetched again
