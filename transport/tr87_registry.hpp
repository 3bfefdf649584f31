#pragma once
// The TR/87 side of one SIP listener: which dialog a message belongs to, new dialogs from
// INVITEs, and the answers that need no dialog (OPTIONS; 400 for what is not SIP, 481 for a
// request of an unknown dialog, 405/501 for methods TR/87 does not use, 413 and 415). A new
// INVITE for a line that already has a dialog replaces it. Pure: the actor around it moves the
// bytes, makes a session per dialog and keeps the time. No sockets, no CAF.

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "transport/tr87_dialog.hpp"

namespace cstad::transport {

class tr87_registry {
public:
  using time_point = tr87_dialog::time_point;

  /// What one input caused: answers to the message's source, and per dialog its output.
  struct output {
    std::vector<std::string> reply;  // to where the message came from
    std::vector<std::pair<std::uint64_t, tr87_dialog::output>> dialogs;
    std::vector<std::uint64_t> created;  // dialogs that need a session now
    std::uint64_t routed_to = 0;         // the dialog the message belonged to (0: none)
    std::string refused;                 // why the message was answered with an error (for the log)
  };

  /// A message from a client; settings says over what it came (and so what a new dialog uses).
  void on_message(std::string_view text, const tr87_settings& settings, time_point now, output& out);

  tr87_dialog* find(std::uint64_t id);
  /// Forgets a dialog that is over.
  void erase(std::uint64_t id);
  std::size_t size() const { return dialogs_.size(); }

private:
  std::string new_tag();

  std::map<std::uint64_t, std::unique_ptr<tr87_dialog>> dialogs_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> by_key_;  // (Call-ID, client's tag)
  std::map<std::string, std::uint64_t> by_line_;
  std::uint64_t next_id_ = 1;
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace cstad::transport
