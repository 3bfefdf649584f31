#pragma once
// Writers (and the one reader that needs more than a child's text) for the ECMA-323 common
// types that requests, responses and events share.

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

/// CorrelatorData: <element><string>…</string></element> (OpenScape's form, protocol.md 3.4).
void write_correlator(xml_writer& w, const std::string& data, std::string_view element = "correlatorData");

struct xml_element;
/// The text of a CorrelatorData element: its <string>, or (as some clients send it) its own text.
std::string read_correlator(const xml_element& e);

}  // namespace cstad::protocol
