#!/usr/bin/env python3
# slot-seeds.py: seed inputs for fuzz-slot-pool and fuzz-slot-side
#
# Writes frames of every type of the slot protocol (src/slot/pm-slot-protocol.h), encoded here
# from the header's description rather than by the codec under test, plus some cut short or
# broken on purpose. Each file is named by its SHA-1, like the rest of the corpus.
#
#   python3 slot-seeds.py corpus/slot-pool corpus/slot-side
#
# SPDX-License-Identifier: GPL-3.0-or-later

import hashlib
import os
import struct
import sys

VERSION = 1
HELLO, STARTED, OUTPUT, EXITED, FAILED, START, SIGNAL = 1, 2, 3, 4, 5, 16, 17
STDOUT, STDERR = 1, 2


def frame(type_, payload, arg=0):
    return struct.pack('<IBBH', len(payload), type_, arg, 0) + payload


def s(text):
    return (text.encode() if isinstance(text, str) else text) + b'\0'


def hello(pid, version=VERSION):
    return frame(HELLO, struct.pack('<II', version, pid))


def started(job, pid):
    return frame(STARTED, struct.pack('<II', job, pid))


def output(data, stream=STDOUT):
    return frame(OUTPUT, data, stream)


def exited(job, how, code, utime=0, stime=0, maxrss=0, flags=0):
    return frame(EXITED, struct.pack('<IIiQQQI', job, how, code, utime, stime, maxrss, flags))


def failed(job, errnum, message):
    return frame(FAILED, struct.pack('<Ii', job, errnum) + s(message))


def start(job, argv, env=(), cwd='', stdin='', flags=1, grace_ms=2000, argc=None, envc=None):
    payload = struct.pack('<IIIII', job, flags, grace_ms,
                          len(argv) if argc is None else argc,
                          len(env) if envc is None else envc)
    payload += b''.join(s(a) for a in argv) + b''.join(s(e) for e in env) + s(cwd) + s(stdin)
    return frame(START, payload)


def signal(job, signum, pids=(), n=None):
    payload = struct.pack('<IiI', job, signum, len(pids) if n is None else n)
    return frame(SIGNAL, payload + b''.join(struct.pack('<I', p) for p in pids))


def from_slot():
    job = [hello(4242), started(1, 4243), output(b'hello\n'), exited(1, 0, 0, 1200, 300, 2048)]
    yield b''.join(job)
    yield (hello(100) + started(7, 101) + output(b'out\n') + output(b'err\n', STDERR)
           + output(b'') + exited(7, 1, 15, flags=1))
    yield hello(1)
    yield hello(1, version=2)
    yield started(0xffffffff, 0xffffffff)
    yield output(b'')
    yield output(b'\0' * 512)
    yield output(bytes(range(256)) * 4, STDERR)
    yield exited(3, 0, -1, 2**64 - 1, 2**63, 2**40)
    yield exited(3, 1, 9, flags=1)
    yield failed(5, 2, 'No such file or directory')
    yield failed(6, 13, '')
    yield hello(9) + failed(1, 8, 'Exec format error') + started(2, 10) + exited(2, 0, 1)
    # Cut short or broken: a reader must wait for more, or give up, and never read past the end.
    whole = b''.join(job)
    yield whole[:5]
    yield whole[:len(whole) - 3]
    yield exited(1, 2, 0)                                  # how is neither code nor signal
    yield frame(EXITED, struct.pack('<III', 1, 0, 0))      # too short
    yield frame(FAILED, struct.pack('<Ii', 1, 2) + b'no NUL')
    yield frame(FAILED, struct.pack('<Ii', 1, 2) + b'one\0two\0')
    yield frame(HELLO, struct.pack('<III', 1, 2, 3))       # too long
    yield output(b'x', stream=3)
    yield struct.pack('<IBBH', 0, 99, 0, 0)                # unknown type
    yield struct.pack('<IBBH', 4, HELLO, 0, 1) + b'abcd'   # reserved field set
    yield struct.pack('<IBBH', (16 << 20) + 1, OUTPUT, 1, 0)


def from_pool():
    yield start(1, ['echo', 'hello'], cwd='/tmp')
    yield start(2, ['sh', '-c', 'sleep 1; exit 3'], ['A=1', 'PATH=/bin:/usr/bin', 'EMPTY='],
                cwd='/home/user/work dir', stdin='/tmp/in.txt', flags=0, grace_ms=0)
    yield start(3, ['/bin/true'] + ['arg%d' % i for i in range(200)], flags=1, grace_ms=500)
    yield start(4, ['printf', '', '\t\n', 'é ✓', '\x01\x7f\xff'])
    yield start(5, ['env'], ['V%d=%s' % (i, 'x' * i) for i in range(40)])
    yield signal(1, 15)
    yield signal(2, 9, [1234, 1235, 1236])
    yield signal(3, 0, list(range(1000, 1064)))
    yield signal(4, 64, [0xffffffff])
    yield (start(1, ['sleep', '10']) + signal(1, 15) + signal(1, 9, [77, 78])
           + start(2, ['true']))
    # Cut short or broken
    whole = start(6, ['ls', '-l'], ['LC_ALL=C'], '/', '')
    yield whole[:7]
    yield whole[:len(whole) - 1]
    yield start(7, [], argc=0)                             # no argv
    yield start(8, [''])                                   # argv[0] empty
    yield start(9, ['a', 'b'], argc=3)                     # count past the strings
    yield start(10, ['a'], envc=0xffffffff)                # count past the payload
    yield start(11, ['a'], ['B=2'], envc=0)                # strings left over
    yield frame(START, struct.pack('<IIIII', 1, 0, 0, 1, 0) + b'no NUL')
    yield signal(5, -1)
    yield signal(5, 65)
    yield signal(6, 15, [1, 2], n=3)
    yield signal(6, 15, [1, 2, 3], n=2)
    yield signal(6, 15, n=0x40000001)
    yield hello(1) + start(1, ['x'])                       # a slot's frame, then the pool's


def write(directory, inputs):
    os.makedirs(directory, exist_ok=True)
    for data in inputs:
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(directory, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('Usage: slot-seeds.py SLOT-POOL-DIR SLOT-SIDE-DIR')
    write(sys.argv[1], from_slot())
    write(sys.argv[2], from_pool())
