#pragma once
// Where a TLS listener gets the context for each new connection: PEM files on disk (those
// mxone_certificate installs, or those given with cstad --tls-cert/--tls-key/--tls-ca). The
// files are looked at (stat) for every new connection and read again only when one changed, so
// a replaced certificate takes effect for the next connection without a restart, while open
// connections keep the context they began with. No sockets, no CAF.

#include <memory>
#include <string>
#include <vector>

#include "transport/tls_context.hpp"

namespace cstad::transport {

struct tls_files {
  std::string certificate;  // the server's certificate, then its chain
  std::string key;
  std::string client_ca;    // when this file exists, clients must present a certificate it signed
};

class tls_context_source {
public:
  explicit tls_context_source(tls_files files) : files_(std::move(files)) {}

  /// The context for a new connection. When the files changed and cannot be used, the
  /// previous context stays in force and error says why (once per change); nothing when
  /// there never was a usable one.
  std::shared_ptr<const tls_context> current(std::string& error);

  const tls_files& files() const { return files_; }

private:
  tls_files files_;
  std::vector<long long> seen_;  // what stat said of the files when last read
  std::shared_ptr<const tls_context> ctx_;
  std::string last_error_;
};

}  // namespace cstad::transport
