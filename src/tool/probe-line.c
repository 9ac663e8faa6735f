/* dovecot-ntlm-probe: the line reader. */

#include "dovecot-ntlm-config.h"

#include "probe-line.h"

#include <string.h>

void probe_line_reader_init(struct probe_line_reader *reader,
			    probe_line_read_func_t *read, void *context)
{
	reader->read = read;
	reader->context = context;
	reader->pos = reader->len = 0;
	reader->line[0] = '\0';
}

int probe_line_read(struct probe_line_reader *reader, const char **error_r)
{
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(reader->buf + reader->pos, '\n',
			    reader->len - reader->pos);
		if (nl != NULL) {
			size_t len = (size_t)(nl - (reader->buf + reader->pos));

			memcpy(reader->line, reader->buf + reader->pos, len);
			reader->pos += len + 1;
			if (len > 0 && reader->line[len - 1] == '\r')
				len--;
			reader->line[len] = '\0';
			if (strlen(reader->line) != len) {
				*error_r = "server sent a NUL byte";
				return -1;
			}
			return 0;
		}
		if (reader->pos > 0) {
			memmove(reader->buf, reader->buf + reader->pos,
				reader->len - reader->pos);
			reader->len -= reader->pos;
			reader->pos = 0;
		}
		if (reader->len == sizeof(reader->buf)) {
			*error_r = "server sent an overlong line";
			return -1;
		}
		n = reader->read(reader->context, reader->buf + reader->len,
				 sizeof(reader->buf) - reader->len, error_r);
		if (n == 0)
			*error_r = "server closed the connection";
		if (n <= 0)
			return -1;
		reader->len += (size_t)n;
	}
}

size_t probe_line_pending(const struct probe_line_reader *reader)
{
	return reader->len - reader->pos;
}
