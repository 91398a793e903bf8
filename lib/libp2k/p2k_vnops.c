/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The FUSE low-level operations: each request names nodes by id
 * (p2k_node.c), and becomes the kernel system call that does the same,
 * relative to the node's O_PATH descriptor, from the worker thread's own
 * kernel process with the requester's ids (p2k_thread.c).  So permission
 * checks, locking and the rules of rename and link are the kernel's, and
 * a failed call's errno goes back to the host unchanged.
 *
 * Why descriptors and *at() calls rather than vnode references and VOP
 * calls (the original's p2k): the system-call layer already is the
 * kernel's one implementation of permission checks, name locking, rename
 * and link rules and errno choices, for local processes and for the host
 * alike; a VOP-level daemon would need all of that again, outside the
 * kernel.  What the calls lacked was a way to hold a file without opening
 * it (O_PATH), to change one through such a descriptor (AT_EMPTY_PATH)
 * and to open one from it (openat(fd, "")), and those are now kernel
 * features any client may use.
 *
 * No path is ever built: a name is looked up in its directory's node, so
 * a tree of any depth works as on the host's own file systems (the
 * host's PATH_MAX limits what a process may pass, and nothing else), and
 * a node is served by its descriptor even when it has no name left
 * (fstat of an open, unlinked file).
 *
 * Caching: every change to the file system comes through this mount, so
 * the host may keep names, attributes and pages: entries and attributes
 * have long timeouts, names that are not there are cached too, pages
 * survive a close (keep_cache), and with the writeback cache the host
 * gathers writes and sends them in 1 MiB requests.  What the kernel
 * changes on its own needs no fuse_lowlevel_notify_inval_*: a setattr's
 * reply carries the attributes it left; after a read, link, unlink or
 * rename the host itself drops the access time, link counts and change
 * times it had.  The one exception is asked for by the host: a write by
 * another user clears the set-user-ID and set-group-ID bits, which the
 * host does by a setattr of the mode that only removes those bits, as
 * the writer, before it writes; such a setattr is allowed to anyone who
 * may write the file (p2k_killpriv), since the write would clear the
 * bits anyway (without default_permissions, such a user may so clear
 * them by chmod too).  Likewise the times the host kept for cached
 * writes, which it sends as whoever closes the file (p2k_settimes).
 * FUSE_CAP_HANDLE_KILLPRIV would make the host leave the clearing to the
 * daemon's write, but with the writeback cache the data arrives later,
 * from the host's flusher, not as the writer, so it cannot be told from
 * root's writes, which keep the bits (libfuse 3.14 has no
 * HANDLE_KILLPRIV_V2, which flags such writes).  So the daemon asks for
 * it only without the writeback cache (-o nowriteback), where each write
 * comes from its writer and the kernel's write clears the bits as it
 * does for a local writer.
 *
 * Extended attributes go to the kernel by the node's descriptor
 * (setxattrat and the others, with AT_EMPTY_PATH).  Where the file
 * system keeps POSIX ACLs, the host is told so (FUSE_CAP_POSIX_ACL): it
 * then reads the ACLs through getxattr, caches them, and checks
 * permissions with them itself (which turns on default_permissions), as
 * our kernel does again; it stops applying the umask (FUSE_CAP_DONT_MASK
 * with the ACLs), so a create sets the requester's umask in its kernel
 * process, which applies it unless a default ACL is inherited.
 *
 * Splice is not asked for: reads and writes copy between the kernel's
 * buffers and ours (rump_sys_pread, rump_sys_pwrite) whatever libfuse
 * does, so moving pages through a pipe would only add a copy.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "p2k_private.h"

/* A getdents64(2) record. */
struct p2k_dirent {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* The open(2) flags a handle keeps; O_APPEND goes: writes are positional. */
#define P2K_OPENFLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_NONBLOCK | \
	O_DSYNC | O_SYNC | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_DIRECT)

/* How long the host may trust what it was told: nothing else changes it. */
#define P2K_TIMEOUT 86400.0

/* The largest request: FUSE's 256 pages. */
#define P2K_MAXIO (1024 * 1024)

/* The largest attribute value or list (Linux's XATTR_SIZE_MAX). */
#define P2K_XATTR_MAX 65536

#define P2M(req) ((struct p2k_mount *)fuse_req_userdata(req))
#define NODE(req, id) p2k_node_get(P2M(req), (id))

/* Enter the kernel as the requester, or reply the error and return. */
#define ENTER(req)                                              \
	do {                                                    \
		int enter_error_;                               \
		if ((enter_error_ = p2k_thread_enter(req)) != 0) { \
			fuse_reply_err((req), enter_error_);    \
			return;                                 \
		}                                               \
	} while (0)

void
p2k_note_fd(struct p2k_mount *p2m, int fd)
{
	int max = __atomic_load_n(&p2m->p2m_maxfd, __ATOMIC_RELAXED);

	while (fd > max && !__atomic_compare_exchange_n(&p2m->p2m_maxfd, &max,
	    fd, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		continue;
}

/* Reply 0 or errno for a call that returned -1 or not. */
static void
p2k_reply_rv(fuse_req_t req, int rv)
{
	fuse_reply_err(req, rv == -1 ? errno : 0);
}

static void
p2k_init_conn(void *userdata, struct fuse_conn_info *conn)
{
	struct p2k_mount *p2m = userdata;
	static const unsigned want[] = {
		FUSE_CAP_ATOMIC_O_TRUNC, FUSE_CAP_PARALLEL_DIROPS,
		FUSE_CAP_READDIRPLUS, FUSE_CAP_READDIRPLUS_AUTO,
		FUSE_CAP_ASYNC_READ, FUSE_CAP_ASYNC_DIO,
		FUSE_CAP_CACHE_SYMLINKS,
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (conn->capable & want[i])
			conn->want |= want[i];
	/* Nothing changes a file behind the host: its pages stay valid. */
	conn->want &= ~(unsigned)(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE |
	    FUSE_CAP_SPLICE_MOVE | FUSE_CAP_HANDLE_KILLPRIV |
	    FUSE_CAP_AUTO_INVAL_DATA);
	/* The host checks permissions with the ACLs we keep. */
	if (p2m->p2m_acl && (conn->capable & FUSE_CAP_POSIX_ACL) &&
	    (conn->capable & FUSE_CAP_DONT_MASK))
		conn->want |= FUSE_CAP_POSIX_ACL | FUSE_CAP_DONT_MASK;
	else
		conn->want &= ~(unsigned)(FUSE_CAP_POSIX_ACL |
		    FUSE_CAP_DONT_MASK);
	p2m->p2m_dontmask = (conn->want & FUSE_CAP_DONT_MASK) != 0;
	if (p2m->p2m_writeback && (conn->capable & FUSE_CAP_WRITEBACK_CACHE))
		conn->want |= FUSE_CAP_WRITEBACK_CACHE;
	else
		conn->want &= ~(unsigned)FUSE_CAP_WRITEBACK_CACHE;
	p2m->p2m_writeback = (conn->want & FUSE_CAP_WRITEBACK_CACHE) != 0;
	/* Writes come from the writer: the kernel clears the bits itself. */
	if (!p2m->p2m_writeback && (conn->capable & FUSE_CAP_HANDLE_KILLPRIV))
		conn->want |= FUSE_CAP_HANDLE_KILLPRIV;
	conn->max_write = P2K_MAXIO;
	conn->max_readahead = P2K_MAXIO;
	conn->time_gran = 1;
}

/*
 * Look name up in the directory node parent and count one lookup of
 * what it names, into e.  Returns 0 or an errno; ENOENT fills e as a
 * negative entry the host may cache.
 */
static int
p2k_lookup_entry(struct p2k_mount *p2m, struct p2k_node *parent,
    const char *name, struct fuse_entry_param *e)
{
	struct p2k_node *pn;
	int fd;

	memset(e, 0, sizeof(*e));
	e->attr_timeout = P2K_TIMEOUT;
	e->entry_timeout = P2K_TIMEOUT;
	if ((fd = rump_sys_openat(parent->pn_fd, name, O_PATH | O_NOFOLLOW,
	    0)) == -1)
		return errno;
	if (rump_sys_fstat(fd, &e->attr) == -1) {
		int error = errno;

		rump_sys_close(fd);
		return error;
	}
	p2k_note_fd(p2m, fd);
	if ((pn = p2k_node_lookup(p2m, (uint64_t)e->attr.st_ino, fd)) == NULL)
		return ENOMEM;
	e->ino = p2k_node_id(p2m, pn);
	e->generation = pn->pn_generation;
	return 0;
}

/* Reply with an entry; if the host did not take it, give the count back. */
static void
p2k_reply_entry(fuse_req_t req, const struct fuse_entry_param *e)
{
	if (fuse_reply_entry(req, e) != 0 && e->ino != 0)
		p2k_node_forget(P2M(req), NODE(req, e->ino), 1);
}

static void
p2k_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e;
	int error;

	ENTER(req);
	error = p2k_lookup_entry(P2M(req), NODE(req, parent), name, &e);
	if (error == ENOENT)
		fuse_reply_entry(req, &e);
	else if (error != 0)
		fuse_reply_err(req, error);
	else
		p2k_reply_entry(req, &e);
}

static void
p2k_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	if (p2k_thread_enter(NULL) == 0)
		p2k_node_forget(P2M(req), NODE(req, ino), nlookup);
	fuse_reply_none(req);
}

static void
p2k_forget_multi(fuse_req_t req, size_t count,
    struct fuse_forget_data *forgets)
{
	size_t i;

	if (p2k_thread_enter(NULL) == 0)
		for (i = 0; i < count; i++)
			p2k_node_forget(P2M(req), NODE(req, forgets[i].ino),
			    forgets[i].nlookup);
	fuse_reply_none(req);
}

static void
p2k_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	ENTER(req);
	if (rump_sys_fstat(NODE(req, ino)->pn_fd, &st) == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_attr(req, &st, P2K_TIMEOUT);
}

/*
 * Become root for a change that the host makes on behalf of a writer,
 * who must be allowed to write the file of fd.  Returns 0 (*euidp is the
 * id to go back to with p2k_writer_end) or an errno.
 */
static int
p2k_writer_begin(int fd, uid_t *euidp)
{
	*euidp = rump_sys_geteuid();
	if (rump_sys_faccessat(fd, "", W_OK, AT_EACCESS | AT_EMPTY_PATH) == -1)
		return errno;
	if (rump_sys_seteuid(0) == -1)
		return errno;
	return 0;
}

static int
p2k_writer_end(uid_t euid, int error)
{
	if (rump_sys_seteuid(euid) == -1) {
		p2k_thread_forget_ids();
		if (error == 0)
			error = errno;
	}
	return error;
}

/*
 * A change of mode that only takes the set-user-ID or set-group-ID bits
 * away, asked by someone who may write the file but does not own it: the
 * host clearing them for a write (see the top of the file).  Done as
 * root; returns 0 or an errno, or -1 if it is not such a change.
 */
static int
p2k_killpriv(fuse_req_t req, int fd, mode_t mode)
{
	const struct fuse_ctx *fc = fuse_req_ctx(req);
	struct stat st;
	uid_t euid;
	int error;

	if (rump_sys_fstat(fd, &st) == -1)
		return errno;
	if (st.st_uid == fc->uid || (mode & ~07777) != 0 ||
	    (st.st_mode & ~(mode_t)(S_ISUID | S_ISGID) & 07777) != mode ||
	    (st.st_mode & 07777) == mode)
		return -1;
	if ((error = p2k_writer_begin(fd, &euid)) != 0)
		return error;
	error = rump_sys_fchmodat(fd, "", mode, AT_EMPTY_PATH) == -1 ? errno : 0;
	return p2k_writer_end(euid, error);
}

/*
 * Times.  With FUSE_SET_ATTR_CTIME the host writes back the times it
 * kept for writes to its cache (no system call sets a change time), as
 * whoever closed or synced the file: done as root for anyone who may
 * write it, as a write would have set them.
 */
static int
p2k_settimes(int fd, const struct stat *attr, int to_set)
{
	struct timespec ts[2];
	uid_t euid;
	int error;

	ts[0].tv_sec = ts[1].tv_sec = 0;
	ts[0].tv_nsec = ts[1].tv_nsec = UTIME_OMIT;
	if (to_set & FUSE_SET_ATTR_ATIME_NOW)
		ts[0].tv_nsec = UTIME_NOW;
	else if (to_set & FUSE_SET_ATTR_ATIME)
		ts[0] = attr->st_atim;
	if (to_set & FUSE_SET_ATTR_MTIME_NOW)
		ts[1].tv_nsec = UTIME_NOW;
	else if (to_set & FUSE_SET_ATTR_MTIME)
		ts[1] = attr->st_mtim;
	if (rump_sys_utimensat(fd, "", ts, AT_EMPTY_PATH) == 0)
		return 0;
	if (errno != EPERM || !(to_set & FUSE_SET_ATTR_CTIME))
		return errno;
	if ((error = p2k_writer_begin(fd, &euid)) != 0)
		return error;
	error = rump_sys_utimensat(fd, "", ts, AT_EMPTY_PATH) == -1 ? errno : 0;
	return p2k_writer_end(euid, error);
}

/* Truncate the file of node fd (no handle given): open it to write. */
static int
p2k_truncate(int fd, off_t size)
{
	int wfd, error = 0;

	if ((wfd = rump_sys_openat(fd, "", O_WRONLY, 0)) == -1)
		return errno;
	if (rump_sys_ftruncate(wfd, size) == -1)
		error = errno;
	rump_sys_close(wfd);
	return error;
}

static void
p2k_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
    struct fuse_file_info *fi)
{
	int fd = NODE(req, ino)->pn_fd, error = 0;
	struct stat st;

	ENTER(req);
	if (to_set & FUSE_SET_ATTR_SIZE) {
		if (fi != NULL) {
			if (rump_sys_ftruncate((int)fi->fh, attr->st_size) == -1)
				error = errno;
		} else
			error = p2k_truncate(fd, attr->st_size);
	}
	if (error == 0 && (to_set & (FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) &&
	    rump_sys_fchownat(fd, "",
	    (to_set & FUSE_SET_ATTR_UID) ? attr->st_uid : (uid_t)-1,
	    (to_set & FUSE_SET_ATTR_GID) ? attr->st_gid : (gid_t)-1,
	    AT_EMPTY_PATH) == -1)
		error = errno;
	if (error == 0 && (to_set & FUSE_SET_ATTR_MODE)) {
		error = p2k_killpriv(req, fd, attr->st_mode & 07777);
		if (error == -1)
			error = rump_sys_fchmodat(fd, "", attr->st_mode & 07777,
			    AT_EMPTY_PATH) == -1 ? errno : 0;
	}
	if (error == 0 && (to_set & (FUSE_SET_ATTR_ATIME |
	    FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW |
	    FUSE_SET_ATTR_MTIME_NOW)))
		error = p2k_settimes(fd, attr, to_set);
	if (error == 0 && rump_sys_fstat(fd, &st) == -1)
		error = errno;
	if (error != 0)
		fuse_reply_err(req, error);
	else
		fuse_reply_attr(req, &st, P2K_TIMEOUT);
}

static void
p2k_readlink(fuse_req_t req, fuse_ino_t ino)
{
	char buf[PATH_MAX + 1];
	ssize_t n;

	ENTER(req);
	n = rump_sys_readlinkat(NODE(req, ino)->pn_fd, "", buf, sizeof(buf) - 1);
	if (n == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	buf[n] = '\0';
	fuse_reply_readlink(req, buf);
}

/*
 * Before a call that makes a node: the requester's umask, where the
 * host left it to us (see p2k_init_conn).
 */
static void
p2k_umask(fuse_req_t req)
{
	if (P2M(req)->p2m_dontmask)
		p2k_thread_umask(fuse_req_ctx(req)->umask);
}

/* After a call made name in parent: reply with its entry. */
static void
p2k_reply_made(fuse_req_t req, fuse_ino_t parent, const char *name, int rv)
{
	struct fuse_entry_param e;
	int error;

	if (rv == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	if ((error = p2k_lookup_entry(P2M(req), NODE(req, parent), name,
	    &e)) != 0)
		fuse_reply_err(req, error);
	else
		p2k_reply_entry(req, &e);
}

static void
p2k_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    dev_t rdev)
{
	ENTER(req);
	p2k_umask(req);
	p2k_reply_made(req, parent, name, rump_sys_mknodat(
	    NODE(req, parent)->pn_fd, name, mode, rdev));
}

static void
p2k_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	ENTER(req);
	p2k_umask(req);
	p2k_reply_made(req, parent, name, rump_sys_mkdirat(
	    NODE(req, parent)->pn_fd, name, mode));
}

static void
p2k_symlink(fuse_req_t req, const char *target, fuse_ino_t parent,
    const char *name)
{
	ENTER(req);
	p2k_reply_made(req, parent, name, rump_sys_symlinkat(target,
	    NODE(req, parent)->pn_fd, name));
}

static void
p2k_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent,
    const char *newname)
{
	ENTER(req);
	p2k_reply_made(req, newparent, newname, rump_sys_linkat(
	    NODE(req, ino)->pn_fd, "", NODE(req, newparent)->pn_fd, newname,
	    AT_EMPTY_PATH));
}

static void
p2k_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	ENTER(req);
	p2k_reply_rv(req, rump_sys_unlinkat(NODE(req, parent)->pn_fd, name, 0));
}

static void
p2k_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	ENTER(req);
	p2k_reply_rv(req, rump_sys_unlinkat(NODE(req, parent)->pn_fd, name,
	    AT_REMOVEDIR));
}

/* RENAME_NOREPLACE and RENAME_EXCHANGE: the kernel has no renameat2. */
static void
p2k_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
    fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	ENTER(req);
	if (flags != 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	p2k_reply_rv(req, rump_sys_renameat(NODE(req, parent)->pn_fd, name,
	    NODE(req, newparent)->pn_fd, newname));
}

/*
 * Open name in dirfd for a handle.  With the writeback cache the host
 * reads pages of files opened only to write (to fill a page partly
 * written), so those are opened to read too: as the requester where the
 * requester may read, else, once opening to write has passed the
 * requester's checks, as root (the pages go only to the host's cache).
 */
static int
p2k_openfile(fuse_req_t req, int dirfd, const char *name, int flags,
    mode_t mode)
{
	int fd, rwfd;
	uid_t euid;

	flags &= P2K_OPENFLAGS;
	if (!P2M(req)->p2m_writeback || (flags & O_ACCMODE) != O_WRONLY)
		return rump_sys_openat(dirfd, name, flags, mode);
	flags &= ~O_ACCMODE;
	fd = rump_sys_openat(dirfd, name, flags | O_RDWR, mode);
	if (fd != -1 || errno != EACCES)
		return fd;
	if ((fd = rump_sys_openat(dirfd, name, flags | O_WRONLY, mode)) == -1)
		return -1;
	euid = rump_sys_geteuid();
	if (rump_sys_seteuid(0) == -1)
		return fd;
	rwfd = rump_sys_openat(dirfd, name, (flags & ~(O_CREAT | O_EXCL |
	    O_TRUNC)) | O_RDWR, 0);
	if (rump_sys_seteuid(euid) == -1)
		p2k_thread_forget_ids();
	if (rwfd == -1)
		return fd;
	rump_sys_close(fd);
	return rwfd;
}

static void
p2k_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int fd;

	ENTER(req);
	fd = p2k_openfile(req, NODE(req, ino)->pn_fd, "", fi->flags & ~O_CREAT,
	    0);
	if (fd == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	p2k_note_fd(P2M(req), fd);
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 1;
	if (fuse_reply_open(req, fi) != 0)
		rump_sys_close(fd);
}

static void
p2k_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
    struct fuse_file_info *fi)
{
	struct fuse_entry_param e;
	int fd, error;

	ENTER(req);
	p2k_umask(req);
	fd = p2k_openfile(req, NODE(req, parent)->pn_fd, name,
	    fi->flags | O_CREAT, mode);
	if (fd == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	p2k_note_fd(P2M(req), fd);
	if ((error = p2k_lookup_entry(P2M(req), NODE(req, parent), name,
	    &e)) != 0) {
		rump_sys_close(fd);
		fuse_reply_err(req, error);
		return;
	}
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 1;
	if (fuse_reply_create(req, &e, fi) != 0) {
		rump_sys_close(fd);
		p2k_node_forget(P2M(req), NODE(req, e.ino), 1);
	}
}

/* FUSE wants every byte asked for, short only at end of file. */
static void
p2k_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	size_t done = 0;
	ssize_t n;
	char *buf;

	(void)ino;
	ENTER(req);
	p2k_readahead(P2M(req));
	if ((buf = p2k_thread_buf(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	while (done < size) {
		n = rump_sys_pread((int)fi->fh, buf + done, size - done,
		    off + (off_t)done);
		if (n == -1) {
			if (done > 0)
				break;
			fuse_reply_err(req, errno);
			return;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	fuse_reply_buf(req, buf, done);
}

static void
p2k_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
    off_t off, struct fuse_file_info *fi)
{
	size_t done = 0;
	ssize_t n;

	(void)ino;
	ENTER(req);
	while (done < size) {
		n = rump_sys_pwrite((int)fi->fh, buf + done, size - done,
		    off + (off_t)done);
		if (n == -1) {
			if (done > 0)
				break;
			fuse_reply_err(req, errno);
			return;
		}
		done += (size_t)n;
	}
	fuse_reply_write(req, done);
}

static void
p2k_statfs(fuse_req_t req, fuse_ino_t ino)
{
	struct statvfs sv;

	ENTER(req);
	if (rump_sys_fstatvfs(NODE(req, ino)->pn_fd, &sv) == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_statfs(req, &sv);
}

/* close(2) of one of the host's descriptors: nothing is buffered here. */
static void
p2k_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	(void)fi;
	fuse_reply_err(req, 0);
}

static void
p2k_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	if (p2k_thread_enter(NULL) != 0) {
		fuse_reply_err(req, EIO);
		return;
	}
	p2k_reply_rv(req, rump_sys_close((int)fi->fh));
}

static void
p2k_fsync(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	(void)ino;
	ENTER(req);
	if (datasync)
		p2k_reply_rv(req, rump_sys_fdatasync((int)fi->fh));
	else
		p2k_reply_rv(req, rump_sys_fsync((int)fi->fh));
}

static void
p2k_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	int fd;

	ENTER(req);
	fd = rump_sys_openat(NODE(req, ino)->pn_fd, "", O_RDONLY | O_DIRECTORY,
	    0);
	if (fd == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	p2k_note_fd(P2M(req), fd);
	fi->fh = (uint64_t)fd;
	fi->keep_cache = 1;
	if (fuse_reply_open(req, fi) != 0)
		rump_sys_close(fd);
}

static bool
p2k_isdot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' ||
	    (name[1] == '.' && name[2] == '\0'));
}

/*
 * readdir and readdirplus: entries from the kernel's d_off for the one
 * before (off), as many as fit in size.  With plus, each entry but "."
 * and ".." is looked up and counted, as a lookup would be.
 */
static void
p2k_readdir_common(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi, bool plus)
{
	char dbuf[16384] __attribute__((aligned(8)));
	struct p2k_node *dir = NODE(req, ino);
	const struct p2k_dirent *d;
	struct fuse_entry_param e;
	int fd = (int)fi->fh, error = 0;
	size_t len = 0, need;
	ssize_t n, i;
	char *buf;

	ENTER(req);
	if (size > P2K_MAXIO)
		size = P2K_MAXIO;
	if ((buf = p2k_thread_buf(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	if (rump_sys_lseek(fd, off, SEEK_SET) == -1) {
		fuse_reply_err(req, errno);
		return;
	}
	while ((n = rump_sys_getdents64(fd, dbuf, sizeof(dbuf))) > 0) {
		for (i = 0; i < n; i += d->d_reclen) {
			d = (const struct p2k_dirent *)(dbuf + i);
			need = plus ? fuse_add_direntry_plus(req, NULL, 0,
			    d->d_name, NULL, 0) : fuse_add_direntry(req, NULL,
			    0, d->d_name, NULL, 0);
			if (len + need > size)
				goto full;
			memset(&e, 0, sizeof(e));
			e.attr.st_ino = d->d_ino;
			e.attr.st_mode = (mode_t)DTTOIF(d->d_type);
			if (!plus) {
				len += fuse_add_direntry(req, buf + len,
				    size - len, d->d_name, &e.attr, d->d_off);
				continue;
			}
			/*
			 * Not found (gone meanwhile, or no search permission
			 * to the reader): listed without attributes, as
			 * readdir would.
			 */
			if (!p2k_isdot(d->d_name) && p2k_lookup_entry(P2M(req),
			    dir, d->d_name, &e) != 0) {
				memset(&e, 0, sizeof(e));
				e.attr.st_ino = d->d_ino;
				e.attr.st_mode = (mode_t)DTTOIF(d->d_type);
			}
			len += fuse_add_direntry_plus(req, buf + len,
			    size - len, d->d_name, &e, d->d_off);
		}
	}
	if (n == -1)
		error = errno;
full:
	if (error != 0 && len == 0) {
		fuse_reply_err(req, error);
		return;
	}
	fuse_reply_buf(req, buf, len);
}

static void
p2k_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	p2k_readdir_common(req, ino, size, off, fi, false);
}

static void
p2k_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	p2k_readdir_common(req, ino, size, off, fi, true);
}

static void
p2k_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	p2k_release(req, ino, fi);
}

static void
p2k_fsyncdir(fuse_req_t req, fuse_ino_t ino, int datasync,
    struct fuse_file_info *fi)
{
	(void)datasync;
	p2k_fsync(req, ino, 0, fi);
}

/* access(2) asks about the caller's real ids, which are our effective. */
static void
p2k_access(fuse_req_t req, fuse_ino_t ino, int mask)
{
	ENTER(req);
	p2k_reply_rv(req, rump_sys_faccessat(NODE(req, ino)->pn_fd, "", mask,
	    AT_EACCESS | AT_EMPTY_PATH));
}

static void
p2k_lseek(fuse_req_t req, fuse_ino_t ino, off_t off, int whence,
    struct fuse_file_info *fi)
{
	off_t res;

	(void)ino;
	ENTER(req);
	if ((res = rump_sys_lseek((int)fi->fh, off, whence)) == -1)
		fuse_reply_err(req, errno);
	else
		fuse_reply_lseek(req, res);
}

/*
 * Extended attributes, by the node's O_PATH descriptor (the *xattrat
 * calls with AT_EMPTY_PATH): so symbolic links, devices and FIFOs have
 * theirs as on the host, and nothing is opened.  A size of 0 asks for
 * the size; a value or list larger than size is ERANGE from the kernel.
 */
static void
p2k_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name,
    const char *value, size_t size, int flags)
{
	struct xattr_args args = {
		.value = (uint64_t)(uintptr_t)value,
		.size = (uint32_t)size,
		.flags = (uint32_t)flags,
	};

	ENTER(req);
	if (size > P2K_XATTR_MAX) {
		fuse_reply_err(req, E2BIG);
		return;
	}
	p2k_reply_rv(req, rump_sys_setxattrat(NODE(req, ino)->pn_fd, "",
	    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, name, &args, sizeof(args)));
}

static void
p2k_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
	struct xattr_args args = { .value = 0 };
	ssize_t n;
	void *buf = NULL;

	ENTER(req);
	size = size > P2K_XATTR_MAX ? P2K_XATTR_MAX : size;
	if (size > 0 && (buf = p2k_thread_buf(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	args.value = (uint64_t)(uintptr_t)buf;
	args.size = (uint32_t)size;
	n = rump_sys_getxattrat(NODE(req, ino)->pn_fd, "",
	    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, name, &args, sizeof(args));
	if (n == -1)
		fuse_reply_err(req, errno);
	else if (size == 0)
		fuse_reply_xattr(req, (size_t)n);
	else
		fuse_reply_buf(req, buf, (size_t)n);
}

static void
p2k_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
	ssize_t n;
	char *buf = NULL;

	ENTER(req);
	size = size > P2K_XATTR_MAX ? P2K_XATTR_MAX : size;
	if (size > 0 && (buf = p2k_thread_buf(size)) == NULL) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	n = rump_sys_listxattrat(NODE(req, ino)->pn_fd, "",
	    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, buf, size);
	if (n == -1)
		fuse_reply_err(req, errno);
	else if (size == 0)
		fuse_reply_xattr(req, (size_t)n);
	else
		fuse_reply_buf(req, buf, (size_t)n);
}

static void
p2k_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	ENTER(req);
	p2k_reply_rv(req, rump_sys_removexattrat(NODE(req, ino)->pn_fd, "",
	    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, name));
}

/* Never ENOSYS: the host would stop asking for every mode. */
static void
p2k_fallocate(fuse_req_t req, fuse_ino_t ino, int mode, off_t off,
    off_t len, struct fuse_file_info *fi)
{
	(void)ino;
	ENTER(req);
	p2k_reply_rv(req, rump_sys_fallocate((int)fi->fh, mode, off, len));
}

const struct fuse_lowlevel_ops p2k_ll_ops = {
	.init = p2k_init_conn,
	.lookup = p2k_lookup,
	.forget = p2k_forget,
	.forget_multi = p2k_forget_multi,
	.getattr = p2k_getattr,
	.setattr = p2k_setattr,
	.readlink = p2k_readlink,
	.mknod = p2k_mknod,
	.mkdir = p2k_mkdir,
	.unlink = p2k_unlink,
	.rmdir = p2k_rmdir,
	.symlink = p2k_symlink,
	.rename = p2k_rename,
	.link = p2k_link,
	.open = p2k_open,
	.create = p2k_create,
	.read = p2k_read,
	.write = p2k_write,
	.statfs = p2k_statfs,
	.flush = p2k_flush,
	.release = p2k_release,
	.fsync = p2k_fsync,
	.opendir = p2k_opendir,
	.readdir = p2k_readdir,
	.readdirplus = p2k_readdirplus,
	.releasedir = p2k_releasedir,
	.fsyncdir = p2k_fsyncdir,
	.access = p2k_access,
	.lseek = p2k_lseek,
	.setxattr = p2k_setxattr,
	.getxattr = p2k_getxattr,
	.listxattr = p2k_listxattr,
	.removexattr = p2k_removexattr,
	.fallocate = p2k_fallocate,
};
