// One batch per session and step, in the exchange's order; one payload shared by all.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "protocol/namespaces.hpp"
#include "service/event_outbox.hpp"

using namespace cstad;

namespace {

std::shared_ptr<const service::event_payload> payload(protocol::event_type t, std::string subject) {
  protocol::csta_event e;
  e.type = t;
  e.subject = std::move(subject);
  return std::make_shared<const service::event_payload>(std::move(e));
}

}  // namespace

TEST_CASE("the outbox hands each session one batch with its deliveries in the order posted") {
  service::event_outbox<int, std::string> outbox;
  auto delivered = payload(protocol::event_type::delivered, "1000");
  auto established = payload(protocol::event_type::established, "1000");
  outbox.post(2, "second", delivered, "21", 4);
  outbox.post(1, "first", delivered, "11", 0);
  outbox.post(2, "second", delivered, "22");
  outbox.post(2, "second", established, "21", 4);
  std::vector<std::pair<std::string, std::vector<std::string>>> sent;
  outbox.flush([&](const std::string& session, service::event_batch&& batch) {
    std::vector<std::string> refs;
    for (auto& d : batch.deliveries)
      refs.push_back(std::string{protocol::root_name(d.event->view().type)} + "/" + d.cross_ref + "#" +
                     (d.slot == service::no_monitor_slot ? "-" : std::to_string(d.slot)));
    sent.emplace_back(session, refs);
  });
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].first == "second");
  // Each with the session's number of its monitor, when the session gave one.
  CHECK(sent[0].second == std::vector<std::string>{"DeliveredEvent/21#4", "DeliveredEvent/22#-", "EstablishedEvent/21#4"});
  CHECK(sent[1].first == "first");
  CHECK(sent[1].second == std::vector<std::string>{"DeliveredEvent/11#0"});
  CHECK(outbox.empty());
  int again = 0;
  outbox.flush([&](const std::string&, service::event_batch&&) { ++again; });
  CHECK(again == 0);
}

TEST_CASE("a shared payload renders each monitor's copy as encoding it for that monitor would") {
  auto p = payload(protocol::event_type::delivered, "1000");
  auto mine = p->view();
  mine.cross_ref = "17";
  CHECK(p->render("17", protocol::ns_ed3) == protocol::encode_event(mine, protocol::ns_ed3));
  // Another namespace than the first one asked for: encoded for it, not the cached text.
  CHECK(p->render("17", protocol::ns_ed5) == protocol::encode_event(mine, protocol::ns_ed5));
  mine.cross_ref = "18";
  CHECK(p->render("18", protocol::ns_ed3) == protocol::encode_event(mine, protocol::ns_ed3));
  // A cross-reference the caller knows holds nothing to escape goes in unscanned, the same.
  std::string plain;
  p->append_to(plain, "18", protocol::ns_ed3, true);
  CHECK(plain == protocol::encode_event(mine, protocol::ns_ed3));
  // Not plain: escaped as the encoder escapes it.
  mine.cross_ref = "1<8";
  std::string escaped;
  p->append_to(escaped, "1<8", protocol::ns_ed3, false);
  CHECK(escaped == protocol::encode_event(mine, protocol::ns_ed3));
  CHECK(escaped.find("<monitorCrossRefID>1&lt;8</monitorCrossRefID>") != std::string::npos);
}

TEST_CASE("a caller's hint finds the session's batch, and one from before a flush is not trusted") {
  using outbox_type = service::event_outbox<int, std::string>;
  outbox_type outbox;
  outbox_type::place_hint to_a;
  outbox_type::place_hint to_b;
  auto delivered = payload(protocol::event_type::delivered, "1000");
  auto collect = [&] {
    std::vector<std::string> sent;
    outbox.flush([&](const std::string& session, service::event_batch&& batch) {
      std::string refs = session + ":";
      for (auto& d : batch.deliveries)
        refs += d.cross_ref + ",";
      sent.push_back(refs);
    });
    return sent;
  };
  outbox.post(1, "a", to_a, delivered, "11");
  outbox.post(2, "b", to_b, delivered, "21");
  outbox.post(1, "a", to_a, delivered, "12");
  outbox.post(2, "b", delivered, "22");  // without a hint: the same batch
  CHECK(collect() == std::vector<std::string>{"a:11,12,", "b:21,22,"});
  // The next round b comes first: its hint and a's, both from the last round, name places
  // that are no longer theirs.
  outbox.post(2, "b", to_b, delivered, "23");
  outbox.post(1, "a", to_a, delivered, "13");
  outbox.post(2, "b", to_b, delivered, "24");
  CHECK(collect() == std::vector<std::string>{"b:23,24,", "a:13,"});
}
