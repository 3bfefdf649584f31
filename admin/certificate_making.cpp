// Keys, certificates and signing requests, as mxone_certificate makes them: the request
// checked first (common name, validity, alternative names), then a new key (ECDSA P-256, or
// RSA 2048), a certificate signed with it or with a CA's key, or a PKCS#10 request for a CA.
// Reading and checking PEM is in certificates.cpp.

#include "admin/certificates.hpp"

#include <cctype>
#include <cstring>
#include <strings.h>

#include <arpa/inet.h>

#include <openssl/pem.h>
#include <openssl/rand.h>

#include "admin/openssl_objects.hpp"

namespace cstad::admin {
namespace {

using namespace openssl;

constexpr int longest_validity_days = 36500;
constexpr std::size_t longest_common_name = 64;  // X.509's upper bound (ub-common-name)

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

}  // namespace cstad::admin
