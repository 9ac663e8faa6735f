/* libFuzzer target: ntlm_av_parse() and ntlm_av_next() on arbitrary
   bytes.

   Invariants checked: every value either function returns lies inside
   the input; the parsed list (raw) starts at the input and ends with the
   EOL the walk stops at; a list the parser accepts is one the walker
   accepts too, over the same number of pairs; fixed-size values have
   their size; a failed parse leaves the output untouched. */

#include "fuzz-common.h"
#include "ntlm-avpair.h"

static void
fuzz_avpair_check_info(const struct ntlm_av_info *info,
		       const uint8_t *data, size_t size)
{
	fuzz_assert(info->count >= 1 && info->count <= NTLM_MAX_AV_PAIRS);
	fuzz_assert(info->raw.data == data);
	fuzz_assert(info->raw.len >= 4 && info->raw.len <= size);
	/* The list ends with an EOL pair of length 0. */
	fuzz_assert(memcmp(info->raw.data + info->raw.len - 4,
			   "\0\0\0\0", 4) == 0);

	fuzz_assert(fuzz_slice_inside(&info->nb_computer, data, size));
	fuzz_assert(fuzz_slice_inside(&info->nb_domain, data, size));
	fuzz_assert(fuzz_slice_inside(&info->dns_computer, data, size));
	fuzz_assert(fuzz_slice_inside(&info->dns_domain, data, size));
	fuzz_assert(fuzz_slice_inside(&info->dns_tree, data, size));
	fuzz_assert(fuzz_slice_inside(&info->target_name, data, size));
	fuzz_assert(fuzz_slice_inside(&info->single_host, data, size));
	fuzz_assert(fuzz_slice_inside(&info->channel_bindings, data, size));

	fuzz_assert(info->nb_computer.len % 2 == 0);
	fuzz_assert(info->nb_domain.len % 2 == 0);
	fuzz_assert(info->dns_computer.len % 2 == 0);
	fuzz_assert(info->dns_domain.len % 2 == 0);
	fuzz_assert(info->dns_tree.len % 2 == 0);
	fuzz_assert(info->target_name.len % 2 == 0);
	fuzz_assert(info->single_host.len == 0 ||
		    info->single_host.len >= 48);
	fuzz_assert(info->channel_bindings.len == 0 ||
		    info->channel_bindings.len == 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ntlm_av_info info, untouched;
	struct ntlm_slice list, value;
	const char *parse_error = NULL, *walk_error = NULL;
	unsigned int count = 0;
	size_t pos = 0, prev_pos;
	uint16_t id;
	int parse_ret, walk_ret;

	fuzz_crypto_init();

	memset(&info, 0x5a, sizeof(info));
	untouched = info;
	parse_ret = ntlm_av_parse(data, size, &info, &parse_error);
	if (parse_ret < 0) {
		fuzz_assert(parse_ret == -1);
		fuzz_assert(parse_error != NULL);
		fuzz_assert(memcmp(&info, &untouched, sizeof(info)) == 0);
	} else {
		fuzz_assert(parse_ret == 0);
		fuzz_avpair_check_info(&info, data, size);
	}

	list.data = data;
	list.len = size;
	for (;;) {
		prev_pos = pos;
		walk_ret = ntlm_av_next(&list, &pos, &id, &value,
					&walk_error);
		count++;
		if (walk_ret <= 0)
			break;
		fuzz_assert(walk_ret == 1);
		/* Each pair moves the cursor forward by at least its
		   4-byte header, and never past the end. */
		fuzz_assert(pos >= prev_pos + 4 && pos <= size);
		fuzz_assert(fuzz_slice_inside(&value, data, size));
		fuzz_assert(value.len == 0 ||
			    value.data == data + prev_pos + 4);
		fuzz_assert(pos - prev_pos == 4 + value.len);
		(void)ntlm_av_id_name(id);
		/* Bounds the loop if the walker never stops. */
		fuzz_assert(count <= size / 4 + 1);
	}
	if (walk_ret < 0) {
		fuzz_assert(walk_ret == -1);
		fuzz_assert(walk_error != NULL);
	} else {
		fuzz_assert(pos <= size);
	}

	if (parse_ret == 0) {
		fuzz_assert(walk_ret == 0);
		fuzz_assert(count == info.count);
		fuzz_assert(pos == info.raw.len);
	}
	return 0;
}
