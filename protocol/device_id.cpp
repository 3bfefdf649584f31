#include "protocol/device_id.hpp"

#include <cctype>

namespace cstad::protocol {
namespace {

// URI schemes and parameter names are case-insensitive (RFC 3261, RFC 3966).
bool equal_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  auto lower = [](char c) { return std::tolower(static_cast<unsigned char>(c)); };
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i]))
      return false;
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equal_ci(s.substr(0, prefix.size()), prefix);
}

bool is_number(std::string_view s) {
  if (!s.empty() && s.front() == '+')
    s.remove_prefix(1);
  return !s.empty() && s.find_first_not_of("0123456789*#") == std::string_view::npos;
}

// The value of parameter `name` in a ";a=b;c=d" list; empty when it is not there.
std::string_view parameter(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    list.remove_prefix(1);  // the ';'
    auto end = list.find(';');
    auto item = list.substr(0, end);
    auto eq = item.find('=');
    if (eq != std::string_view::npos && equal_ci(item.substr(0, eq), name))
      return item.substr(eq + 1);
    list = end == std::string_view::npos ? std::string_view{} : list.substr(end);
  }
  return {};
}

// RFC 3966's visual separators, and the spaces people type between digit groups.
std::string without_visual_separators(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '-' && c != '.' && c != '(' && c != ')' && c != ' ')
      out += c;
  return out;
}

}  // namespace

std::string device_number(std::string_view id) {
  if (id.size() >= 2 && id.substr(0, 2) == "N<") {
    auto end = id.find('>');
    if (end != std::string_view::npos)
      return std::string{id.substr(2, end - 2)};
  }
  auto rest = id;
  bool tel = starts_with_ci(rest, "tel:");
  if (tel || starts_with_ci(rest, "sip:"))
    rest.remove_prefix(4);
  else if (starts_with_ci(rest, "sips:"))
    rest.remove_prefix(5);
  // user@host;uri-parameters: the user part may carry parameters of its own (a telephone
  // number's ;ext= and ;phone-context=), user=phone says that it is a telephone number.
  auto user = rest;
  std::string_view uri_parameters;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    user = rest.substr(0, at);
    auto host = rest.substr(at + 1);
    if (auto semi = host.find(';'); semi != std::string_view::npos)
      uri_parameters = host.substr(semi);
  }
  auto semi = user.find(';');
  auto number = user.substr(0, semi);
  auto user_parameters = semi == std::string_view::npos ? std::string_view{} : user.substr(semi);
  bool phone = tel || equal_ci(parameter(uri_parameters, "user"), "phone");
  auto ext = parameter(user_parameters, "ext");
  std::string out{ext.empty() ? number : ext};
  if (phone)
    out = without_visual_separators(out);
  return is_number(out) ? out : std::string{id};
}

}  // namespace cstad::protocol
