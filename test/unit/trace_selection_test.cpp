// What cstad --trace and csta -t accept as the wire trace's selection, and which peers a client
// selection names.

#include <doctest/doctest.h>

#include "common/trace_selection.hpp"

using namespace cstad;
using by = trace_selection::by;

namespace {

trace_selection parsed(const std::string& text) {
  std::string problem;
  auto s = parse_trace_option(text, problem);
  REQUIRE_MESSAGE(s, problem);
  return *s;
}

std::string refusal(const std::string& text) {
  std::string problem;
  CHECK_FALSE(parse_trace_option(text, problem));
  return problem;
}

}  // namespace

TEST_CASE("cstad --trace: all, a device, an address or a connection, anything else refused with why") {
  CHECK(parsed("all").who == by::everyone);
  CHECK(parsed("device:1005").who == by::device);
  CHECK(parsed("device:1005").value == "1005");
  CHECK(parsed("192.0.2.7").who == by::client);
  CHECK(parsed("192.0.2.7:4000").value == "192.0.2.7:4000");
  CHECK(parsed("::1").who == by::client);
  CHECK(refusal("device:") == "\"\" is not a device number");
  CHECK(refusal("device:10a5") == "\"10a5\" is not a device number");
  CHECK(refusal("desk.example") == "\"desk.example\" is not an IP address or ADDRESS:PORT (all, ADDRESS[:PORT] or device:NUMBER)");
  refusal("192.0.2.7:0");
  refusal("192.0.2.7:65536");
  refusal("192.0.2.7:");
  refusal("");
  CHECK_FALSE(client_problem("2001:db8::7"));
  CHECK(client_problem("192.0.2.300"));
}

TEST_CASE("a client selection names the peers of its address, or the one connection") {
  auto address = parsed("192.0.2.7");
  CHECK(names_client(address, "192.0.2.7:4000"));
  CHECK_FALSE(names_client(address, "192.0.2.70:4000"));
  auto connection = parsed("192.0.2.7:4000");
  CHECK(names_client(connection, "192.0.2.7:4000"));
  CHECK_FALSE(names_client(connection, "192.0.2.7:4001"));
  CHECK(describe(address) == "clients from 192.0.2.7");
  CHECK(describe(parsed("device:1005")) == "the sessions of device 1005");
  CHECK(describe(trace_selection{}) == "off");
}
