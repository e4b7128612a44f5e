#!/usr/bin/python3
# smtpd.py: a real SMTP server on a loopback port for the mail tests
# (Debian's python3-aiosmtpd), printing one JSON line a message it
# accepted, parsed by Python's own e-mail parser: envelope, headers
# (RFC 2047 decoded), the plain-text and HTML parts (quoted-printable
# decoded), and the raw bytes.
#
#   smtpd.py [--auth USER:PASS] [--reject RCPT] [--tempfail N]
#            [--stall-at N --stall-seconds S]
#
# The first line is {"port": N}.  --reject answers 550 to that
# recipient; --tempfail answers 451 to the first N messages; --stall-at
# holds the answer to the Nth message for S seconds (printing
# {"stalling": N}) and, if the client went away meanwhile, keeps nothing:
# the server never accepted it.  Ends on stdin's EOF.
import argparse
import asyncio
import email
import email.policy
import json
import socket
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

p = argparse.ArgumentParser()
p.add_argument('--auth')
p.add_argument('--reject', action='append', default=[])
p.add_argument('--tempfail', type=int, default=0)
p.add_argument('--stall-at', type=int, default=0)
p.add_argument('--stall-seconds', type=float, default=0)
args = p.parse_args()


def out(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def parse(data):
    m = email.message_from_bytes(data, policy=email.policy.default)
    parts = {}
    for part in m.walk():
        ct = part.get_content_type()
        if ct in ('text/plain', 'text/html') and ct not in parts:
            parts[ct] = part.get_content()
    headers = {}
    for k, v in m.items():
        headers.setdefault(k.lower(), []).append(str(v))
    return {
        'headers': headers,
        'content_type': m.get_content_type(),
        'parts': [p.get_content_type() for p in m.walk()],
        'charsets': [p.get_content_charset() for p in m.walk()
                     if not p.is_multipart()],
        'text': parts.get('text/plain'),
        'html': parts.get('text/html'),
        'defects': [str(d) for d in m.defects],
    }


class Handler:
    def __init__(self):
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in args.reject:
            return '550 5.1.1 no such user here'
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        n = self.count
        if n <= args.tempfail:
            out({'tempfail': n})
            return '451 4.3.0 try again later'
        if args.stall_at and n == args.stall_at:
            out({'stalling': n})
            try:
                await asyncio.sleep(args.stall_seconds)
            except asyncio.CancelledError:
                out({'abandoned': n})
                raise
            t = server.transport
            if t is None or t.is_closing():
                out({'abandoned': n})
                return '451 4.3.0 the client went away'
        data = envelope.original_content or envelope.content
        rec = {'n': n, 'from': envelope.mail_from,
               'to': envelope.rcpt_tos, 'raw': data.decode('utf-8', 'replace'),
               'auth': bool(getattr(session, 'authenticated', False))}
        rec.update(parse(data))
        out(rec)
        return '250 2.0.0 accepted'


def authenticator(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    user, pw = args.auth.split(':', 1)
    ok = auth_data.login.decode() == user and auth_data.password.decode() == pw
    return AuthResult(success=ok)


async def main():
    kw = {}
    if args.auth:
        kw = {'authenticator': authenticator, 'auth_require_tls': False,
              'auth_required': True}
    # A free port: aiosmtpd checks that it can connect to the one it is
    # given, so it cannot be 0.
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()
    c = Controller(Handler(), hostname='127.0.0.1', port=port, **kw)
    c.start()
    out({'port': port})
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    c.stop()


asyncio.run(main())
