#ifndef NTLM_AVPAIR_H
#define NTLM_AVPAIR_H

/* AV_PAIR lists (MS-NLMP 2.2.2.1): the TargetInfo of a CHALLENGE and the
   pairs inside an NTLMv2 client challenge.

   Parsing rules: a list must end with MsvAvEOL (whose length must be 0);
   at most NTLM_MAX_AV_PAIRS pairs; values with a fixed size (MsvAvFlags
   4, MsvAvTimestamp 8, MsvAvChannelBindings 16, MsvAvSingleHost at
   least 48) must have exactly (at least) that size; name values must
   have an even length; a known identifier may appear only once. Unknown
   identifiers are skipped. Bytes after MsvAvEOL are not part of the
   list and are left to the caller. */

#include "ntlm-common.h"

struct ntlm_writer;

struct ntlm_av_info {
	/* Pairs seen, EOL included. */
	unsigned int count;
	/* The list bytes, up to and including MsvAvEOL. */
	struct ntlm_slice raw;

	/* UTF-16LE values, empty when absent. */
	struct ntlm_slice nb_computer;
	struct ntlm_slice nb_domain;
	struct ntlm_slice dns_computer;
	struct ntlm_slice dns_domain;
	struct ntlm_slice dns_tree;
	struct ntlm_slice target_name;
	struct ntlm_slice single_host;
	struct ntlm_slice channel_bindings;

	bool have_flags;
	uint32_t flags;
	bool have_timestamp;
	uint64_t timestamp;
};

/* Parse a list at the start of data[0..len). Fills *info_r on success;
   on failure returns -1 with a static *error_r and leaves *info_r
   untouched. */
int ntlm_av_parse(const uint8_t *data, size_t len,
		  struct ntlm_av_info *info_r, const char **error_r);

/* Walk a list one pair at a time (for dumping). Start with *pos = 0.
   Returns 1 with the pair, 0 after MsvAvEOL, -1 on a malformed list. */
int ntlm_av_next(const struct ntlm_slice *list, size_t *pos,
		 uint16_t *id_r, struct ntlm_slice *value_r,
		 const char **error_r);

/* What MS-NLMP 2.2.2.1 says of one known identifier: the parser's
   length rules and the names the dumpers print. */
struct ntlm_av_id_row {
	uint16_t id;
	/* "MsvAvTimestamp" */
	const char *name;
	/* The value is a UTF-16LE name (so of even length). */
	bool is_name;
	/* The value's size (0: not fixed), or with size_is_minimum its
	   least size; size_error is the parser's reason when it is not. */
	uint16_t size;
	bool size_is_minimum;
	const char *size_error;
};

/* The row of a known identifier, or NULL. */
const struct ntlm_av_id_row *ntlm_av_id_lookup(uint16_t id);
/* Human-readable name of an identifier ("MsvAvTimestamp"), or NULL. */
const char *ntlm_av_id_name(uint16_t id);
/* Whether the identifier's value is a UTF-16LE name. */
bool ntlm_av_id_is_name(uint16_t id);
/* Name of one MsvAvFlags bit ("MIC_PRESENT"), or NULL if unknown. */
const char *ntlm_av_flag_name(uint32_t flag);

/* Emit pairs into a writer's payload. */
void ntlm_av_write(struct ntlm_writer *w, uint16_t id,
		   const void *value, size_t len);
void ntlm_av_write_u32(struct ntlm_writer *w, uint16_t id, uint32_t value);
void ntlm_av_write_u64(struct ntlm_writer *w, uint16_t id, uint64_t value);
void ntlm_av_write_eol(struct ntlm_writer *w);

#endif
