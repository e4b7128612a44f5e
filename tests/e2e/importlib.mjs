// importlib.mjs: what the import tests share: where the shared export
// files are, and scratch databases driven by the CLI alone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, run, PG, pgName, pgCreate, pgDrop, pgSql } from './lib.mjs';

// The data lives beside the checkout, never in it: ../shared/data/import
// from the repository (or from any folder above it, for a worktree), or
// $PALAVER_IMPORT_DATA.  Missing data fails the suite: it is not skipped.
export function dataDir() {
  if (process.env.PALAVER_IMPORT_DATA) return process.env.PALAVER_IMPORT_DATA;
  for (let d = ROOT; ; d = path.dirname(d)) {
    const p = path.join(d, '..', 'shared', 'data', 'import');
    if (fs.existsSync(path.join(p, 'SOURCES.md'))) return path.resolve(p);
    if (path.dirname(d) === d) break;
  }
  throw new Error(`no import test data: ../shared/data/import is not beside ${ROOT} `
    + 'or any folder above it; set PALAVER_IMPORT_DATA');
}

// A scratch database with its own configuration, for the CLI alone.
export function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palaver-data-'));
  fs.chmodSync(dir, 0o777);
  const conf = path.join(dir, 'palaver.conf');
  const db = path.join(dir, 'palaver.db');
  // On the test run's backend: a SQLite file, or a database of the
  // PostgreSQL cluster.
  const name = PG ? pgName() : '';
  const url = PG ? pgCreate(PG, name) : '';
  fs.writeFileSync(conf, PG ? `[database]\nurl = ${url}\n` : `[database]\npath = ${db}\n`);
  fs.chmodSync(conf, 0o644);
  const cli = (args) => run(['-c', conf, ...args]);
  const init = cli(['init']);
  if (init.status !== 0) throw new Error(init.stderr);
  const sql = (q) => {
    if (PG) return pgSql(PG, name, q);
    const out = execFileSync('sqlite3', ['-json', db, q], { encoding: 'utf8' });
    return out.trim() === '' ? [] : JSON.parse(out);
  };
  const done = () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (PG) pgDrop(PG, name);
  };
  return { dir, conf, db, cli, sql, done };
}

