#include "transport/tls_engine.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace cstad::transport {

tls_engine::tls_engine(std::shared_ptr<const tls_context> ctx, const std::string& server_name)
    : ctx_(std::move(ctx)) {
  ssl_ = SSL_new(ctx_->native());
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  // An empty memory BIO reads as "try again", not as end of file: more may come.
  BIO_set_mem_eof_return(in_, -1);
  SSL_set_bio(ssl_, in_, out_);
  if (ctx_->is_server()) {
    SSL_set_accept_state(ssl_);
  } else {
    SSL_set_connect_state(ssl_);
    if (!server_name.empty()) {
      SSL_set_tlsext_host_name(ssl_, server_name.c_str());
      SSL_set1_host(ssl_, server_name.c_str());
    }
  }
}

tls_engine::~tls_engine() { SSL_free(ssl_); }

bool tls_engine::fail(const char* fallback) {
  if (failure_.empty()) {
    auto verify = SSL_get_verify_result(ssl_);
    failure_ = openssl_reason(fallback);
    if (verify != X509_V_OK)
      failure_ += std::string{" ("} + X509_verify_cert_error_string(verify) + ")";
  }
  ERR_clear_error();
  return false;
}

void tls_engine::take_output(std::string& out) {
  char* data = nullptr;
  auto n = BIO_get_mem_data(out_, &data);
  if (n > 0) {
    out.append(data, static_cast<std::size_t>(n));
    (void)BIO_reset(out_);
  }
}

void tls_engine::start(std::string& out) {
  if (!ctx_->is_server() && !established_ && !failed()) {
    auto rc = SSL_do_handshake(ssl_);
    if (rc != 1 && SSL_get_error(ssl_, rc) != SSL_ERROR_WANT_READ)
      fail("the handshake failed");
  }
  take_output(out);
}

// Runs the handshake as far as the input allows, then reads what plaintext there is.
bool tls_engine::advance(std::string& plain) {
  if (!established_) {
    auto rc = SSL_do_handshake(ssl_);
    if (rc != 1) {
      auto e = SSL_get_error(ssl_, rc);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
        return true;
      return fail("the handshake failed");
    }
    established_ = true;
    flush_pending();
    if (failed())
      return false;
  }
  char buf[16384];
  for (;;) {
    auto n = SSL_read(ssl_, buf, sizeof buf);
    if (n > 0) {
      plain.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    auto e = SSL_get_error(ssl_, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
      return true;
    if (e == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      return true;
    }
    return fail("a record could not be read");
  }
}

bool tls_engine::feed(std::string_view cipher, std::string& plain, std::string& out) {
  if (failed())
    return false;
  if (!cipher.empty() && BIO_write(in_, cipher.data(), static_cast<int>(cipher.size())) <= 0)
    fail("out of memory");
  bool ok = !failed() && advance(plain);
  take_output(out);
  return ok;
}

void tls_engine::flush_pending() {
  if (pending_.empty())
    return;
  auto n = SSL_write(ssl_, pending_.data(), static_cast<int>(pending_.size()));
  if (n <= 0) {
    fail("a record could not be written");
    return;
  }
  pending_.clear();
}

bool tls_engine::write(std::string_view plain, std::string& out) {
  if (failed() || closed_)
    return false;
  pending_.append(plain);
  if (established_)
    flush_pending();
  take_output(out);
  return !failed();
}

void tls_engine::close(std::string& out) {
  if (closed_ || failed())
    return;
  closed_ = true;
  if (established_ && SSL_shutdown(ssl_) < 0)
    ERR_clear_error();
  take_output(out);
}

std::string tls_engine::version() const { return established_ ? SSL_get_version(ssl_) : "-"; }

std::string tls_engine::cipher() const { return established_ ? SSL_get_cipher_name(ssl_) : "-"; }

std::string tls_engine::peer_subject() const {
  X509* peer = SSL_get1_peer_certificate(ssl_);
  if (peer == nullptr)
    return "-";
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(peer), buf, sizeof buf);
  X509_free(peer);
  return buf;
}

}  // namespace cstad::transport
