#pragma once
// Writers for the ECMA-323 common types that responses and events share.

#include <string>
#include <string_view>

#include "protocol/requests.hpp"
#include "protocol/xml_writer.hpp"

namespace cstad::protocol {

/// ConnectionID: <element><callID>…</callID><deviceID>…</deviceID></element>
void write_connection(xml_writer& w, std::string_view element, const connection_id& c);

/// SubjectDeviceID / CallingDeviceID / CalledDeviceID: <element><deviceIdentifier>…</…></element>,
/// or <notKnown/> inside when the device is not known.
void write_device(xml_writer& w, std::string_view element, const std::string& device);

}  // namespace cstad::protocol
