// maillib.mjs: what the mail and webhook tests share: a real SMTP server on
// loopback (tests/e2e/smtpd.py, aiosmtpd), links out of messages, links
// signed as palaver signs them (to make expired ones), and waiting.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, SQL } from './lib.mjs';

export const PYTHON = '/usr/bin/python3';

export class Smtp {
  constructor(args = []) {
    this.args = args;
    this.messages = [];
    this.events = [];
  }

  async start() {
    this.proc = spawn(PYTHON, [path.join(ROOT, 'tests/e2e/smtpd.py'), ...this.args],
      { stdio: ['pipe', 'pipe', 'pipe'] });
    this.err = '';
    this.proc.stderr.setEncoding('utf8').on('data', (d) => { this.err += d; });
    const lines = readline.createInterface({ input: this.proc.stdout });
    let ready;
    const port = new Promise((res) => { ready = res; });
    lines.on('line', (l) => {
      const o = JSON.parse(l);
      if (o.port) ready(o.port);
      else if (o.n) this.messages.push(o);
      else this.events.push(o);
    });
    const timer = setTimeout(() => ready(0), 10000);
    this.port = await port;
    clearTimeout(timer);
    if (!this.port) throw new Error(`smtpd.py did not start: ${this.err}`);
    return this;
  }

  url() {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(addr) {
    return this.messages.filter((m) => m.to.includes(addr));
  }

  async stop() {
    this.proc.stdin.end();
    await new Promise((res) => this.proc.on('exit', res));
  }
}

// Wait until f() is truthy (polling), or fail saying what was awaited.
export async function until(f, what, ms = 15000) {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// Every URL under base in a text, in order.
export function links(text, base) {
  const re = new RegExp(base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '[^\\s<>"]*', 'g');
  return text.match(re) || [];
}

// The server secret, from the database (tests only).
export function secret(s) {
  return Buffer.from(s.sql(`SELECT ${SQL.hex('value')} AS h FROM settings WHERE key = 'secret'`)[0].h, 'hex');
}

// A link token signed as auth/links.c signs one: crypto_auth is
// HMAC-SHA-512 cut to 32 bytes.
export function signLink(key, kind, a, b, c, expires, bound) {
  const mac = crypto.createHmac('sha512', key)
    .update(`palaver link v1:${kind}:${a}:${b}:${c}:${expires}:${bound}`)
    .digest().subarray(0, 32).toString('base64url');
  return `${kind}.${a}.${b}.${c}.${expires}.${mac}`;
}

// A token with one character of its MAC changed.
export function forge(tok) {
  const last = tok.at(-1);
  return tok.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

// Post a comment through the page's form; returns its id.
export async function post(s, art, fields, headers = {}) {
  const r = await s.fetch(`/articles/${art}/comments`, { method: 'POST',
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  if (r.status !== 303) throw new Error(`post: ${r.status} ${await r.text()}`);
  return Number(r.headers.get('location').match(/#c(\d+)$/)[1]);
}
