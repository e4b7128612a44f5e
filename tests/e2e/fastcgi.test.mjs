// fastcgi.test.mjs: what nginx never sends, sent straight to palaver's
// socket: truncated and lying bodies, garbage, and a PARAMS record with an
// absurd length.  Each gets an answer or a closed connection, and palaver
// keeps serving through nginx afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Server } from './lib.mjs';

let s;
let art;

before(async () => {
  s = await new Server({ server: { max_body: 4096 } }).start();
  art = Number(s.cli(['article', 'add', '--uri', '/f/1/', '--title', 'Raw']).stdout);
});
after(async () => { await s.stop(); });

function record(type, body, id = 1) {
  const pad = (8 - (body.length % 8)) % 8;
  const h = Buffer.from([1, type, id >> 8, id & 255, body.length >> 8, body.length & 255, pad, 0]);
  return Buffer.concat([h, body, Buffer.alloc(pad)]);
}

function len(n) {
  return n < 128 ? Buffer.from([n]) : Buffer.from([(n >>> 24) | 0x80, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

function params(obj) {
  return Buffer.concat(Object.entries(obj).map(([k, v]) => {
    const kb = Buffer.from(k);
    const vb = Buffer.from(String(v));
    return Buffer.concat([len(kb.length), len(vb.length), kb, vb]);
  }));
}

// Send raw bytes; collect what comes back until the connection closes.
function raw(bytes, { endAfter = true, timeout = 5000 } = {}) {
  return new Promise((resolve) => {
    const c = net.createConnection(s.sock);
    const got = [];
    const t = setTimeout(() => { c.destroy(); resolve({ timedOut: true, out: Buffer.concat(got) }); }, timeout);
    c.on('data', (d) => got.push(d));
    c.on('error', () => {});
    c.on('close', () => { clearTimeout(t); resolve({ timedOut: false, out: Buffer.concat(got) }); });
    c.write(bytes);
    if (endAfter) c.end();
  });
}

// The stdout of a FastCGI answer, records joined.
function stdout(buf) {
  const parts = [];
  for (let i = 0; i + 8 <= buf.length;) {
    const type = buf[i + 1];
    const n = (buf[i + 4] << 8) | buf[i + 5];
    const pad = buf[i + 6];
    if (type === 6) parts.push(buf.subarray(i + 8, i + 8 + n));
    i += 8 + n + pad;
  }
  return Buffer.concat(parts).toString('utf8');
}

function request(env, body) {
  const begin = record(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0]));
  return Buffer.concat([begin, record(4, params(env)), record(4, Buffer.alloc(0)),
    ...(body.length ? [record(5, body)] : []), record(5, Buffer.alloc(0))]);
}

const POST = {
  REQUEST_METHOD: 'POST', DOCUMENT_URI: '', REQUEST_URI: '', QUERY_STRING: '',
  CONTENT_TYPE: 'application/x-www-form-urlencoded', REMOTE_ADDR: '127.0.0.9',
};

test('a body shorter than CONTENT_LENGTH is refused as truncated', async () => {
  const env = { ...POST, DOCUMENT_URI: `/articles/${art}/comments`, CONTENT_LENGTH: 100 };
  const r = await raw(request(env, Buffer.from('body=short')));
  assert.equal(r.timedOut, false);
  assert.match(stdout(r.out), /^Status: 400 /);
  assert.equal(s.sql(`SELECT count(*) AS n FROM comments`)[0].n, 0);
});

test('a body longer than CONTENT_LENGTH is read only that far', async () => {
  const env = { ...POST, DOCUMENT_URI: `/articles/${art}/comments`, CONTENT_LENGTH: 13 };
  const r = await raw(request(env, Buffer.from('body=thirteenAND-THE-REST-IS-IGNORED')));
  assert.match(stdout(r.out), /^Status: 303 /);
  assert.deepEqual(s.sql(`SELECT body FROM comments`), [{ body: 'thirteen' }]);
});

test('CONTENT_LENGTH over max_body is 413, whatever follows', async () => {
  const env = { ...POST, DOCUMENT_URI: `/articles/${art}/comments`, CONTENT_LENGTH: 999999999 };
  const r = await raw(request(env, Buffer.from('body=x')));
  assert.match(stdout(r.out), /^Status: 413 /);
  const bogus = await raw(request({ ...env, CONTENT_LENGTH: '12abc' }, Buffer.from('body=x')));
  assert.match(stdout(bogus.out), /^Status: 413 /);
});

test('garbage and absurd records end the connection, not the service', async () => {
  const junk = [
    Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
    Buffer.alloc(4096, 0xff),
    record(1, Buffer.from([0, 9, 0, 0, 0, 0, 0, 0])),		// unknown role
    Buffer.concat([record(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])),
      record(4, Buffer.concat([Buffer.from([0x80 | 0x7f, 255, 255, 255, 1]), Buffer.from('A')]))]),	// name length 2 GiB
    Buffer.concat([record(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])),
      record(4, Buffer.from([0x80, 0, 0, 0, 0x80, 0, 0, 0]))]),		// lengths 0 in long form
  ];
  for (const j of junk) {
    const r = await raw(j, { timeout: 3000 });
    assert.ok(r.out.length < 100000);
  }
  // Whatever happened to a worker, the supervisor has a full set again
  // and nginx still gets answers.
  await sleep(300);
  for (let i = 0; i < 20; i++) {
    const r = await s.get(`/articles/${art}`);
    assert.equal(r.status, 200);
  }
  assert.equal(s.workers().length, 2);
});
