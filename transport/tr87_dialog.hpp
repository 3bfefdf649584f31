#pragma once
// One TR/87 (uaCSTA) dialog as a state machine: what a Lync-style client's SIP requests mean
// for its CSTA session, and what the session's answers and events become in SIP. ECMA TR/87
// and Microsoft's remote call control:
//   INVITE [RequestSystemStatus] → the session's answer in the 200 OK; ACK
//   INFO [CSTA request]          → the session's answer (or CSTAErrorCode) in the 200 OK
//   event                        → INFO from us in the dialog (its 200 OK is not waited for)
//   re-INVITE, UPDATE            → refresh (RFC 4028 Session-Expires); no refresh in time → BYE
//   BYE                          → the session ends; the session ending → BYE
// Over UDP, requests that come again get the same answer, our 2xx to INVITE is repeated until
// the ACK, and our INFOs are repeated on RFC 3261's timers until answered. Pure: time comes
// in, SIP text and CSTA requests go out. No sockets, no CAF.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "transport/correlation.hpp"
#include "transport/sip_message.hpp"

namespace cstad::transport {

struct tr87_settings {
  std::string transport = "TCP";  // TCP, UDP or TLS: for Via and Contact
  std::string host = "127.0.0.1";
  std::uint16_t port = 5062;
  bool reliable = true;  // a stream: nothing is repeated
  std::chrono::seconds default_session_expires{1800};
  std::chrono::seconds min_se{90};
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
};

class tr87_dialog {
public:
  using time_point = std::chrono::steady_clock::time_point;

  struct output {
    std::vector<std::string> send;                                // SIP messages, in order
    std::vector<std::pair<correlation, std::string>> to_session;  // CSTA requests (XML)
    std::string ended;                                            // set: the dialog is over, why
  };

  /// A dialog from its first INVITE (already known to be for us, with a CSTA body or none).
  tr87_dialog(tr87_settings settings, const sip_message& invite, std::string local_tag, time_point now,
              output& out);

  /// A request of the client in this dialog (a repeated one included).
  void on_request(const sip_message& r, time_point now, output& out);
  /// The client's answer to one of our requests.
  void on_response(const sip_message& r, time_point now, output& out);
  /// The session's answer to the request with this correlation.
  void on_reply(correlation c, const std::string& xml, time_point now, output& out);
  /// An event of the session: an INFO to the client.
  void on_notify(const std::string& xml, time_point now, output& out);
  /// The session ended by itself: BYE.
  void on_close(const std::string& reason, time_point now, output& out);
  /// Repeats and the session timer; call at next_wake().
  void on_wake(time_point now, output& out);

  std::optional<time_point> next_wake() const;
  bool over() const { return over_; }
  /// The line the client controls (Microsoft's lcs:line in the first INVITE), or "".
  const std::string& line() const { return line_; }
  const std::string& call_id() const { return call_id_; }
  const std::string& remote_tag() const { return remote_tag_; }
  const std::string& local_tag() const { return local_tag_; }

private:
  struct pending {  // a request of the client that waits for the session's answer
    sip_message request;
    bool invite = false;
  };
  struct repeat {  // a message of ours that is sent again until it is answered (UDP)
    std::string text;
    time_point next;
    std::chrono::milliseconds interval;
    time_point give_up;
  };

  void answer(const sip_message& request, sip_message response, output& out);
  void answer_invite(const sip_message& invite, const std::string& body, time_point now, output& out);
  bool take_invite(const sip_message& invite, time_point now, output& out);
  sip_message new_request(const std::string& method);
  void send_request(sip_message m, time_point now, output& out);
  void end(std::string why, output& out);
  void add_session_timer(sip_message& response) const;
  std::string own_contact() const;

  tr87_settings settings_;
  std::string call_id_, remote_tag_, local_tag_, line_;
  std::string remote_uri_;     // the client's From (our To)
  std::string local_uri_;      // the client's To (our From)
  std::string remote_target_;  // the client's Contact: where our requests go
  std::string advertised_;     // host:port of ours that the client can reach
  std::uint32_t remote_cseq_ = 0;
  std::uint32_t local_cseq_ = 0;
  std::uint64_t next_token_ = 1;
  std::map<std::uint64_t, pending> waiting_;             // by correlation token
  std::deque<std::pair<std::string, std::string>> answered_;  // "cseq method" → final response text
  std::map<std::uint32_t, repeat> outgoing_;             // our requests by CSeq, until answered
  std::optional<repeat> invite_ok_;                      // our 2xx to an INVITE, until the ACK
  std::uint32_t invite_ok_cseq_ = 0;
  bool timer_ = false;                                   // RFC 4028 in use
  std::chrono::seconds interval_{0};
  time_point expires_{};
  std::uint64_t branch_serial_ = 0;
  bool established_ = false;  // the first INVITE was answered
  bool over_ = false;
};

/// The line a RequestSystemStatus names in Microsoft's private data (<lcs:line>, any prefix).
std::string tr87_line_of(const std::string& body);

}  // namespace cstad::transport
