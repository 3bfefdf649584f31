// A session's batch of messages: its own text, and messages written around text it shares
// with other sessions' batches (an event encoded once for every monitor of a device).

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "common/message_batch.hpp"

using cstad::message_batch;

namespace {

// Shared text as a LIM's payload holds it: "<E><id>" + the monitor's id + "</id></E>".
struct shared_document {
  std::string text = "<E><id></id></E>";
  std::size_t at = 7;
  std::string_view before() const { return std::string_view{text}.substr(0, at); }
  std::string_view after() const { return std::string_view{text}.substr(at); }
};

}  // namespace

TEST_CASE("messages of its own and messages around shared text, in order, each whole") {
  auto shared = std::make_shared<const shared_document>();
  message_batch b;
  b.add("<A/>");
  b.add_around(shared, shared->before(), "12", shared->after());
  b.add_with([](std::string& out) { out += "<B/>"; });
  b.add_around(shared, shared->before(), "3", shared->after());
  REQUIRE(b.size() == 4);
  CHECK(b.text(0) == "<A/>");
  CHECK(b.text(1) == "<E><id>12</id></E>");
  CHECK(b.text(2) == "<B/>");
  CHECK(b.text(3) == "<E><id>3</id></E>");
  // The shared text is not copied: the pieces point into it, and only the ids are the batch's.
  auto p = b[1];
  CHECK(p.before.data() == shared->text.data());
  CHECK(p.after.data() == shared->text.data() + shared->at);
  CHECK(p.own == "12");
  CHECK(p.size() == 18);
  CHECK(b[0].before.empty());
  CHECK(b[0].after.empty());
  CHECK(b.bytes() == std::string{"<A/>12<B/>3"}.size());
}

TEST_CASE("a batch keeps the text it shares alive until it is cleared") {
  std::weak_ptr<const shared_document> watch;
  message_batch b;
  {
    auto shared = std::make_shared<const shared_document>();
    watch = shared;
    b.add_around(std::move(shared), watch.lock()->before(), "7", watch.lock()->after());
  }
  REQUIRE(!watch.expired());
  CHECK(b.text(0) == "<E><id>7</id></E>");
  b.clear();
  CHECK(watch.expired());
  CHECK(b.empty());
}

TEST_CASE("appending a batch keeps each message whole, whichever of the two shares text") {
  auto shared = std::make_shared<const shared_document>();
  message_batch plain;
  plain.add("<A/>");
  plain.add("<B/>");
  message_batch around;
  around.add_around(shared, shared->before(), "1", shared->after());
  around.add("<C/>");
  // Plain first, then one that shares: the plain messages stay whole.
  message_batch first = plain;
  first.append(std::move(around));
  REQUIRE(first.size() == 4);
  CHECK(first.text(0) == "<A/>");
  CHECK(first.text(1) == "<B/>");
  CHECK(first.text(2) == "<E><id>1</id></E>");
  CHECK(first.text(3) == "<C/>");
  // One that shares first, then plain ones, one of its own, then one more around shared text.
  message_batch second;
  second.add_around(shared, shared->before(), "2", shared->after());
  second.append(std::move(plain));
  second.add("<D/>");
  second.add_around(shared, shared->before(), "3", shared->after());
  second.add("<F/>");
  REQUIRE(second.size() == 6);
  CHECK(second.text(0) == "<E><id>2</id></E>");
  CHECK(second.text(1) == "<A/>");
  CHECK(second.text(2) == "<B/>");
  CHECK(second.text(3) == "<D/>");
  CHECK(second.text(4) == "<E><id>3</id></E>");
  CHECK(second.text(5) == "<F/>");
  CHECK(plain.empty());  // what was appended is taken
}
