#pragma once
// The admin commands' way to the running server: a CAF client of the node's admin gate over
// the data directory's admin socket, every request with the directory's admin secret. No CAF in this header, so the commands' own code stays light.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "admin/reports.hpp"
#include "admin/system_config.hpp"
#include "common/trace_selection.hpp"

namespace cstad::admin {

class admin_client {
public:
  /// Connects to the cstad running on the data directory; nothing, and why, when there is
  /// none (or its secret cannot be read).
  static std::unique_ptr<admin_client> connect(const std::string& data_dir, std::string& error);
  ~admin_client();

  // Each returns nothing, with the reason in error, when the server refused the request or
  // could not be asked; an admin_reply may still carry the server's own refusal.
  std::optional<admin_reply> add_server(const server_config& c, std::string& error);
  std::optional<admin_reply> remove_server(int lim, std::uint16_t port, std::string& error);
  std::optional<system_report> report(bool devices, std::string& error);
  std::optional<admin_reply> set_account(const account& a, bool create, std::string& error);
  std::optional<admin_reply> remove_account(const std::string& user, std::string& error);
  std::optional<auth_report> accounts(std::string& error);
  std::optional<admin_reply> backup(std::string& error);
  std::optional<admin_reply> restore(const std::string& json, std::string& error);
  /// The wire trace's selection (common/trace_selection.hpp; by::nobody: off).
  std::optional<admin_reply> trace(const trace_selection& s, std::string& error);

  struct impl;

private:
  explicit admin_client(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace cstad::admin
