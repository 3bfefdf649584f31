#include "protocol/common_types_xml.hpp"

#include "protocol/xml_element.hpp"

namespace cstad::protocol {

void write_connection(xml_writer& w, std::string_view element, const connection_id& c) {
  w.open(element);
  // callID is optional in the schema: a request on "the device's call" names the device alone.
  if (!c.call.empty())
    w.leaf("callID", c.call);
  w.leaf("deviceID", c.device);
  w.close(element);
}

void write_device(xml_writer& w, std::string_view element, const std::string& device) {
  w.open(element);
  if (device.empty())
    w.empty("notKnown");
  else
    w.leaf("deviceIdentifier", device);
  w.close(element);
}

void write_correlator(xml_writer& w, const std::string& data, std::string_view element) {
  w.open(element);
  w.leaf("string", data);
  w.close(element);
}

std::string read_correlator(const xml_element& e) {
  auto s = e.child_text("string");
  return s != nullptr ? *s : e.text;
}

}  // namespace cstad::protocol
