#include "transport/trace_mask.hpp"

#include <cctype>

namespace cstad::transport {
namespace {

bool ends_name(char c) { return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool blank(char c) { return c == ' ' || c == '\t'; }

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Whether a header line (up to its end) carries credentials: "Authorization:" or
// "Proxy-Authorization:", in any case, blanks allowed before the colon (RFC 3261 25.1).
bool carries_credentials(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos)
    return false;
  auto name = line.substr(0, colon);
  while (!name.empty() && blank(name.back()))
    name.remove_suffix(1);
  return same_name(name, "authorization") || same_name(name, "proxy-authorization");
}

// "Authorization: Digest username=..." up to the end of its scheme: what stays of the line.
std::size_t scheme_end(std::string_view line) {
  auto at = line.find(':') + 1;
  while (at < line.size() && blank(line[at]))
    ++at;
  while (at < line.size() && !blank(line[at]) && line[at] != '\r')
    ++at;
  return at;
}

// Whether a SIP or SIPS URI starts at `at` ("sip:" or "sips:", in any case): where its
// userinfo or host starts, else npos.
std::size_t uri_start(std::string_view line, std::size_t at) {
  for (std::string_view scheme : {"sip:", "sips:"})
    if (at + scheme.size() <= line.size() && same_name(line.substr(at, scheme.size()), scheme) &&
        (at == 0 || !std::isalnum(static_cast<unsigned char>(line[at - 1]))))
      return at + scheme.size();
  return std::string_view::npos;
}

// A line with the passwords of its SIP URIs masked: "sip:alice:s3cret@host" becomes
// "sip:alice:***@host" (RFC 3261 19.1.1 allows a password in the userinfo, and advises against
// it; a client that does it anyway must not find it in our trace). Userinfo ends at the first
// "@"; a URI without one ("sip:host:5060") has none, and its colon is the port's.
void append_masking_uri_passwords(std::string& out, std::string_view line) {
  std::size_t copied = 0;
  for (std::size_t at = 0; at < line.size(); ++at) {
    auto user = uri_start(line, at);
    if (user == std::string_view::npos)
      continue;
    auto end = user;
    while (end < line.size() && line[end] != '@' && line[end] != '>' && line[end] != '<' && line[end] != '"' &&
           !blank(line[end]) && line[end] != '\r' && line[end] != '\n')
      ++end;
    if (end == line.size() || line[end] != '@') {
      at = end - 1;
      continue;
    }
    auto colon = line.substr(user, end - user).find(':');
    if (colon != std::string_view::npos) {
      out.append(line.substr(copied, user + colon + 1 - copied)).append("***");
      copied = end;
    }
    at = end;
  }
  out.append(line.substr(copied));
}

// The headers of a SIP message with the credentials masked, and the passwords of the SIP URIs
// in its start line and headers; the body (after the first empty line) as it is. A folded
// header (RFC 3261 7.3.1: a line that starts with a blank continues the one before) is masked
// whole.
std::string mask_credentials(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  bool masking = false;  // the line before carried credentials: its continuation goes too
  std::size_t at = 0;
  while (at < message.size()) {
    auto eol = message.find('\n', at);
    auto next = eol == std::string_view::npos ? message.size() : eol + 1;
    auto line = message.substr(at, next - at);
    auto content = line;
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r'))
      content.remove_suffix(1);
    if (content.empty()) {  // the end of the headers: the body follows, masked as XML
      out.append(message.substr(at));
      return out;
    }
    if (masking && blank(content.front())) {
      at = next;  // part of the credentials already masked
      continue;
    }
    masking = at > 0 && carries_credentials(content);
    if (masking) {
      out.append(content.substr(0, scheme_end(content))).append(" ***");
      out.append(line.substr(content.size()));  // its line end
    } else {
      append_masking_uri_passwords(out, line);
    }
    at = next;
  }
  return out;
}

}  // namespace

std::string mask_passwords(std::string_view xml) {
  std::string out;
  out.reserve(xml.size());
  std::size_t copied = 0;
  for (auto lt = xml.find('<'); lt != std::string_view::npos; lt = xml.find('<', lt + 1)) {
    auto name_begin = lt + 1;
    if (name_begin >= xml.size() || xml[name_begin] == '/' || xml[name_begin] == '?' || xml[name_begin] == '!')
      continue;
    auto name_end = name_begin;
    while (name_end < xml.size() && !ends_name(xml[name_end]))
      ++name_end;
    auto name = xml.substr(name_begin, name_end - name_begin);
    if (auto colon = name.rfind(':'); colon != std::string_view::npos)
      name.remove_prefix(colon + 1);
    if (name != "password")
      continue;
    auto gt = xml.find('>', name_end);
    if (gt == std::string_view::npos || xml[gt - 1] == '/')
      continue;  // unfinished, or <password/>: nothing to hide
    auto close = xml.find("</", gt + 1);
    auto text_end = close == std::string_view::npos ? xml.size() : close;
    if (text_end == gt + 1)
      continue;
    out.append(xml.substr(copied, gt + 1 - copied));
    out.append("***");
    copied = text_end;
    lt = text_end == xml.size() ? text_end - 1 : text_end;
  }
  out.append(xml.substr(copied));
  return out;
}

std::string mask_sip(std::string_view message) { return mask_passwords(mask_credentials(message)); }

}  // namespace cstad::transport
