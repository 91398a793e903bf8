/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Open files (kern_descrip.c).  A struct file is what a descriptor refers
 * to: an object (pipe end, vnode, socket) and its operations, the open
 * flags and, for seekable objects, the offset.  Descriptors in one or more
 * processes share it by reference count.
 *
 * Locking: (f) f_lock, (a) atomic, (c) stable after creation.
 */
#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include <sys/mutex.h>
#include <sys/uio.h>

struct file;
struct filedesc;
struct lwp;
struct proc;
struct kauth_cred;
struct stat;
struct pollfd;
struct pollwait;

/*
 * The operations of an open file.  read/write get the offset to use in
 * *offp and advance it; FOF_UPDATE_OFFSET says it is the file's own.
 * poll returns the subset of events ready now and, when none is and pw is
 * not NULL, records pw so that a later change wakes it (selrecord).
 * seek moves f_offset (under f_lock) and returns the new offset in
 * *newoffp; an object without a position (a pipe) has no fo_seek, and the
 * generic layer answers ESPIPE for lseek, pread and pwrite on it.
 * fdclose, when set, is told each time a descriptor table lets go of one
 * descriptor of the file (close, dup2 over it, the table's end), even
 * when others still refer to the file: POSIX record locks belong to the
 * table and go at its first close of any descriptor of the file.
 */
#define FOF_UPDATE_OFFSET 0x01
struct fileops {
	const char *fo_name;
	int (*fo_read)(struct file *, off_t *, struct uio *, int flags);
	int (*fo_write)(struct file *, off_t *, struct uio *, int flags);
	int (*fo_ioctl)(struct file *, unsigned long cmd, void *data);
	int (*fo_fcntl)(struct file *, unsigned cmd, void *data);
	int (*fo_poll)(struct file *, int events, struct pollwait *);
	int (*fo_stat)(struct file *, struct stat *);
	int (*fo_close)(struct file *);
	int (*fo_seek)(struct file *, off_t delta, int whence, off_t *newoffp);
	void (*fo_fdclose)(struct file *, struct filedesc *);
};

struct file {
	kmutex_t f_lock;
	const struct fileops *f_ops;    /* c */
	void *f_data;                   /* c: the object */
	int f_type;                     /* c: DTYPE_* */
	unsigned f_flag;                /* f: FREAD, FWRITE, O_APPEND ... */
	unsigned f_count;               /* a: references */
	off_t f_offset;                 /* f */
	struct kauth_cred *f_cred;      /* c: opener's credential */
};

#define DTYPE_VNODE  1
#define DTYPE_SOCKET 2
#define DTYPE_PIPE   3
#define DTYPE_MISC   4

/* f_flag: the open(2) flags, with the access mode as two bits. */
#define FREAD  0x1
#define FWRITE 0x2
#define FPATH  010000000        /* O_PATH: a reference to a file, no I/O */

/* Allocate a file and a descriptor for it in the current process. */
int fd_allocfile(struct file **fpp, int *fdp);
/* Attach ops and data and make the descriptor visible. */
void fd_affix(struct proc *, struct file *, int fd);
/* Undo fd_allocfile before fd_affix. */
void fd_abort(struct proc *, struct file *, int fd);
/* Look a descriptor up and take a reference; EBADF if not open. */
int fd_getfile(int fd, struct file **fpp);
void fd_putfile(struct file *);
/* Close the descriptor. */
int fd_close(int fd);
/* The current process's descriptor limit (RLIMIT_NOFILE). */
unsigned fd_getlimit(void);
/* The close-on-exec flag of a descriptor. */
void fd_set_exclose(int fd, bool);
bool fd_get_exclose(int fd);
/*
 * Make newfd refer to oldfd's file (dup2, dup3), closing what it held; with
 * newfd < 0, use the lowest free descriptor >= minfd (dup, F_DUPFD).
 */
int fd_dup(int oldfd, int newfd, unsigned minfd, bool exclose, int *newfdp);
/* Take and drop references to a file. */
void file_hold(struct file *);
int file_release(struct file *);

/* The fileops entry for operations an object does not support. */
int fbadop_ioctl(struct file *, unsigned long, void *);

#endif /* _SYS_FILE_H_ */
