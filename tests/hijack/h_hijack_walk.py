# SPDX-License-Identifier: BSD-2-Clause
# Copyright (c) 2026 The rump on Linux developers.
#
# Run by t_hijack_progs.sh twice, on a host directory and on one under
# the hijacked prefix: writes a tree, renames and rewrites in it, walks
# it and prints a canonical listing (paths relative to the root, types,
# modes, sizes, link targets, SHA-256 of contents).  The two outputs
# must be identical.
import hashlib
import os
import shutil
import stat
import sys

root = sys.argv[1]
base = os.path.join(root, "py")
os.makedirs(os.path.join(base, "d1", "d2"))
for i in range(40):
    with open(os.path.join(base, "d1", "f%02d" % i), "wb") as f:
        f.write(bytes((i * j) & 0xFF for j in range(i * 997)))
with open(os.path.join(base, "d1", "d2", "text"), "w") as f:
    for i in range(2000):
        print("line", i, file=f)
os.rename(os.path.join(base, "d1", "f00"), os.path.join(base, "empty"))
os.symlink("d1/d2/text", os.path.join(base, "link"))
os.link(os.path.join(base, "d1", "f01"), os.path.join(base, "hard"))
os.chmod(os.path.join(base, "d1", "f02"), 0o751)
with open(os.path.join(base, "d1", "f03"), "r+b") as f:
    f.seek(100)
    f.write(b"patched")
    f.truncate(500)
os.utime(os.path.join(base, "d1", "f04"), (1234567890, 1234567891))
with open(os.path.join(base, "link"), "a") as f:
    f.write("appended through the link\n")
shutil.copytree(os.path.join(base, "d1", "d2"), os.path.join(base, "copy"))
shutil.rmtree(os.path.join(base, "d1", "d2"))

for dirpath, dirnames, filenames in os.walk(base):
    dirnames.sort()
    rel = os.path.relpath(dirpath, base)
    print("dir", rel, oct(os.stat(dirpath).st_mode & 0o7777))
    for name in sorted(filenames):
        p = os.path.join(dirpath, name)
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            print("link", os.path.join(rel, name), os.readlink(p))
            continue
        with open(p, "rb") as f:
            h = hashlib.sha256(f.read()).hexdigest()
        print("file", os.path.join(rel, name), oct(st.st_mode), st.st_size,
              st.st_nlink, int(st.st_mtime) if name == "f04" else "-", h)
print("scandir", sorted(e.name for e in os.scandir(base)))
