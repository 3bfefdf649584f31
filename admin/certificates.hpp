#pragma once
// Certificates for the TLS servers, as mxone_certificate handles them: keys (ECDSA P-256 by
// default, RSA 2048 on request) made with OpenSSL, self-signed certificates, signing requests
// for a CA, and the facts an operator checks before installing one. PEM text in and out; the
// files live in the data directory (data_directory::tls_*). No CAF, no sockets.

#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace cstad::admin {

struct certificate_request {
  std::string common_name;
  int days = 365;                  // validity from now (self-signed and signed certificates)
  std::vector<std::string> sans;   // "DNS:host" or "IP:addr"; empty: DNS:<common_name>
  bool rsa = false;                // RSA 2048 instead of ECDSA P-256
  bool ca = false;                 // basicConstraints CA:TRUE, keyCertSign (for test CAs)
  long not_before_offset_seconds = 0;  // validity starts this long after now (negative: before);
                                       // tests make certificates not valid yet or expired with it
};

/// Why a request cannot be made (its common name, days or SANs), empty when it can: the
/// create functions refuse such a request with this reason. A leaf certificate without SANs
/// names its common name (IP: when it is an address), which must then be a host name.
std::string request_problem(const certificate_request& r);

struct key_and_certificate {
  std::string key_pem;   // PKCS#8, unencrypted
  std::string cert_pem;
};

/// A new key and a certificate signed with it.
std::optional<key_and_certificate> create_self_signed(const certificate_request& r, std::string& error);

/// A new key and a certificate that issuer (a CA made with r.ca) signs; for tests and for
/// client certificates.
std::optional<key_and_certificate> create_signed(const certificate_request& r, const key_and_certificate& issuer,
                                                 std::string& error);

struct key_and_request {
  std::string key_pem;
  std::string csr_pem;
};

/// A new key and a PKCS#10 signing request for it (subject CN and the SANs as an extension).
std::optional<key_and_request> create_signing_request(const certificate_request& r, std::string& error);

/// What an operator checks of one certificate.
struct certificate_facts {
  std::string subject;             // one line, e.g. "CN=cstad.example.com"
  std::string issuer;
  std::vector<std::string> sans;   // "DNS:…", "IP:…"
  std::time_t not_before = 0;
  std::time_t not_after = 0;
  std::string sha256;              // "AB:CD:…" of the DER encoding
  bool valid_now = false;
};

/// Every certificate of a PEM text (a chain: the server's first); nothing, and why, when the
/// text holds none or one cannot be read.
std::optional<std::vector<certificate_facts>> describe_certificates(const std::string& pem, std::string& error);

/// Why a certificate (PEM, possibly followed by its chain) and a key cannot be installed
/// together: unreadable, the key does not match the first certificate, not valid now. Empty
/// when they can.
std::string check_certificate_and_key(const std::string& cert_pem, const std::string& key_pem);

/// "2027-11-27 13:42:13 UTC"
std::string format_utc(std::time_t t);

}  // namespace cstad::admin
