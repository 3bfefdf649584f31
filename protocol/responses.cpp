#include "protocol/responses.hpp"

#include "protocol/xml_writer.hpp"

namespace cstad::protocol {

std::string encode_monitor_start_response(std::string_view cross_ref, std::string_view ns) {
  xml_writer w("MonitorStartResponse", ns);
  w.leaf("monitorCrossRefID", cross_ref);
  return w.finish();
}

std::string encode_make_call_response(const connection_id& calling, std::string_view ns) {
  xml_writer w("MakeCallResponse", ns);
  w.open("callingDevice");
  w.leaf("callID", calling.call);
  w.leaf("deviceID", calling.device);
  w.close("callingDevice");
  return w.finish();
}

std::string encode_empty_response(std::string_view request_name, std::string_view ns) {
  std::string root{request_name};
  root += "Response";
  xml_writer w(root, ns);
  return w.finish();
}

}  // namespace cstad::protocol
