"""A real OpenSearch 2.19 cluster on 127.0.0.1, one node per Java process.

The tests start it through the ``opensearch_cluster`` fixture; a person starts the same cluster by
hand with::

    python tests/opensearch/cluster.py            # two nodes, free ports, prints the URL
    python tests/opensearch/cluster.py --port 9200 --nodes 2

The nodes are OpenSearch's own ``Node`` built by the small Maven project in ``launcher/`` (see its
pom.xml for why not the test framework's MockNode). Each node is a separate process so a test
can kill one. Everything binds to 127.0.0.1 only; heaps are small because the machine is shared.
"""

from __future__ import annotations

import argparse
import base64
import functools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "launcher"
LAUNCHER_JAR = LAUNCHER / "target" / "opensearch-launcher-1.jar"
MAIN_CLASS = "reader.testcluster.NodeMain"
HEAP = os.environ.get("READER_TEST_OPENSEARCH_HEAP", "512m")
# Only turns a hang into a failure: on a shared machine under load (30 on 2 cores) two nodes took over 3 min.
START_TIMEOUT = float(os.environ.get("READER_TEST_OPENSEARCH_START_TIMEOUT", "600"))


class ClusterError(RuntimeError):
    """The cluster could not be built or did not come up; the message says why."""


def missing_tools() -> str | None:
    """Why the cluster cannot run here (no java / no mvn), or None when it can."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        return f"OpenSearch tests need Java 17 and Maven; not found on PATH: {', '.join(missing)}"
    return None


def _launcher_is_current() -> bool:
    if not LAUNCHER_JAR.exists() or not (LAUNCHER / "target" / "lib").is_dir():
        return False
    built = LAUNCHER_JAR.stat().st_mtime
    sources = [LAUNCHER / "pom.xml", *(LAUNCHER / "src").rglob("*")]
    return all(path.stat().st_mtime <= built for path in sources if path.is_file())


def build_launcher() -> str:
    """Build the launcher if its sources changed; return the Java classpath.

    Offline first (``mvn -o``: the jars are cached under ~/.m2 after the first run), online only
    when the cache does not have them yet.
    """
    if not _launcher_is_current():
        base = ["mvn", "-q", "-B", "-f", str(LAUNCHER / "pom.xml"), "package"]
        offline = subprocess.run([*base[:1], "-o", *base[1:]], capture_output=True, text=True)
        if offline.returncode != 0:
            online = subprocess.run(base, capture_output=True, text=True)
            if online.returncode != 0:
                raise ClusterError("building the OpenSearch launcher failed:\n" + (online.stdout + online.stderr)[-4000:])
    return f"{LAUNCHER_JAR}{os.pathsep}{LAUNCHER / 'target' / 'lib' / '*'}"


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 right now (held open together so they differ)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class NodeProcess:
    name: str
    http_port: int
    transport_port: int
    home: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def log(self) -> Path:
        return self.home / "node.log"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class Cluster:
    """A running cluster: its nodes, a URL for each, and ways to stop or kill them."""

    nodes: list[NodeProcess]
    classpath: str
    cluster_name: str
    basic_auth: str | None = None
    _seeds: str = field(default="", repr=False)

    @property
    def url(self) -> str:
        return self.nodes[0].url

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def request(self, method: str, path: str, body: object | None = None, *, node: int = 0, timeout: float = 60.0) -> object:
        """One JSON request to one node (the suite's own view, independent of opensearch-py)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.nodes[node].url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if self.basic_auth:
            request.add_header("Authorization", "Basic " + base64.b64encode(self.basic_auth.encode()).decode())
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or b"null")

    def _launch(self, node: NodeProcess) -> None:
        settings = {
            "path.home": node.home,
            "path.data": node.home / "data",
            "path.logs": node.home / "logs",
            "cluster.name": self.cluster_name,
            "node.name": node.name,
            "network.host": "127.0.0.1",
            "http.port": node.http_port,
            "transport.port": node.transport_port,
            "discovery.seed_hosts": self._seeds,
            "cluster.initial_cluster_manager_nodes": ",".join(n.name for n in self.nodes),
            # The shared disk may be fuller than the default watermarks allow; a test cluster must
            # still allocate its replicas.
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "node.processors": "2",
        }
        if self.basic_auth:
            settings["reader.basic_auth"] = self.basic_auth
        command = [
            "java",
            f"-Xms{HEAP}",
            f"-Xmx{HEAP}",
            "-XX:+UseSerialGC",
            "-Djava.awt.headless=true",
            "-cp",
            self.classpath,
            MAIN_CLASS,
            *(f"-E{key}={value}" for key, value in settings.items()),
        ]
        node.home.mkdir(parents=True, exist_ok=True)
        with open(node.log, "ab") as log:
            node.process = subprocess.Popen(
                _dying_with_parent(command), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )

    def start(self) -> None:
        self._seeds = ",".join(f"127.0.0.1:{n.transport_port}" for n in self.nodes)
        for node in self.nodes:
            self._launch(node)
        self.wait_for_nodes(len(self.nodes))

    def restart(self, index: int) -> None:
        """Start a stopped or killed node again with the same data, and wait until it has joined."""
        node = self.nodes[index]
        if node.alive():
            return
        self._launch(node)
        self.wait_for_nodes(len(self.nodes), via=index)

    def health(self, *, node: int = 0, params: str = "") -> dict[str, object]:
        """Cluster health; a wait that timed out (HTTP 408 with the same body) is an answer too."""
        try:
            result = self.request("GET", "/_cluster/health" + params, node=node, timeout=30)
        except urllib.error.HTTPError as error:
            if error.code != 408:
                raise
            result = json.loads(error.read() or b"{}")
        assert isinstance(result, dict)
        return result

    def wait_for_nodes(self, count: int, *, via: int | None = None, timeout: float = START_TIMEOUT) -> dict[str, object]:
        """Poll cluster health until ``count`` nodes have joined and status is yellow or green.

        Fails early, with the node's log, if a node process exits.
        """
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        candidates = [via] if via is not None else [i for i, n in enumerate(self.nodes) if n.process is not None]
        while time.monotonic() < deadline:
            for index in candidates:
                node = self.nodes[index]
                if not node.alive():
                    raise ClusterError(f"node {node.name} exited while starting:\n{node.log_tail()}")
                try:
                    health = self.health(node=index, params=f"?wait_for_nodes={count}&wait_for_status=yellow&timeout=5s")
                except (OSError, urllib.error.URLError, ValueError) as error:
                    last = f"{node.name}: {error}"
                    continue
                if not health.get("timed_out") and health.get("status") in ("yellow", "green"):
                    return health
                last = f"{node.name}: {health}"
            time.sleep(0.2)  # between polls of state, not a wait for the state itself
        raise ClusterError(f"cluster did not reach {count} nodes within {timeout:.0f}s ({last})\n{self.nodes[0].log_tail()}")

    def wait_for_status(self, status: str, *, index: str = "", timeout: float = START_TIMEOUT) -> dict[str, object]:
        """Poll health (``index`` or the whole cluster) until it reaches ``status``; each ask waits up to 20 s."""
        deadline = time.monotonic() + timeout
        health: dict[str, object] = {}
        while time.monotonic() < deadline:
            health = self.health(params=f"/{index}?wait_for_status={status}&timeout=20s")
            if not health.get("timed_out"):
                return health
        raise ClusterError(f"{index or 'the cluster'} did not turn {status} within {timeout:.0f}s: {health}")

    def kill(self, index: int) -> None:
        """SIGKILL one node: a crash, not a clean shutdown."""
        node = self.nodes[index]
        if node.process is not None and node.alive():
            node.process.kill()
            node.process.wait(timeout=30)

    def stop(self) -> None:
        """Stop every node cleanly (SIGTERM, then SIGKILL if one hangs)."""
        for node in self.nodes:
            if node.process is not None and node.alive():
                node.process.send_signal(signal.SIGTERM)
        for node in self.nodes:
            if node.process is None:
                continue
            try:
                node.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                node.process.kill()
                node.process.wait(timeout=30)


def _dying_with_parent(command: list[str]) -> list[str]:
    """The node gets SIGKILL when the process that started it dies, where util-linux's
    ``setpriv`` can arrange it: a pytest killed mid-run left its two JVMs (512 MB each)
    running for an hour. Only from the main thread, as the kernel ties the signal to
    the thread that started the child, not to the process."""
    setpriv = _setpriv_with_pdeathsig()
    if setpriv is None or threading.current_thread() is not threading.main_thread():
        return command
    return [setpriv, "--pdeathsig", "KILL", *command]


@functools.cache
def _setpriv_with_pdeathsig() -> str | None:
    """``setpriv`` if it is there and knows ``--pdeathsig`` (util-linux 2.33 and later)."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    try:
        done = subprocess.run([setpriv, "--pdeathsig", "KILL", "true"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return setpriv if done.returncode == 0 else None


def make_cluster(home: Path, *, nodes: int = 2, basic_auth: str | None = None, first_port: int | None = None) -> Cluster:
    """Build the launcher and describe a cluster (not started yet) rooted at ``home``."""
    classpath = build_launcher()
    if first_port is None:
        ports = free_ports(2 * nodes)
        http, transport = ports[:nodes], ports[nodes:]
    else:
        http = [first_port + i for i in range(nodes)]
        transport = [first_port + 100 + i for i in range(nodes)]
    members = [NodeProcess(f"node-{i + 1}", http[i], transport[i], home / f"node-{i + 1}") for i in range(nodes)]
    return Cluster(members, classpath, cluster_name=f"reader-test-{os.getpid()}-{home.name}", basic_auth=basic_auth)


@contextmanager
def running_cluster(home: Path, *, nodes: int, basic_auth: str | None, first_port: int | None) -> Iterator[Cluster]:
    cluster = make_cluster(home, nodes=nodes, basic_auth=basic_auth, first_port=first_port)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start a local OpenSearch test cluster on 127.0.0.1 until Ctrl-C.")
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--port", type=int, default=None, help="HTTP port of the first node (others follow; transport +100)")
    parser.add_argument("--home", type=Path, default=None, help="keep the nodes' data here (default: a temporary folder)")
    parser.add_argument("--basic-auth", default=None, metavar="USER:PASSWORD", help="require HTTP basic authentication")
    args = parser.parse_args(argv)
    if problem := missing_tools():
        print(problem, file=sys.stderr)
        return 2
    home = args.home or Path(tempfile.mkdtemp(prefix="reader-opensearch-"))
    print(f"building the launcher and starting {args.nodes} node(s) under {home} ...", flush=True)
    with closing_signals(), running_cluster(home, nodes=args.nodes, basic_auth=args.basic_auth, first_port=args.port) as cluster:
        print(f"cluster up: READER_OPENSEARCH_URL={cluster.url}  (nodes: {' '.join(cluster.urls)}); Ctrl-C stops it", flush=True)
        try:
            while all(node.alive() for node in cluster.nodes):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
    return 0


@contextmanager
def closing_signals() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt so ``kill`` stops the nodes too."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
