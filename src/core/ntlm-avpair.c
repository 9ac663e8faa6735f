#include "ntlm-avpair.h"
#include "ntlm-reader.h"
#include "ntlm-writer.h"

#include <string.h>

const char *ntlm_av_id_name(uint16_t id)
{
	switch (id) {
	case NTLM_AV_EOL:
		return "MsvAvEOL";
	case NTLM_AV_NB_COMPUTER_NAME:
		return "MsvAvNbComputerName";
	case NTLM_AV_NB_DOMAIN_NAME:
		return "MsvAvNbDomainName";
	case NTLM_AV_DNS_COMPUTER_NAME:
		return "MsvAvDnsComputerName";
	case NTLM_AV_DNS_DOMAIN_NAME:
		return "MsvAvDnsDomainName";
	case NTLM_AV_DNS_TREE_NAME:
		return "MsvAvDnsTreeName";
	case NTLM_AV_FLAGS:
		return "MsvAvFlags";
	case NTLM_AV_TIMESTAMP:
		return "MsvAvTimestamp";
	case NTLM_AV_SINGLE_HOST:
		return "MsvAvSingleHost";
	case NTLM_AV_TARGET_NAME:
		return "MsvAvTargetName";
	case NTLM_AV_CHANNEL_BINDINGS:
		return "MsvAvChannelBindings";
	}
	return NULL;
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

/* Length rule for a known identifier; -1 = any even length (names),
   0 = not fixed, else the exact size (or minimum for SingleHost). */
static bool av_length_ok(uint16_t id, size_t len, const char **error_r)
{
	switch (id) {
	case NTLM_AV_NB_COMPUTER_NAME:
	case NTLM_AV_NB_DOMAIN_NAME:
	case NTLM_AV_DNS_COMPUTER_NAME:
	case NTLM_AV_DNS_DOMAIN_NAME:
	case NTLM_AV_DNS_TREE_NAME:
	case NTLM_AV_TARGET_NAME:
		if (len % 2 != 0) {
			*error_r = "AV pair name with an odd length";
			return false;
		}
		return true;
	case NTLM_AV_FLAGS:
		if (len != 4) {
			*error_r = "MsvAvFlags is not 4 bytes";
			return false;
		}
		return true;
	case NTLM_AV_TIMESTAMP:
		if (len != 8) {
			*error_r = "MsvAvTimestamp is not 8 bytes";
			return false;
		}
		return true;
	case NTLM_AV_CHANNEL_BINDINGS:
		if (len != 16) {
			*error_r = "MsvAvChannelBindings is not 16 bytes";
			return false;
		}
		return true;
	case NTLM_AV_SINGLE_HOST:
		if (len < 48) {
			*error_r = "MsvAvSingleHost is shorter than 48 bytes";
			return false;
		}
		return true;
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
