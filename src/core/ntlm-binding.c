#include "ntlm-binding.h"
#include "ntlm-crypto.h"
#include "ntlm-unicode.h"

#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

const char *ntlm_cb_mode_name(enum ntlm_cb_mode mode)
{
	switch (mode) {
	case NTLM_CB_NEVER:
		return "never";
	case NTLM_CB_WHEN_PRESENT:
		return "when-present";
	case NTLM_CB_REQUIRED:
		return "required";
	}
	return "unknown";
}

int ntlm_cb_end_point_hash(const uint8_t *der, size_t der_len,
			   uint8_t hash_r[64], size_t *hash_len_r,
			   const char **error_r)
{
	const unsigned char *p = der;
	const EVP_MD *md = NULL;
	X509 *cert;
	int md_nid = NID_undef, pk_nid = NID_undef;
	unsigned int len = 0;
	int ok;

	if (der_len > 0x7fffffff) {
		*error_r = "certificate too large";
		return -1;
	}
	cert = d2i_X509(NULL, &p, (long)der_len);
	if (cert == NULL || p != der + der_len) {
		X509_free(cert);
		*error_r = "not a DER X.509 certificate";
		return -1;
	}
	if (OBJ_find_sigid_algs(X509_get_signature_nid(cert), &md_nid,
				&pk_nid) == 0) {
		X509_free(cert);
		*error_r = "unknown certificate signature algorithm";
		return -1;
	}
	X509_free(cert);
	/* RFC 5929 4.1: MD5 and SHA-1 are replaced by SHA-256; an algorithm
	   without a separate hash (Ed25519, Ed448) is not covered by the
	   RFC, and SHA-256 is what implementations use there */
	if (md_nid == NID_md5 || md_nid == NID_sha1 || md_nid == NID_undef ||
	    md_nid == NID_md5_sha1)
		md = EVP_sha256();
	else
		md = EVP_get_digestbynid(md_nid);
	if (md == NULL || EVP_MD_get_size(md) > 64) {
		*error_r = "certificate signature hash not available";
		return -1;
	}
	ok = EVP_Digest(der, der_len, hash_r, &len, md, NULL);
	if (ok != 1) {
		*error_r = "hashing the certificate failed";
		return -1;
	}
	*hash_len_r = len;
	return 0;
}

int ntlm_cb_from_app_data(const uint8_t *app, size_t app_len,
			  uint8_t binding_r[16], const char **error_r)
{
	/* four zero u32 (no addresses), the length, the data */
	uint8_t buf[20 + sizeof(NTLM_CB_PREFIX) + 64];

	if (app_len > sizeof(buf) - 20) {
		*error_r = "channel binding application data too long";
		return -1;
	}
	memset(buf, 0, 16);
	buf[16] = (uint8_t)(app_len & 0xff);
	buf[17] = (uint8_t)((app_len >> 8) & 0xff);
	buf[18] = 0;
	buf[19] = 0;
	memcpy(buf + 20, app, app_len);
	return ntlm_md5(buf, 20 + app_len, binding_r, error_r);
}

int ntlm_cb_from_der(const uint8_t *der, size_t der_len,
		     uint8_t binding_r[16], const char **error_r)
{
	uint8_t app[sizeof(NTLM_CB_PREFIX) - 1 + 64];
	size_t prefix_len = sizeof(NTLM_CB_PREFIX) - 1, hash_len;

	if (ntlm_cb_end_point_hash(der, der_len, app + prefix_len, &hash_len,
				   error_r) < 0)
		return -1;
	memcpy(app, NTLM_CB_PREFIX, prefix_len);
	return ntlm_cb_from_app_data(app, prefix_len + hash_len, binding_r,
				     error_r);
}

int ntlm_cb_from_pem(const char *pem, size_t pem_len,
		     uint8_t binding_r[16], const char **error_r)
{
	unsigned char *der = NULL;
	X509 *cert;
	BIO *bio;
	int der_len, ret;

	if (pem_len > 0x7fffffff) {
		*error_r = "PEM text too large";
		return -1;
	}
	bio = BIO_new_mem_buf(pem, (int)pem_len);
	if (bio == NULL) {
		*error_r = "out of memory";
		return -1;
	}
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (cert == NULL) {
		*error_r = "no PEM certificate (BEGIN CERTIFICATE) found";
		return -1;
	}
	der_len = i2d_X509(cert, &der);
	X509_free(cert);
	if (der_len <= 0) {
		*error_r = "cannot encode the certificate";
		return -1;
	}
	ret = ntlm_cb_from_der(der, (size_t)der_len, binding_r, error_r);
	OPENSSL_free(der);
	return ret;
}

bool ntlm_cb_present(const struct ntlm_slice *value)
{
	uint8_t any = 0;
	size_t i;

	if (value->len != 16)
		return false;
	for (i = 0; i < 16; i++)
		any |= value->data[i];
	return any != 0;
}

bool ntlm_cb_matches(const struct ntlm_slice *value,
		     const uint8_t (*bindings)[16], unsigned int count)
{
	bool match = false;
	unsigned int i;

	if (value->len != 16)
		return false;
	for (i = 0; i < count; i++) {
		if (ntlm_equal_ct(value->data, bindings[i], 16))
			match = true;
	}
	return match;
}

static bool is_list_sep(char c)
{
	return c == ' ' || c == ',' || c == '\t';
}

int ntlm_list_foreach(const char *list,
		      int (*each)(const char *name, size_t len, void *context),
		      void *context)
{
	const char *p = list, *start;
	int ret;

	for (;;) {
		while (*p != '\0' && is_list_sep(*p))
			p++;
		if (*p == '\0')
			return 0;
		start = p;
		while (*p != '\0' && !is_list_sep(*p))
			p++;
		ret = each(start, (size_t)(p - start), context);
		if (ret < 0)
			return ret;
	}
}

struct target_match {
	const char *name;
	size_t len;
	bool any;
	bool found;
};

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static int target_each(const char *entry, size_t len, void *context)
{
	struct target_match *m = context;
	size_t i;

	m->any = true;
	if (len != m->len)
		return 0;
	for (i = 0; i < len; i++) {
		if (ascii_lower(entry[i]) != ascii_lower(m->name[i]))
			return 0;
	}
	m->found = true;
	return 0;
}

int ntlm_target_name_check(const char *list,
			   const struct ntlm_slice *name_utf16,
			   const char **error_r)
{
	char name[NTLM_MAX_NAME_UTF8];
	struct target_match m;
	size_t len;

	if (name_utf16->len == 0)
		return 1;
	if (ntlm_utf16le_to_utf8(name_utf16->data, name_utf16->len, name,
				 sizeof(name), &len, error_r) < 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.name = name;
	m.len = len;
	(void)ntlm_list_foreach(list, target_each, &m);
	return !m.any || m.found ? 1 : 0;
}
