#ifndef PROBE_LINE_H
#define PROBE_LINE_H

/* dovecot-ntlm-probe: the line reader (probe-line.c). Reads CRLF- or
   LF-terminated lines from any byte source through a buffer of its own;
   the connection layer gives it the socket or the TLS session. */

#include "ntlm-common.h"

#include <sys/types.h>

/* Longest server line accepted: a CHALLENGE of NTLM_MAX_MESSAGE_SIZE in
   base64 plus the protocol's prefix. */
#define PROBE_LINE_MAX (NTLM_MAX_MESSAGE_SIZE / 3 * 4 + 64)

/* Read up to size bytes into buf. Returns how many (> 0), 0 when the
   peer closed the connection, or -1 with a static *error_r. */
typedef ssize_t probe_line_read_func_t(void *context, void *buf, size_t size,
				       const char **error_r);

struct probe_line_reader {
	probe_line_read_func_t *read;
	void *context;
	char buf[PROBE_LINE_MAX];
	size_t pos, len;
	/* The last line read, without its CRLF or LF. */
	char line[PROBE_LINE_MAX];
};

void probe_line_reader_init(struct probe_line_reader *reader,
			    probe_line_read_func_t *read, void *context);
/* Read the next line into reader->line. Returns 0, or -1 with a static
   *error_r: the source's error, the end of the input, a NUL byte in the
   line, or a line longer than PROBE_LINE_MAX - 1. */
int probe_line_read(struct probe_line_reader *reader, const char **error_r);
/* Bytes received after the last line returned. */
size_t probe_line_pending(const struct probe_line_reader *reader);

#endif
