// tty.test.mjs: `palaver user add` on a terminal asks twice, without echo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Server, BIN, SAN_ENV } from './lib.mjs';

let s;
before(async () => { s = await new Server({ auth: { pwhash_mem: 8192, pwhash_ops: 1 } }).start(); });
after(async () => { await s.stop(); });

// Run the command on a pseudo-terminal (util-linux script), answering each
// prompt when it appears: input typed early would be flushed by design.
function onTty(args, answers) {
  const runas = process.getuid() === 0 ? 'setpriv --reuid=palaver --regid=palaver --clear-groups ' : '';
  const cmd = `${runas}${BIN} -c ${s.conf} ${args.join(' ')}`;
  return new Promise((resolve) => {
    const p = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...process.env, ...SAN_ENV } });
    let out = '';
    const queue = [...answers];
    p.stdout.on('data', (d) => {
      out += d;
      if (/(New password|Again): $/.test(out) && queue.length > 0) p.stdin.write(`${queue.shift()}\n`);
    });
    p.stderr.on('data', (d) => { out += d; });
    // A prompt whose answer got lost waits for ever: fail instead.
    const timer = setTimeout(() => p.kill('SIGKILL'), 30000);
    p.on('exit', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

test('asks twice without echo, refuses a mismatch, takes a match', async () => {
  const pw = 'typed on a terminal 42';
  let r = await onTty(['user', 'add', 'tina'], [pw, `${pw}x`]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /New password: /);
  assert.match(r.out, /Again: /);
  assert.match(r.out, /the passwords differ/);
  assert.ok(!r.out.includes(pw), 'the password is never echoed');
  r = await onTty(['user', 'add', 'tina'], [pw, pw]);
  assert.equal(r.code, 0, r.out);
  assert.ok(!r.out.includes(pw));
  assert.equal(s.sql(`SELECT count(*) AS n FROM moderators WHERE name = 'tina'`)[0].n, 1);
  assert.match(s.sql(`SELECT hash FROM moderators WHERE name = 'tina'`)[0].hash, /^\$argon2id\$/);
});
