/* libFuzzer target: ntlm_decode_negotiate() on arbitrary bytes.

   Invariants checked: a decoded message lies inside the input, strings
   are present only with their *_SUPPLIED flag, a failure leaves the
   output untouched and has a reason, ntlm_msg_type() agrees with the
   decoder about what a NEGOTIATE is, and what was decoded, encoded again
   with ntlm_encode_negotiate(), decodes to the same values. */

#include "fuzz-common.h"
#include "ntlm-msg.h"

static void fuzz_negotiate_flags(uint32_t flags)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		if ((flags & (1U << i)) != 0)
			(void)ntlm_flag_name(1U << i);
	}
}

static void fuzz_negotiate_reencode(const struct ntlm_negotiate *msg)
{
	static uint8_t buf[NTLM_MAX_MESSAGE_SIZE];
	struct ntlm_negotiate again;
	const char *error;
	size_t len;

	if (ntlm_encode_negotiate(msg->flags, &msg->domain, &msg->workstation,
				  msg->have_version ? &msg->version : NULL,
				  buf, sizeof(buf), &len, &error) < 0)
		return;
	fuzz_assert(ntlm_decode_negotiate(buf, len, &again, &error) == 0);
	fuzz_assert(again.flags == msg->flags);
	fuzz_assert(fuzz_slice_equal(&again.domain, &msg->domain));
	fuzz_assert(fuzz_slice_equal(&again.workstation, &msg->workstation));
	fuzz_assert(again.have_version == msg->have_version);
	if (msg->have_version)
		fuzz_assert(fuzz_version_equal(&again.version, &msg->version));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ntlm_negotiate msg, untouched;
	const char *error = NULL, *type_error = NULL;
	int ret, type;

	fuzz_crypto_init();

	memset(&msg, 0x5a, sizeof(msg));
	untouched = msg;
	ret = ntlm_decode_negotiate(data, size, &msg, &error);
	type = ntlm_msg_type(data, size, &type_error);
	if (ret < 0) {
		fuzz_assert(ret == -1);
		fuzz_assert(error != NULL);
		fuzz_assert(memcmp(&msg, &untouched, sizeof(msg)) == 0);
		return 0;
	}
	fuzz_assert(ret == 0);
	fuzz_assert(type == NTLM_MSG_NEGOTIATE);
	fuzz_assert(size <= NTLM_MAX_MESSAGE_SIZE);

	fuzz_assert(fuzz_slice_inside(&msg.domain, data, size));
	fuzz_assert(fuzz_slice_inside(&msg.workstation, data, size));
	if ((msg.flags & NTLM_FL_OEM_DOMAIN_SUPPLIED) == 0)
		fuzz_assert(msg.domain.len == 0);
	if ((msg.flags & NTLM_FL_OEM_WORKSTATION_SUPPLIED) == 0)
		fuzz_assert(msg.workstation.len == 0);

	/* NEGOTIATE strings are OEM whatever the flags say. */
	fuzz_wire_name(&msg.domain, false);
	fuzz_wire_name(&msg.workstation, false);
	fuzz_negotiate_flags(msg.flags);
	fuzz_negotiate_reencode(&msg);
	return 0;
}
