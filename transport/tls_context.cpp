#include "transport/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace cstad::transport {
namespace {

struct bio_free {
  void operator()(BIO* b) const { BIO_free(b); }
};
using bio_ptr = std::unique_ptr<BIO, bio_free>;

bio_ptr memory(const std::string& text) {
  return bio_ptr{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
}

// TLS 1.2 suites with forward secrecy and AEAD only; TLS 1.3's are all AEAD (OpenSSL's default
// list). The same for both sides.
bool harden(SSL_CTX* ctx, std::string& error) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20") != 1) {
    error = openssl_reason("the TLS settings were refused");
    return false;
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  return true;
}

// Every certificate of a PEM text into the store (and, for a server, into the names it sends
// in its CertificateRequest); false when there is none or one is broken.
bool add_certificates(SSL_CTX* ctx, const std::string& pem, bool as_client_ca, std::string& error) {
  auto in = memory(pem);
  auto* store = SSL_CTX_get_cert_store(ctx);
  int count = 0;
  while (X509* cert = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store, cert);
    if (as_client_ca)
      SSL_CTX_add_client_CA(ctx, cert);
    X509_free(cert);
    ++count;
  }
  ERR_clear_error();  // the end of the text reads as an error
  if (count == 0) {
    error = "the CA file holds no certificate";
    return false;
  }
  return true;
}

bool use_certificate_and_key(SSL_CTX* ctx, const std::string& certificate_pem, const std::string& key_pem,
                             std::string& error) {
  auto in = memory(certificate_pem);
  X509* leaf = PEM_read_bio_X509_AUX(in.get(), nullptr, nullptr, nullptr);
  if (leaf == nullptr || SSL_CTX_use_certificate(ctx, leaf) != 1) {
    X509_free(leaf);
    error = openssl_reason("the certificate cannot be read");
    return false;
  }
  X509_free(leaf);
  SSL_CTX_clear_chain_certs(ctx);
  while (X509* link = PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, link) != 1) {
      X509_free(link);
      error = openssl_reason("a certificate of the chain cannot be used");
      return false;
    }
  }
  ERR_clear_error();
  auto key_in = memory(key_pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(key_in.get(), nullptr, nullptr, nullptr);
  if (key == nullptr || SSL_CTX_use_PrivateKey(ctx, key) != 1) {
    EVP_PKEY_free(key);
    error = openssl_reason("the key cannot be read");
    if (error.find("values mismatch") != std::string::npos)  // OpenSSL checks the pair here already
      error = "the key does not belong to the certificate";
    return false;
  }
  EVP_PKEY_free(key);
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    error = "the key does not belong to the certificate";
    return false;
  }
  return true;
}

}  // namespace

std::string openssl_reason(const char* fallback) {
  std::string out;
  while (auto code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    // "error:0A00010B:SSL routines::wrong version number": the words after the last colon.
    std::string text = buf;
    auto colon = text.rfind(':');
    if (colon != std::string::npos)
      text = text.substr(colon + 1);
    if (!out.empty())
      out += "; ";
    out += text;
  }
  return out.empty() ? fallback : out;
}

std::shared_ptr<const tls_context> tls_context::server(const std::string& certificate_pem, const std::string& key_pem,
                                                       const std::string& client_ca_pem, std::string& error) {
  SSL_CTX* raw = SSL_CTX_new(TLS_server_method());
  if (raw == nullptr) {
    error = openssl_reason("no TLS context");
    return nullptr;
  }
  std::shared_ptr<tls_context> ctx{new tls_context(raw, true)};
  if (!harden(raw, error) || !use_certificate_and_key(raw, certificate_pem, key_pem, error))
    return nullptr;
  // Needed once clients are verified and sessions may be resumed; names this server's cache.
  static const unsigned char id[] = "cstad";
  SSL_CTX_set_session_id_context(raw, id, sizeof id - 1);
  if (!client_ca_pem.empty()) {
    if (!add_certificates(raw, client_ca_pem, true, error))
      return nullptr;
    SSL_CTX_set_verify(raw, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    ctx->verifies_clients_ = true;
  }
  return ctx;
}

std::shared_ptr<const tls_context> tls_context::client(const std::string& ca_pem, const std::string& certificate_pem,
                                                       const std::string& key_pem, std::string& error) {
  SSL_CTX* raw = SSL_CTX_new(TLS_client_method());
  if (raw == nullptr) {
    error = openssl_reason("no TLS context");
    return nullptr;
  }
  std::shared_ptr<tls_context> ctx{new tls_context(raw, false)};
  if (!harden(raw, error))
    return nullptr;
  if (!ca_pem.empty()) {
    if (!add_certificates(raw, ca_pem, false, error))
      return nullptr;
    SSL_CTX_set_verify(raw, SSL_VERIFY_PEER, nullptr);
  }
  if (!certificate_pem.empty() && !use_certificate_and_key(raw, certificate_pem, key_pem, error))
    return nullptr;
  return ctx;
}

tls_context::~tls_context() { SSL_CTX_free(ctx_); }

}  // namespace cstad::transport
