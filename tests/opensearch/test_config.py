"""Choosing the cluster: the environment, or the config file's ``[search]`` table (no cluster needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import load_config
from reader.opensearch.config import config_from_environment


def _config_file(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_the_search_table_chooses_the_cluster(tmp_path: Path):
    (tmp_path / "password").write_text("s3cret\n", encoding="utf-8")
    config = _config_file(
        tmp_path,
        f"""
[search]
backend = "opensearch"
url = ["https://a.example:9200", "https://b.example:9200/"]
index = "team"
user = "alice"
password_file = "{tmp_path / "password"}"
verify = false
""",
    )
    assert config.problems == []
    chosen = config_from_environment({}, config.values["search"])
    assert chosen is not None
    assert chosen.urls == ("https://a.example:9200", "https://b.example:9200")
    assert (chosen.prefix, chosen.user, chosen.password, chosen.verify_certs) == ("team", "alice", "s3cret", False)
    assert chosen.alias == "team-articles"


def test_the_environment_wins_over_each_key(tmp_path: Path):
    section = {"backend": "opensearch", "url": "https://a.example:9200", "index": "team", "verify": False}
    env = {"READER_OPENSEARCH_INDEX": "mine", "READER_OPENSEARCH_VERIFY": "1", "READER_OPENSEARCH_URL": "http://127.0.0.1:9"}
    chosen = config_from_environment(env, section)
    assert chosen is not None
    assert (chosen.urls, chosen.prefix, chosen.verify_certs) == (("http://127.0.0.1:9",), "mine", True)


def test_whoosh_stays_the_default(tmp_path: Path):
    assert config_from_environment({}, None) is None
    assert config_from_environment({}, {"backend": "whoosh", "url": "https://a.example:9200"}) is None
    assert config_from_environment({}, {"url": "https://a.example:9200"}) is not None  # a url alone means the cluster


@pytest.mark.parametrize(
    "table,says",
    [
        ('backend = "elastic"', "backend must be one of whoosh, opensearch"),
        ('backend = "opensearch"', 'needs url = "https://..."'),
        ('url = "https://a.example"\nverify = "no"', "verify must be true or false"),
        ('url = "https://a.example"\npasword_file = "x"', "unknown key 'pasword_file'"),
        ("url = 9200", "url must be a URL in quotes"),
    ],
)
def test_a_bad_search_table_is_one_line_and_ignored(tmp_path: Path, table: str, says: str):
    config = _config_file(tmp_path, f"[search]\n{table}\n")
    (problem,) = config.problems
    assert says in problem and "'search'" in problem and "line 1" in problem and "\n" not in problem
    assert "search" not in config.values
