// The Annex J.2 carrier envelope: frames in -> requests with their correlation; answers and
// notifications out as frames.

#include <doctest/doctest.h>

#include <string>

#include "protocol/framing.hpp"
#include "transport/j2_envelope.hpp"

using cstad::transport::correlation;
using cstad::transport::j2_envelope;

namespace {

std::string frame(int invoke, const std::string& xml) { return *cstad::protocol::encode_frame(invoke, xml); }

}  // namespace

TEST_CASE("requests come out with the invoke id as their correlation, however the bytes arrive") {
  j2_envelope env;
  auto bytes = frame(1, "<A/>") + frame(9998, "<B/>");
  env.feed(bytes.substr(0, 5));
  CHECK_FALSE(env.next());
  env.feed(bytes.substr(5));
  auto a = env.next();
  REQUIRE(a);
  auto& ra = std::get<j2_envelope::request>(*a);
  CHECK(ra.corr == correlation{1});
  CHECK(ra.xml == "<A/>");
  auto rb = std::get<j2_envelope::request>(*env.next());
  CHECK(rb.corr == correlation{9998});
  CHECK(rb.xml == "<B/>");
  CHECK_FALSE(env.next());
}

TEST_CASE("a broken frame ends the stream, with its correlation when the invoke id was readable") {
  j2_envelope env;
  env.feed(std::string("\x01\x00\x00\x10" "0042", 8) + "<A/>" + frame(2, "<B/>"));
  auto b = env.next();
  REQUIRE(b);
  auto& broken = std::get<j2_envelope::broken>(*b);
  REQUIRE(broken.corr);
  CHECK(*broken.corr == correlation{42});
  CHECK_FALSE(env.next());  // nothing after a break, not even a good frame

  j2_envelope unreadable;
  unreadable.feed(std::string("\x00\x00\x00\x10" "00x2", 8) + "<A/>");
  auto u = std::get<j2_envelope::broken>(*unreadable.next());
  CHECK_FALSE(u.corr);
}

TEST_CASE("answers carry the request's invoke id, notifications 9999") {
  CHECK(*j2_envelope::answer(correlation{7}, "<R/>") == frame(7, "<R/>"));
  CHECK(*j2_envelope::notification("<E/>") == frame(9999, "<E/>"));
  CHECK_FALSE(j2_envelope::answer(correlation{7}, std::string(70000, 'x')));
}
