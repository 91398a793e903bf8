# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Checks run by t_fuse_xattr.sh on a FUSE mount, through the host's own
# system calls (Python's os module and libc by ctypes for the calls it
# hides: a buffer too small, fallocate modes).  Each check names what it
# expected; the first failure exits 1.
#
# usage: h_fuse_xattr.py xattr DIR        the 4 calls and their errno
#        h_fuse_xattr.py again DIR        what "xattr" left, after a remount
#        h_fuse_xattr.py stress DIR N OPS N processes at once on 4 files
#        h_fuse_xattr.py noxattr DIR      every call EOPNOTSUPP
#        h_fuse_xattr.py map FILE         SEEK_DATA/SEEK_HOLE map, size
#        h_fuse_xattr.py falloc FILE MODE OFF LEN   one fallocate(2): 0 or
#                                         the errno's name
import ctypes
import errno
import os
import sys

libc = ctypes.CDLL(None, use_errno=True)
libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_long,
                           ctypes.c_long]
UID = 1000


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def expect_errno(code, what, fn, *args, **kw):
    try:
        fn(*args, **kw)
    except OSError as e:
        if e.errno != code:
            fail("%s: %s, expected %s" % (what, os.strerror(e.errno),
                                          os.strerror(code)))
        return
    fail("%s: succeeded, expected %s" % (what, os.strerror(code)))


def expect_eq(what, got, want):
    if got != want:
        fail("%s: %r, expected %r" % (what, got, want))


def as_user(fn):
    """Run fn in a child as uid/gid UID; its failure fails the test."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setresgid(UID, UID, UID)
            os.setresuid(UID, UID, UID)
            fn()
        except SystemExit as e:
            os._exit(e.code if isinstance(e.code, int) else 1)
        except BaseException as e:  # noqa: B902 - report anything
            print("FAIL: as uid %d: %r" % (UID, e))
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        sys.exit(1)


def c_getxattr(path, name, size):
    buf = ctypes.create_string_buffer(max(size, 1))
    n = libc.getxattr(path.encode(), name.encode(), buf if size else None,
                      ctypes.c_size_t(size))
    return (n, ctypes.get_errno() if n < 0 else 0, buf.raw[:max(n, 0)])


def c_listxattr(path, size):
    buf = ctypes.create_string_buffer(max(size, 1))
    n = libc.listxattr(path.encode(), buf if size else None,
                       ctypes.c_size_t(size))
    return (n, ctypes.get_errno() if n < 0 else 0)


def check_xattr(d):
    f = os.path.join(d, "f")
    with open(f, "w") as fp:
        fp.write("data\n")
    os.chmod(f, 0o644)
    os.setxattr(f, "user.a", b"hello")
    expect_eq("getxattr user.a", os.getxattr(f, "user.a"), b"hello")
    expect_errno(errno.ENODATA, "getxattr of a missing name",
                 os.getxattr, f, "user.none")
    expect_errno(errno.EEXIST, "setxattr XATTR_CREATE of user.a",
                 os.setxattr, f, "user.a", b"x", os.XATTR_CREATE)
    expect_errno(errno.ENODATA, "setxattr XATTR_REPLACE of user.b",
                 os.setxattr, f, "user.b", b"x", os.XATTR_REPLACE)
    os.setxattr(f, "user.a", b"world!", os.XATTR_REPLACE)
    os.setxattr(f, "user.b", b"", os.XATTR_CREATE)
    expect_eq("getxattr user.b (empty)", os.getxattr(f, "user.b"), b"")
    big = bytes((i * 7) & 0xff for i in range(3000))
    os.setxattr(f, "user.big", big)
    expect_eq("getxattr user.big (3000 bytes)", os.getxattr(f, "user.big"),
              big)
    expect_eq("getxattr size 0", c_getxattr(f, "user.a", 0)[:2], (6, 0))
    expect_eq("getxattr buffer of 5", c_getxattr(f, "user.a", 5)[:2],
              (-1, errno.ERANGE))
    expect_eq("getxattr buffer of 6", c_getxattr(f, "user.a", 6),
              (6, 0, b"world!"))
    names = b"user.a\0user.b\0user.big\0"
    expect_eq("listxattr size 0", c_listxattr(f, 0), (len(names), 0))
    expect_eq("listxattr buffer too small", c_listxattr(f, len(names) - 1),
              (-1, errno.ERANGE))
    expect_eq("listxattr", sorted(os.listxattr(f)),
              ["user.a", "user.b", "user.big"])
    os.setxattr(f, "trusted.t", b"root only")
    os.setxattr(f, "security.s", b"sec")
    expect_eq("listxattr as root", sorted(os.listxattr(f)),
              ["security.s", "trusted.t", "user.a", "user.b", "user.big"])
    os.removexattr(f, "user.b")
    expect_errno(errno.ENODATA, "getxattr after removexattr",
                 os.getxattr, f, "user.b")
    expect_errno(errno.ENODATA, "removexattr of a missing name",
                 os.removexattr, f, "user.b")
    # Symbolic links and FIFOs have no user. attributes.
    ln = os.path.join(d, "ln")
    os.symlink("f", ln)
    expect_errno(errno.EPERM, "setxattr user. on a symlink", os.setxattr,
                 ln, "user.x", b"1", follow_symlinks=False)
    expect_errno(errno.ENODATA, "getxattr user. of a symlink", os.getxattr,
                 ln, "user.a", follow_symlinks=False)
    expect_eq("getxattr through a symlink", os.getxattr(ln, "user.a"),
              b"world!")
    os.setxattr(ln, "trusted.l", b"link", follow_symlinks=False)
    expect_eq("getxattr trusted. of the symlink itself",
              os.getxattr(ln, "trusted.l", follow_symlinks=False), b"link")
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    os.setxattr(fifo, "trusted.p", b"pipe")
    expect_eq("getxattr trusted. of a FIFO", os.getxattr(fifo, "trusted.p"),
              b"pipe")
    # A directory keeps its own.
    sub = os.path.join(d, "sub")
    os.mkdir(sub, 0o755)
    os.setxattr(sub, "user.dir", b"d")
    expect_eq("listxattr of a directory", os.listxattr(sub), ["user.dir"])

    def user_checks():
        expect_eq("listxattr as uid 1000 (no trusted.)",
                  sorted(os.listxattr(f)),
                  ["security.s", "user.a", "user.big"])
        expect_errno(errno.ENODATA, "getxattr trusted. as uid 1000",
                     os.getxattr, f, "trusted.t")
        expect_eq("getxattr user.a as uid 1000", os.getxattr(f, "user.a"),
                  b"world!")
        expect_errno(errno.EACCES, "setxattr user. without write access",
                     os.setxattr, f, "user.c", b"1")
        expect_errno(errno.EPERM, "setxattr trusted. as uid 1000",
                     os.setxattr, f, "trusted.u", b"1")
    as_user(user_checks)
    # Persisted through the kernel, not only cached by the host: the
    # mount is remounted by the caller, which checks again with "again".


def check_again(d):
    f = os.path.join(d, "f")
    expect_eq("listxattr after remount", sorted(os.listxattr(f)),
              ["security.s", "trusted.t", "user.a", "user.big"])
    expect_eq("user.a after remount", os.getxattr(f, "user.a"), b"world!")
    expect_eq("user.big after remount", os.getxattr(f, "user.big"),
              bytes((i * 7) & 0xff for i in range(3000)))
    expect_eq("symlink's trusted.l after remount",
              os.getxattr(os.path.join(d, "ln"), "trusted.l",
                          follow_symlinks=False), b"link")


def check_noxattr(d):
    f = os.path.join(d, "f")
    with open(f, "w") as fp:
        fp.write("data\n")
    for what, fn, args in (
            ("setxattr", os.setxattr, (f, "user.a", b"1")),
            ("getxattr", os.getxattr, (f, "user.a")),
            ("listxattr", os.listxattr, (f,)),
            ("removexattr", os.removexattr, (f, "user.a"))):
        expect_errno(errno.EOPNOTSUPP, what + " on a file system without",
                     fn, *args)


def stress(d, nproc, nops):
    """nproc processes set, read back, list and remove their own names on
    four shared files at once; every value read must be the last one the
    process wrote."""
    files = [os.path.join(d, "s%d" % i) for i in range(4)]
    for f in files:
        with open(f, "w") as fp:
            fp.write("x")
    pids = []
    for p in range(nproc):
        pid = os.fork()
        if pid == 0:
            rnd, mine = 12345 + p * 7919, {}
            try:
                for i in range(nops):
                    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff
                    f = files[rnd % 4]
                    key = (f, "user.p%d.k%d" % (p, (rnd >> 3) % 5))
                    if (rnd >> 8) % 4 == 0 and key in mine:
                        os.removexattr(*key)
                        del mine[key]
                        continue
                    val = bytes([p]) * ((rnd >> 10) % 120 + 1)  # 20 fit a block
                    os.setxattr(key[0], key[1], val)
                    mine[key] = val
                    got = os.getxattr(*key)
                    if got != val:
                        print("FAIL: process %d: %s of %s: %d bytes back, "
                              "wrote %d" % (p, key[1], key[0], len(got),
                                            len(val)))
                        os._exit(1)
                for (f, name), val in mine.items():
                    if name not in os.listxattr(f) or \
                            os.getxattr(f, name) != val:
                        print("FAIL: process %d: %s of %s at the end" %
                              (p, name, f))
                        os._exit(1)
            except OSError as e:
                print("FAIL: process %d: %r" % (p, e))
                os._exit(1)
            os._exit(0)
        pids.append(pid)
    bad = 0
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        bad += status != 0
    if bad:
        sys.exit(1)


def seek_map(path):
    """[(data, end of data)...] by SEEK_DATA and SEEK_HOLE, and size."""
    fd = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(fd).st_size
        out, off = [], 0
        while off < size:
            try:
                data = os.lseek(fd, off, os.SEEK_DATA)
            except OSError as e:
                if e.errno != errno.ENXIO:
                    raise
                break
            hole = os.lseek(fd, data, os.SEEK_HOLE)
            out.append((data, hole))
            off = hole
        try:
            os.lseek(fd, size, os.SEEK_DATA)
            out.append("SEEK_DATA at EOF did not fail")
        except OSError as e:
            if e.errno != errno.ENXIO:
                out.append("SEEK_DATA at EOF: " + errno.errorcode[e.errno])
        return out, size
    finally:
        os.close(fd)


def falloc(path, mode, off, length):
    fd = os.open(path, os.O_RDWR)
    try:
        rv = libc.fallocate(fd, mode, off, length)
        err = ctypes.get_errno()
    finally:
        os.close(fd)
    names = {errno.EOPNOTSUPP: "EOPNOTSUPP"}  # not ENOTSUP, its alias
    print(0 if rv == 0 else names.get(err, errno.errorcode[err]))


def main():
    if len(sys.argv) < 3:
        fail("usage")
    cmd, arg = sys.argv[1], sys.argv[2]
    if cmd == "xattr":
        check_xattr(arg)
    elif cmd == "again":
        check_again(arg)
    elif cmd == "stress":
        stress(arg, int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "noxattr":
        check_noxattr(arg)
    elif cmd == "map":
        m, size = seek_map(arg)
        print("size %d map %s" % (size, m))
    elif cmd == "falloc":
        falloc(arg, int(sys.argv[3], 0), int(sys.argv[4]),
               int(sys.argv[5]))
    else:
        fail("unknown command " + cmd)


main()
