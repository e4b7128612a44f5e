#!/usr/bin/python3
"""sandbox.py: run a command under the restrictions of a systemd unit, where
systemd itself cannot run it (no systemd as PID 1, so no systemd-run).

Usage: sandbox.py UNIT -- COMMAND [ARG...]

The test of the Akismet hook (tests/e2e/service.test.mjs) uses it to run the
hook as conf/palaver.service would.  What it takes from the unit's [Service]
section, applied the way systemd.exec(5) describes them:

  User=, Group=               when started as root: no supplementary groups,
                              then that group and user
  UMask=                      the file mode mask
  NoNewPrivileges=            always set (loading a seccomp filter needs it)
  SystemCallFilter=           one seccomp filter: the listed calls and groups
                              (expanded with `systemd-analyze syscall-filter`,
                              systemd's own list, so nothing is kept by hand)
                              plus the calls systemd always allows; any other
                              call kills the process (SIGSYS), as systemd does
                              without SystemCallErrorNumber=
  SystemCallArchitectures=    native only (calls of another ABI kill)
  RestrictAddressFamilies=    a second seccomp filter: socket() with a family
                              not allowed fails with EAFNOSUPPORT
  MemoryDenyWriteExecute=     a third: mmap() of memory both writable and
                              executable, mprotect()/pkey_mprotect() to
                              executable and shmat(SHM_EXEC) fail with EPERM

Both filters stay in force across exec and are inherited by children, as in
a unit.  The mount and namespace settings (ProtectSystem=, PrivateTmp=, ...)
are not applied: they decide which files are seen, not what the network
allows.  A setting it cannot apply the way the unit means (an errno action,
an unknown family or group) stops it with exit 2 instead of running the
command with less than the unit asks.
"""
import errno
import mmap
import os
import pwd
import grp
import socket
import subprocess
import sys

import seccomp

# systemd.exec(5): "execve, exit, exit_group, getrlimit, rt_sigreturn,
# sigreturn ... are implicitly allow-listed".
ALWAYS = {'execve', 'exit', 'exit_group', 'getrlimit', 'rt_sigreturn',
          'sigreturn'}


def die(msg):
    sys.stderr.write('sandbox.py: %s\n' % msg)
    sys.exit(2)


def service_settings(path):
    """{key: [values, in order]} of the unit's [Service] section."""
    settings, section = {}, None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in '#;':
                continue
            if line.startswith('['):
                section = line.strip('[]')
                continue
            if section == 'Service' and '=' in line:
                key, value = line.split('=', 1)
                settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def syscall_groups():
    """systemd's groups: {'@name': [members]}, members may be groups."""
    out = subprocess.run(['systemd-analyze', 'syscall-filter', '--no-pager'],
                         capture_output=True, text=True, check=True).stdout
    groups, current = {}, None
    for line in out.splitlines():
        if line.startswith('@'):
            current = groups.setdefault(line.strip(), [])
        elif line.startswith((' ', '\t')) and current is not None:
            item = line.strip()
            if item and not item.startswith('#'):
                current.append(item)
        else:
            current = None
    if '@system-service' not in groups:
        die('systemd-analyze syscall-filter lists no @system-service')
    return groups


def expand(names, groups, seen=None):
    seen = set() if seen is None else seen
    calls = set()
    for name in names:
        if name.startswith('@'):
            if name not in groups:
                die('unknown system call group %s' % name)
            if name not in seen:
                seen.add(name)
                calls |= expand(groups[name], groups, seen)
        else:
            calls.add(name)
    return calls


def allowed_calls(lines, groups):
    """The calls a list of SystemCallFilter= lines allows (systemd's rules:
    the first line decides allow- or deny-list, later ones add or take)."""
    allow, deny, mode = set(), set(), None
    for value in lines:
        if value == '':
            allow, deny, mode = set(), set(), None
            continue
        invert = value.startswith('~')
        calls = expand(value.lstrip('~').split(), groups)
        if mode is None:
            mode = 'deny' if invert else 'allow'
        if mode == 'allow':
            allow = allow - calls if invert else allow | calls
        else:
            deny = deny | calls if invert else deny - calls
    if mode == 'deny':
        die('deny-list SystemCallFilter= is not supported here')
    return allow | ALWAYS if mode == 'allow' else None


def address_families(lines):
    """The allowed family numbers, or None when not restricted."""
    families = None
    for value in lines:
        if value == 'none':
            families = set()
            continue
        if value.startswith('~'):
            die('deny-list RestrictAddressFamilies= is not supported here')
        for name in value.split():
            number = getattr(socket, name, None)
            if not name.startswith('AF_') or not isinstance(number, int):
                die('unknown address family %s' % name)
            families = (families or set()) | {int(number)}
    return families


def drop_user(settings):
    user = (settings.get('User') or [''])[-1]
    if os.geteuid() != 0 or not user:
        return
    pw = pwd.getpwnam(user)
    group = (settings.get('Group') or [''])[-1]
    gid = grp.getgrnam(group).gr_gid if group else pw.pw_gid
    os.setgroups([])
    os.setgid(gid)
    os.setuid(pw.pw_uid)


def syscall_filter(calls, native_only):
    f = seccomp.SyscallFilter(defaction=seccomp.KILL_PROCESS)
    if not native_only:
        die('SystemCallArchitectures= other than native is not supported')
    for name in sorted(calls):
        try:
            f.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError, OSError):
            pass  # not a call of this architecture (systemd skips it too)
    return f


def family_filter(families):
    """socket(family, ...) fails with EAFNOSUPPORT unless family is allowed:
    ranges below, between and above the allowed numbers, as systemd does."""
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    refuse = seccomp.ERRNO(errno.EAFNOSUPPORT)
    arg = lambda op, v: seccomp.Arg(0, op, v)
    if not families:
        f.add_rule(refuse, 'socket')
        return f
    ordered = sorted(families)
    f.add_rule(refuse, 'socket', arg(seccomp.LT, ordered[0]))
    for low, high in zip(ordered, ordered[1:]):
        for gap in range(low + 1, high):
            f.add_rule(refuse, 'socket', arg(seccomp.EQ, gap))
    f.add_rule(refuse, 'socket', arg(seccomp.GT, ordered[-1]))
    return f


def wx_filter():
    """MemoryDenyWriteExecute=yes, as systemd words it in seccomp."""
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    deny = seccomp.ERRNO(errno.EPERM)
    wx = mmap.PROT_WRITE | mmap.PROT_EXEC
    f.add_rule(deny, 'mmap', seccomp.Arg(2, seccomp.MASKED_EQ, wx, wx))
    for name in ('mprotect', 'pkey_mprotect'):
        f.add_rule(deny, name, seccomp.Arg(2, seccomp.MASKED_EQ,
                                           mmap.PROT_EXEC, mmap.PROT_EXEC))
    shm_exec = 0o100000
    f.add_rule(deny, 'shmat', seccomp.Arg(2, seccomp.MASKED_EQ,
                                          shm_exec, shm_exec))
    return f


def main():
    if len(sys.argv) < 4 or sys.argv[2] != '--':
        die('usage: sandbox.py UNIT -- COMMAND [ARG...]')
    settings = service_settings(sys.argv[1])
    known = {'SystemCallFilter', 'RestrictAddressFamilies',
             'SystemCallArchitectures', 'NoNewPrivileges', 'User', 'Group',
             'UMask', 'MemoryDenyWriteExecute'}
    if not known & settings.keys():
        die('%s has none of %s' % (sys.argv[1], ', '.join(sorted(known))))
    if settings.get('SystemCallErrorNumber'):
        die('SystemCallErrorNumber= is not supported here')
    groups = syscall_groups()
    calls = allowed_calls(settings.get('SystemCallFilter', []), groups)
    families = address_families(settings.get('RestrictAddressFamilies', []))
    native = (settings.get('SystemCallArchitectures') or ['native'])[-1]
    umask = (settings.get('UMask') or [''])[-1]
    wx = (settings.get('MemoryDenyWriteExecute') or ['no'])[-1]

    drop_user(settings)
    if umask:
        os.umask(int(umask, 8))
    filters = []
    if families is not None:
        filters.append(family_filter(families))
    if wx in ('yes', 'true', 'on', '1'):
        filters.append(wx_filter())
    if calls is not None:
        filters.append(syscall_filter(calls, native == 'native'))
    for f in filters:  # libseccomp sets no_new_privs before loading
        f.load()
    command = sys.argv[3:]
    os.execvp(command[0], command)


if __name__ == '__main__':
    main()
