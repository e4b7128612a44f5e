// mailcrash.test.mjs: the sender killed mid-queue (SIGKILL of the worker
// that holds the sender's lease, in the middle of a delivery) and palaver
// restarted mid-queue (SIGTERM): every message arrives exactly once.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib.mjs';
import { Smtp, until, links, post } from './maillib.mjs';

const REPLIES = 20;

// A server, a confirmed subscriber with a comment, and an SMTP server that
// holds its answer to message number `stallAt` for a while.
async function setup(stallAt) {
  const smtp = await new Smtp(['--stall-at', String(stallAt), '--stall-seconds', '6']).start();
  const s = await new Server({
    site: { base_url: 'auto' },
    mail: { transport: smtp.url(), from: 'noreply@example.org', starttls: 'off', hourly_cap: 1000, timeout: 15 },
    spam: { posts_per_minute: 0 },
  }).start();
  const art = Number(s.cli(['article', 'add', '--uri', '/k/1/', '--title', 'Crash']).stdout);
  const top = await post(s, art, { author: 'Ann', email: 'ann@example.org', body: 'Top', notify: '1' });
  const m = await until(() => smtp.to('ann@example.org')[0], 'the confirmation');
  const g = await s.get(links(m.text, s.base)[0].slice(s.base.length));
  const action = g.body.match(/<form method="post" action="([^"]+)"/)[1].replaceAll('&amp;', '&');
  assert.equal((await s.fetch(action, { method: 'POST' })).status, 200);
  return { s, smtp, art, top };
}

// Each reply's notification arrived once, and nothing else did.
function assertOnce(smtp, ids) {
  const got = smtp.to('ann@example.org').filter((m) => m.headers.subject[0].includes('replied'));
  const seen = got.map((m) => Number(m.text.match(/\/c\/(\d+)/)[1])).sort((a, b) => a - b);
  assert.deepEqual(seen, [...ids].sort((a, b) => a - b), 'each reply once');
  const mids = got.map((m) => m.headers['message-id'][0]);
  assert.equal(new Set(mids).size, mids.length, 'no Message-ID twice');
}

describe('exactly once', () => {
  test('a sender killed in the middle of a delivery: taken over, nothing lost or doubled', async () => {
    const { s, smtp, art, top } = await setup(8);
    try {
      const ids = [];
      for (let i = 0; i < REPLIES; i++) ids.push(await post(s, art, { author: `R${i}`, body: `Reply number ${i}`, parent: String(top) }));
      await until(() => smtp.events.some((e) => e.stalling), 'the stalled delivery', 30000);
      const holder = s.sql("SELECT holder FROM leases WHERE name = 'sender'")[0].holder;
      const pid = Number(holder.split(' ')[1]);
      assert.ok(s.workers().includes(pid), `the lease holder ${holder} is a worker`);
      process.kill(pid, 'SIGKILL');
      await until(() => smtp.to('ann@example.org').length === REPLIES + 1, 'every message', 60000);
      await until(() => smtp.events.some((e) => e.abandoned === 8), 'the cut delivery abandoned, never accepted');
      assertOnce(smtp, ids);
      assert.deepEqual(s.sql('SELECT state, count(*) AS n FROM outbox GROUP BY state'), [{ state: 'sent', n: REPLIES + 1 }]);
      assert.equal(s.sql('SELECT count(*) AS n FROM events')[0].n, 0);
      assert.ok(!s.workers().includes(pid), 'the killed worker was replaced');
      assert.match(s.log(), /sender: took over from .* which is gone/);
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(smtp.to('ann@example.org').length, REPLIES + 1, 'nothing more after');
    } finally {
      await s.stop();
      await smtp.stop();
    }
  });

  test('palaver stopped and started in the middle of the queue: nothing lost or doubled', async () => {
    const { s, smtp, art, top } = await setup(5);
    try {
      const ids = [];
      for (let i = 0; i < REPLIES; i++) ids.push(await post(s, art, { author: `R${i}`, body: `Reply number ${i}`, parent: String(top) }));
      await until(() => smtp.events.some((e) => e.stalling), 'the stalled delivery', 30000);
      // SIGTERM: the delivery in flight finishes and is recorded first.
      const r = await s.stopPalaver();
      assert.equal(r.code, 0);
      const sent = smtp.to('ann@example.org').length;
      assert.ok(sent < REPLIES + 1, 'stopped with messages still queued');
      assert.ok(s.sql("SELECT count(*) AS n FROM outbox WHERE state = 'queued'")[0].n > 0);
      assert.equal(s.sql("SELECT holder FROM leases WHERE name = 'sender'")[0].holder, '', 'the lease let go');
      await s.startPalaver();
      await until(() => smtp.to('ann@example.org').length === REPLIES + 1, 'every message', 60000);
      assertOnce(smtp, ids);
      assert.deepEqual(s.sql('SELECT state, count(*) AS n FROM outbox GROUP BY state'), [{ state: 'sent', n: REPLIES + 1 }]);
    } finally {
      await s.stop();
      await smtp.stop();
    }
  });
});
