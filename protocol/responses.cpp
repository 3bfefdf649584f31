#include "protocol/responses.hpp"

#include "protocol/xml_writer.hpp"

namespace cstad::protocol {

std::string encode_monitor_start_response(std::string_view cross_ref, std::string_view ns) {
  xml_writer w("MonitorStartResponse", ns);
  w.leaf("monitorCrossRefID", cross_ref);
  return w.finish();
}

std::string encode_connection_response(std::string_view root, std::string_view element,
                                       const connection_id& c, std::string_view ns) {
  xml_writer w(root, ns);
  w.open(element);
  w.leaf("callID", c.call);
  w.leaf("deviceID", c.device);
  w.close(element);
  return w.finish();
}

std::string encode_get_do_not_disturb_response(bool on, std::string_view ns) {
  xml_writer w("GetDoNotDisturbResponse", ns);
  w.leaf("doNotDisturbOn", on ? "true" : "false");
  return w.finish();
}

std::string encode_get_forwarding_response(const std::vector<forwarding_entry>& list,
                                           std::string_view ns) {
  xml_writer w("GetForwardingResponse", ns);
  w.open("forwardingList");
  for (auto& f : list) {
    w.open("forwardListItem");
    w.leaf("forwardingType", to_string(f.type));
    w.leaf("forwardStatus", f.active ? "true" : "false");
    if (!f.destination.empty())
      w.leaf("forwardDN", f.destination);
    w.close("forwardListItem");
  }
  w.close("forwardingList");
  return w.finish();
}

std::string encode_empty_response(std::string_view request_name, std::string_view ns) {
  std::string root{request_name};
  root += "Response";
  xml_writer w(root, ns);
  return w.finish();
}

}  // namespace cstad::protocol
