#pragma once
// Request documents and event checks shared by the integration tests.

#include <string>

#include <doctest/doctest.h>

#include "csta_client.hpp"

namespace cstad::test {

inline const std::string ed3 = "http://www.ecma-international.org/standards/ecma-323/csta/ed3";
inline const std::string ed4 = "http://www.ecma-international.org/standards/ecma-323/csta/ed4";

/// <?xml…?><name xmlns="ns">inner</name>; no xmlns when ns is empty.
inline std::string root(const std::string& name, const std::string& ns, const std::string& inner) {
  std::string xmlns = ns.empty() ? "" : " xmlns=\"" + ns + "\"";
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><" + name + xmlns + ">" + inner + "</" + name + ">";
}

inline std::string monitor_start(const std::string& device, const std::string& ns = ed3) {
  return root("MonitorStart", ns,
              "<monitorObject><deviceObject>" + device + "</deviceObject></monitorObject>");
}

/// <element><callID>call</callID><deviceID>device</deviceID></element>
inline std::string connection(const std::string& element, const std::string& call,
                              const std::string& device) {
  return "<" + element + "><callID>" + call + "</callID><deviceID>" + device + "</deviceID></" +
         element + ">";
}

inline std::string make_call(const std::string& from, const std::string& to) {
  return root("MakeCall", ed3,
              "<callingDevice>" + from + "</callingDevice><calledDirectoryNumber>" + to +
                  "</calledDirectoryNumber><autoOriginate>doNotPrompt</autoOriginate>");
}

/// Starts a monitor and returns its monitorCrossRefID.
inline std::string start_monitor(csta_client& c, int invoke, const std::string& device,
                                 const std::string& ns = ed3) {
  auto r = c.request(invoke, monitor_start(device, ns));
  REQUIRE(r.xml.name == "MonitorStartResponse");
  CHECK(r.xml.ns == ns);
  auto ref = r.at("monitorCrossRefID");
  REQUIRE_FALSE(ref.empty());
  return ref;
}

/// Checks the fields every call event carries.
inline void check_event(const received& e, const std::string& name, const std::string& cross_ref,
                        const std::string& local, const std::string& cause) {
  CHECK(e.invoke_id == 9999);
  CHECK(e.xml.name == name);
  CHECK(e.at("monitorCrossRefID") == cross_ref);
  CHECK(e.at("localConnectionInfo") == local);
  CHECK(e.at("cause") == cause);
  REQUIRE_FALSE(e.xml.children.empty());
  CHECK(e.xml.children.front().name == "monitorCrossRefID");
}

}  // namespace cstad::test
