/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The sysproxy wire format, shared by the server (lib/librumpuser/
 * rumpuser_sp.c) and the client library (rumpclient.c); rumpclient(3)
 * describes it for users.
 *
 * A connection is a stream of frames.  Every frame starts with this
 * 32-byte header, in host byte order (client and server run on one host,
 * or on hosts of one architecture):
 *
 *   offset size field
 *   0      4    sh_len    the whole frame, header included
 *   4      2    sh_type   SP_* below
 *   6      2    sh_pad    zero
 *   8      4    sh_error  replies: 0 or a Linux errno value
 *   12     4    sh_num    SP_SYSCALL: the system call's number
 *                         (syscalls.master); SP_HELLO: SP_VERSION
 *   16     8    sh_arg0   a client address, a result, a kind
 *   24     8    sh_arg1   a length, a result
 *   32          payload   sh_len - 32 bytes
 *
 * The conversation:
 *   client SP_HELLO        arg0 SP_HELLO_NEW, payload the program's name
 *                          (at most SP_COMMLEN bytes): a new process;
 *                          arg0 SP_HELLO_FORK, payload the SP_COOKIELEN-
 *                          byte cookie of an SP_PREFORK: the child made;
 *                          arg0 SP_HELLO_JOIN, payload a process's cookie
 *                          (from its hello): one more lwp of it, for
 *                          another thread of the client
 *   server SP_HELLO        error, arg0 the client's pid in the kernel,
 *                          payload (no error) the process's cookie
 *   client SP_SYSCALL      num, payload the arguments, one 8-byte value
 *                          each as a register holds them, at most
 *                          SP_MAXREGS (missing ones are zero)
 *   server SP_COPYIN       arg0 address, arg1 length (1..SP_COPYMAX),
 *                          num: bytes past them the client may add
 *                          (read-ahead; the shared region only)
 *   client SP_COPYDATA     error (EFAULT) or payload: arg1 bytes, and
 *                          as many of the num after them as are
 *                          readable
 *   server SP_COPYINSTR    arg0 address, arg1 most bytes, NUL included
 *   client SP_COPYDATA     error, or payload: the string and its NUL, or
 *                          arg1 bytes with no NUL (too long)
 *   server SP_COPYOUT      arg0 address, payload the bytes; no reply (a
 *                          bad address makes the call's result EFAULT
 *                          on the client's side)
 *   server SP_SYSCALL      error, arg0 the result: the call is over
 *   client SP_PREFORK      (no payload)
 *   server SP_PREFORK      error, payload the cookie
 *   client SP_SHMSETUP     (no payload; right after the hello, on a
 *                          Unix socket)
 *   server SP_SHMSETUP     error, or arg0 the size of a shared region
 *                          and its memfd (SCM_RIGHTS): from then on the
 *                          frames go through it (sp_shm.h)
 * Copy requests come only while a system call of the client is running;
 * a client makes one call at a time.  Anything else (a frame too long or
 * too short, an unknown type, a reply of the wrong kind) ends the
 * connection, and the client's process with it.
 */
#ifndef _SP_PROTO_H_
#define _SP_PROTO_H_

#include <stdint.h>

#define SP_VERSION   1
#define SP_HDRLEN    32
#define SP_MAXREGS   8
#define SP_COMMLEN   16
#define SP_COOKIELEN 16
#define SP_COPYMAX   (16u << 20) /* one copy request, at most */

enum sp_type {
	SP_HELLO = 1,
	SP_SYSCALL,
	SP_COPYIN,
	SP_COPYINSTR,
	SP_COPYOUT,
	SP_COPYDATA,
	SP_PREFORK,
	SP_SHMSETUP,
};

enum sp_hellokind {
	SP_HELLO_NEW = 0,
	SP_HELLO_FORK = 1,
	SP_HELLO_JOIN = 2,
};

struct sp_hdr {
	uint32_t sh_len;
	uint16_t sh_type;
	uint16_t sh_pad;
	int32_t sh_error;
	int32_t sh_num;
	uint64_t sh_arg0;
	uint64_t sh_arg1;
};

_Static_assert(sizeof(struct sp_hdr) == SP_HDRLEN, "sp_hdr is 32 bytes");

#endif /* _SP_PROTO_H_ */
