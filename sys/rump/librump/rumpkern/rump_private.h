/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* What the files of the kernel core share and nothing else sees. */
#ifndef _RUMPKERN_RUMP_PRIVATE_H_
#define _RUMPKERN_RUMP_PRIVATE_H_

#include <sys/types.h>

struct lwp;
struct proc;

/* scheduler.c */
void sched_init(int ncpu);
void sched_backend_unschedule(void);
void sched_backend_schedule(void);
void rump_schedule(void);
void rump_unschedule(void);
void schedule_lwp(struct lwp *);
void unschedule_lwp(struct lwp *);

/* lwproc.c */
void lwproc_init(void);

/* subr_kmem.c, subr_pool.c */
void kmem_init(size_t limit);
void page_init(void);
/* subr_devsw.c */
void devsw_init(void);
void pool_subsys_init(void);

/* kern_component.c */
void component_init_all(void);

/* kern_syscall.c */
extern bool kern_booted;

/* kern_tc.c */
void time_init(void);

/* kern_timeout.c, kern_softint.c, kern_reboot.c: locks, no threads yet. */
void callout_startup(void);
void softint_startup(void);
void shutdown_init(void);

/* kern_sysctl.c, kern_sysctl_base.c */
void sysctl_init(void);
/* sys_pipe.c: the FIFOs' lock. */
void pipe_init(void);
void sysctl_base_init(void);

#endif /* _RUMPKERN_RUMP_PRIVATE_H_ */
