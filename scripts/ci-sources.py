#!/usr/bin/env python3
"""CI's persistent copy of the sources, so a warm run rebuilds only what changed.

Cargo decides that a crate of the workspace must be rebuilt when one of its source files is
newer than the crate's last build. Every file of a fresh clone is new, so a CI run on a fresh
clone rebuilds every crate of the workspace (both runtimes, their wasm, the node) even with a
warm target directory. `.ci/run` therefore builds in a persistent copy of the sources next to
the target directory (`$CARGO_TARGET_DIR-src`):

  ci-sources.py sync CLONE COPY TARGET
      Makes COPY hold exactly CLONE's files. A file whose bytes did not change is left alone,
      with the modification time cargo saw when it built it; a changed or new file is written
      now, so cargo rebuilds what uses it; a file gone from CLONE is deleted (`e2e/node_modules`,
      which the test suite installs, is kept). Then it checks that the workspace's crates in
      TARGET are the ones the last `record` saw: if another checkout built into TARGET since,
      those artifacts may come from other sources, so every file of COPY is touched and the
      whole workspace is rebuilt, as for a fresh clone.

  ci-sources.py record COPY TARGET
      After a run in COPY: notes the state of the workspace's crates in TARGET (the files of
      their fingerprints: names, sizes, modification times) for the next `sync`.

Both print one line saying what they did. Standard library only.
"""

import hashlib
import os
import re
import shutil
import sys
import tomllib

KEEP = ("e2e/node_modules",)  # in COPY only: never copied, never deleted
STATE = "ci-sources.state"


def inside_kept(rel):
    """Whether `rel` is or is in a path of COPY that syncing never touches."""
    return any(rel == k or rel.startswith(k + "/") for k in KEEP)


def holds_kept(rel):
    """Whether the directory `rel` holds such a path (so it is never deleted either)."""
    return any(k.startswith(rel + "/") for k in KEEP)


def walk(top, topdown=True):
    """`os.walk(top)` outside the kept paths, with each directory's path relative to `top`."""
    for root, dirs, files in os.walk(top, topdown=topdown):
        rel_root = os.path.relpath(root, top)
        rel_root = "" if rel_root == "." else rel_root
        if inside_kept(rel_root):
            continue
        if topdown:
            dirs[:] = [d for d in dirs if not inside_kept(os.path.join(rel_root, d))]
        yield root, rel_root, dirs, files


def same_bytes(a, b):
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def sync(clone, copy):
    """Returns (written, deleted, unchanged)."""
    written = deleted = unchanged = 0
    seen = set()
    for _, rel_root, dirs, files in walk(clone):
        os.makedirs(os.path.join(copy, rel_root), exist_ok=True)
        for d in dirs:
            seen.add(os.path.join(rel_root, d))
        for name in files:
            rel = os.path.join(rel_root, name)
            seen.add(rel)
            src, dst = os.path.join(clone, rel), os.path.join(copy, rel)
            if os.path.islink(src):
                target = os.readlink(src)
                if os.path.islink(dst) and os.readlink(dst) == target:
                    unchanged += 1
                    continue
                remove(dst)
                os.symlink(target, dst)
                written += 1
                continue
            if os.path.isfile(dst) and not os.path.islink(dst) and same_bytes(src, dst):
                shutil.copymode(src, dst)  # a mode change is not a source change
                unchanged += 1
                continue
            remove(dst)
            shutil.copyfile(src, dst)
            shutil.copymode(src, dst)
            written += 1
    for _, rel_root, dirs, files in walk(copy, topdown=False):
        for name in files + dirs:
            rel = os.path.join(rel_root, name)
            if rel not in seen and not inside_kept(rel) and not holds_kept(rel):
                remove(os.path.join(copy, rel))
                deleted += 1
    return written, deleted, unchanged


def remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def touch_all(copy):
    for root, _, _, files in walk(copy):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.utime(path)


def members(copy):
    """The package names of the workspace in `copy`."""
    with open(os.path.join(copy, "Cargo.toml"), "rb") as f:
        paths = tomllib.load(f)["workspace"]["members"]
    names = []
    for path in paths:
        with open(os.path.join(copy, path, "Cargo.toml"), "rb") as f:
            names.append(tomllib.load(f)["package"]["name"])
    return names


def state(copy, target):
    """A digest of the fingerprints of the workspace's crates in `target`."""
    names = set(members(copy))
    digest = hashlib.sha256()
    count = 0
    for profile in ("release", "debug"):
        fingerprints = os.path.join(target, profile, ".fingerprint")
        if not os.path.isdir(fingerprints):
            continue
        for entry in sorted(os.listdir(fingerprints)):
            m = re.fullmatch(r"(.+)-[0-9a-f]{16}", entry)
            if not m or m.group(1) not in names:
                continue
            unit = os.path.join(fingerprints, entry)
            for name in sorted(os.listdir(unit)):
                st = os.stat(os.path.join(unit, name))
                digest.update(f"{profile}/{entry}/{name} {st.st_size} {st.st_mtime_ns}\n".encode())
                count += 1
    return f"{os.path.abspath(copy)} {count} {digest.hexdigest()}"


def main(argv):
    if len(argv) == 4 and argv[0] == "sync":
        clone, copy, target = argv[1:]
        if not os.path.isfile(os.path.join(clone, "Cargo.toml")):
            print(f"ci-sources: {clone} is not a checkout of the workspace (no Cargo.toml)", file=sys.stderr)
            return 2
        if os.path.realpath(clone) == os.path.realpath(copy):
            print(f"ci-sources: the copy cannot be the clone itself ({copy})", file=sys.stderr)
            return 2
        os.makedirs(copy, exist_ok=True)
        state_file = os.path.join(target, STATE)
        try:
            with open(state_file) as f:
                recorded = f.read().strip()
        except FileNotFoundError:
            recorded = None
        written, deleted, unchanged = sync(clone, copy)
        trusted = recorded is not None and recorded == state(copy, target)
        if os.path.exists(state_file):
            os.unlink(state_file)  # a run that does not finish leaves no state to trust
        if trusted:
            print(f"ci-sources: {copy}: {written} files written, {deleted} deleted, "
                  f"{unchanged} unchanged: only what changed is rebuilt")
        else:
            touch_all(copy)
            why = "no recorded run" if recorded is None else "another build used the target directory since"
            print(f"ci-sources: {copy}: {written} files written, {deleted} deleted; {why}: "
                  "every file touched, the whole workspace is rebuilt")
        return 0
    if len(argv) == 3 and argv[0] == "record":
        copy, target = argv[1:]
        os.makedirs(target, exist_ok=True)
        with open(os.path.join(target, STATE), "w") as f:
            f.write(state(copy, target) + "\n")
        print(f"ci-sources: recorded the state of {target} for the next run in {copy}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
