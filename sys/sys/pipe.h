/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * FIFOs: a file system's VFIFO vnode, opened, is a pipe (sys_pipe.c
 * keeps it in v_fifo, from the first open to the last close).  The VFS
 * calls these from a vnode file's operations (vfs_vnops.c); fflag is
 * the file's FREAD, FWRITE and O_NONBLOCK.
 *
 * Context: may sleep; no lock held.  open may wait for the other end as
 * POSIX says, read and write as on a pipe.
 */
#ifndef _SYS_PIPE_H_
#define _SYS_PIPE_H_

struct pollwait;
struct uio;
struct vnode;

/*
 * Open an end: 0, ENXIO (write-only, O_NONBLOCK, no reader) or ENOMEM.
 * Each successful open is closed once with the same fflag.
 */
int pipe_fifo_open(struct vnode *, unsigned fflag);
void pipe_fifo_close(struct vnode *, unsigned fflag);
/* As read(2), write(2), FIONREAD and poll(2) on a pipe's end. */
int pipe_fifo_read(struct vnode *, struct uio *, unsigned fflag);
int pipe_fifo_write(struct vnode *, struct uio *, unsigned fflag);
int pipe_fifo_ioctl(struct vnode *, unsigned long cmd, void *data);
int pipe_fifo_poll(struct vnode *, unsigned fflag, int events,
    struct pollwait *);

#endif /* _SYS_PIPE_H_ */
