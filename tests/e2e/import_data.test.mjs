// import_data.test.mjs: every export in the shared data folder (real files
// from other projects and real sites, see its SOURCES.md) against the real
// binary: a well-formed export imports and agrees with an independent
// reading of its XML (check_export.py: articles, comments, parents,
// statuses, closed threads), a second import adds nothing, --pingbacks
// adds the pingbacks and puts their replies under them; a malformed file
// is refused with exit status 1 and the database is left as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib.mjs';
import { dataDir, scratch } from './importlib.mjs';

const DATA = dataDir();
const FILES = fs.readdirSync(DATA).filter((f) => /\.xml(\.gz)?$/.test(f)).sort();

function expected(file, pingbacks) {
  const args = [path.join(ROOT, 'tests/e2e/check_export.py'), file];
  if (pingbacks) args.push('--pingbacks');
  return JSON.parse(execFileSync('python3', args, { encoding: 'utf8', maxBuffer: 1 << 26 }));
}

// What the database holds: every imported comment by its id in the export.
function stored(s) {
  const rows = s.sql(`SELECT i.source_id AS id, a.uri AS key, c.status,
    (SELECT p.source_id FROM imported p WHERE p.comment = c.parent) AS parent
    FROM imported i JOIN comments c ON c.id = i.comment JOIN articles a ON a.id = c.article`);
  return Object.fromEntries(rows.map((r) => [r.id, r]));
}

function counts(s) {
  return s.sql(`SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM comments) AS c,
    (SELECT count(*) FROM imported) AS i, (SELECT count(*) FROM audit) AS l`)[0];
}

function agree(s, want, file) {
  const got = stored(s);
  assert.deepEqual(Object.keys(got).sort(), Object.keys(want.comments).sort(),
    `${file}: the comments imported`);
  for (const [id, w] of Object.entries(want.comments)) {
    const g = got[id];
    assert.equal(g.key, w.key, `${file}: comment ${id}: its article`);
    assert.equal(g.status, w.status, `${file}: comment ${id}: its status`);
    if (w.cycle) {
      // Ids that name each other: palaver cuts the loop somewhere.
      assert.ok(g.parent === w.parent || g.parent === null, `${file}: comment ${id} in a loop`);
    } else {
      assert.equal(g.parent, w.parent, `${file}: comment ${id}: its parent`);
    }
  }
  const keys = [...new Set(Object.values(want.comments).map((c) => c.key))].sort();
  assert.deepEqual(s.sql('SELECT uri FROM articles ORDER BY uri').map((r) => r.uri),
    keys.sort((a, b) => (a < b ? -1 : a > b)), `${file}: the articles`);
  assert.deepEqual(s.sql('SELECT uri FROM articles WHERE closed = 1 ORDER BY uri').map((r) => r.uri),
    want.closed.sort((a, b) => (a < b ? -1 : a > b)), `${file}: the closed articles`);
  // Every imported comment is in the thread of its article, and the
  // approved ones are counted.
  const bad = s.sql(`SELECT count(*) AS n FROM articles a WHERE ncomments !=
    (SELECT count(*) FROM comments c WHERE c.article = a.id AND c.status = 'approved')`);
  assert.equal(bad[0].n, 0, `${file}: article counts`);
}

test('the test data is there', () => {
  assert.ok(FILES.length >= 20, `${DATA}: ${FILES.length} exports`);
});

for (const name of FILES) {
  test(`import ${name}`, () => {
    const file = path.join(DATA, name);
    const want = expected(file, false);
    const kind = want.kind || (/disqus/.test(name) ? 'disqus' : 'wordpress');
    const s = scratch();
    try {
      if (want.error) {
        // Malformed or another format: refused, nothing changed.
        const before = counts(s);
        const r = s.cli(['import', kind, file]);
        assert.equal(r.status, 1, `${name}: ${r.stdout}${r.stderr}`);
        assert.ok(r.stderr.startsWith(`palaver: ${file}: `), r.stderr);
        assert.match(r.stderr, /not XML|not a (WordPress|Disqus) export/);
        assert.equal(r.stdout, '');
        assert.deepEqual(counts(s), before);
        return;
      }
      const r = s.cli(['import', kind, file]);
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^imported \\d+ articles \\(\\d+ new\\), `
        + `${Object.keys(want.comments).length} comments `));
      agree(s, want, name);
      const n = counts(s);
      const again = s.cli(['import', kind, file]);
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stdout, / 0 comments \(/);
      assert.deepEqual({ ...counts(s), l: n.l }, n, `${name}: the second import added something`);

      const withp = expected(file, true);
      if (Object.keys(withp.comments).length > Object.keys(want.comments).length) {
        const p = s.cli(['import', kind, '--pingbacks', file]);
        assert.equal(p.status, 0, p.stderr);
        agree(s, withp, `${name} --pingbacks`);
        const m = counts(s);
        const p2 = s.cli(['import', kind, '--pingbacks', file]);
        assert.equal(p2.status, 0, p2.stderr);
        assert.deepEqual({ ...counts(s), l: m.l }, m);
      }
    } finally {
      s.done();
    }
  });
}
