// durability.test.mjs: every acknowledged comment survives SIGKILL of the
// whole server at random moments under load, and the database stays sound.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from './lib.mjs';

const ROUNDS = 20;
let s;
let art;

before(async () => {
  s = await new Server({ spam: { posts_per_minute: 0 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/d/1/', '--title', 'Durable']).stdout);
});
after(async () => { await s.stop(); });

test(`${ROUNDS} SIGKILLs under load lose no acknowledged comment`, async () => {
  const acked = new Map();	// body -> id
  let seq = 0;
  let refused = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let stop = false;
    const client = async (c) => {
      while (!stop) {
        const body = `round ${round} client ${c} post ${seq++}`;
        try {
          const r = await s.fetch(`/articles/${art}/comments`, {
            method: 'POST', body: new URLSearchParams({ body }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            signal: AbortSignal.timeout(5000),
          });
          await r.text();
          if (r.status === 303) {
            const id = Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
            acked.set(body, id);
          } else {
            refused++;	// 502 while the server is down: not acknowledged
            await sleep(20);
          }
        } catch {
          refused++;
          await sleep(20);
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    // Kill at a random moment once posts are flowing: a slow machine (or
    // ThreadSanitizer's build) gets the time it needs to acknowledge some.
    const before = acked.size;
    for (const t0 = Date.now(); acked.size - before < 6 && Date.now() - t0 < 10000;) await sleep(10);
    await sleep(Math.floor(Math.random() * 450));
    // The whole server at once: supervisor and workers, no chance to finish.
    await s.killHard();
    await sleep(100);
    stop = true;
    await Promise.all(clients);
    await s.startPalaver();
  }
  assert.ok(acked.size > ROUNDS * 5, `enough posts acknowledged (${acked.size})`);
  const rows = s.sql(`SELECT id, body FROM comments WHERE article = ${art}`);
  const stored = new Map(rows.map((r) => [r.body, r.id]));
  let missing = 0;
  for (const [body, id] of acked) {
    if (stored.get(body) !== id) missing++;
  }
  assert.equal(missing, 0, `${missing} of ${acked.size} acknowledged comments lost`);
  assert.equal(new Set(rows.map((r) => r.body)).size, rows.length, 'no comment stored twice');
  assert.deepEqual(s.integrityCheck(), [{ integrity_check: 'ok' }]);
  assert.deepEqual(s.foreignKeyCheck(), []);
  // The cached count agrees with the rows.
  assert.equal(s.sql(`SELECT ncomments FROM articles WHERE id = ${art}`)[0].ncomments, rows.length);
  // And it still serves.
  const page = await s.get(`/articles/${art}`);
  assert.equal(page.status, 200);
  console.log(`# durability: ${acked.size} acknowledged, ${rows.length} stored, ${refused} refused while down`);
});
