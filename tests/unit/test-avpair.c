/* Tests for src/core/ntlm-avpair.c: AV_PAIR list parsing, walking and
   writing (MS-NLMP 2.2.2.1). */

#include "test-common.h"
#include "ntlm-avpair.h"
#include "ntlm-writer.h"

#include <stdio.h>
#include <string.h>

/* [MS-NLMP] 4.2.4: NbDomainName "Domain", NbComputerName "Server", EOL */
#define SPEC_DOMAIN_UTF16 "44006f006d00610069006e00"
#define SPEC_SERVER_UTF16 "530065007200760065007200"
#define SPEC_AV_LIST \
	"02000c00" SPEC_DOMAIN_UTF16 \
	"01000c00" SPEC_SERVER_UTF16 \
	"00000000"
#define SPEC_AV_LIST_LEN 36

static bool slice_is_hex(const struct ntlm_slice *slice, const char *hex)
{
	return test_equal_hex(slice->data, slice->len, hex);
}

/* ------------------------------------------------------------------ */
/* The spec's list */

static void test_avpair_spec_list(void)
{
	uint8_t buf[64];
	struct ntlm_av_info info;
	const char *error = NULL;
	size_t len;

	len = test_hex(SPEC_AV_LIST, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(len, SPEC_AV_LIST_LEN);
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(buf, len, &info, &error), 0);
	CU_ASSERT_EQUAL(info.count, 3);
	CU_ASSERT_PTR_EQUAL(info.raw.data, buf);
	CU_ASSERT_EQUAL(info.raw.len, SPEC_AV_LIST_LEN);
	CU_ASSERT_TRUE(slice_is_hex(&info.nb_domain, SPEC_DOMAIN_UTF16));
	CU_ASSERT_PTR_EQUAL(info.nb_domain.data, buf + 4);
	CU_ASSERT_TRUE(slice_is_hex(&info.nb_computer, SPEC_SERVER_UTF16));
	CU_ASSERT_PTR_EQUAL(info.nb_computer.data, buf + 20);
	CU_ASSERT_EQUAL(info.dns_computer.len, 0);
	CU_ASSERT_EQUAL(info.dns_domain.len, 0);
	CU_ASSERT_EQUAL(info.dns_tree.len, 0);
	CU_ASSERT_EQUAL(info.target_name.len, 0);
	CU_ASSERT_EQUAL(info.single_host.len, 0);
	CU_ASSERT_EQUAL(info.channel_bindings.len, 0);
	CU_ASSERT_FALSE(info.have_flags);
	CU_ASSERT_FALSE(info.have_timestamp);
}

/* Bytes after MsvAvEOL are the caller's, not part of raw. */
static void test_avpair_trailing(void)
{
	uint8_t buf[64];
	struct ntlm_av_info info;
	const char *error = NULL;
	size_t len;

	len = test_hex(SPEC_AV_LIST "deadbeef 00000000 0100", buf,
		       sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(buf, len, &info, &error), 0);
	CU_ASSERT_EQUAL(info.count, 3);
	CU_ASSERT_PTR_EQUAL(info.raw.data, buf);
	CU_ASSERT_EQUAL(info.raw.len, SPEC_AV_LIST_LEN);
	CU_ASSERT_TRUE(slice_is_hex(&info.nb_computer, SPEC_SERVER_UTF16));

	/* a bare EOL is a valid, empty list */
	len = test_hex("00000000 ffff", buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(buf, len, &info, &error), 0);
	CU_ASSERT_EQUAL(info.count, 1);
	CU_ASSERT_EQUAL(info.raw.len, 4);
	CU_ASSERT_EQUAL(info.nb_domain.len, 0);
}

static void test_avpair_next(void)
{
	uint8_t buf[64];
	struct ntlm_slice list, value;
	const char *error = NULL;
	uint16_t id = 0xffff;
	size_t pos = 0;

	list.data = buf;
	list.len = test_hex(SPEC_AV_LIST "cafe", buf, sizeof(buf));

	CU_ASSERT_EQUAL_FATAL(ntlm_av_next(&list, &pos, &id, &value,
					   &error), 1);
	CU_ASSERT_EQUAL(id, NTLM_AV_NB_DOMAIN_NAME);
	CU_ASSERT_TRUE(slice_is_hex(&value, SPEC_DOMAIN_UTF16));
	CU_ASSERT_EQUAL(pos, 16);
	CU_ASSERT_EQUAL_FATAL(ntlm_av_next(&list, &pos, &id, &value,
					   &error), 1);
	CU_ASSERT_EQUAL(id, NTLM_AV_NB_COMPUTER_NAME);
	CU_ASSERT_TRUE(slice_is_hex(&value, SPEC_SERVER_UTF16));
	CU_ASSERT_EQUAL(pos, 32);
	CU_ASSERT_EQUAL(ntlm_av_next(&list, &pos, &id, &value, &error), 0);
	CU_ASSERT_EQUAL(pos, SPEC_AV_LIST_LEN);

	/* walking off a list with no EOL */
	list.len = 16;
	pos = 0;
	CU_ASSERT_EQUAL(ntlm_av_next(&list, &pos, &id, &value, &error), 1);
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_av_next(&list, &pos, &id, &value, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);

	/* a value running past the end */
	list.len = 10;
	pos = 0;
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_av_next(&list, &pos, &id, &value, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);

	/* EOL with a length */
	list.len = test_hex("0000 0100 00", buf, sizeof(buf));
	pos = 0;
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_av_next(&list, &pos, &id, &value, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);

	/* a position past the end */
	list.len = test_hex(SPEC_AV_LIST, buf, sizeof(buf));
	pos = list.len + 1;
	error = NULL;
	CU_ASSERT_EQUAL(ntlm_av_next(&list, &pos, &id, &value, &error), -1);
	CU_ASSERT_PTR_NOT_NULL(error);
}

/* Every known identifier, with fixed-size values decoded. */
static void test_avpair_all_ids(void)
{
	static const char list_hex[] =
		/* NbComputer "AB", NbDomain "C", DnsComputer "def" */
		"0100 0400 41004200"
		"0200 0200 4300"
		"0300 0600 640065006600"
		/* DnsDomain empty, DnsTree "g" */
		"0400 0000"
		"0500 0200 6700"
		/* Flags: MIC present; Timestamp */
		"0600 0400 02000000"
		"0700 0800 0807060504030201"
		/* SingleHost: Size 48, Z4, CustomData, MachineID */
		"0800 3000"
		"30000000 00000000 0102030405060708"
		"1112131415161718 2122232425262728"
		"3132333435363738 4142434445464748"
		/* TargetName "HI", ChannelBindings */
		"0900 0400 48004900"
		"0a00 1000 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
		"0000 0000";
	uint8_t buf[256];
	struct ntlm_av_info info;
	const char *error = NULL;
	size_t len;

	len = test_hex(list_hex, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(buf, len, &info, &error), 0);
	CU_ASSERT_EQUAL(info.count, 11);
	CU_ASSERT_EQUAL(info.raw.len, len);
	CU_ASSERT_TRUE(slice_is_hex(&info.nb_computer, "41004200"));
	CU_ASSERT_TRUE(slice_is_hex(&info.nb_domain, "4300"));
	CU_ASSERT_TRUE(slice_is_hex(&info.dns_computer, "640065006600"));
	CU_ASSERT_EQUAL(info.dns_domain.len, 0);
	CU_ASSERT_TRUE(slice_is_hex(&info.dns_tree, "6700"));
	CU_ASSERT_TRUE(info.have_flags);
	CU_ASSERT_EQUAL(info.flags, NTLM_AV_FLAG_MIC_PRESENT);
	CU_ASSERT_TRUE(info.have_timestamp);
	CU_ASSERT(info.timestamp == 0x0102030405060708ULL);
	CU_ASSERT_EQUAL(info.single_host.len, 48);
	TEST_ASSERT_HEX(info.single_host.data, 8, "30000000 00000000");
	CU_ASSERT_TRUE(slice_is_hex(&info.target_name, "48004900"));
	CU_ASSERT_TRUE(slice_is_hex(&info.channel_bindings,
				    "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"));
}

/* Unknown identifiers are skipped, whatever their length, and may
   repeat; they still count as pairs. */
static void test_avpair_unknown(void)
{
	static const char list_hex[] =
		"0b00 0300 010203"
		"ff7f 0000"
		"0b00 0100 ff"
		"0700 0800 0100000000000000"
		"ffff 0200 aaaa"
		"0000 0000";
	uint8_t buf[64];
	struct ntlm_av_info info;
	const char *error = NULL;
	size_t len;

	len = test_hex(list_hex, buf, sizeof(buf));
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(buf, len, &info, &error), 0);
	CU_ASSERT_EQUAL(info.count, 6);
	CU_ASSERT_EQUAL(info.raw.len, len);
	CU_ASSERT_TRUE(info.have_timestamp);
	CU_ASSERT(info.timestamp == 1);
	CU_ASSERT_FALSE(info.have_flags);
	CU_ASSERT_EQUAL(info.nb_computer.len, 0);
}

/* ------------------------------------------------------------------ */
/* Malformed lists */

struct bad_list_case {
	const char *name;
	const char *hex;
};

static const struct bad_list_case bad_list_cases[] = {
	{ "empty input", "" },
	{ "truncated pair header", "0200" },
	{ "truncated EOL", "000000" },
	{ "no EOL", "02000c00" SPEC_DOMAIN_UTF16 },
	{ "no EOL after two pairs",
	  "02000c00" SPEC_DOMAIN_UTF16 "01000c00" SPEC_SERVER_UTF16 },
	{ "EOL with nonzero length", "0000 0400 00000000" },
	{ "EOL with length past end", "0000 0400" },
	{ "pair length past end", "0200 1000 4400" },
	{ "pair length one past end", "0200 0400 440000" },
	{ "pair length 0xffff", "0100 ffff 4100 0000 0000" },
	{ "MsvAvTimestamp of 7 bytes",
	  "0700 0700 01020304050607 0000 0000" },
	{ "MsvAvTimestamp of 9 bytes",
	  "0700 0900 010203040506070809 0000 0000" },
	{ "MsvAvTimestamp of 0 bytes", "0700 0000 0000 0000" },
	{ "MsvAvFlags of 3 bytes", "0600 0300 020000 0000 0000" },
	{ "MsvAvFlags of 5 bytes", "0600 0500 0200000000 0000 0000" },
	{ "MsvAvFlags of 0 bytes", "0600 0000 0000 0000" },
	{ "MsvAvChannelBindings of 15 bytes",
	  "0a00 0f00 000102030405060708090a0b0c0d0e 0000 0000" },
	{ "MsvAvChannelBindings of 17 bytes",
	  "0a00 1100 000102030405060708090a0b0c0d0e0f10 0000 0000" },
	{ "MsvAvChannelBindings of 0 bytes", "0a00 0000 0000 0000" },
	{ "MsvAvSingleHost of 47 bytes",
	  "0800 2f00"
	  "2f000000 00000000 0102030405060708"
	  "1112131415161718 2122232425262728"
	  "3132333435363738 41424344454647"
	  "0000 0000" },
	{ "odd MsvAvNbComputerName length", "0100 0300 410042 0000 0000" },
	{ "odd MsvAvNbDomainName length", "0200 0100 41 0000 0000" },
	{ "odd MsvAvDnsComputerName length", "0300 0100 41 0000 0000" },
	{ "odd MsvAvDnsDomainName length", "0400 0100 41 0000 0000" },
	{ "odd MsvAvDnsTreeName length", "0500 0100 41 0000 0000" },
	{ "odd MsvAvTargetName length", "0900 0500 4100420043 0000 0000" },
	{ "duplicate MsvAvTimestamp",
	  "0700 0800 0100000000000000"
	  "0700 0800 0200000000000000 0000 0000" },
	{ "duplicate MsvAvFlags",
	  "0600 0400 02000000 0600 0400 00000000 0000 0000" },
	{ "duplicate MsvAvNbDomainName",
	  "0200 0200 4100 0200 0200 4200 0000 0000" },
	{ "duplicate MsvAvChannelBindings",
	  "0a00 1000 000102030405060708090a0b0c0d0e0f"
	  "0a00 1000 000102030405060708090a0b0c0d0e0f 0000 0000" },
	{ "duplicate empty MsvAvDnsTreeName", "0500 0000 0500 0000 0000 0000" },
	{ "malformed pair after a good one",
	  "02000c00" SPEC_DOMAIN_UTF16 "0600 0300 020000 0000 0000" },
};

static void test_avpair_malformed(void)
{
	unsigned int i;

	for (i = 0; i < N_ELEMENTS(bad_list_cases); i++) {
		const struct bad_list_case *c = &bad_list_cases[i];
		uint8_t buf[128];
		struct ntlm_av_info info, untouched;
		const char *error = NULL;
		size_t len;

		len = test_hex(c->hex, buf, sizeof(buf));
		memset(&info, 0xa5, sizeof(info));
		memcpy(&untouched, &info, sizeof(info));
		ROW_ASSERT(c->name, ntlm_av_parse(buf, len, &info,
						  &error) == -1);
		ROW_ASSERT(c->name, error != NULL);
		ROW_ASSERT(c->name,
			   memcmp(&info, &untouched, sizeof(info)) == 0);
	}
}

/* NTLM_MAX_AV_PAIRS counts EOL: that many pairs parse, one more does
   not. */
static void test_avpair_max_pairs(void)
{
	uint8_t buf[(NTLM_MAX_AV_PAIRS + 2) * 4];
	struct ntlm_av_info info;
	const char *error = NULL;
	unsigned int i, n;

	for (n = NTLM_MAX_AV_PAIRS - 1; n <= NTLM_MAX_AV_PAIRS; n++) {
		/* n unknown pairs (0x0100 + i, empty), then EOL */
		for (i = 0; i < n; i++) {
			buf[i * 4] = (uint8_t)i;
			buf[i * 4 + 1] = 0x01;
			buf[i * 4 + 2] = 0;
			buf[i * 4 + 3] = 0;
		}
		memset(buf + n * 4, 0, 4);
		error = NULL;
		if (n + 1 <= NTLM_MAX_AV_PAIRS) {
			CU_ASSERT_EQUAL(ntlm_av_parse(buf, (n + 1) * 4, &info,
						      &error), 0);
			CU_ASSERT_EQUAL(info.count, n + 1);
			CU_ASSERT_EQUAL(info.raw.len, (n + 1) * 4);
		} else {
			CU_ASSERT_EQUAL(ntlm_av_parse(buf, (n + 1) * 4, &info,
						      &error), -1);
			CU_ASSERT_PTR_NOT_NULL(error);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Writing */

static void test_avpair_write(void)
{
	uint8_t buf[128], domain[12], server[12];
	struct ntlm_writer w;
	struct ntlm_av_info info;
	const char *error = NULL;
	size_t len = 0;

	test_hex(SPEC_DOMAIN_UTF16, domain, sizeof(domain));
	test_hex(SPEC_SERVER_UTF16, server, sizeof(server));

	ntlm_writer_init(&w, buf, sizeof(buf), 0);
	ntlm_av_write(&w, NTLM_AV_NB_DOMAIN_NAME, domain, sizeof(domain));
	ntlm_av_write(&w, NTLM_AV_NB_COMPUTER_NAME, server, sizeof(server));
	ntlm_av_write_eol(&w);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	TEST_ASSERT_HEX(buf, len, SPEC_AV_LIST);

	ntlm_writer_init(&w, buf, sizeof(buf), 0);
	ntlm_av_write_u32(&w, NTLM_AV_FLAGS, NTLM_AV_FLAG_MIC_PRESENT);
	ntlm_av_write_u64(&w, NTLM_AV_TIMESTAMP, 0x01d3a0b1c2d3e4f5ULL);
	ntlm_av_write(&w, NTLM_AV_DNS_TREE_NAME, NULL, 0);
	ntlm_av_write_eol(&w);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	TEST_ASSERT_HEX(buf, len, "0600 0400 02000000"
			"0700 0800 f5e4d3c2b1a0d301"
			"0500 0000"
			"0000 0000");
	/* and it parses back */
	CU_ASSERT_EQUAL_FATAL(ntlm_av_parse(buf, len, &info, &error), 0);
	CU_ASSERT_EQUAL(info.count, 4);
	CU_ASSERT_TRUE(info.have_flags);
	CU_ASSERT_EQUAL(info.flags, NTLM_AV_FLAG_MIC_PRESENT);
	CU_ASSERT_TRUE(info.have_timestamp);
	CU_ASSERT(info.timestamp == 0x01d3a0b1c2d3e4f5ULL);

	/* pairs go after whatever the payload holds */
	ntlm_writer_init(&w, buf, sizeof(buf), 8);
	ntlm_av_write_eol(&w);
	CU_ASSERT_EQUAL_FATAL(ntlm_writer_finish(&w, &len, &error), 0);
	TEST_ASSERT_HEX(buf, len, "0000000000000000 00000000");
}

static void test_avpair_write_overflow(void)
{
	static uint8_t big[65536];
	uint8_t buf[16];
	struct ntlm_writer w;
	const char *error = NULL;
	size_t len;

	/* does not fit */
	ntlm_writer_init(&w, buf, sizeof(buf), 0);
	ntlm_av_write_u64(&w, NTLM_AV_TIMESTAMP, 1);
	ntlm_av_write_eol(&w);
	ntlm_av_write_eol(&w);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);

	ntlm_writer_init(&w, buf, 3, 0);
	ntlm_av_write_eol(&w);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);

	ntlm_writer_init(&w, buf, 7, 0);
	ntlm_av_write_u32(&w, NTLM_AV_FLAGS, 0);
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);

	/* a value over 65535 bytes cannot be expressed */
	ntlm_writer_init(&w, buf, sizeof(buf), 0);
	ntlm_av_write(&w, NTLM_AV_SINGLE_HOST, big, sizeof(big));
	CU_ASSERT_EQUAL(ntlm_writer_finish(&w, &len, &error), -1);
}

static void test_avpair_id_names(void)
{
	CU_ASSERT_STRING_EQUAL(ntlm_av_id_name(NTLM_AV_EOL), "MsvAvEOL");
	CU_ASSERT_STRING_EQUAL(ntlm_av_id_name(NTLM_AV_TIMESTAMP),
			       "MsvAvTimestamp");
	CU_ASSERT_STRING_EQUAL(ntlm_av_id_name(NTLM_AV_FLAGS), "MsvAvFlags");
	CU_ASSERT_STRING_EQUAL(ntlm_av_id_name(NTLM_AV_CHANNEL_BINDINGS),
			       "MsvAvChannelBindings");
	CU_ASSERT_PTR_NULL(ntlm_av_id_name(0x000b));
	CU_ASSERT_PTR_NULL(ntlm_av_id_name(0xffff));
}

static const struct test_case avpair_tests[] = {
	{ "MS-NLMP 4.2.4 list", test_avpair_spec_list },
	{ "bytes after EOL", test_avpair_trailing },
	{ "walking a list", test_avpair_next },
	{ "every known identifier", test_avpair_all_ids },
	{ "unknown identifiers", test_avpair_unknown },
	{ "malformed lists", test_avpair_malformed },
	{ "pair limit", test_avpair_max_pairs },
	{ "writing", test_avpair_write },
	{ "writing overflow", test_avpair_write_overflow },
	{ "identifier names", test_avpair_id_names },
};

int test_avpair_register(void)
{
	return test_register_suite("avpair", NULL, NULL, avpair_tests,
				   N_ELEMENTS(avpair_tests));
}
