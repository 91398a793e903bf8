/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * Sequence number arithmetic (RFC 9293 3.4): sequence numbers are 32-bit
 * and wrap, so "a before b" is the sign of the difference, valid while
 * the two are less than 2^31 apart.  Timestamps (RFC 7323 5.2) compare
 * the same way.
 */
#ifndef _NETINET_TCP_SEQ_H_
#define _NETINET_TCP_SEQ_H_

#include <netinet/tcp.h>

#define SEQ_LT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)) > 0)
#define SEQ_GEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) >= 0)
#define SEQ_MIN(a, b) (SEQ_LT(a, b) ? (a) : (b))
#define SEQ_MAX(a, b) (SEQ_GT(a, b) ? (a) : (b))
/* a - b as a byte count, for a at or after b. */
#define SEQ_SUB(a, b) ((uint32_t)((uint32_t)(a) - (uint32_t)(b)))

#define TSTMP_LT(a, b)  SEQ_LT(a, b)
#define TSTMP_GEQ(a, b) SEQ_GEQ(a, b)

#endif /* _NETINET_TCP_SEQ_H_ */
