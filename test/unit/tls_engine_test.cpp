// The TLS engine without sockets: two engines connected in memory, records cut at every byte,
// truncated and corrupt records, old protocol versions, server and client certificates.

#include <doctest/doctest.h>

#include <openssl/ssl.h>

#include "admin/certificates.hpp"
#include "transport/tls_engine.hpp"

using cstad::admin::certificate_request;
using cstad::admin::key_and_certificate;
using cstad::transport::tls_context;
using cstad::transport::tls_engine;

namespace {

// Made once: key generation is the slow part.
struct pki {
  key_and_certificate ca, server, client, stranger_ca, stranger;
  pki() {
    std::string error;
    certificate_request r;
    r.common_name = "Test CA";
    r.ca = true;
    ca = *cstad::admin::create_self_signed(r, error);
    r.common_name = "Other CA";
    stranger_ca = *cstad::admin::create_self_signed(r, error);
    certificate_request leaf;
    leaf.common_name = "cstad.test";
    leaf.sans = {"DNS:cstad.test", "IP:127.0.0.1"};
    server = *cstad::admin::create_signed(leaf, ca, error);
    leaf.common_name = "desk-17";
    leaf.sans = {};
    client = *cstad::admin::create_signed(leaf, ca, error);
    stranger = *cstad::admin::create_signed(leaf, stranger_ca, error);
  }
};

const pki& keys() {
  static const pki k;
  return k;
}

std::shared_ptr<const tls_context> server_context(const std::string& client_ca = {}) {
  std::string error;
  auto ctx = tls_context::server(keys().server.cert_pem + keys().ca.cert_pem, keys().server.key_pem, client_ca, error);
  REQUIRE_MESSAGE(static_cast<bool>(ctx), error);
  return ctx;
}

std::shared_ptr<const tls_context> client_context(const key_and_certificate* own = nullptr) {
  std::string error;
  auto ctx = tls_context::client(keys().ca.cert_pem, own ? own->cert_pem : "", own ? own->key_pem : "", error);
  REQUIRE_MESSAGE(static_cast<bool>(ctx), error);
  return ctx;
}

// Moves bytes both ways until neither side has anything to say; what each received as
// plaintext is collected.
struct wire {
  wire(tls_engine& c, tls_engine& s) : client(c), server(s) {}
  tls_engine& client;
  tls_engine& server;
  std::string to_server, to_client, client_got, server_got;

  void run() {
    for (int round = 0; round < 20 && (!to_server.empty() || !to_client.empty()); ++round) {
      std::string in;
      in.swap(to_server);
      server.feed(in, server_got, to_client);
      in.clear();
      in.swap(to_client);
      client.feed(in, client_got, to_server);
    }
  }
};

}  // namespace

TEST_CASE("TLS: two engines shake hands in memory and carry frames both ways") {
  tls_engine server{server_context()};
  tls_engine client{client_context(), "cstad.test"};
  wire w{client, server};
  client.start(w.to_server);
  CHECK_FALSE(w.to_server.empty());  // the ClientHello
  w.run();
  REQUIRE(client.established());
  REQUIRE(server.established());
  CHECK(server.version() == "TLSv1.3");
  CHECK(server.peer_subject() == "-");  // no client certificate asked for
  CHECK(client.write(std::string("\0\0\0\x0c" "0001ping", 12), w.to_server));
  CHECK(server.write("0001pong", w.to_client));
  w.run();
  CHECK(w.server_got == std::string("\0\0\0\x0c" "0001ping", 12));
  CHECK(w.client_got == "0001pong");
  // An orderly end: the peer learns it.
  client.close(w.to_server);
  w.run();
  CHECK(server.peer_closed());
  CHECK_FALSE(server.failed());
}

TEST_CASE("TLS: what is written before the handshake ends goes out after it") {
  tls_engine server{server_context()};
  tls_engine client{client_context(), "cstad.test"};
  wire w{client, server};
  client.start(w.to_server);
  CHECK(client.write("early", w.to_server));
  w.run();
  CHECK(w.server_got == "early");
}

TEST_CASE("TLS: a record cut at every byte arrives whole, and so does a handshake fed byte by byte") {
  tls_engine server{server_context()};
  tls_engine client{client_context(), "cstad.test"};
  wire w{client, server};
  std::string hello;
  client.start(hello);
  // The server gets the ClientHello one byte at a time.
  for (char c : hello)
    REQUIRE(server.feed(std::string_view{&c, 1}, w.server_got, w.to_client));
  CHECK_FALSE(w.to_client.empty());
  w.run();
  REQUIRE(server.established());
  const std::string frame = std::string("\0\0\0\x2a", 4) + "0007<MonitorStart>1000</MonitorStart>";
  std::string record;
  REQUIRE(client.write(frame, record));
  REQUIRE(record.size() > frame.size());
  for (std::size_t cut = 1; cut < record.size(); ++cut) {
    std::string got, back;
    REQUIRE(server.feed(std::string_view{record}.substr(0, cut), got, back));
    CHECK(got.empty());  // a record is opened only when whole
    REQUIRE(server.feed(std::string_view{record}.substr(cut), got, back));
    CHECK(got == frame);
    record.clear();
    REQUIRE(client.write(frame, record));  // the next record (new sequence number)
  }
}

TEST_CASE("TLS: a truncated record waits, a corrupt one ends the connection") {
  tls_engine server{server_context()};
  tls_engine client{client_context(), "cstad.test"};
  wire w{client, server};
  client.start(w.to_server);
  w.run();
  std::string record;
  REQUIRE(client.write("0001hello", record));
  std::string got, back;
  CHECK(server.feed(std::string_view{record}.substr(0, record.size() - 1), got, back));
  CHECK(got.empty());
  CHECK_FALSE(server.failed());
  // The same record with one byte of its ciphertext changed: the authentication fails.
  std::string corrupt = record;
  corrupt[corrupt.size() / 2] ^= 0x01;
  tls_engine server2{server_context()};
  tls_engine client2{client_context(), "cstad.test"};
  wire w2{client2, server2};
  client2.start(w2.to_server);
  w2.run();
  std::string record2;
  REQUIRE(client2.write("0001hello", record2));
  record2[record2.size() / 2] ^= 0x01;
  std::string alert;
  CHECK_FALSE(server2.feed(record2, got, alert));
  CHECK(server2.failed());
  CHECK(server2.failure().find("bad record mac") != std::string::npos);
  CHECK_FALSE(alert.empty());  // the alert for the client
  CHECK_FALSE(server2.write("0001more", alert));
}

TEST_CASE("TLS: plaintext and old protocol versions are refused with the reason") {
  tls_engine server{server_context()};
  std::string got, out;
  CHECK_FALSE(server.feed(std::string("\0\0\0\x20" "0001<MonitorStart/>", 24), got, out));
  CHECK(server.failure() == "wrong version number");

  std::string error;
  auto old = tls_context::client("", "", "", error);
  REQUIRE(static_cast<bool>(old));
  SSL_CTX_set_security_level(old->native(), 0);
  SSL_CTX_set_min_proto_version(old->native(), TLS1_1_VERSION);
  SSL_CTX_set_max_proto_version(old->native(), TLS1_1_VERSION);
  SSL_CTX_set_cipher_list(old->native(), "DEFAULT:@SECLEVEL=0");
  tls_engine tls11{old};
  tls_engine server2{server_context()};
  wire w{tls11, server2};
  tls11.start(w.to_server);
  w.run();
  CHECK_FALSE(server2.established());
  CHECK(server2.failure() == "unsupported protocol");

  // TLS 1.2 is still taken, with an ECDHE AEAD suite.
  auto tls12 = tls_context::client(keys().ca.cert_pem, "", "", error);
  SSL_CTX_set_max_proto_version(tls12->native(), TLS1_2_VERSION);
  tls_engine c12{tls12, "cstad.test"};
  tls_engine server3{server_context()};
  wire w3{c12, server3};
  c12.start(w3.to_server);
  w3.run();
  REQUIRE(server3.established());
  CHECK(server3.version() == "TLSv1.2");
  CHECK(server3.cipher().rfind("ECDHE-", 0) == 0);
  CHECK(server3.cipher().find("GCM") != std::string::npos);
}

TEST_CASE("TLS: the client checks the server's name against its certificate") {
  tls_engine server{server_context()};
  tls_engine client{client_context(), "elsewhere.test"};
  wire w{client, server};
  client.start(w.to_server);
  w.run();
  CHECK_FALSE(client.established());
  CHECK(client.failure().find("certificate verify failed") != std::string::npos);
  CHECK(client.failure().find("hostname mismatch") != std::string::npos);
}

TEST_CASE("TLS: with a client CA, a client needs a certificate that CA signed") {
  auto mutual = server_context(keys().ca.cert_pem);
  {
    tls_engine server{mutual};
    tls_engine client{client_context(&keys().client), "cstad.test"};
    wire w{client, server};
    client.start(w.to_server);
    w.run();
    client.write("0001hi", w.to_server);  // TLS 1.3: the server decides after the client's Finished
    w.run();
    REQUIRE(server.established());
    CHECK(server.peer_subject() == "/CN=desk-17");
    CHECK(w.server_got == "0001hi");
  }
  {
    tls_engine server{mutual};
    tls_engine client{client_context(), "cstad.test"};  // none
    wire w{client, server};
    client.start(w.to_server);
    w.run();
    client.write("0001hi", w.to_server);
    w.run();
    CHECK(server.failed());
    CHECK(server.failure().find("peer did not return a certificate") != std::string::npos);
    CHECK(w.server_got.empty());
  }
  {
    tls_engine server{mutual};
    tls_engine client{client_context(&keys().stranger), "cstad.test"};  // another CA's
    wire w{client, server};
    client.start(w.to_server);
    w.run();
    client.write("0001hi", w.to_server);
    w.run();
    CHECK(server.failed());
    CHECK(server.failure().find("certificate verify failed") != std::string::npos);
    CHECK(server.failure().find("unable to get local issuer certificate") != std::string::npos);
    CHECK(w.server_got.empty());
  }
}

TEST_CASE("TLS: a server context refuses a key that is not its certificate's") {
  std::string error;
  CHECK_FALSE(static_cast<bool>(tls_context::server(keys().server.cert_pem, keys().client.key_pem, "", error)));
  CHECK(error == "the key does not belong to the certificate");
  CHECK_FALSE(static_cast<bool>(tls_context::server("not a certificate", keys().server.key_pem, "", error)));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(static_cast<bool>(tls_context::server(keys().server.cert_pem, keys().server.key_pem, "no CA here", error)));
  CHECK(error == "the CA file holds no certificate");
}
