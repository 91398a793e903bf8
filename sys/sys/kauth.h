/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Credentials, in kern_auth.c.  A credential is immutable once shared:
 * changing a process's ids makes a new one (kauth_cred_dup) and swaps it
 * in under p_lock.  References are counted.
 */
#ifndef _SYS_KAUTH_H_
#define _SYS_KAUTH_H_

#include <sys/param.h>

typedef struct kauth_cred {
	unsigned cr_refcnt;             /* atomic */
	uid_t cr_uid, cr_euid, cr_svuid;
	gid_t cr_gid, cr_egid, cr_svgid;
	unsigned cr_ngroups;
	gid_t cr_groups[NGROUPS];
} *kauth_cred_t;

kauth_cred_t kauth_cred_alloc(void);    /* root, no groups; NULL on ENOMEM */
kauth_cred_t kauth_cred_dup(kauth_cred_t);
void kauth_cred_hold(kauth_cred_t);
void kauth_cred_free(kauth_cred_t);
/* Whether the credential has gid as its effective or a supplementary group. */
bool kauth_cred_groupmember(kauth_cred_t, gid_t);
/* The superuser test: effective uid 0. */
static inline bool
kauth_cred_issuser(kauth_cred_t cred)
{
	return cred->cr_euid == 0;
}
/* The credential of the current lwp's process. */
kauth_cred_t kauth_cred_get(void);

#endif /* _SYS_KAUTH_H_ */
