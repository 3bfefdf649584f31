#pragma once
// A minimal CSTA XML client over a real TCP socket, for the integration tests: it frames
// requests, reads frames with a deadline and parses them, so tests can assert what a client
// sees on the wire.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/framing.hpp"
#include "protocol/xml_element.hpp"

namespace cstad::test {

struct received {
  int invoke_id = 0;
  std::string body;         // the XML as sent
  protocol::xml_element xml;  // parsed

  /// Text of a child element path like "callingDevice/callID"; "" when absent.
  std::string at(std::string_view path) const;
};

class csta_client {
public:
  explicit csta_client(std::uint16_t port);
  ~csta_client();
  csta_client(const csta_client&) = delete;
  csta_client& operator=(const csta_client&) = delete;

  void send(int invoke_id, std::string_view xml);
  void send_raw(std::string_view bytes);

  /// The next frame, or nothing when none came within the timeout or the server closed.
  std::optional<received> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  /// Sends a request and returns the frame answering it (same invoke id); events that arrive
  /// meanwhile are kept for events_for().
  received request(int invoke_id, std::string_view xml);

  /// Waits until `count` events for monitorCrossRefID `cross_ref` have arrived and returns the
  /// oldest `count` of them (fewer on timeout); any later ones stay for the next call.
  std::vector<received> events_for(const std::string& cross_ref, std::size_t count);

  /// True when the server closes the connection within the timeout (pending frames are read
  /// and kept).
  bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  /// Events received but not yet taken, by monitorCrossRefID.
  std::map<std::string, std::vector<received>>& pending_events() { return events_; }

private:
  void keep_event(received r);

  int fd_ = -1;
  bool eof_ = false;
  protocol::frame_decoder decoder_;
  std::map<std::string, std::vector<received>> events_;
};

}  // namespace cstad::test
