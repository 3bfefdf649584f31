// Codec speed: µs per message and messages per second for decoding the two most common
// requests and encoding the two most common events (events are the hot path: one call makes
// several per monitor). Prints figures; asserts nothing.

#include <chrono>
#include <cstdio>
#include <string>
#include <variant>

#include "protocol/csta_event.hpp"
#include "protocol/decode_request.hpp"
#include "protocol/framing.hpp"
#include "protocol/namespaces.hpp"

using namespace cstad::protocol;

namespace {

template <class F>
void measure(const char* what, int iterations, F&& f) {
  for (int i = 0; i < iterations / 10; ++i)  // warm-up: caches, the thread's parser
    f();
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i)
    f();
  auto elapsed = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start);
  double per = elapsed.count() / iterations;
  std::printf("%-34s %9.3f us/msg %12.0f msg/s\n", what, per, 1e6 / per);
}

std::size_t sink = 0;  // keeps results alive so the optimiser cannot drop the work

}  // namespace

int main() {
  const std::string monitor_start =
      R"(<?xml version="1.0" encoding="UTF-8"?><MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorObject><deviceObject>1000</deviceObject></monitorObject></MonitorStart>)";
  const std::string make_call =
      R"(<?xml version="1.0"?><MakeCall xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><callingDevice>tel:73124;phone-context=dialstring</callingDevice><calledDirectoryNumber>tel:+3222220220</calledDirectoryNumber><autoOriginate>doNotPrompt</autoOriginate></MakeCall>)";
  csta_event delivered;
  delivered.type = event_type::delivered;
  delivered.cross_ref = "1136370025";
  delivered.connection = {"4711", "1001"};
  delivered.subject = "1001";
  delivered.calling = "0701234567";
  delivered.called = "1001";
  delivered.local = connection_state::alerting;
  delivered.cause = event_cause::newCall;
  auto established = delivered;
  established.type = event_type::established;
  established.local = connection_state::connected;

  std::printf("cstad codec benchmark (one thread)\n");
  measure("decode MonitorStart", 50000, [&] {
    sink += std::holds_alternative<decoded_request>(decode_request(monitor_start));
  });
  measure("decode MakeCall", 50000, [&] {
    sink += std::holds_alternative<decoded_request>(decode_request(make_call));
  });
  measure("encode DeliveredEvent", 500000, [&] { sink += encode_event(delivered, ns_ed3).size(); });
  measure("encode EstablishedEvent", 500000, [&] { sink += encode_event(established, ns_ed3).size(); });
  measure("encode DeliveredEvent + frame", 500000, [&] {
    sink += encode_frame(event_invoke_id, encode_event(delivered, ns_ed3))->size();
  });
  return sink == 0;  // never true; uses the sink
}
