"""Prisma's own code for the tests of ``export_prisma_schema``, driven from pytest.

The packages are pinned in ``package.json`` and ``package-lock.json`` beside this
file and installed with ``npm ci`` into ``node_modules/`` here (git-ignored), once:
later runs reuse them while the lockfile is unchanged. Install scripts are not run
(``@prisma/engines`` would download engines this network cannot reach; nothing
here needs them: the schema parser is WebAssembly and Prisma Client 7 talks to
PostgreSQL through ``@prisma/adapter-pg``).

Without ``node`` and ``npm`` the tests skip, saying so; a failed install fails them.
"""

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
#: Written after a complete install: the lockfile's digest it was installed from.
STAMP = NODE_MODULES / ".installed-from-lockfile"
#: The environment of every Prisma program: no update checks, no telemetry.
QUIET = {"CHECKPOINT_DISABLE": "1", "PRISMA_HIDE_UPDATE_MESSAGE": "1"}


def _lockfile_digest() -> str:
    return hashlib.sha256((HERE / "package-lock.json").read_bytes()).hexdigest()


def _run(args: list[str], *, cwd: Path, env: dict | None = None, timeout: int = 300):
    return subprocess.run(
        args,
        cwd=cwd,
        env={**(env or os.environ), **QUIET},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def install() -> Path:
    """``node_modules`` with the locked packages, installed now if they are not yet."""
    for program in ("node", "npm"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed: the tests with Prisma's own code need Node")
    with open(HERE / "package-lock.json") as lock:
        # One install at a time: two test runs in this tree would otherwise race.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if STAMP.exists() and STAMP.read_text() == _lockfile_digest():
            return NODE_MODULES
        result = _run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=HERE, timeout=900
        )
        if result.returncode != 0:
            pytest.fail(f"npm ci failed in {HERE}:\n{result.stderr[-3000:]}")
        STAMP.write_text(_lockfile_digest())
    return NODE_MODULES


def read_schema(path: Path) -> dict:
    """Prisma's reading of the schema at ``path``: ``{valid, error, dmmf, formatted,
    warnings}`` (``schema.mjs``)."""
    install()
    result = _run(["node", str(HERE / "schema.mjs"), str(path)], cwd=HERE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def generate_client(schema_text: str, folder: Path) -> Path:
    """Run ``prisma generate`` on ``schema_text`` in ``folder``; the generated
    ``client.ts``. The file goes to ``folder/prisma/schema.prisma``, so its generator's
    ``output`` (``../generated/prisma``) lands in ``folder/generated/prisma``."""
    modules = install()
    (folder / "prisma").mkdir(parents=True)
    schema = folder / "prisma" / "schema.prisma"
    schema.write_text(schema_text)
    # The generated client is TypeScript in an ES module package, and finds
    # @prisma/client/runtime through the node_modules next to it.
    (folder / "package.json").write_text('{"type": "module"}\n')
    (folder / "node_modules").symlink_to(modules, target_is_directory=True)
    # `prisma generate` first fetches its schema engine, which it does not need for
    # generating: a placeholder stands in for it.
    placeholder = folder / "schema-engine-placeholder"
    placeholder.write_text("")
    placeholder.chmod(0o755)
    env = {**os.environ, "PRISMA_SCHEMA_ENGINE_BINARY": str(placeholder)}
    result = _run(
        [str(modules / ".bin" / "prisma"), "generate", "--schema", str(schema)],
        cwd=folder,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    client = folder / "generated" / "prisma" / "client.ts"
    assert client.exists(), result.stdout
    return client


def roundtrip(schema: Path, client: Path, url: str, env: dict) -> subprocess.CompletedProcess:
    """``roundtrip.mjs`` with the generated ``client`` on the database at ``url`` (given
    in the environment, with ``env``'s PGPASSWORD: never on a command line)."""
    return _run(
        [str(install() / ".bin" / "tsx"), str(HERE / "roundtrip.mjs"), str(schema), str(client)],
        cwd=client.parent,
        env={**env, "DATABASE_URL": url},
    )
