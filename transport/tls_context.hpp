#pragma once
// One TLS configuration (an OpenSSL SSL_CTX), shared by every connection of a listener: TLS 1.2
// at least, 1.3 preferred, AEAD cipher suites with forward secrecy only, no renegotiation, no
// compression. A server context holds the certificate chain and key; with a client CA it asks
// every client for a certificate and refuses those that do not chain to it (mutual TLS). A
// client context (tests, benchmarks) verifies the server against a CA. PEM text in; no sockets.

#include <memory>
#include <string>

struct ssl_ctx_st;

namespace cstad::transport {

class tls_context {
public:
  /// A server context from PEM text: certificate (then its chain), key, and optionally the CA
  /// of client certificates. Nothing, and why, when they cannot be used together.
  static std::shared_ptr<const tls_context> server(const std::string& certificate_pem, const std::string& key_pem,
                                                   const std::string& client_ca_pem, std::string& error);

  /// A client context: verifies the server's certificate against ca_pem (empty: accepts any,
  /// for tests that need no verification); presents certificate_pem/key_pem when given.
  static std::shared_ptr<const tls_context> client(const std::string& ca_pem, const std::string& certificate_pem,
                                                   const std::string& key_pem, std::string& error);

  ~tls_context();
  tls_context(const tls_context&) = delete;
  tls_context& operator=(const tls_context&) = delete;

  ssl_ctx_st* native() const { return ctx_; }
  bool is_server() const { return server_; }
  /// Whether clients must present a certificate (a client CA is configured).
  bool verifies_clients() const { return verifies_clients_; }

private:
  tls_context(ssl_ctx_st* ctx, bool server) : ctx_(ctx), server_(server) {}
  ssl_ctx_st* ctx_;
  bool server_;
  bool verifies_clients_ = false;
};

/// The reason OpenSSL gives for its last error(s), emptying its error queue; fallback when it
/// gives none.
std::string openssl_reason(const char* fallback);

}  // namespace cstad::transport
