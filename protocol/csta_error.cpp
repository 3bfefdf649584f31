#include "protocol/csta_error.hpp"

#include "protocol/xml_element.hpp"
#include "protocol/xml_writer.hpp"

namespace cstad::protocol {

std::string_view to_string(error_category c) {
  switch (c) {
    case error_category::operation: return "operation";
    case error_category::state_incompatibility: return "stateIncompatibility";
    case error_category::system_resource_availability: return "systemResourceAvailibility";
    case error_category::subscribed_resource_availability: return "subscribedResourceAvailability";
    case error_category::performance_management: return "performanceManagement";
    case error_category::security: return "security";
    case error_category::private_data: return "privateData";
    case error_category::private_error_code: return "privateErrorCode";
    case error_category::unspecified: return "unspecified";
  }
  return "unspecified";
}

namespace errors {
csta_error operation(std::string_view v) { return {error_category::operation, std::string{v}}; }
csta_error state(std::string_view v) {
  return {error_category::state_incompatibility, std::string{v}};
}
csta_error system_resource(std::string_view v) {
  return {error_category::system_resource_availability, std::string{v}};
}
csta_error subscribed_resource(std::string_view v) {
  return {error_category::subscribed_resource_availability, std::string{v}};
}
csta_error security(std::string_view v) { return {error_category::security, std::string{v}}; }
}  // namespace errors

std::optional<error_category> parse_error_category(std::string_view name) {
  for (auto c : {error_category::operation, error_category::state_incompatibility,
                 error_category::system_resource_availability,
                 error_category::subscribed_resource_availability,
                 error_category::performance_management, error_category::security,
                 error_category::private_data, error_category::private_error_code,
                 error_category::unspecified})
    if (to_string(c) == name)
      return c;
  return std::nullopt;
}

bool is_known(const csta_error& e) {
  switch (e.category) {
    case error_category::unspecified: return e.value.empty();
    case error_category::private_error_code: return !e.value.empty();
    default: break;
  }
  for (auto v : error_values(e.category))
    if (v == e.value)
      return true;
  return false;
}

std::optional<csta_error> read_error_value(const xml_element& e) {
  if (e.children.size() != 1)
    return std::nullopt;
  auto& child = e.children.front();
  auto category = parse_error_category(child.name);
  if (!category)
    return std::nullopt;
  csta_error error{*category, child.text};
  if (!is_known(error))
    return std::nullopt;
  return error;
}

std::optional<csta_error> decode_csta_error(const xml_element& root) {
  if (root.name != "CSTAErrorCode")
    return std::nullopt;
  return read_error_value(root);
}

void write_error_value(xml_writer& w, const csta_error& e) {
  if (e.category == error_category::unspecified)
    w.empty("unspecified");
  else
    w.leaf(to_string(e.category), e.value);
}

std::string encode_csta_error(const csta_error& e, std::string_view ns) {
  xml_writer w("CSTAErrorCode", ns);
  write_error_value(w, e);
  return w.finish();
}

}  // namespace cstad::protocol
