/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * TCP's timers (tcp_timer.c).  Each connection has one callout per timer;
 * nothing polls.  A timer is armed with tcp_timer_arm() for a time in
 * microseconds and runs its handler under softnet_lock.
 *
 *   REXMT    retransmission (RFC 6298), also SYN and SYN-ACK retries
 *   PERSIST  zero-window probes while the peer's window is closed
 *   KEEP     connection-establishment limit, then keepalive probes
 *   2MSL     TIME_WAIT, and FIN_WAIT_2 of a closed socket
 *   DELACK   delayed acknowledgement
 *
 * REXMT and PERSIST are never armed together.
 */
#ifndef _NETINET_TCP_TIMER_H_
#define _NETINET_TCP_TIMER_H_

#define TCPT_REXMT   0
#define TCPT_PERSIST 1
#define TCPT_KEEP    2
#define TCPT_2MSL    3
#define TCPT_DELACK  4
#define TCPT_NTIMERS 5

/* Microseconds. */
#define TCP_US_PER_MS     1000ULL
#define TCP_US_PER_S      1000000ULL
#define TCPTV_MIN         (200 * TCP_US_PER_MS)  /* least RTO (RFC 6298 2.4 allows 1 s; Linux uses 200 ms) */
#define TCPTV_MAX         (120 * TCP_US_PER_S)   /* largest RTO (RFC 6298 2.5: at least 60 s) */
#define TCPTV_INITRTO     (1 * TCP_US_PER_S)     /* RFC 6298 2.1 */
#define TCPTV_DELACK      (40 * TCP_US_PER_MS)   /* RFC 9293 3.8.6.3: under 500 ms */
#define TCPTV_PERSMIN     (200 * TCP_US_PER_MS)
#define TCPTV_PERSMAX     (60 * TCP_US_PER_S)
#define TCPTV_KEEP_INIT   (75 * TCP_US_PER_S)    /* connection establishment */
#define TCPTV_KEEP_IDLE   (7200 * TCP_US_PER_S)  /* RFC 1122 4.2.3.6: 2 hours */
#define TCPTV_KEEPINTVL   (75 * TCP_US_PER_S)
#define TCPTV_KEEPCNT     9
#define TCPTV_MSL         (30 * TCP_US_PER_S)    /* net.inet.tcp.msl_ms */

#define TCP_MAXRXTSHIFT   12    /* retransmissions before ETIMEDOUT */
#define TCP_SYNRETRIES    6     /* SYN retransmissions (Linux: tcp_syn_retries) */
#define TCP_SYNACKRETRIES 5     /* SYN-ACK retransmissions from the syncache */

#endif /* _NETINET_TCP_TIMER_H_ */
