/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Credentials: allocation, copying, reference counting, group tests. */
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/proc.h>

kauth_cred_t
kauth_cred_alloc(void)
{
	kauth_cred_t cred;

	if ((cred = kmem_zalloc(sizeof(*cred), KM_SLEEP)) == NULL)
		return NULL;
	cred->cr_refcnt = 1;
	return cred;
}

kauth_cred_t
kauth_cred_dup(kauth_cred_t from)
{
	kauth_cred_t cred;

	if ((cred = kmem_alloc(sizeof(*cred), KM_SLEEP)) == NULL)
		return NULL;
	*cred = *from;
	cred->cr_refcnt = 1;
	return cred;
}

void
kauth_cred_hold(kauth_cred_t cred)
{
	atomic_inc_uint(&cred->cr_refcnt);
}

void
kauth_cred_free(kauth_cred_t cred)
{
	if (atomic_dec_uint_nv(&cred->cr_refcnt) == 0)
		kmem_free(cred, sizeof(*cred));
}

bool
kauth_cred_groupmember(kauth_cred_t cred, gid_t gid)
{
	if (cred->cr_egid == gid)
		return true;
	for (unsigned i = 0; i < cred->cr_ngroups; i++)
		if (cred->cr_groups[i] == gid)
			return true;
	return false;
}

/*
 * The current lwp's credential.  Each lwp holds a reference to its own
 * copy of the process credential, refreshed at every system call entry
 * (lwp_cred_refresh), so another lwp changing the process's ids cannot
 * free it under us.
 */
kauth_cred_t
kauth_cred_get(void)
{
	return curlwp->l_cred;
}
