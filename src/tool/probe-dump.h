#ifndef PROBE_DUMP_H
#define PROBE_DUMP_H

/* dovecot-ntlm-probe: the message dumper (probe-dump.c), on stdout. */

#include "ntlm-msg.h"

/* Offset, hex and ASCII, 16 bytes a line. */
void probe_dump_hex_block(const uint8_t *data, size_t len);
void probe_dump_negotiate(const struct ntlm_negotiate *msg);
/* With show_skew, the MsvAvTimestamp is compared with this host's
   clock. */
void probe_dump_challenge(const char *indent,
			  const struct ntlm_challenge *msg, bool show_skew);
/* Returns -1 when its responses are malformed (after printing them). */
int probe_dump_authenticate(const struct ntlm_authenticate *msg);
/* "CHALLENGE_MESSAGE", or "unknown message". */
const char *probe_msg_type_name(int type);

#endif
