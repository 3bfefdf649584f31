// The Annex J.2 carrier on CAF's test multiplexer: a connection is accepted and framed without
// sockets, and what it writes stays in the multiplexer's output buffer until the test says the
// client read it, so write flow control can be watched byte by byte.

#include "actor_fixture.hpp"

#include <optional>

#include <caf/event_based_actor.hpp>
#include <caf/io/system_messages.hpp>

#include "protocol/framing.hpp"
#include "transport/listener.hpp"

using namespace cstad;
using namespace cstad::test;

namespace {

using received = std::vector<std::string>;

// Stands in for a session: records what its carrier hands it.
session_inbox_actor::behavior_type recording_session(session_inbox_actor::pointer,
                                                     std::shared_ptr<received> got) {
  return {
      [got](atom::request, transport::correlation corr, const std::string& xml) {
        got->push_back(std::to_string(corr.token) + " " + xml);
      },
      [got](atom::broken, transport::correlation corr, const std::string& reason) {
        got->push_back("broken " + std::to_string(corr.token) + " " + reason);
      },
      [got](atom::broken, const std::string& reason) { got->push_back("broken " + reason); },
      [got](atom::overload, bool behind) { got->push_back(behind ? "overload" : "caught up"); },
      [got](atom::dialog, const std::string& id, const std::string& line) {
        got->push_back("dialog " + id + " " + line);
      },
  };
}

using status_slot = std::shared_ptr<std::optional<transport::listener_status>>;

// Asks a listener for its status. (A named function with arguments: CAF 0.17 binds a
// reference to a null tuple when spawning a functor without any, which UBSan reports.)
void ask_status(caf::event_based_actor* self, listener_actor listener, status_slot result) {
  self->request(listener, caf::infinite, atom::status_v).then([result](transport::listener_status& s) {
    *result = std::move(s);
  });
}

message_batch batch(std::initializer_list<std::string> messages) {
  message_batch b;
  for (auto& m : messages)
    b.add(m);
  return b;
}

std::vector<char> frame(int invoke, const std::string& xml) {
  auto f = *protocol::encode_frame(invoke, xml);
  return {f.begin(), f.end()};
}

// A notification whose frame is exactly 300 bytes: "<N>0007……</N>".
std::string notification(int n) {
  auto xml = "<N>" + std::to_string(1000 + n);
  xml += std::string(300 - 8 - xml.size() - 4, 'x');
  return xml + "</N>";
}

struct carrier_fixture : actor_fixture {
  caf::io::accept_handle acceptor = caf::io::accept_handle::from_int(1);
  caf::io::connection_handle connection = caf::io::connection_handle::from_int(1);
  std::shared_ptr<received> got = std::make_shared<received>();
  std::shared_ptr<carrier_actor> carrier = std::make_shared<carrier_actor>();
  listener_actor listener;

  void start(transport::write_limits limits) {
    mpx.provide_acceptor(8882, acceptor);
    auto factory = [this](const carrier_actor& c, const std::string&) -> session_inbox_actor {
      *carrier = c;
      return keep(sys.spawn(recording_session, got));
    };
    listener = keep(transport::spawn_listener(sys, {"127.0.0.1", 8882, {}, limits, 0, 0, nullptr}, factory));
    run();
    mpx.add_pending_connect(acceptor, connection);
    mpx.accept_connection(acceptor);
    run();
    REQUIRE(*carrier);
  }

  /// What the carrier wrote and the client has not read.
  std::string unread() {
    auto& buf = mpx.output_buffer(connection);
    return {buf.begin(), buf.end()};
  }

  /// The client reads everything written so far; the socket layer acknowledges it.
  void client_reads() {
    auto n = mpx.output_buffer(connection).size();
    mpx.output_buffer(connection).clear();
    caf::anon_send(caf::actor_cast<caf::actor>(*carrier), caf::io::data_transferred_msg{connection, n, 0});
    run();
  }

  transport::listener_status status() {
    auto result = std::make_shared<std::optional<transport::listener_status>>();
    sys.spawn(ask_status, listener, result);
    run();
    REQUIRE(*result);
    return **result;
  }
};

}  // namespace

TEST_CASE_FIXTURE(carrier_fixture, "requests go to the session with their invoke id, answers come back framed") {
  start({});
  mpx.virtual_send(connection, frame(17, "<A/>"));
  run();
  CHECK(*got == received{"17 <A/>"});
  caf::anon_send(*carrier, atom::reply_v, transport::correlation{17}, std::string{"<AResponse/>"});
  caf::anon_send(*carrier, atom::notify_v, batch({"<E/>"}));
  run();
  auto expected = frame(17, "<AResponse/>");
  auto event = frame(9999, "<E/>");
  expected.insert(expected.end(), event.begin(), event.end());
  CHECK(unread() == std::string(expected.begin(), expected.end()));
  auto s = status();
  CHECK(s.open == 1);
  CHECK(s.carriers.frames_in == 1);
  CHECK(s.carriers.frames_out == 2);
}

TEST_CASE_FIXTURE(carrier_fixture, "notifications sent together go out as frames of their own, in order") {
  start({});
  caf::anon_send(*carrier, atom::notify_v, batch({"<E1/>", "<E2/>", "<E3/>"}));
  run();
  std::vector<char> expected;
  for (auto body : {"<E1/>", "<E2/>", "<E3/>"}) {
    auto f = frame(9999, body);
    expected.insert(expected.end(), f.begin(), f.end());
  }
  CHECK(unread() == std::string(expected.begin(), expected.end()));
  CHECK(status().carriers.frames_out == 3);
}

TEST_CASE_FIXTURE(carrier_fixture, "a client that stops reading: bytes in flight stay bounded, then it is cut off") {
  start({1000, 10000, 5000});  // 1000 bytes in flight, 10000 queued
  int sent = 0;
  auto send = [&](int count) {
    for (int i = 0; i < count; ++i)
      caf::anon_send(*carrier, atom::notify_v, batch({notification(sent++)}));
    run();
  };
  // Three 300-byte frames fit in flight; 33 more wait in the carrier's queue.
  send(36);
  CHECK(unread().size() == 900);
  CHECK(unread().substr(8, 7) == "<N>1000");
  auto s = status();
  CHECK(s.open == 1);
  CHECK(s.carriers.queued_bytes == 900 + 9900);
  CHECK(s.carriers.overflows == 0);
  // The client reads: the next three go out, in order.
  client_reads();
  CHECK(unread().size() == 900);
  CHECK(unread().substr(8, 7) == "<N>1003");
  CHECK(status().carriers.queued_bytes == 900 + 9000);
  // It stops reading again: three more fit into the queue, the fourth would pass its bound.
  send(3);
  CHECK(status().open == 1);
  send(1);
  s = status();
  CHECK(s.open == 0);
  CHECK(s.carriers.overflows == 1);
  CHECK(s.carriers.queued_bytes == 0);
  // Nothing was written beyond what was in flight.
  CHECK(unread().size() == 900);
}

TEST_CASE_FIXTURE(carrier_fixture, "a broken frame is reported once, with its invoke id, and nothing after it is read") {
  start({});
  auto bad = frame(42, "<A/>");
  bad[0] = 1;
  auto good = frame(43, "<B/>");
  bad.insert(bad.end(), good.begin(), good.end());
  mpx.virtual_send(connection, bad);
  run();
  CHECK(*got == received{"broken 42 frame header does not start with 00 00"});
  CHECK(status().carriers.broken == 1);
}
