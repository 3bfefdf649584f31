#include "protocol/call_event.hpp"

#include "protocol/xml_writer.hpp"

namespace cstad::protocol {
namespace {

struct event_shape {
  std::string_view root;
  std::string_view filter;
  std::string_view connection;  // element holding the ConnectionID
  std::string_view subject;     // element holding the subject device
  bool has_calling_called;
  bool has_last_redirection;
};

// Field names and presence per the ECMA-323 ed3 schema.
const event_shape& shape(call_event_type t) {
  static const event_shape shapes[] = {
      {"ServiceInitiatedEvent", "serviceInitiated", "initiatedConnection", "initiatingDevice",
       false, false},
      {"OriginatedEvent", "originated", "originatedConnection", "callingDevice", true, false},
      {"DeliveredEvent", "delivered", "connection", "alertingDevice", true, true},
      {"EstablishedEvent", "established", "establishedConnection", "answeringDevice", true,
       true},
      {"ConnectionClearedEvent", "connectionCleared", "droppedConnection", "releasingDevice",
       false, false},
  };
  return shapes[static_cast<std::size_t>(t)];
}

void write_device(xml_writer& w, std::string_view element, const std::string& device) {
  w.open(element);
  if (device.empty())
    w.empty("notKnown");
  else
    w.leaf("deviceIdentifier", device);
  w.close(element);
}

}  // namespace

std::string_view root_name(call_event_type t) { return shape(t).root; }
std::string_view filter_name(call_event_type t) { return shape(t).filter; }

std::string encode_call_event(const call_event& e, std::string_view ns) {
  const auto& s = shape(e.type);
  xml_writer w(s.root, ns);
  w.leaf("monitorCrossRefID", e.cross_ref);
  w.open(s.connection);
  w.leaf("callID", e.connection.call);
  w.leaf("deviceID", e.connection.device);
  w.close(s.connection);
  if (e.type == call_event_type::originated) {
    // OriginatedEvent's subject *is* callingDevice.
    write_device(w, "callingDevice", e.subject);
    write_device(w, "calledDevice", e.called);
  } else {
    write_device(w, s.subject, e.subject);
    if (s.has_calling_called) {
      write_device(w, "callingDevice", e.calling);
      write_device(w, "calledDevice", e.called);
    }
  }
  if (s.has_last_redirection) {
    w.open("lastRedirectionDevice");
    if (e.last_redirection.empty())
      w.empty("notRequired");
    else
      w.leaf("numberDialed", e.last_redirection);
    w.close("lastRedirectionDevice");
  }
  w.leaf("localConnectionInfo", to_string(e.local));
  w.leaf("cause", to_string(e.cause));
  return w.finish();
}

}  // namespace cstad::protocol
