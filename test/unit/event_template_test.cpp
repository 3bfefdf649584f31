// An event encoded once and spliced per monitor must be, byte for byte, what encoding it for
// that monitor gives: a client cannot tell which way its copy was made.

#include <doctest/doctest.h>

#include "protocol/csta_event.hpp"
#include "protocol/event_template.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/xml_writer.hpp"

using namespace cstad::protocol;

namespace {

// Every field set, so every element of every event's layout is written.
csta_event full(event_type t) {
  csta_event e;
  e.type = t;
  e.connection = {"42", "2001"};
  e.secondary = {"43", "2001"};
  e.subject = "2001";
  e.other = "2002";
  e.calling = "2001";
  e.called = "2003";
  e.last_redirection = "2004";
  e.moved = {{{"44", "2002"}, {"42", "2002"}}};
  e.local = connection_state::connected;
  e.cause = event_cause::transfer;
  e.text = "12#";
  e.flag = true;
  e.agent_id = "A&1";
  e.group = "6000";
  e.pending = "ready";
  e.number_queued = 3;
  e.calls_in_front = 2;
  e.account = "acc";
  e.correlator = "c<d>";
  return e;
}

}  // namespace

TEST_CASE("a spliced event equals the event encoded with its cross-reference, for every event type") {
  for (int t = 0; t <= static_cast<int>(event_type::message_waiting); ++t) {
    auto e = full(static_cast<event_type>(t));
    CAPTURE(root_name(e.type));
    for (std::string_view ns : {ns_ed3, ns_ed5, std::string_view{}}) {
      auto once = encode_event_template(e, ns);
      for (std::string ref : {"7", "1234567", "", "a<b&c"}) {
        e.cross_ref = ref;
        CHECK(once.render(ref) == encode_event(e, ns));
        std::string appended = "head";
        once.append_to(appended, ref);
        CHECK(appended == "head" + encode_event(e, ns));
      }
    }
  }
}

TEST_CASE("escaping: runs of plain text pass whole, every special character becomes its entity") {
  std::string out = "x";
  append_escaped(out, "");
  append_escaped(out, "plain");
  append_escaped(out, "&<>\"'");
  append_escaped(out, "a&b<c>d\"e'f");
  CHECK(out == "xplain&amp;&lt;&gt;&quot;&apos;a&amp;b&lt;c&gt;d&quot;e&apos;f");
}
