/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/* Atomic operations, on the compiler's builtins (no host call). */
#ifndef _SYS_ATOMIC_H_
#define _SYS_ATOMIC_H_

#define atomic_load_relaxed(p)     __atomic_load_n((p), __ATOMIC_RELAXED)
#define atomic_load_acquire(p)     __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define atomic_store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define atomic_store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define atomic_inc_uint(p)         ((void)__atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST))
#define atomic_dec_uint_nv(p)      __atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)
#define atomic_add_long(p, v)      ((void)__atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST))
#define atomic_add_long_nv(p, v)   __atomic_add_fetch((p), (v), __ATOMIC_SEQ_CST)
#define atomic_cas_ptr(p, o, n)                                                \
	__extension__({                                                        \
		__typeof__(*(p)) o_ = (o);                                     \
		__atomic_compare_exchange_n((p), &o_, (n), 0,                  \
		    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                       \
	})
#define membar_sync() __atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* _SYS_ATOMIC_H_ */
