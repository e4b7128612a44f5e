// deep.test.mjs: deep reply chains at bounded cost (issue 9, finding 1).
// A chain 10,000 deep (each reply answering the one before) took 832 MB;
// now a few MB, and its page draws it flat past max_depth with "in reply
// to".  Replies past [moderation] max_store_depth, posted through the
// form, are stored beside the comment they answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Server, SQL, PG } from './lib.mjs';

const DEEP = 10000;
const MAX_DEPTH = 6;
let s;

before(async () => {
  s = await new Server({
    spam: { posts_per_minute: 0, min_submit_seconds: 0 },
    // Deep enough to store the whole chain as a chain.
    moderation: { max_depth: MAX_DEPTH, max_store_depth: 20000 },
  }).start();
});

after(async () => {
  await s.stop();
});

// A Disqus export of one thread whose posts each answer the one before:
// the quickest way in through palaver's own insert (posting 10,000 times
// over HTTP takes minutes under ASan).
function chainExport(n) {
  const posts = [];
  const t0 = Date.UTC(2020, 0, 1) / 1000;
  for (let i = 0; i < n; i++) {
    const at = new Date((t0 + i) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    posts.push(`<post dsq:id="${i + 1}"><message><![CDATA[<p>level ${i}</p>]]></message>`
      + `<createdAt>${at}</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>`
      + `<author><name>L${i}</name></author><thread dsq:id="1"/>`
      + (i > 0 ? `<parent dsq:id="${i}"/>` : '') + '</post>');
  }
  return `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<thread dsq:id="1"><link>https://blog.example.com/deep/chain/</link><title>Deep</title><createdAt>2020-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>
${posts.join('\n')}
</disqus>
`;
}

test(`a chain ${DEEP} deep: a few MB, every level kept, drawn flat past max_depth`, async () => {
  const file = path.join(s.dir, 'chain.xml');
  fs.writeFileSync(file, chainExport(DEEP));
  fs.chmodSync(file, 0o644);
  const imp = s.cli(['import', 'disqus', file]);
  assert.equal(imp.status, 0, imp.stderr);

  const art = s.sql("SELECT id FROM articles WHERE uri = '/deep/chain/'")[0].id;
  const rows = s.sql(`SELECT id, parent, depth, length(path) AS k FROM comments
    WHERE article = ${art} ORDER BY depth`);
  assert.equal(rows.length, DEEP);
  rows.forEach((r, i) => {
    assert.equal(r.depth, i);
    assert.equal(r.parent, i === 0 ? null : rows[i - 1].id);
    assert.ok(r.k <= 72, `key of ${r.k} bytes at depth ${i}`);
  });
  const bytes = s.sql(SQL.size)[0].b;
  console.log(`${DEEP}-deep chain: ${(bytes / 1048576).toFixed(1)} MB of database`);
  // 832 MB before the key was bounded.  PostgreSQL keeps the same rows
  // in about 1.5 times the space (a 24-byte header on every row, a heap
  // beside every primary key, a GIN index for the search, readers' vote
  // counts and rank as 8-byte columns): 8.1 MB here.
  assert.ok(bytes < (PG ? 9 : 6) * 1048576, `${bytes} bytes`);

  // The page: every comment in chain order, six nested reply lists,
  // and each one past max_depth says whom it answers.
  const page = await s.get(`/articles/${art}`);
  assert.equal(page.status, 200);
  const chunks = page.body.split('<li class="comment" id="c').slice(1);
  assert.equal(chunks.length, DEEP);
  chunks.forEach((c, i) => {
    assert.ok(c.startsWith(`${rows[i].id}"`), `position ${i}`);
    const reply = c.match(/class="in-reply-to" href="\/c\/(\d+)">in reply to ([^<]*)</);
    if (i > MAX_DEPTH) {
      assert.ok(reply, `c${rows[i].id} (depth ${i}) says whom it answers`);
      assert.equal(Number(reply[1]), rows[i - 1].id);
      assert.equal(reply[2], `L${i - 1}`);
    } else {
      assert.equal(reply, null, `depth ${i} is nested, not flattened`);
    }
  });
  assert.equal((page.body.match(/<ol class="replies">/g) || []).length, MAX_DEPTH);

  // The API: the same comments, each naming its parent, nested as deep
  // as the JSON nesting cap (100) and flat below it.
  const api = await s.get('/api/comments?uri=' + encodeURIComponent('/deep/chain/'));
  assert.equal(api.status, 200);
  const at = new Map(rows.map((r, i) => [r.id, i]));
  let seen = 0;
  const stack = JSON.parse(api.body).comments.map((c) => [c, 0]);
  while (stack.length) {
    const [c, level] = stack.pop();
    const i = at.get(c.id);
    seen++;
    assert.equal(c.parent, i === 0 ? null : rows[i - 1].id);
    assert.equal(level, Math.min(i, 100), `c${c.id} (depth ${i})`);
    for (const r of c.replies) stack.push([r, level + 1]);
  }
  assert.equal(seen, DEEP);
  s.assertClean();
});

test('past max_store_depth a reply is stored beside the comment it answers', async () => {
  await s.reconfigure({ moderation: { max_store_depth: 4 } });
  const art = Number(s.cli(['article', 'add', '--uri', '/deep/capped/', '--title', 'Capped']).stdout);
  const ids = [];
  for (let i = 0; i < 7; i++) {
    const r = await s.fetch(`/articles/${art}/comments`, {
      method: 'POST',
      body: new URLSearchParams({ parent: i ? String(ids[i - 1]) : '', author: `C${i}`, body: `capped ${i}` }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 303, await r.text());
    ids.push(Number(r.headers.get('location').match(/#c(\d+)$/)[1]));
  }
  const rows = s.sql(`SELECT id, parent, depth FROM comments WHERE article = ${art} ORDER BY id`);
  assert.deepEqual(rows.map((r) => r.id), ids);
  // 0..4 answer the one before; 5 and 6 answered 4 and 5, at depth 4,
  // and are stored under 4's parent, 3.
  assert.deepEqual(rows.map((r) => r.depth), [0, 1, 2, 3, 4, 4, 4]);
  assert.deepEqual(rows.map((r) => r.parent), [null, ids[0], ids[1], ids[2], ids[3], ids[3], ids[3]]);
  const page = await s.get(`/articles/${art}`);
  assert.equal(page.status, 200);
  assert.deepEqual([...page.body.matchAll(/<li class="comment" id="c(\d+)"/g)].map((m) => Number(m[1])), ids);
  assert.equal((page.body.match(/<ol class="replies">/g) || []).length, 4);
  s.assertClean();
});
