// Certificates as mxone_certificate and the TLS tests make them: the facts an operator reads
// (names, validity, fingerprint), chains that OpenSSL's own verifier accepts, keys of the kind
// asked for, signing requests a CA can use, and every reason a pair is refused.

#include <doctest/doctest.h>

#include <cstdio>
#include <memory>
#include <regex>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "admin/certificates.hpp"

using namespace cstad::admin;

namespace {

struct x509_free {
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_REQ* p) const { X509_REQ_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(BIO* p) const { BIO_free_all(p); }
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};
template <class T>
using owned = std::unique_ptr<T, x509_free>;

owned<BIO> reader(const std::string& pem) { return owned<BIO>{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))}; }

owned<X509> certificate_of(const std::string& pem) {
  return owned<X509>{PEM_read_bio_X509(reader(pem).get(), nullptr, nullptr, nullptr)};
}

owned<EVP_PKEY> key_of(const std::string& pem) {
  return owned<EVP_PKEY>{PEM_read_bio_PrivateKey(reader(pem).get(), nullptr, nullptr, nullptr)};
}

key_and_certificate self_signed(const certificate_request& r) {
  std::string error;
  auto made = create_self_signed(r, error);
  REQUIRE_MESSAGE(made, error);
  return *made;
}

key_and_certificate signed_by(const certificate_request& r, const key_and_certificate& ca) {
  std::string error;
  auto made = create_signed(r, ca, error);
  REQUIRE_MESSAGE(made, error);
  return *made;
}

certificate_facts facts(const std::string& pem) {
  std::string error;
  auto all = describe_certificates(pem, error);
  REQUIRE_MESSAGE(all, error);
  REQUIRE(all->size() == 1);
  return all->front();
}

certificate_request named(const std::string& cn, int days = 365, std::vector<std::string> sans = {}) {
  certificate_request r;
  r.common_name = cn;
  r.days = days;
  r.sans = std::move(sans);
  return r;
}

certificate_request test_ca(const std::string& name = "cstad test CA") {
  auto r = named(name);
  r.ca = true;
  return r;
}

// What OpenSSL's verifier says of leaf, given the trusted CA certificate: X509_V_OK when
// the chain holds.
int verify(const std::string& leaf_pem, const std::string& ca_pem, int purpose = X509_PURPOSE_SSL_SERVER) {
  owned<X509_STORE> store{X509_STORE_new()};
  auto ca = certificate_of(ca_pem);
  auto leaf = certificate_of(leaf_pem);
  REQUIRE((store && ca && leaf));
  REQUIRE(X509_STORE_add_cert(store.get(), ca.get()) == 1);
  owned<X509_STORE_CTX> ctx{X509_STORE_CTX_new()};
  REQUIRE(X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr) == 1);
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  X509_verify_cert(ctx.get());
  return X509_STORE_CTX_get_error(ctx.get());
}

}  // namespace

TEST_CASE("a self-signed certificate names its common name and lasts the days asked") {
  auto now = std::time(nullptr);
  auto made = self_signed(named("cstad.example.com", 30));
  CHECK(made.key_pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);  // PKCS#8, unencrypted
  CHECK(made.cert_pem.rfind("-----BEGIN CERTIFICATE-----\n", 0) == 0);
  auto f = facts(made.cert_pem);
  CHECK(f.subject == "CN=cstad.example.com");
  CHECK(f.issuer == "CN=cstad.example.com");
  CHECK(f.sans == std::vector<std::string>{"DNS:cstad.example.com"});
  CHECK(f.not_before >= now - 2);
  CHECK(f.not_before <= now + 2);
  CHECK(f.not_after - f.not_before == 30 * 86400);
  CHECK(f.valid_now);
  CHECK(std::regex_match(f.sha256, std::regex{"([0-9A-F]{2}:){31}[0-9A-F]{2}"}));
  auto cert = certificate_of(made.cert_pem);
  CHECK(X509_get_version(cert.get()) == X509_VERSION_3);
  CHECK(X509_check_private_key(cert.get(), key_of(made.key_pem).get()) == 1);
}

TEST_CASE("a certificate's fingerprint is SHA-256 over its DER encoding") {
  auto made = self_signed(named("localhost"));
  auto cert = certificate_of(made.cert_pem);
  unsigned char* der = nullptr;
  int length = i2d_X509(cert.get(), &der);
  REQUIRE(length > 0);
  unsigned char digest[32];
  REQUIRE(EVP_Digest(der, static_cast<std::size_t>(length), digest, nullptr, EVP_sha256(), nullptr) == 1);
  OPENSSL_free(der);
  std::string expected;
  for (auto b : digest) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02X:", b);
    expected += hex;
  }
  expected.pop_back();
  CHECK(facts(made.cert_pem).sha256 == expected);
}

TEST_CASE("the SANs given are the certificate's names, IPv4 and IPv6 included") {
  auto f = facts(self_signed(named("cstad", 365, {"DNS:cstad.example.com", "IP:192.0.2.7", "ip:2001:db8::1",
                                              "DNS:*.lim.example.com"}))
                     .cert_pem);
  CHECK(f.subject == "CN=cstad");
  CHECK(f.sans == std::vector<std::string>{"DNS:cstad.example.com", "IP:192.0.2.7", "IP:2001:db8::1",
                                           "DNS:*.lim.example.com"});
  // A common name that is an address names the address.
  CHECK(facts(self_signed(named("192.0.2.9")).cert_pem).sans == std::vector<std::string>{"IP:192.0.2.9"});
  CHECK(facts(self_signed(named("::1")).cert_pem).sans == std::vector<std::string>{"IP:::1"});
}

TEST_CASE("every certificate gets its own random 128-bit serial") {
  auto a = certificate_of(self_signed(named("localhost")).cert_pem);
  auto b = certificate_of(self_signed(named("localhost")).cert_pem);
  auto sa = X509_get0_serialNumber(a.get());
  auto sb = X509_get0_serialNumber(b.get());
  CHECK(ASN1_STRING_length(sa) == 16);
  CHECK(ASN1_STRING_type(sa) == V_ASN1_INTEGER);  // positive
  CHECK(ASN1_INTEGER_cmp(sa, sb) != 0);
}

TEST_CASE("a certificate signed by a test CA verifies against it and not against another") {
  auto ca = self_signed(test_ca());
  auto other_ca = self_signed(test_ca("another CA"));
  auto leaf = signed_by(named("localhost"), ca);
  auto f = facts(leaf.cert_pem);
  CHECK(f.subject == "CN=localhost");
  CHECK(f.issuer == "CN=cstad test CA");
  CHECK(facts(ca.cert_pem).sans.empty());  // a CA needs no host name
  CHECK(verify(leaf.cert_pem, ca.cert_pem) == X509_V_OK);
  CHECK(verify(leaf.cert_pem, ca.cert_pem, X509_PURPOSE_SSL_CLIENT) == X509_V_OK);  // client certificates too
  CHECK(verify(leaf.cert_pem, other_ca.cert_pem) == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);

  auto ca_cert = certificate_of(ca.cert_pem);
  auto leaf_cert = certificate_of(leaf.cert_pem);
  CHECK(X509_check_ca(ca_cert.get()) == 1);
  CHECK(X509_check_ca(leaf_cert.get()) == 0);
  CHECK((X509_get_key_usage(ca_cert.get()) & (KU_KEY_CERT_SIGN | KU_CRL_SIGN)) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
  CHECK((X509_get_extension_flags(leaf_cert.get()) & EXFLAG_CRITICAL) == 0);  // no unknown critical extension
  CHECK(X509_get_extended_key_usage(leaf_cert.get()) == (XKU_SSL_SERVER | XKU_SSL_CLIENT));
  // The leaf names its issuer's key, so a verifier finds the CA among several.
  auto authority = X509_get0_authority_key_id(leaf_cert.get());
  auto ca_key_id = X509_get0_subject_key_id(ca_cert.get());
  REQUIRE(authority != nullptr);
  REQUIRE(ca_key_id != nullptr);
  CHECK(ASN1_OCTET_STRING_cmp(authority, ca_key_id) == 0);
  // A leaf cannot sign in turn.
  std::string error;
  CHECK_FALSE(create_signed(named("evil.example.com"), leaf, error));
  CHECK(error == "the issuer (CN=localhost) is not a CA");
}

TEST_CASE("certificate keys are ECDSA P-256 unless RSA 2048 is asked for") {
  auto ec = self_signed(named("localhost"));
  auto ec_key = key_of(ec.key_pem);
  CHECK(EVP_PKEY_get_base_id(ec_key.get()) == EVP_PKEY_EC);
  CHECK(EVP_PKEY_get_bits(ec_key.get()) == 256);
  // ECDSA keys sign, they cannot encipher.
  CHECK(X509_get_key_usage(certificate_of(ec.cert_pem).get()) == KU_DIGITAL_SIGNATURE);

  auto r = named("localhost");
  r.rsa = true;
  auto ca = self_signed(test_ca());
  auto rsa = signed_by(r, ca);
  auto rsa_key = key_of(rsa.key_pem);
  CHECK(EVP_PKEY_get_base_id(rsa_key.get()) == EVP_PKEY_RSA);
  CHECK(EVP_PKEY_get_bits(rsa_key.get()) == 2048);
  CHECK(X509_get_key_usage(certificate_of(rsa.cert_pem).get()) == (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT));
  CHECK(verify(rsa.cert_pem, ca.cert_pem) == X509_V_OK);
  CHECK(check_certificate_and_key(rsa.cert_pem, rsa.key_pem).empty());
  // An RSA CA signs EC leaves as well.
  auto rsa_ca_request = test_ca();
  rsa_ca_request.rsa = true;
  auto rsa_ca = self_signed(rsa_ca_request);
  CHECK(verify(signed_by(named("localhost"), rsa_ca).cert_pem, rsa_ca.cert_pem) == X509_V_OK);
}

TEST_CASE("a certificate signing request carries the common name and the SANs, signed by its key") {
  std::string error;
  auto made = create_signing_request(named("cstad.example.com", 365, {"DNS:cstad.example.com", "IP:10.1.2.3"}), error);
  REQUIRE_MESSAGE(made, error);
  CHECK(made->csr_pem.rfind("-----BEGIN CERTIFICATE REQUEST-----\n", 0) == 0);
  owned<X509_REQ> request{PEM_read_bio_X509_REQ(reader(made->csr_pem).get(), nullptr, nullptr, nullptr)};
  REQUIRE(request);
  auto key = key_of(made->key_pem);
  CHECK(X509_REQ_verify(request.get(), key.get()) == 1);
  CHECK(X509_REQ_check_private_key(request.get(), key.get()) == 1);
  char cn[128] = {};
  X509_NAME_get_text_by_NID(X509_REQ_get_subject_name(request.get()), NID_commonName, cn, sizeof cn);
  CHECK(std::string{cn} == "cstad.example.com");

  STACK_OF(X509_EXTENSION)* extensions = X509_REQ_get_extensions(request.get());
  REQUIRE(extensions != nullptr);
  int at = X509v3_get_ext_by_NID(extensions, NID_subject_alt_name, -1);
  REQUIRE(at >= 0);
  owned<GENERAL_NAMES> names{static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(sk_X509_EXTENSION_value(extensions, at)))};
  sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
  REQUIRE(names);
  REQUIRE(sk_GENERAL_NAME_num(names.get()) == 2);
  int type = 0;
  auto dns = static_cast<ASN1_STRING*>(GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(names.get(), 0), &type));
  CHECK(type == GEN_DNS);
  CHECK(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)), ASN1_STRING_length(dns)) ==
        "cstad.example.com");
  auto ip = static_cast<ASN1_STRING*>(GENERAL_NAME_get0_value(sk_GENERAL_NAME_value(names.get(), 1), &type));
  CHECK(type == GEN_IPADD);
  CHECK(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(ip)), ASN1_STRING_length(ip)) ==
        std::string("\x0a\x01\x02\x03", 4));
}

TEST_CASE("a good certificate and key pass, and every reason to refuse a pair is named") {
  auto good = self_signed(named("localhost"));
  auto other = self_signed(named("localhost"));
  CHECK(check_certificate_and_key(good.cert_pem, good.key_pem) == "");
  CHECK(check_certificate_and_key(good.cert_pem, other.key_pem) == "the key does not belong to the certificate");

  auto expired_request = named("localhost", 1);
  expired_request.not_before_offset_seconds = -10 * 86400;
  auto expired = self_signed(expired_request);
  auto f = facts(expired.cert_pem);
  CHECK_FALSE(f.valid_now);
  CHECK(check_certificate_and_key(expired.cert_pem, expired.key_pem) ==
        "the certificate expired on " + format_utc(f.not_after));

  auto future_request = named("localhost", 30);
  future_request.not_before_offset_seconds = 86400;
  auto future = self_signed(future_request);
  auto g = facts(future.cert_pem);
  CHECK_FALSE(g.valid_now);
  CHECK(check_certificate_and_key(future.cert_pem, future.key_pem) ==
        "the certificate is not valid yet: not before " + format_utc(g.not_before));

  CHECK(check_certificate_and_key("hello", good.key_pem) ==
        "the certificate file: no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
  CHECK(check_certificate_and_key(good.cert_pem, good.cert_pem) ==
        "the key file: no PEM private key (-----BEGIN PRIVATE KEY-----) in it");
  CHECK(check_certificate_and_key(good.cert_pem, "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n") ==
        "the key file: a PEM block in it cannot be read: bad base64 decode");
  CHECK(check_certificate_and_key(good.cert_pem, "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\n"
                                                 "-----END PRIVATE KEY-----\n") ==
        "the key file: the key in it cannot be read: it is damaged, or of a kind OpenSSL does not know");
  // Keys in the older encodings (here SEC 1, "EC PRIVATE KEY") are read as well.
  owned<BIO> sec1{BIO_new(BIO_s_mem())};
  REQUIRE(PEM_write_bio_PrivateKey_traditional(sec1.get(), key_of(good.key_pem).get(), nullptr, nullptr, 0, nullptr,
                                               nullptr) == 1);
  char* sec1_text = nullptr;
  long sec1_length = BIO_get_mem_data(sec1.get(), &sec1_text);
  std::string sec1_pem(sec1_text, static_cast<std::size_t>(sec1_length));
  CHECK(sec1_pem.rfind("-----BEGIN EC PRIVATE KEY-----", 0) == 0);
  CHECK(check_certificate_and_key(good.cert_pem, sec1_pem) == "");
  auto torn = good.cert_pem;
  torn.replace(torn.find('\n') + 10, 8, "@@@@@@@@");
  CHECK(check_certificate_and_key(torn, good.key_pem).rfind("the certificate file: certificate 1 in it cannot be read: ", 0) ==
        0);

  // An encrypted key is named as such; nothing asks for its pass phrase.
  auto key = key_of(good.key_pem);
  owned<BIO> out{BIO_new(BIO_s_mem())};
  static char pass[] = "pass phrase";
  REQUIRE(PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(), nullptr, 0, nullptr, pass) == 1);
  char* data = nullptr;
  long length = BIO_get_mem_data(out.get(), &data);
  std::string encrypted(data, static_cast<std::size_t>(length));
  CHECK(check_certificate_and_key(good.cert_pem, encrypted) ==
        "the key file: the key in it is encrypted; the server needs it unencrypted "
        "(openssl pkey -in KEY -out PLAIN-KEY)");
}

TEST_CASE("a chain is read in order and must follow its certificate") {
  auto root = self_signed(test_ca("root CA"));
  auto stranger = self_signed(test_ca("stranger CA"));
  auto leaf = signed_by(named("localhost"), root);
  std::string error;
  auto chain = describe_certificates(leaf.cert_pem + root.cert_pem, error);
  REQUIRE_MESSAGE(chain, error);
  REQUIRE(chain->size() == 2);
  CHECK((*chain)[0].subject == "CN=localhost");
  CHECK((*chain)[1].subject == "CN=root CA");
  CHECK(check_certificate_and_key(leaf.cert_pem + root.cert_pem, leaf.key_pem) == "");
  CHECK(check_certificate_and_key(leaf.cert_pem + stranger.cert_pem, leaf.key_pem) ==
        "certificate 2 of the chain (CN=stranger CA) did not issue certificate 1: the chain must follow the "
        "certificate in order");
  certificate_request old_ca = test_ca("old CA");
  old_ca.days = 1;
  old_ca.not_before_offset_seconds = -5 * 86400;
  auto expired_root = self_signed(old_ca);
  auto under_expired = signed_by(named("localhost"), expired_root);
  CHECK(check_certificate_and_key(under_expired.cert_pem + expired_root.cert_pem, under_expired.key_pem) ==
        "certificate 2 of the chain (CN=old CA) expired on " + format_utc(facts(expired_root.cert_pem).not_after));
  // Text around the blocks (as in bundles with comments) is not a certificate.
  auto annotated = describe_certificates("# server\n" + leaf.cert_pem + "# its CA\n" + root.cert_pem + "\n", error);
  REQUIRE_MESSAGE(annotated, error);
  CHECK(annotated->size() == 2);
  CHECK_FALSE(describe_certificates("", error));
  CHECK(error == "no PEM certificate (-----BEGIN CERTIFICATE-----) in it");
}

TEST_CASE("certificate requests that cannot be made are refused, naming what is wrong") {
  struct refusal {
    certificate_request request;
    std::string reason;
  };
  for (auto& [request, reason] : std::vector<refusal>{
           {named("localhost", 365, {"DNS:localhost", "mail:ops@example.com"}),
            "the SAN \"mail:ops@example.com\" is neither DNS:<host name> nor IP:<address>"},
           {named("localhost", 365, {"localhost"}), "the SAN \"localhost\" is neither DNS:<host name> nor IP:<address>"},
           {named("localhost", 365, {"IP:300.1.2.3"}), "the SAN \"IP:300.1.2.3\" is not an IP address"},
           {named("localhost", 365, {"DNS:two hosts"}), "the SAN \"DNS:two hosts\" does not name a host"},
           {named("localhost", 365, {"DNS:a,DNS:b"}), "the SAN \"DNS:a,DNS:b\" does not name a host"},
           {named("localhost", 365, {"DNS:"}), "the SAN \"DNS:\" does not name a host"},
           {named("Front Desk"), "the common name \"Front Desk\" is not a host name: give the SANs"},
           {named(""), "the common name is empty"},
           {named(std::string(65, 'a')), "the common name is longer than 64 characters"},
           {named("a\nb"), "the common name holds control characters"},
           {named("localhost", 0), "a certificate is valid for 1 to 36500 days, not 0"},
           {named("localhost", 36501), "a certificate is valid for 1 to 36500 days, not 36501"}}) {
    CAPTURE(reason);
    CHECK(request_problem(request) == reason);
    std::string error;
    CHECK_FALSE(create_self_signed(request, error));
    CHECK(error == reason);
    error.clear();
    CHECK_FALSE(create_signing_request(request, error));
    CHECK(error == reason);
  }
  // A name that is not a host's is fine with SANs, and for a CA.
  CHECK(request_problem(named("Front Desk", 365, {"DNS:desk-1.example.com"})) == "");
  CHECK(request_problem(test_ca("Front Desk CA")) == "");
}

TEST_CASE("no certificate is signed by an issuer whose key is not its own") {
  auto ca = self_signed(test_ca());
  auto other = self_signed(test_ca());
  std::string error;
  CHECK_FALSE(create_signed(named("localhost"), {other.key_pem, ca.cert_pem}, error));
  CHECK(error == "the issuer's key does not belong to its certificate");
  CHECK_FALSE(create_signed(named("localhost"), {"", ca.cert_pem}, error));
  CHECK(error == "the issuer's key: no PEM private key (-----BEGIN PRIVATE KEY-----) in it");
}

TEST_CASE("format_utc writes certificate dates in UTC to the second") {
  CHECK(format_utc(0) == "1970-01-01 00:00:00 UTC");
  CHECK(format_utc(1700000000) == "2023-11-14 22:13:20 UTC");
}
