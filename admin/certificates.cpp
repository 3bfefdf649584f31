// Reading what an operator brings (PEM certificates, chains, keys) and what a certificate
// says: the facts mxone_certificate shows, and the checks before a certificate and key are
// installed together. Making keys, certificates and requests is in certificate_making.cpp.

#include "admin/certificates.hpp"

#include <cstdio>
#include <cstring>

#include <arpa/inet.h>

#include <openssl/pem.h>

#include "admin/openssl_objects.hpp"

namespace cstad::admin {
namespace openssl {
namespace {

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

}  // namespace

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

std::string one_line(const X509_NAME* name) {
  auto bio = memory_bio();
  // RFC 2253 ("CN=…,O=…"), but UTF-8 as it is rather than escaped byte by byte.
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0)
    return {};
  return text_of(bio.get());
}

}  // namespace openssl

namespace {

using namespace openssl;

// ---- what a certificate says

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
