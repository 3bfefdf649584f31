#include "common/trace_selection.hpp"

#include <algorithm>
#include <cctype>

#include <arpa/inet.h>

namespace cstad {
namespace {

bool is_address(const std::string& text) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool is_port(std::string_view text) {
  if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return false;
  auto n = std::stoul(std::string{text});
  return n >= 1 && n <= 65535;
}

bool is_number(std::string_view text) {
  return !text.empty() && text.size() <= 32 &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

std::string describe(const trace_selection& s) {
  switch (s.who) {
    case trace_selection::by::nobody:
      return "off";
    case trace_selection::by::everyone:
      return "all clients";
    case trace_selection::by::client:
      return "clients from " + s.value;
    case trace_selection::by::session:
      return "session " + s.value;
    case trace_selection::by::device:
      return "the sessions of device " + s.value;
  }
  return "off";
}

std::optional<std::string> client_problem(std::string_view value) {
  std::string text{value};
  if (is_address(text))
    return std::nullopt;
  auto colon = value.rfind(':');
  if (colon != std::string_view::npos && is_address(text.substr(0, colon)) && is_port(value.substr(colon + 1)))
    return std::nullopt;
  return "\"" + text + "\" is not an IP address or ADDRESS:PORT";
}

std::optional<trace_selection> parse_trace_option(std::string_view text, std::string& problem) {
  constexpr std::string_view device_prefix = "device:";
  trace_selection s;
  if (text == "all") {
    s.who = trace_selection::by::everyone;
    return s;
  }
  if (text.substr(0, device_prefix.size()) == device_prefix) {
    s.who = trace_selection::by::device;
    s.value = std::string{text.substr(device_prefix.size())};
    if (is_number(s.value))
      return s;
    problem = "\"" + s.value + "\" is not a device number";
    return std::nullopt;
  }
  if (auto why = client_problem(text)) {
    problem = *why + " (all, ADDRESS[:PORT] or device:NUMBER)";
    return std::nullopt;
  }
  s.who = trace_selection::by::client;
  s.value = std::string{text};
  return s;
}

}  // namespace cstad
