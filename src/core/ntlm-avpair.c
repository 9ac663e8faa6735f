#include "ntlm-avpair.h"
#include "ntlm-reader.h"
#include "ntlm-writer.h"

#include <string.h>

/* MS-NLMP 2.2.2.1: one row per known identifier. */
static const struct ntlm_av_id_row av_id_rows[] = {
	{ NTLM_AV_EOL, "MsvAvEOL", false, 0, false, NULL },
	{ NTLM_AV_NB_COMPUTER_NAME, "MsvAvNbComputerName", true, 0, false,
	  NULL },
	{ NTLM_AV_NB_DOMAIN_NAME, "MsvAvNbDomainName", true, 0, false, NULL },
	{ NTLM_AV_DNS_COMPUTER_NAME, "MsvAvDnsComputerName", true, 0, false,
	  NULL },
	{ NTLM_AV_DNS_DOMAIN_NAME, "MsvAvDnsDomainName", true, 0, false,
	  NULL },
	{ NTLM_AV_DNS_TREE_NAME, "MsvAvDnsTreeName", true, 0, false, NULL },
	{ NTLM_AV_FLAGS, "MsvAvFlags", false, 4, false,
	  "MsvAvFlags is not 4 bytes" },
	{ NTLM_AV_TIMESTAMP, "MsvAvTimestamp", false, 8, false,
	  "MsvAvTimestamp is not 8 bytes" },
	{ NTLM_AV_SINGLE_HOST, "MsvAvSingleHost", false, 48, true,
	  "MsvAvSingleHost is shorter than 48 bytes" },
	{ NTLM_AV_TARGET_NAME, "MsvAvTargetName", true, 0, false, NULL },
	{ NTLM_AV_CHANNEL_BINDINGS, "MsvAvChannelBindings", false, 16, false,
	  "MsvAvChannelBindings is not 16 bytes" },
};

/* MS-NLMP 2.2.2.1 MsvAvFlags: one row per defined bit. */
static const struct ntlm_name_row av_flag_rows[] = {
	{ NTLM_AV_FLAG_CONSTRAINED, "CONSTRAINED" },
	{ NTLM_AV_FLAG_MIC_PRESENT, "MIC_PRESENT" },
	{ NTLM_AV_FLAG_UNTRUSTED_SPN, "UNTRUSTED_SPN" },
};

const struct ntlm_av_id_row *ntlm_av_id_lookup(uint16_t id)
{
	unsigned int i;

	for (i = 0; i < NTLM_N_ELEMENTS(av_id_rows); i++) {
		if (av_id_rows[i].id == id)
			return &av_id_rows[i];
	}
	return NULL;
}

const char *ntlm_av_id_name(uint16_t id)
{
	const struct ntlm_av_id_row *row = ntlm_av_id_lookup(id);

	return row == NULL ? NULL : row->name;
}

bool ntlm_av_id_is_name(uint16_t id)
{
	const struct ntlm_av_id_row *row = ntlm_av_id_lookup(id);

	return row != NULL && row->is_name;
}

const char *ntlm_av_flag_name(uint32_t flag)
{
	return ntlm_name_row_find(av_flag_rows, NTLM_N_ELEMENTS(av_flag_rows),
				  flag);
}

int ntlm_av_next(const struct ntlm_slice *list, size_t *pos,
		 uint16_t *id_r, struct ntlm_slice *value_r,
		 const char **error_r)
{
	struct ntlm_reader r;
	struct ntlm_slice value;
	uint16_t id, len;

	ntlm_reader_init_slice(&r, list);
	if (!ntlm_reader_seek(&r, *pos) ||
	    !ntlm_reader_u16(&r, &id) || !ntlm_reader_u16(&r, &len)) {
		*error_r = "AV pair list ends without MsvAvEOL";
		return -1;
	}
	if (!ntlm_reader_bytes(&r, len, &value)) {
		*error_r = "AV pair value runs past the end of the list";
		return -1;
	}
	if (id == NTLM_AV_EOL) {
		if (len != 0) {
			*error_r = "MsvAvEOL with a non-zero length";
			return -1;
		}
		*pos = r.pos;
		return 0;
	}
	*id_r = id;
	*value_r = value;
	*pos = r.pos;
	return 1;
}

/* The length rule of a known identifier's row (unknown ones: any). */
static bool av_length_ok(uint16_t id, size_t len, const char **error_r)
{
	const struct ntlm_av_id_row *row = ntlm_av_id_lookup(id);

	if (row == NULL)
		return true;
	if (row->is_name && len % 2 != 0) {
		*error_r = "AV pair name with an odd length";
		return false;
	}
	if (row->size != 0 &&
	    (row->size_is_minimum ? len < row->size : len != row->size)) {
		*error_r = row->size_error;
		return false;
	}
	return true;
}

static struct ntlm_slice *av_name_slot(struct ntlm_av_info *info,
				       uint16_t id)
{
	switch (id) {
	case NTLM_AV_NB_COMPUTER_NAME:
		return &info->nb_computer;
	case NTLM_AV_NB_DOMAIN_NAME:
		return &info->nb_domain;
	case NTLM_AV_DNS_COMPUTER_NAME:
		return &info->dns_computer;
	case NTLM_AV_DNS_DOMAIN_NAME:
		return &info->dns_domain;
	case NTLM_AV_DNS_TREE_NAME:
		return &info->dns_tree;
	case NTLM_AV_TARGET_NAME:
		return &info->target_name;
	case NTLM_AV_SINGLE_HOST:
		return &info->single_host;
	case NTLM_AV_CHANNEL_BINDINGS:
		return &info->channel_bindings;
	}
	return NULL;
}

int ntlm_av_parse(const uint8_t *data, size_t len,
		  struct ntlm_av_info *info_r, const char **error_r)
{
	struct ntlm_av_info info;
	struct ntlm_slice list = { data, len }, value;
	struct ntlm_reader vr;
	uint32_t seen = 0;
	size_t pos = 0;
	uint16_t id;
	int ret;

	memset(&info, 0, sizeof(info));
	for (;;) {
		if (info.count >= NTLM_MAX_AV_PAIRS) {
			*error_r = "too many AV pairs";
			return -1;
		}
		ret = ntlm_av_next(&list, &pos, &id, &value, error_r);
		if (ret < 0)
			return -1;
		info.count++;
		if (ret == 0)
			break;
		if (!av_length_ok(id, value.len, error_r))
			return -1;
		if (id <= NTLM_AV_CHANNEL_BINDINGS) {
			if ((seen & (1U << id)) != 0) {
				*error_r = "AV pair appears twice";
				return -1;
			}
			seen |= 1U << id;
		}
		if (id == NTLM_AV_FLAGS) {
			ntlm_reader_init_slice(&vr, &value);
			(void)ntlm_reader_u32(&vr, &info.flags);
			info.have_flags = true;
		} else if (id == NTLM_AV_TIMESTAMP) {
			ntlm_reader_init_slice(&vr, &value);
			(void)ntlm_reader_u64(&vr, &info.timestamp);
			info.have_timestamp = true;
		} else {
			struct ntlm_slice *slot = av_name_slot(&info, id);

			if (slot != NULL)
				*slot = value;
		}
	}
	info.raw.data = data;
	info.raw.len = pos;
	*info_r = info;
	return 0;
}

void ntlm_av_write(struct ntlm_writer *w, uint16_t id,
		   const void *value, size_t len)
{
	if (len > UINT16_MAX) {
		w->failed = true;
		return;
	}
	ntlm_writer_append_u16(w, id);
	ntlm_writer_append_u16(w, (uint16_t)len);
	ntlm_writer_append(w, value, len);
}

void ntlm_av_write_u32(struct ntlm_writer *w, uint16_t id, uint32_t value)
{
	ntlm_writer_append_u16(w, id);
	ntlm_writer_append_u16(w, 4);
	ntlm_writer_append_u32(w, value);
}

void ntlm_av_write_u64(struct ntlm_writer *w, uint16_t id, uint64_t value)
{
	ntlm_writer_append_u16(w, id);
	ntlm_writer_append_u16(w, 8);
	ntlm_writer_append_u64(w, value);
}

void ntlm_av_write_eol(struct ntlm_writer *w)
{
	ntlm_writer_append_u16(w, NTLM_AV_EOL);
	ntlm_writer_append_u16(w, 0);
}
