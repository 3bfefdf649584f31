#pragma once
// The data directory: where cstad keeps its state and where the admin tools find the running
// server. It holds config.json (the system configuration, written atomically), admin.secret
// (created with the directory, readable only by its owner), admin.sock (the running server's
// admin socket, readable only by its owner) and cstad.lock (one server per directory). No CAF.

#include <cstdint>
#include <optional>
#include <string>

#include "admin/system_config.hpp"

namespace cstad::admin {

class data_directory {
public:
  /// Which directory: the option's value when given, else $CSTAD_DATA_DIR, else
  /// $XDG_STATE_HOME/cstad, else $HOME/.local/state/cstad.
  static std::string resolve(const std::string& option);
  /// How resolve chooses, for --help texts.
  static const char* rule();

  explicit data_directory(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string file(const char* name) const { return path_ + "/" + name; }
  std::string config_file() const { return file("config.json"); }

  /// Creates the directory (readable only by its owner) when it does not exist.
  bool create(std::string& error) const;

  /// Takes the directory for a running server (cstad.lock); fails, naming the process that
  /// has it, while another server runs on it. Held until the process ends.
  bool lock(std::string& error);

  enum class load_result { loaded, missing, broken };
  /// Reads config.json. A broken file is reported in error (file and problem) and not touched.
  load_result load(system_config& out, std::string& error) const;

  /// Writes config.json atomically: a temporary file, fsync, rename, fsync of the directory.
  bool save(const system_config& c, std::string& error) const;

  /// The admin secret; created (random, mode 0600) when create is set and there is none. A
  /// secret file that exists but cannot be read is an error, never replaced.
  std::optional<std::string> admin_secret(bool create, std::string& error) const;

  /// The installed TLS certificate (PEM, the server's first, then its chain), its key (0600)
  /// and the CA that client certificates must chain to (mutual TLS when present), as
  /// mxone_certificate installs them. TLS listeners pick up a replacement at their next
  /// connection.
  std::string tls_certificate_file() const { return file("tls/server.crt"); }
  std::string tls_key_file() const { return file("tls/server.key"); }
  std::string tls_client_ca_file() const { return file("tls/client-ca.crt"); }
  /// The key of the last signing request mxone_certificate made, until its certificate is installed.
  std::string tls_request_key_file() const { return file("tls/request.key"); }
  /// Creates the directory of the files above (and the data directory), readable only by its
  /// owner, when it does not exist.
  bool create_tls_directory(std::string& error) const;

  /// Where the running server takes admin requests: a Unix socket, mode 0600.
  std::string admin_socket() const { return file("admin.sock"); }

  /// What in the directory other users could read or change (group/other permissions on the
  /// directory or the secret), for a warning at start; empty when it is private.
  std::string exposure() const;

private:
  std::string path_;
  int lock_fd_ = -1;
};

/// Writes text to path atomically (temporary file, fsync, rename, fsync of the directory),
/// readable only by its owner.
bool write_file_atomically(const std::string& path, const std::string& text, std::string& error);

/// The whole file, or nothing when it cannot be read (error says why).
std::optional<std::string> read_file(const std::string& path, std::string& error);

}  // namespace cstad::admin
