#include "admin/certificates.hpp"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <memory>
#include <strings.h>

#include <arpa/inet.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace cstad::admin {
namespace {

// Owners of OpenSSL objects, each freed with the function OpenSSL has for it.
template <auto Free>
struct openssl_free {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
struct extensions_free {
  void operator()(STACK_OF(X509_EXTENSION) * s) const { sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free); }
};
using bio_ptr = std::unique_ptr<BIO, openssl_free<BIO_free_all>>;
using key_ptr = std::unique_ptr<EVP_PKEY, openssl_free<EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, openssl_free<X509_free>>;
using request_ptr = std::unique_ptr<X509_REQ, openssl_free<X509_REQ_free>>;
using extension_ptr = std::unique_ptr<X509_EXTENSION, openssl_free<X509_EXTENSION_free>>;
using extensions_ptr = std::unique_ptr<STACK_OF(X509_EXTENSION), extensions_free>;
using general_name_ptr = std::unique_ptr<GENERAL_NAME, openssl_free<GENERAL_NAME_free>>;
using general_names_ptr = std::unique_ptr<GENERAL_NAMES, openssl_free<GENERAL_NAMES_free>>;
using bignum_ptr = std::unique_ptr<BIGNUM, openssl_free<BN_free>>;

constexpr int longest_validity_days = 36500;
constexpr std::size_t longest_common_name = 64;  // X.509's upper bound (ub-common-name)

// Why OpenSSL failed: the first reason on its queue (the root cause; later ones only say
// where it surfaced), which is emptied for the next operation.
std::string openssl_error() {
  unsigned long first = ERR_get_error();
  ERR_clear_error();
  if (first == 0)
    return "unknown OpenSSL error";
  if (auto reason = ERR_reason_error_string(first))
    return reason;
  char text[256];
  ERR_error_string_n(first, text, sizeof text);
  return text;
}

std::string text_of(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string{};
}

bio_ptr memory_bio() { return bio_ptr{BIO_new(BIO_s_mem())}; }

bio_ptr reader_of(const std::string& text) {
  return bio_ptr{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
}

// What a certificate says is shown on the operator's terminal: bytes that could steer it
// (escape sequences in a foreign certificate's names) are shown as \xNN.
std::string printable(const unsigned char* data, int length) {
  std::string out;
  for (int i = 0; i < length; ++i) {
    if (data[i] >= 0x20 && data[i] < 0x7f) {
      out += static_cast<char>(data[i]);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", data[i]);
      out += hex;
    }
  }
  return out;
}

// ---- what a request may hold

// One subject alternative name: a host name (DNS) or an address's bytes (IP, 4 or 16).
struct alternative_name {
  int type;  // GEN_DNS or GEN_IPADD
  std::string value;
};

bool has_prefix(const std::string& s, const char* prefix) {
  return ::strncasecmp(s.c_str(), prefix, std::strlen(prefix)) == 0;
}

// Letters, digits, '-' and '_' (seen on internal hosts) in labels of up to 63 characters;
// a leading "*." for a wildcard.
bool is_host_name(const std::string& name) {
  if (name.empty() || name.size() > 253)
    return false;
  std::string rest = name.rfind("*.", 0) == 0 ? name.substr(2) : name;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == '.') {
      if (label == 0 || label > 63)
        return false;
      label = 0;
      continue;
    }
    char c = rest[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return false;
    ++label;
  }
  return true;
}

std::optional<std::string> address_bytes(const std::string& text) {
  unsigned char bytes[16];
  if (::inet_pton(AF_INET, text.c_str(), bytes) == 1)
    return std::string(reinterpret_cast<char*>(bytes), 4);
  if (::inet_pton(AF_INET6, text.c_str(), bytes) == 1)
    return std::string(reinterpret_cast<char*>(bytes), 16);
  return std::nullopt;
}

std::optional<alternative_name> parse_alternative_name(const std::string& entry, std::string& error) {
  if (has_prefix(entry, "DNS:")) {
    auto host = entry.substr(4);
    if (is_host_name(host))
      return alternative_name{GEN_DNS, host};
    error = "the SAN \"" + entry + "\" does not name a host";
  } else if (has_prefix(entry, "IP:")) {
    if (auto bytes = address_bytes(entry.substr(3)))
      return alternative_name{GEN_IPADD, *bytes};
    error = "the SAN \"" + entry + "\" is not an IP address";
  } else {
    error = "the SAN \"" + entry + "\" is neither DNS:<host name> nor IP:<address>";
  }
  return std::nullopt;
}

std::string common_name_problem(const std::string& cn) {
  if (cn.empty())
    return "the common name is empty";
  if (cn.size() > longest_common_name)
    return "the common name is longer than " + std::to_string(longest_common_name) + " characters";
  for (unsigned char c : cn)
    if (c < 0x20 || c == 0x7f)
      return "the common name holds control characters";
  return {};
}

// The names a certificate or request carries: the SANs given; else (leaf certificates) its
// common name, as an address when it is one. CAs need no names.
std::optional<std::vector<alternative_name>> alternative_names(const certificate_request& r, std::string& error) {
  std::vector<alternative_name> out;
  for (auto& entry : r.sans) {
    auto name = parse_alternative_name(entry, error);
    if (!name)
      return std::nullopt;
    out.push_back(std::move(*name));
  }
  if (!out.empty() || r.ca)
    return out;
  if (auto bytes = address_bytes(r.common_name))
    return std::vector<alternative_name>{{GEN_IPADD, *bytes}};
  if (is_host_name(r.common_name))
    return std::vector<alternative_name>{{GEN_DNS, r.common_name}};
  error = "the common name \"" + r.common_name + "\" is not a host name: give the SANs";
  return std::nullopt;
}

// ---- building blocks of certificates and requests

key_ptr new_key(bool rsa, std::string& error) {
  key_ptr key{rsa ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256")};
  if (!key)
    error = "cannot make a key: " + openssl_error();
  return key;
}

std::string private_key_pem(EVP_PKEY* key) {
  auto bio = memory_bio();
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  return text_of(bio.get());
}

bool add_common_name(X509_NAME* name, const std::string& cn) {
  return X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(cn.data()), static_cast<int>(cn.size()),
                                    -1, 0) == 1;
}

general_names_ptr general_names_of(const std::vector<alternative_name>& names) {
  general_names_ptr out{GENERAL_NAMES_new()};
  for (auto& n : names) {
    general_name_ptr name{GENERAL_NAME_new()};
    ASN1_STRING* value = n.type == GEN_DNS ? ASN1_IA5STRING_new() : ASN1_OCTET_STRING_new();
    if (!out || !name || !value ||
        ASN1_STRING_set(value, n.value.data(), static_cast<int>(n.value.size())) != 1) {
      ASN1_STRING_free(value);
      return nullptr;
    }
    GENERAL_NAME_set0_value(name.get(), n.type, value);
    if (sk_GENERAL_NAME_push(out.get(), name.get()) == 0)
      return nullptr;
    name.release();  // the stack owns it now
  }
  return out;
}

// The subjectAltName extension; built from parsed names, never from a configuration string,
// so no name can smuggle in another.
extension_ptr alternative_names_extension(const std::vector<alternative_name>& names) {
  auto general = general_names_of(names);
  if (!general)
    return nullptr;
  return extension_ptr{X509V3_EXT_i2d(NID_subject_alt_name, 0, general.get())};
}

// A random positive 128-bit serial: bit 126 set so it is never 0 and always 16 bytes long.
bool set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return false;
  bytes[0] = static_cast<unsigned char>((bytes[0] & 0x7f) | 0x40);
  bignum_ptr number{BN_bin2bn(bytes, sizeof bytes, nullptr)};
  return number && BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool set_validity(X509* cert, const certificate_request& r) {
  std::time_t now = std::time(nullptr);
  return X509_time_adj_ex(X509_getm_notBefore(cert), 0, r.not_before_offset_seconds, &now) != nullptr &&
         X509_time_adj_ex(X509_getm_notAfter(cert), r.days, r.not_before_offset_seconds, &now) != nullptr;
}

bool add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  extension_ptr ext{X509V3_EXT_conf_nid(nullptr, ctx, nid, value)};
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// What the certificate may do. ECDSA keys cannot encipher (RFC 5480 forbids keyEncipherment
// for them); RSA keys need it for TLS's RSA key exchange.
bool add_usage_extensions(X509* cert, X509V3_CTX* ctx, const certificate_request& r) {
  if (r.ca)
    return add_extension(cert, ctx, NID_basic_constraints, "critical,CA:TRUE") &&
           add_extension(cert, ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
  return add_extension(cert, ctx, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(cert, ctx, NID_key_usage,
                       r.rsa ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature") &&
         add_extension(cert, ctx, NID_ext_key_usage, "serverAuth,clientAuth");
}

// Identifiers that let a verifier find the issuer's certificate in a chain; the subject's
// first, as the authority's of a self-signed certificate is its own.
bool add_key_identifiers(X509* cert, X509V3_CTX* ctx) {
  return add_extension(cert, ctx, NID_subject_key_identifier, "hash") &&
         add_extension(cert, ctx, NID_authority_key_identifier, "keyid:always");
}

// What every new certificate and signing request begins with: the request checked, its
// alternative names, and a new key.
struct fresh_start {
  std::vector<alternative_name> names;
  key_ptr key;
};

std::optional<fresh_start> start(const certificate_request& r, std::string& error) {
  ERR_clear_error();
  if (error = request_problem(r); !error.empty())
    return std::nullopt;
  auto names = alternative_names(r, error);
  if (!names)
    return std::nullopt;
  auto key = new_key(r.rsa, error);
  if (!key)
    return std::nullopt;
  return fresh_start{std::move(*names), std::move(key)};
}

// A certificate for a new key, signed by issuer (its certificate and key), or by the new key
// itself when issuer is null.
std::optional<key_and_certificate> issue(const certificate_request& r, X509* issuer, EVP_PKEY* issuer_key,
                                         std::string& error) {
  auto fresh = start(r, error);
  if (!fresh)
    return std::nullopt;
  auto& names = fresh->names;
  auto& key = fresh->key;
  x509_ptr cert{X509_new()};
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1 || !set_random_serial(cert.get()) ||
      !set_validity(cert.get(), r) || !add_common_name(X509_get_subject_name(cert.get()), r.common_name) ||
      X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer)
                                              : X509_get_subject_name(cert.get())) != 1 ||
      X509_set_pubkey(cert.get(), key.get()) != 1) {
    error = "cannot make the certificate: " + openssl_error();
    return std::nullopt;
  }
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  bool extended = add_usage_extensions(cert.get(), &ctx, r) && add_key_identifiers(cert.get(), &ctx);
  if (extended && !names.empty()) {
    auto sans = alternative_names_extension(names);
    extended = sans && X509_add_ext(cert.get(), sans.get(), -1) == 1;
  }
  if (!extended || X509_sign(cert.get(), issuer ? issuer_key : key.get(), EVP_sha256()) == 0) {
    error = "cannot make the certificate: " + openssl_error();
    return std::nullopt;
  }
  auto bio = memory_bio();
  key_and_certificate out{private_key_pem(key.get()), {}};
  if (bio && PEM_write_bio_X509(bio.get(), cert.get()) == 1)
    out.cert_pem = text_of(bio.get());
  if (out.key_pem.empty() || out.cert_pem.empty()) {
    error = "cannot write the certificate: " + openssl_error();
    return std::nullopt;
  }
  return out;
}

// ---- reading PEM

// Never asks for a pass phrase (OpenSSL's default would, on the terminal); notes that one
// was wanted.
int refuse_pass_phrase(char*, int, int, void* wanted) {
  *static_cast<bool*>(wanted) = true;
  return -1;
}

// Whether reading PEM stopped at the end of the text rather than at a block it could not read.
bool at_end_of_text() {
  auto last = ERR_peek_last_error();
  return ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
}

std::optional<std::vector<x509_ptr>> read_certificates(const std::string& pem, std::string& error) {
  ERR_clear_error();
  auto bio = reader_of(pem);
  std::vector<x509_ptr> out;
  while (bio) {
    x509_ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
    if (!cert)
      break;
    out.push_back(std::move(cert));
  }
  // The loop ends at the end of the text ("no start line") or at a block it cannot read.
  if (ERR_peek_last_error() != 0 && !at_end_of_text()) {
    error = "certificate " + std::to_string(out.size() + 1) + " in it cannot be read: " + openssl_error();
    return std::nullopt;
  }
  ERR_clear_error();
  if (out.empty()) {
    error = "no PEM certificate (-----BEGIN CERTIFICATE-----) in it";
    return std::nullopt;
  }
  return out;
}

// Whether the text holds a block labelled "… PRIVATE KEY" (PKCS#8, PKCS#1, SEC 1, encrypted
// or not). OpenSSL's key decoder says only "unsupported" when there is none or its base64 is
// broken; this says which.
bool has_key_block(const std::string& pem, std::string& error) {
  auto bio = reader_of(pem);
  const std::string suffix = "PRIVATE KEY";
  while (bio) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long length = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1)
      break;
    std::string label = name;
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    if (label.size() >= suffix.size() && label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0) {
      ERR_clear_error();
      return true;
    }
  }
  error = at_end_of_text() ? "no PEM private key (-----BEGIN PRIVATE KEY-----) in it"
                           : "a PEM block in it cannot be read: " + openssl_error();
  ERR_clear_error();
  return false;
}

key_ptr read_key(const std::string& pem, std::string& error) {
  ERR_clear_error();
  if (!has_key_block(pem, error))
    return nullptr;
  auto bio = reader_of(pem);
  bool wanted_pass_phrase = false;
  key_ptr key{bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_pass_phrase, &wanted_pass_phrase) : nullptr};
  ERR_clear_error();
  if (!key)
    error = wanted_pass_phrase
                ? "the key in it is encrypted; the server needs it unencrypted (openssl pkey -in KEY -out PLAIN-KEY)"
                : "the key in it cannot be read: it is damaged, or of a kind OpenSSL does not know";
  return key;
}

// ---- what a certificate says

std::string one_line(const X509_NAME* name) {
  auto bio = memory_bio();
  // RFC 2253 ("CN=…,O=…"), but UTF-8 as it is rather than escaped byte by byte.
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
    return {};
  return text_of(bio.get());
}

std::string address_text(const ASN1_OCTET_STRING* bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  int length = ASN1_STRING_length(bytes);
  auto data = ASN1_STRING_get0_data(bytes);
  if ((length == 4 && ::inet_ntop(AF_INET, data, text, sizeof text)) ||
      (length == 16 && ::inet_ntop(AF_INET6, data, text, sizeof text)))
    return text;
  return "(" + std::to_string(length) + " bytes)";
}

std::string general_name_text(const GENERAL_NAME* name) {
  int type = 0;
  void* value = GENERAL_NAME_get0_value(name, &type);
  auto string = [value] {
    auto s = static_cast<const ASN1_STRING*>(value);
    return printable(ASN1_STRING_get0_data(s), ASN1_STRING_length(s));
  };
  switch (type) {
    case GEN_DNS: return "DNS:" + string();
    case GEN_IPADD: return "IP:" + address_text(static_cast<const ASN1_OCTET_STRING*>(value));
    case GEN_EMAIL: return "email:" + string();
    case GEN_URI: return "URI:" + string();
    case GEN_DIRNAME: return "DirName:" + one_line(static_cast<const X509_NAME*>(value));
    default: return "other";
  }
}

std::vector<std::string> alternative_names_of(X509* cert) {
  std::vector<std::string> out;
  general_names_ptr names{
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr))};
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i)
    out.push_back(general_name_text(sk_GENERAL_NAME_value(names.get(), i)));
  return out;
}

std::time_t time_of(const ASN1_TIME* t) {
  std::tm tm{};
  return ASN1_TIME_to_tm(t, &tm) == 1 ? ::timegm(&tm) : 0;
}

std::string sha256_fingerprint(X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(cert, EVP_sha256(), digest, &length) != 1)
    return {};
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, i == 0 ? "%02X" : ":%02X", digest[i]);
    out += hex;
  }
  return out;
}

certificate_facts facts_of(X509* cert) {
  certificate_facts f;
  f.subject = one_line(X509_get_subject_name(cert));
  f.issuer = one_line(X509_get_issuer_name(cert));
  f.sans = alternative_names_of(cert);
  f.not_before = time_of(X509_get0_notBefore(cert));
  f.not_after = time_of(X509_get0_notAfter(cert));
  f.sha256 = sha256_fingerprint(cert);
  auto now = std::time(nullptr);
  f.valid_now = f.not_before <= now && now <= f.not_after;
  return f;
}

// Why a certificate of a chain (0: the server's) cannot serve now; empty when it can.
std::string validity_problem(const certificate_facts& f, std::size_t position) {
  auto which = position == 0 ? std::string{"the certificate"}
                             : "certificate " + std::to_string(position + 1) + " of the chain (" + f.subject + ")";
  auto now = std::time(nullptr);
  if (now < f.not_before)
    return which + " is not valid yet: not before " + format_utc(f.not_before);
  if (now > f.not_after)
    return which + " expired on " + format_utc(f.not_after);
  return {};
}

}  // namespace

std::string request_problem(const certificate_request& r) {
  if (auto problem = common_name_problem(r.common_name); !problem.empty())
    return problem;
  if (r.days < 1 || r.days > longest_validity_days)
    return "a certificate is valid for 1 to " + std::to_string(longest_validity_days) + " days, not " +
           std::to_string(r.days);
  std::string error;
  return alternative_names(r, error) ? std::string{} : error;
}

std::optional<key_and_certificate> create_self_signed(const certificate_request& r, std::string& error) {
  return issue(r, nullptr, nullptr, error);
}

std::optional<key_and_certificate> create_signed(const certificate_request& r, const key_and_certificate& issuer,
                                                 std::string& error) {
  auto certs = read_certificates(issuer.cert_pem, error);
  if (!certs) {
    error = "the issuer's certificate: " + error;
    return std::nullopt;
  }
  auto key = read_key(issuer.key_pem, error);
  if (!key) {
    error = "the issuer's key: " + error;
    return std::nullopt;
  }
  X509* ca = certs->front().get();
  if (X509_check_private_key(ca, key.get()) != 1) {
    ERR_clear_error();
    error = "the issuer's key does not belong to its certificate";
    return std::nullopt;
  }
  if (X509_check_ca(ca) == 0) {
    error = "the issuer (" + one_line(X509_get_subject_name(ca)) + ") is not a CA";
    return std::nullopt;
  }
  return issue(r, ca, key.get(), error);
}

std::optional<key_and_request> create_signing_request(const certificate_request& r, std::string& error) {
  auto fresh = start(r, error);
  if (!fresh)
    return std::nullopt;
  auto& names = fresh->names;
  auto& key = fresh->key;
  request_ptr request{X509_REQ_new()};
  extensions_ptr extensions{sk_X509_EXTENSION_new_null()};
  bool made = request && extensions && X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) == 1 &&
              add_common_name(X509_REQ_get_subject_name(request.get()), r.common_name) &&
              X509_REQ_set_pubkey(request.get(), key.get()) == 1;
  if (made && !names.empty()) {
    extension_ptr sans = alternative_names_extension(names);
    made = sans && sk_X509_EXTENSION_push(extensions.get(), sans.get()) != 0;
    if (made)
      sans.release();  // the stack owns it now
    made = made && X509_REQ_add_extensions(request.get(), extensions.get()) == 1;
  }
  auto bio = memory_bio();
  if (!made || X509_REQ_sign(request.get(), key.get(), EVP_sha256()) == 0 || !bio ||
      PEM_write_bio_X509_REQ(bio.get(), request.get()) != 1) {
    error = "cannot make the signing request: " + openssl_error();
    return std::nullopt;
  }
  key_and_request out{private_key_pem(key.get()), text_of(bio.get())};
  if (out.key_pem.empty()) {
    error = "cannot write the key: " + openssl_error();
    return std::nullopt;
  }
  return out;
}

std::optional<std::vector<certificate_facts>> describe_certificates(const std::string& pem, std::string& error) {
  auto certs = read_certificates(pem, error);
  if (!certs)
    return std::nullopt;
  std::vector<certificate_facts> out;
  for (auto& cert : *certs)
    out.push_back(facts_of(cert.get()));
  return out;
}

std::string check_certificate_and_key(const std::string& cert_pem, const std::string& key_pem) {
  std::string error;
  auto certs = read_certificates(cert_pem, error);
  if (!certs)
    return "the certificate file: " + error;
  auto key = read_key(key_pem, error);
  if (!key)
    return "the key file: " + error;
  if (X509_check_private_key(certs->front().get(), key.get()) != 1) {
    ERR_clear_error();
    return "the key does not belong to the certificate";
  }
  for (std::size_t i = 0; i < certs->size(); ++i) {
    auto facts = facts_of((*certs)[i].get());
    if (auto problem = validity_problem(facts, i); !problem.empty())
      return problem;
    // Clients follow the chain as sent: each certificate must be the previous one's issuer.
    if (i > 0 && X509_check_issued((*certs)[i].get(), (*certs)[i - 1].get()) != X509_V_OK)
      return "certificate " + std::to_string(i + 1) + " of the chain (" + facts.subject +
             ") did not issue certificate " + std::to_string(i) + ": the chain must follow the certificate in order";
  }
  return {};
}

std::string format_utc(std::time_t t) {
  std::tm tm{};
  char text[64] = {};
  if (::gmtime_r(&t, &tm) == nullptr || std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
    return "(time " + std::to_string(t) + ")";
  return text;
}

}  // namespace cstad::admin
