"""`reader` on a cluster, as a user runs it: the environment chooses the backend."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.opensearch.mapping import MAPPING_VERSION
from tests.opensearch.cluster import Cluster, free_ports
from tests.opensearch.fixtures import cluster_environment, write_articles
from tests.paths import REPO, SAMPLES


def reader(*args: str, env: dict[str, str], cwd: Path, wait: bool = True):
    # The suite's own settings (READER_STATE_DIR) stay; where articles, index and cluster are does not.
    chosen = ("READER_OPENSEARCH_", "READER_ARTICLES", "READER_INDEX")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(chosen)}
    environment.update(env, PYTHONPATH=str(REPO / "src"))
    command = [sys.executable, "-m", "reader", *args]
    if not wait:
        return subprocess.Popen(command, env=environment, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=environment, cwd=cwd, capture_output=True, text=True, timeout=300)


def ids(stdout: str) -> set[str]:
    return {hit["id"].split("_")[0] for hit in json.loads(stdout)["hits"]}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES, tmp_path / "articles")
    return tmp_path


def test_index_then_search_status_and_a_reader_without_the_articles(opensearch_cluster: Cluster, workdir: Path, tmp_path_factory):
    env = cluster_environment(opensearch_cluster, "cli-done")
    indexed = reader("index", env=env, cwd=workdir)
    assert indexed.returncode == 0, indexed.stderr
    for query, expected in (("Mnuchin", {"000", "001", "002", "004"}), ("person:lighthizer", {"000", "002", "004"})):
        found = reader("search", "--json", query, env=env, cwd=workdir)
        assert found.returncode == 0 and ids(found.stdout) == expected
    status = reader("status", "--json", env=env, cwd=workdir)
    assert status.returncode == 0
    reported = json.loads(status.stdout)
    assert reported["backend"] == "opensearch" and reported["articles"] == 5
    assert f"cli-done-articles (cli-done-articles-v{MAPPING_VERSION}-g1)" in reported["location"]

    # Another machine: only the URL, no articles folder. It lists, reads, searches, follows
    # entities and bookmarks a passage (the bookmark in its own local user-state database).
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    phrase = reader("search", "--json", '"trade secrets"', env=env, cwd=elsewhere)
    assert ids(phrase.stdout) == {"003"}
    people = reader("entities", "--json", "--kind", "person", env=env, cwd=elsewhere)
    assert people.returncode == 0 and "Robert Lighthizer" in {e["name"] for e in json.loads(people.stdout)}
    mark = reader("bookmarks", "add", "003_6ecca0d802200a51", "--quote", "trade secrets", env=env, cwd=elsewhere)
    assert mark.returncode == 0, mark.stderr
    assert (elsewhere / "index" / "bookmarks.sqlite").exists()
    assert not (elsewhere / "articles").exists() and not (elsewhere / "index" / "search").exists()


def test_two_machines_index_one_corpus_in_parts_at_once(opensearch_cluster: Cluster, tmp_path: Path):
    write_articles(tmp_path / "articles", 300)
    env = cluster_environment(opensearch_cluster, "cli-parts")
    first = reader("index", "--no-entities", "--part", "1/2", env=env, cwd=tmp_path, wait=False)
    second = reader("index", "--no-entities", "--part", "2/2", env=env, cwd=tmp_path, wait=False)
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    assert (first.returncode, second.returncode) == (0, 0), outputs
    added = [int(err.split("added")[0].split(",")[-1]) for _out, err in outputs]
    assert sum(added) == 300 and all(40 < n < 260 for n in added), added
    search = reader("search", "--json", "-n", "1", "harbour", env=env, cwd=tmp_path)
    assert json.loads(search.stdout)["total"] == 300

    for number in range(0, 300, 3):  # a third of the files go; each part deletes only its own
        (tmp_path / "articles" / f"report-{number:05d}.txt").unlink()
    assert reader("index", "--part", "1/2", "-q", env=env, cwd=tmp_path).returncode == 0
    partly = json.loads(reader("search", "--json", "-n", "1", "harbour", env=env, cwd=tmp_path).stdout)["total"]
    assert 200 < partly < 300
    assert reader("index", "--part", "2/2", "-q", env=env, cwd=tmp_path).returncode == 0
    assert json.loads(reader("search", "--json", "-n", "1", "harbour", env=env, cwd=tmp_path).stdout)["total"] == 200


def test_unreachable_cluster_and_wrong_password_are_one_line_and_lose_nothing(opensearch_cluster: Cluster, workdir: Path):
    env = cluster_environment(opensearch_cluster, "cli-faults")
    assert reader("index", "--no-entities", env=env, cwd=workdir).returncode == 0
    assert reader("bookmarks", "add", "003_6ecca0d802200a51", "--quote", "trade secrets", env=env, cwd=workdir).returncode == 0
    user_state = workdir / "index" / "bookmarks.sqlite"
    before = user_state.read_bytes()

    nowhere = dict(env, READER_OPENSEARCH_URL=f"http://127.0.0.1:{free_ports(1)[0]}")
    wrong = dict(env, READER_OPENSEARCH_PASSWORD="not-it")
    for broken, expected in ((nowhere, "cannot reach the OpenSearch cluster"), (wrong, "refused the credentials")):
        for command in (["index"], ["search", "Mnuchin"], ["status"]):
            result = reader(*command, env=broken, cwd=workdir)
            assert result.returncode == 2, (command, result.stderr)
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and expected in lines[0] and "Traceback" not in result.stderr
            assert "not-it" not in result.stderr
    assert user_state.read_bytes() == before
    listed = reader("bookmarks", "list", "--json", env=env, cwd=workdir)
    assert [b["quote"] for b in json.loads(listed.stdout)] == ["trade secrets"]
    assert reader("search", "--json", "Mnuchin", env=env, cwd=workdir).returncode == 0


def test_part_is_refused_for_the_local_index_and_with_rebuild(workdir: Path):
    local = reader("index", "--part", "1/2", env={}, cwd=workdir)
    assert local.returncode == 2 and "the local index is indexed whole" in local.stderr
    bad = reader("index", "--part", "3/2", env={}, cwd=workdir)
    assert bad.returncode == 2 and "--part wants I/N" in bad.stderr
