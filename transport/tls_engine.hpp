#pragma once
// One TLS connection as a pure state machine over memory: ciphertext from the peer goes in,
// plaintext and the ciphertext to send back come out. OpenSSL does the protocol through two
// memory BIOs, so no socket is involved: the carrier moves the bytes, and this class can be
// tested by connecting two engines in memory. Not thread-safe; one owner at a time.

#include <memory>
#include <string>
#include <string_view>

#include "transport/tls_context.hpp"

struct ssl_st;
struct bio_st;

namespace cstad::transport {

class tls_engine {
public:
  /// A server engine, or a client one when the context is a client's; server_name (clients
  /// only) is sent as SNI and, when the context verifies, must match the server's certificate.
  explicit tls_engine(std::shared_ptr<const tls_context> ctx, const std::string& server_name = {});
  ~tls_engine();
  tls_engine(const tls_engine&) = delete;
  tls_engine& operator=(const tls_engine&) = delete;

  /// Client: the first flight (ClientHello) into out. A server waits for the peer.
  void start(std::string& out);

  /// Ciphertext from the peer, in pieces of any size. The plaintext it completes is appended
  /// to plain; what must go back (handshake, alerts, tickets) to out. False once the
  /// connection failed (failure() says why); out may then hold the alert to send.
  bool feed(std::string_view cipher, std::string& plain, std::string& out);

  /// Plaintext to send: its records are appended to out; kept until the handshake is done.
  /// False once the connection failed.
  bool write(std::string_view plain, std::string& out);

  /// The close_notify alert into out (once).
  void close(std::string& out);

  bool established() const { return established_; }
  bool failed() const { return !failure_.empty(); }
  /// The peer sent close_notify: it will send nothing more.
  bool peer_closed() const { return peer_closed_; }
  const std::string& failure() const { return failure_; }

  /// "TLSv1.3", the cipher suite and the peer certificate's subject (or "-"), once established.
  std::string version() const;
  std::string cipher() const;
  std::string peer_subject() const;

private:
  bool advance(std::string& plain);
  void flush_pending();
  void take_output(std::string& out);
  bool fail(const char* fallback);

  std::shared_ptr<const tls_context> ctx_;
  ssl_st* ssl_ = nullptr;
  bio_st* in_ = nullptr;   // ciphertext from the peer (owned by ssl_)
  bio_st* out_ = nullptr;  // ciphertext to the peer (owned by ssl_)
  std::string pending_;    // plaintext written before the handshake finished
  std::string failure_;
  bool established_ = false;
  bool peer_closed_ = false;
  bool closed_ = false;
};

}  // namespace cstad::transport
