"""The run store: a SQLite file holding sweeps, the status of their groups, and each
run's figures and per-epoch history.

Tables::

    sweeps (id, spec JSON, arrays BLOB, n_groups, n_runs, created, updated)
    groups (sweep, grp, settings JSON, status 'pending'|'done', seconds, finished)
    runs   (sweep, setting, seed, grp, figures JSON, history BLOB)   -- one per (setting, seed)

Only the client process writes, and a finished group is written in ONE transaction
(its runs, then its status), so a sweep killed at any moment (SIGKILL included)
leaves whole groups or none: resuming re-runs exactly the groups not marked done.
The primary keys forbid a duplicate run. Histories are ``np.savez_compressed``
bytes, one array per recorded measure.
"""

from __future__ import annotations

import io
import json
import sqlite3
import time

import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS sweeps (
    id INTEGER PRIMARY KEY, spec TEXT NOT NULL, arrays BLOB,
    n_groups INTEGER NOT NULL, n_runs INTEGER NOT NULL, created REAL NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS groups (
    sweep INTEGER NOT NULL REFERENCES sweeps(id), grp INTEGER NOT NULL, settings TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', seconds REAL, finished REAL,
    PRIMARY KEY (sweep, grp));
CREATE TABLE IF NOT EXISTS runs (
    sweep INTEGER NOT NULL REFERENCES sweeps(id), setting INTEGER NOT NULL, seed INTEGER NOT NULL,
    grp INTEGER NOT NULL, figures TEXT NOT NULL, history BLOB NOT NULL,
    PRIMARY KEY (sweep, setting, seed));
"""


def pack_history(history: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{k: np.asarray(v) for k, v in history.items()})
    return buffer.getvalue()


def unpack_history(blob: bytes) -> dict:
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def pack_arrays(arrays) -> bytes | None:
    if arrays is None:
        return None
    name, X, y = arrays
    buffer = io.BytesIO()
    np.savez_compressed(buffer, name=np.array(name), X=X, y=y)
    return buffer.getvalue()


def unpack_arrays(blob):
    if blob is None:
        return None
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        return str(data["name"]), data["X"], data["y"]


class Store:
    """A run store file (``None`` or ``":memory:"``: in memory, gone with the object)."""

    def __init__(self, path=None, create: bool = True):
        self.path = ":memory:" if path is None else str(path)
        if not create and self.path != ":memory:":
            from pathlib import Path

            if not Path(self.path).is_file():
                raise FileNotFoundError(f"{self.path}: no such run store")
        # isolation_level=None: transactions are the explicit BEGIN ... COMMIT below
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:  # a missing folder, a directory, no permission
            raise ValueError(f"{self.path}: cannot open the run store ({exc})") from None
        try:
            self.db.execute("PRAGMA foreign_keys = ON")
            if create:
                self.db.executescript(SCHEMA)
            else:
                names = {r[0] for r in self.db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'")}
                if "sweeps" not in names:
                    raise ValueError(f"{self.path}: not an mlplab run store (no sweeps table)")
        except sqlite3.DatabaseError as exc:
            self.db.close()
            why = "cannot open the run store" if isinstance(exc, sqlite3.OperationalError) else \
                "not an mlplab run store"
            raise ValueError(f"{self.path}: {why} ({exc})") from None

    def close(self):
        self.db.close()

    def _transaction(self):
        return _Transaction(self.db)

    # -- writing (the client only) ------------------------------------------------------
    def create_sweep(self, spec_json: str, groups: list[list[int]], n_runs: int, arrays=None) -> int:
        """A new sweep with its groups pending; returns its id."""
        now = time.time()
        with self._transaction():
            cur = self.db.execute(
                "INSERT INTO sweeps (spec, arrays, n_groups, n_runs, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?)", (spec_json, pack_arrays(arrays), len(groups), n_runs, now, now))
            sweep = cur.lastrowid
            self.db.executemany("INSERT INTO groups (sweep, grp, settings) VALUES (?, ?, ?)",
                                [(sweep, g, json.dumps(s)) for g, s in enumerate(groups)])
        return sweep

    def finish_group(self, sweep: int, group: int, runs: list[dict], seconds: float):
        """Write a group's runs and mark it done, all or nothing. ``runs`` carry the
        sweep's setting index in ``"setting"``."""
        now = time.time()
        with self._transaction():
            status = self.db.execute("SELECT status FROM groups WHERE sweep=? AND grp=?",
                                     (sweep, group)).fetchone()
            if status is None or status[0] == "done":
                return  # unknown or written already: never twice
            self.db.executemany(
                "INSERT INTO runs (sweep, setting, seed, grp, figures, history) VALUES (?, ?, ?, ?, ?, ?)",
                [(sweep, r["setting"], r["seed"], group,
                  json.dumps({k: v for k, v in r.items() if k not in ("history", "setting", "seed")},
                             default=_plain),
                  pack_history(r.get("history", {}))) for r in runs])
            self.db.execute("UPDATE groups SET status='done', seconds=?, finished=? "
                            "WHERE sweep=? AND grp=?", (seconds, now, sweep, group))
            self.db.execute("UPDATE sweeps SET updated=? WHERE id=?", (now, sweep))

    # -- reading ------------------------------------------------------------------------
    def sweeps(self) -> list[dict]:
        """Every sweep: id, spec (dict), groups done and total, runs, created, updated."""
        rows = self.db.execute(
            "SELECT s.id, s.spec, s.n_groups, s.n_runs, s.created, s.updated, "
            "(SELECT COUNT(*) FROM groups g WHERE g.sweep=s.id AND g.status='done'), "
            "(SELECT COUNT(*) FROM runs r WHERE r.sweep=s.id) FROM sweeps s ORDER BY s.id").fetchall()
        return [{"id": i, "spec": json.loads(spec), "groups": n_groups, "runs_planned": n_runs,
                 "created": created, "updated": updated, "groups_done": done, "runs": runs}
                for i, spec, n_groups, n_runs, created, updated, done, runs in rows]

    def spec(self, sweep: int) -> dict:
        row = self.db.execute("SELECT spec FROM sweeps WHERE id=?", (sweep,)).fetchone()
        if row is None:
            ids = [s["id"] for s in self.sweeps()]
            raise ValueError(f"{self.path} has no sweep {sweep!r}; its sweeps: "
                             f"{', '.join(map(str, ids)) or 'none'}")
        return json.loads(row[0])

    def arrays(self, sweep: int):
        return unpack_arrays(self.db.execute("SELECT arrays FROM sweeps WHERE id=?",
                                             (sweep,)).fetchone()[0])

    def pending(self, sweep: int) -> list[int]:
        return [g for (g,) in self.db.execute(
            "SELECT grp FROM groups WHERE sweep=? AND status!='done' ORDER BY grp", (sweep,))]

    def groups(self, sweep: int) -> list[list[int]]:
        return [json.loads(s) for (s,) in self.db.execute(
            "SELECT settings FROM groups WHERE sweep=? ORDER BY grp", (sweep,))]

    def runs(self, sweep: int, history: bool = False) -> list[dict]:
        """The stored runs, by setting then seed order of insertion: ``{"setting",
        "seed", figures..., "history" (with ``history``)}``."""
        rows = self.db.execute(f"SELECT setting, seed, figures{', history' if history else ''} "
                               "FROM runs WHERE sweep=? ORDER BY setting, rowid", (sweep,))
        out = []
        for row in rows:
            run = {"setting": row[0], "seed": row[1], **json.loads(row[2])}
            if history:
                run["history"] = unpack_history(row[3])
            out.append(run)
        return out


def _plain(value):
    """NumPy scalars and arrays as JSON values."""
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    raise TypeError(f"a run figure must be a number, a bool or a list; received {value!r}")


class _Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, exc, tb):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False
