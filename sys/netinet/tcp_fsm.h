/* SPDX-License-Identifier: BSD-2-Clause */
/* Copyright (c) 2026 The rump on Linux developers. */

/*
 * The connection state machine of RFC 9293 3.3.2, with the original's
 * names and order, and the map to Linux's numbers (TCP_INFO, the
 * connection list).  Transitions, each made by tcp_set_state():
 *
 *   CLOSED -> LISTEN                     listen(2)
 *   CLOSED -> SYN_SENT                   connect(2): SYN sent
 *   LISTEN -> SYN_RECEIVED               SYN in (syncache expands on the ACK)
 *   SYN_SENT -> SYN_RECEIVED             SYN in (simultaneous open): SYN-ACK out
 *   SYN_SENT -> ESTABLISHED              SYN-ACK in: ACK out
 *   SYN_RECEIVED -> ESTABLISHED          ACK of our SYN in
 *   ESTABLISHED -> FIN_WAIT_1            close/shutdown: FIN out
 *   ESTABLISHED -> CLOSE_WAIT            FIN in
 *   SYN_RECEIVED -> FIN_WAIT_1           close before the handshake ends
 *   FIN_WAIT_1 -> FIN_WAIT_2             our FIN acknowledged
 *   FIN_WAIT_1 -> CLOSING                FIN in (simultaneous close)
 *   FIN_WAIT_1 -> TIME_WAIT              FIN in acknowledging ours
 *   FIN_WAIT_2 -> TIME_WAIT              FIN in
 *   CLOSING -> TIME_WAIT                 our FIN acknowledged
 *   CLOSE_WAIT -> LAST_ACK               close/shutdown: FIN out
 *   LAST_ACK -> CLOSED                   our FIN acknowledged
 *   TIME_WAIT -> CLOSED                  2*MSL timer, or reuse by a new SYN
 *   any -> CLOSED                        RST, abort, timeout
 */
#ifndef _NETINET_TCP_FSM_H_
#define _NETINET_TCP_FSM_H_

#define TCPS_CLOSED       0
#define TCPS_LISTEN       1
#define TCPS_SYN_SENT     2
#define TCPS_SYN_RECEIVED 3
#define TCPS_ESTABLISHED  4
#define TCPS_CLOSE_WAIT   5
#define TCPS_FIN_WAIT_1   6
#define TCPS_CLOSING      7
#define TCPS_LAST_ACK     8
#define TCPS_FIN_WAIT_2   9
#define TCPS_TIME_WAIT    10
#define TCP_NSTATES       11

/* Our SYN was answered (or theirs received). */
#define TCPS_HAVERCVDSYN(s)     ((s) >= TCPS_SYN_RECEIVED)
#define TCPS_HAVEESTABLISHED(s) ((s) >= TCPS_ESTABLISHED)
/* A FIN has come in: no more data from the peer. */
#define TCPS_HAVERCVDFIN(s)                                                    \
	((s) == TCPS_CLOSE_WAIT || (s) == TCPS_CLOSING ||                      \
	    (s) == TCPS_LAST_ACK || (s) == TCPS_TIME_WAIT)

extern const char *const tcpstates[TCP_NSTATES];
/* Linux's TCP_* number for a state (<netinet/tcp.h>). */
extern const unsigned char tcp_state_linux[TCP_NSTATES];

#endif /* _NETINET_TCP_FSM_H_ */
