#include "transport/sip_message.hpp"

#include <algorithm>
#include <cstdarg>
#include <cctype>
#include <memory>
#include <mutex>

#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>

namespace cstad::transport {
namespace {

void ignore_osip_trace(const char*, int, osip_trace_level_t, const char*, va_list) {}

void init_parser() {
  static std::once_flag once;
  std::call_once(once, [] {
    parser_init();
    // osip would print its own complaints to stderr; what was refused is logged by cstad.
    osip_trace_initialize_func(TRACE_LEVEL0, &ignore_osip_trace);
    for (int level = 0; level < END_TRACE_LEVEL; ++level)
      osip_trace_disable_level(static_cast<osip_trace_level_t>(level));
  });
}

struct message_free {
  void operator()(osip_message_t* m) const { osip_message_free(m); }
};
using message_ptr = std::unique_ptr<osip_message_t, message_free>;

// osip's *_to_str functions allocate; this takes the text and frees it.
template <class F, class T>
std::string text_of(F to_str, const T* x) {
  if (x == nullptr)
    return {};
  char* buf = nullptr;
  if (to_str(x, &buf) != 0 || buf == nullptr)
    return {};
  std::string out{buf};
  osip_free(buf);
  return out;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string tag_of(osip_list_t* params) {
  osip_generic_param_t* tag = nullptr;
  if (osip_generic_param_get_byname(params, const_cast<char*>("tag"), &tag) == 0 && tag && tag->gvalue)
    return tag->gvalue;
  return {};
}

}  // namespace

std::string sip_message::header(std::string_view name) const {
  for (auto& [n, v] : headers)
    if (n == name)
      return v;
  return {};
}

std::string sip_message::branch() const {
  if (vias.empty())
    return {};
  auto& v = vias.front();
  auto at = lower(v).find("branch=");
  if (at == std::string::npos)
    return {};
  auto end = v.find_first_of(";, \t", at + 7);
  return v.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7);
}

std::optional<sip_message> parse_sip(std::string_view text, std::string& error) {
  init_parser();
  osip_message_t* raw = nullptr;
  osip_message_init(&raw);
  message_ptr m{raw};
  if (osip_message_parse(raw, text.data(), text.size()) != 0) {
    error = "not a SIP message";
    return std::nullopt;
  }
  sip_message out;
  out.request = MSG_IS_REQUEST(raw);
  if (out.request) {
    out.method = raw->sip_method ? raw->sip_method : "";
    out.request_uri = text_of(osip_uri_to_str, raw->req_uri);
  } else {
    out.status = raw->status_code;
    out.reason = raw->reason_phrase ? raw->reason_phrase : "";
  }
  for (int i = 0; !osip_list_eol(&raw->vias, i); ++i)
    out.vias.push_back(text_of(osip_via_to_str, static_cast<osip_via_t*>(osip_list_get(&raw->vias, i))));
  if (raw->from) {
    out.from = text_of(osip_from_to_str, raw->from);
    out.from_tag = tag_of(&raw->from->gen_params);
  }
  if (raw->to) {
    out.to = text_of(osip_to_to_str, raw->to);
    out.to_tag = tag_of(&raw->to->gen_params);
  }
  out.call_id = text_of(osip_call_id_to_str, raw->call_id);
  if (raw->cseq && raw->cseq->number && raw->cseq->method) {
    char* end = nullptr;
    auto n = std::strtoul(raw->cseq->number, &end, 10);
    if (end != nullptr && *end == '\0' && n <= 0xffffffffUL)
      out.cseq = static_cast<std::uint32_t>(n);
    out.cseq_method = raw->cseq->method;
  }
  osip_contact_t* contact = nullptr;
  if (osip_message_get_contact(raw, 0, &contact) >= 0 && contact && contact->url)
    out.contact = text_of(osip_uri_to_str, contact->url);
  if (raw->content_type && raw->content_type->type && raw->content_type->subtype)
    out.content_type = lower(std::string{raw->content_type->type} + "/" + raw->content_type->subtype);
  osip_body_t* body = nullptr;
  if (osip_message_get_body(raw, 0, &body) >= 0 && body && body->body)
    out.body.assign(body->body, body->length);
  // Allow and Accept have lists of their own in osip; the rest of cstad reads them as headers.
  std::string allows, accepts;
  for (int i = 0; !osip_list_eol(&raw->allows, i); ++i)
    if (auto* a = static_cast<osip_allow_t*>(osip_list_get(&raw->allows, i)); a && a->value)
      allows += (allows.empty() ? "" : ", ") + std::string{a->value};
  for (int i = 0; !osip_list_eol(&raw->accepts, i); ++i)
    accepts += (accepts.empty() ? "" : ", ") +
               text_of(osip_content_type_to_str, static_cast<osip_accept_t*>(osip_list_get(&raw->accepts, i)));
  if (!allows.empty())
    out.headers.emplace_back("allow", allows);
  if (!accepts.empty())
    out.headers.emplace_back("accept", accepts);
  for (int i = 0; !osip_list_eol(&raw->headers, i); ++i) {
    auto* h = static_cast<osip_header_t*>(osip_list_get(&raw->headers, i));
    if (h && h->hname)
      out.headers.emplace_back(lower(h->hname), h->hvalue ? h->hvalue : "");
  }
  if (out.call_id.empty() || out.vias.empty() || out.from.empty() || out.to.empty() || out.cseq_method.empty()) {
    error = "a header SIP requires is missing (Via, From, To, Call-ID, CSeq)";
    return std::nullopt;
  }
  return out;
}

std::string render_sip(const sip_message& m) {
  init_parser();
  osip_message_t* raw = nullptr;
  osip_message_init(&raw);
  message_ptr owner{raw};
  osip_message_set_version(raw, osip_strdup("SIP/2.0"));
  if (m.request) {
    osip_message_set_method(raw, osip_strdup(m.method.c_str()));
    osip_uri_t* uri = nullptr;
    osip_uri_init(&uri);
    osip_uri_parse(uri, m.request_uri.c_str());
    osip_message_set_uri(raw, uri);
  } else {
    osip_message_set_status_code(raw, m.status);
    osip_message_set_reason_phrase(raw, osip_strdup(m.reason.c_str()));
  }
  for (auto& v : m.vias)
    osip_message_append_via(raw, v.c_str());
  osip_message_set_from(raw, m.from.c_str());
  osip_message_set_to(raw, m.to.c_str());
  osip_message_set_call_id(raw, m.call_id.c_str());
  osip_message_set_cseq(raw, (std::to_string(m.cseq) + " " + m.cseq_method).c_str());
  if (!m.contact.empty())
    osip_message_set_contact(raw, ("<" + m.contact + ">").c_str());
  for (auto& [name, value] : m.headers)
    osip_message_set_header(raw, name.c_str(), value.c_str());
  if (!m.body.empty()) {
    osip_message_set_content_type(raw, m.content_type.c_str());
    osip_message_set_body(raw, m.body.data(), m.body.size());
  } else {
    osip_message_set_content_length(raw, "0");
  }
  char* buf = nullptr;
  size_t len = 0;
  if (osip_message_to_str(raw, &buf, &len) != 0 || buf == nullptr)
    return {};
  std::string out{buf, len};
  osip_free(buf);
  // osip pads the length ("Content-Length:   202") to rewrite it in place; clients read it
  // either way, but the wire trace reads better without.
  auto at = out.find("\r\nContent-Length:");
  if (at != std::string::npos) {
    auto value = at + 17;
    auto digits = out.find_first_not_of(' ', value);
    if (digits != std::string::npos && digits > value + 1)
      out.erase(value + 1, digits - value - 1);
  }
  return out;
}

sip_message response_to(const sip_message& request, int status, std::string reason, const std::string& to_tag) {
  sip_message r;
  r.request = false;
  r.status = status;
  r.reason = std::move(reason);
  r.vias = request.vias;
  r.from = request.from;
  r.from_tag = request.from_tag;
  r.to = request.to;
  r.to_tag = request.to_tag;
  if (r.to_tag.empty() && !to_tag.empty() && status != 100) {
    r.to += ";tag=" + to_tag;
    r.to_tag = to_tag;
  }
  r.call_id = request.call_id;
  r.cseq = request.cseq;
  r.cseq_method = request.cseq_method;
  return r;
}

}  // namespace cstad::transport
