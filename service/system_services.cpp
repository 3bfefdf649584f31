// System and capability-exchange services, answered by the session itself: the exchange is
// always "normal", and the device list and what each device is come from the directory.

#include "common/log.hpp"
#include "protocol/responses.hpp"
#include "service/service_table.hpp"

namespace cstad::service {

namespace p = protocol;

namespace {

// The deviceCategory of a device kind (ECMA-269 DeviceCategory).
const char* device_category(sim::device_kind k) {
  switch (k) {
    case sim::device_kind::acd_group: return "acd";
    case sim::device_kind::hunt_group: return "group";
    default: return "station";
  }
}

bool is_group(sim::device_kind k) {
  return k == sim::device_kind::acd_group || k == sim::device_kind::hunt_group;
}

// groupDeviceAttributes, which ECMA-269 gives a device of category group.
const char* group_attribute(sim::device_kind k) {
  return k == sim::device_kind::hunt_group ? "hunt" : "";
}

// deviceModelName: the kind of MX-ONE extension the set is connected as.
const char* model_name(sim::device_kind k) {
  switch (k) {
    case sim::device_kind::ip_extension: return "MX-ONE IP extension";
    case sim::device_kind::remote_extension: return "MX-ONE remote extension";
    case sim::device_kind::dect_extension: return "MX-ONE DECT extension";
    case sim::device_kind::digital_extension: return "MX-ONE digital extension";
    case sim::device_kind::analog_extension: return "MX-ONE analog extension";
    case sim::device_kind::cas_extension: return "MX-ONE CAS extension";
    default: return "";  // no set: virtual extensions and groups
  }
}

// A group, and a virtual extension (no terminal logged on), have no physical element.
bool has_physical_element(sim::device_kind k) {
  return !is_group(k) && k != sim::device_kind::virtual_extension;
}

bool category_matches(const std::string& requested, sim::device_kind k) {
  if (requested.empty())
    return true;
  if (requested == "station")
    return !is_group(k);
  if (requested == "acd" || requested == "groupACD")
    return k == sim::device_kind::acd_group;
  if (requested == "groupHunt")
    return k == sim::device_kind::hunt_group;
  return false;  // park, voice units, network interfaces …: none here
}

// Keeps every segment far below the 64 KiB frame.
constexpr std::size_t devices_per_segment = 100;

}  // namespace

void handle(session_core& s, const incoming& in, p::get_csta_features_request&) {
  s.reply(in, p::encode_get_csta_features_response(s.ns(), supported_features()));
}

// The response names a serviceCrossRefID; the list follows in SwitchingFunctionDevices
// segments. The schema gives those no response, so like events they are notifications
// (invoke id 9999 on Annex J.2; protocol.md leaves the choice open).
void handle(session_core& s, const incoming& in, p::get_switching_function_devices_request& r) {
  if (!r.device.empty() && !s.dir().contains(r.device)) {
    s.refuse(in, p::errors::operation("invalidDeviceID"));
    return;
  }
  auto cross_ref = s.next_id();
  s.reply(in, p::encode_get_switching_function_devices_response(cross_ref, s.ns()));
  std::vector<std::pair<std::string, std::string>> list;
  s.dir().for_each_number([&](const std::string& number, sim::device_kind kind) {
    if ((r.device.empty() || r.device == number) && category_matches(r.category, kind))
      list.emplace_back(s.client_form(number), device_category(kind));
  });
  int segment = 1;
  std::size_t i = 0;
  do {
    auto end = std::min(list.size(), i + devices_per_segment);
    std::vector<std::pair<std::string, std::string>> part(list.begin() + i, list.begin() + end);
    s.notify(p::encode_switching_function_devices(cross_ref, segment++, end == list.size(), part,
                                                  s.ns()));
    i = end;
  } while (i < list.size());
}

namespace {

// The directory's entry for a device a request names; refuses it (and gives nothing) otherwise.
const number_range* known_device(session_core& s, const incoming& in, const std::string& device) {
  auto range = s.dir().find(device);
  if (range == nullptr)
    s.refuse(in, p::errors::operation("invalidDeviceID"));
  return range;
}

}  // namespace

void handle(session_core& s, const incoming& in, p::get_logical_device_information_request& r) {
  auto range = known_device(s, in, r.device);
  if (range == nullptr)
    return;
  p::logical_device_information info;
  info.category = device_category(range->kind);
  info.group = group_attribute(range->kind);
  info.has_physical = has_physical_element(range->kind);
  s.reply(in, p::encode_get_logical_device_information_response(info, s.ns()));
}

void handle(session_core& s, const incoming& in, p::get_physical_device_information_request& r) {
  auto range = known_device(s, in, r.device);
  if (range == nullptr)
    return;
  if (!has_physical_element(range->kind)) {
    s.refuse(in, p::errors::operation("requestIncompatibleWithDevice"));
    return;
  }
  p::physical_device_information info;
  info.category = device_category(range->kind);
  info.model = model_name(range->kind);
  s.reply(in, p::encode_get_physical_device_information_response(info, s.ns()));
}

// The filter applies to the SystemStatus messages this session sends (session_core); a
// registration named must be one of this client's.
void handle(session_core& s, const incoming& in, p::change_system_status_filter_request& r) {
  auto& subscription = s.status_subscription();
  if (!r.register_id.empty() && !subscription.has_registration(r.register_id)) {
    s.refuse(in, p::errors::operation("invalidCrossRefID"));
    return;
  }
  subscription.set_filter(std::move(r.suppressed));
  s.reply(in, p::encode_change_system_status_filter_response(subscription.filter(), s.ns()));
}

void handle(session_core& s, const incoming& in, p::request_system_status_request&) {
  s.reply(in, p::encode_request_system_status_response("normal", s.ns()));
}

void handle(session_core& s, const incoming& in, p::system_status_request& r) {
  log::session().info("{}: client reports system status {}", s.peer(), r.status);
  s.reply(in, p::encode_empty_response(in.name, s.ns()));
}

void handle(session_core& s, const incoming& in, p::system_register_request&) {
  auto id = s.next_id();
  s.status_subscription().add_registration(id);
  s.reply(in, p::encode_system_register_response(id, s.ns()));
}

// This server offers no vendor-private services: whatever an Escape carries is not understood.
void handle(session_core& s, const incoming& in, p::escape_request&) {
  s.refuse(in, {p::error_category::private_data, "cSTAPrivateDataInfoError"});
}

}  // namespace cstad::service
