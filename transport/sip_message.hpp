#pragma once
// One SIP message as the TR/87 carrier needs it: the headers that route it and keep a dialog
// (Via, From/To with their tags, Call-ID, CSeq, Contact), the session timer's headers (RFC 4028)
// and the body. Parsed and written with libosip2's parser (libosip2-dev), so the corner cases
// of SIP syntax (compact names, folding, parameters, quoting) are a well-kept library's; this
// plain struct is what the rest of cstad sees. No sockets, no CAF.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cstad::transport {

struct sip_message {
  bool request = true;
  std::string method;       // requests: INVITE, INFO, …
  std::string request_uri;  // requests
  int status = 0;           // responses
  std::string reason;       // responses
  std::vector<std::string> vias;  // whole values, top first
  std::string from, to;           // whole values (with their tags)
  std::string from_tag, to_tag;
  std::string call_id;
  std::uint32_t cseq = 0;
  std::string cseq_method;
  std::string contact;            // the first Contact's URI
  std::string content_type;       // "type/subtype", lower case; empty without a body type
  std::string body;
  // Everything else that matters here, by lower-case name, in order (Session-Expires, Min-SE,
  // Supported, Require, Content-Disposition, Allow, Accept, Max-Forwards, …).
  std::vector<std::pair<std::string, std::string>> headers;

  /// The value of the first header of that (lower-case) name; empty when there is none.
  std::string header(std::string_view name) const;
  /// The top Via's branch parameter: it names the transaction.
  std::string branch() const;
};

/// Parses one whole message (headers and body); nothing, with the reason, when it is not SIP.
std::optional<sip_message> parse_sip(std::string_view text, std::string& error);

/// The message in SIP's wire form (Content-Length computed).
std::string render_sip(const sip_message& m);

/// A response to a request: its Vias, From, To (with to_tag added when it has none), Call-ID
/// and CSeq; no body.
sip_message response_to(const sip_message& request, int status, std::string reason, const std::string& to_tag);

}  // namespace cstad::transport
