#include "protocol/common_types_xml.hpp"

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

}  // namespace cstad::protocol
