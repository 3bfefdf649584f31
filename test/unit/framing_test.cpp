#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "protocol/framing.hpp"

using namespace cstad::protocol;
using status = frame_decoder::status;

namespace {

const std::string monitor_start =
    R"(<?xml version="1.0" encoding="UTF-8"?><MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorObject><deviceObject>2001</deviceObject></monitorObject></MonitorStart>)";

std::vector<frame> drain(frame_decoder& d) {
  std::vector<frame> out;
  for (auto r = d.next(); r.state == status::frame_ready; r = d.next())
    out.push_back(r.value);
  return out;
}

}  // namespace

TEST_CASE("encode_frame writes the Annex J.2 header of protocol.md 1.3") {
  REQUIRE(monitor_start.size() == 201);
  auto f = encode_frame(1, monitor_start);
  REQUIRE(f);
  REQUIRE(f->size() == 209);
  CHECK(static_cast<unsigned char>((*f)[0]) == 0x00);
  CHECK(static_cast<unsigned char>((*f)[1]) == 0x00);
  CHECK(static_cast<unsigned char>((*f)[2]) == 0x00);
  CHECK(static_cast<unsigned char>((*f)[3]) == 0xd1);
  CHECK(f->substr(4, 4) == "0001");
  CHECK(f->substr(8) == monitor_start);
}

TEST_CASE("encode_frame: events use 9999, oversize bodies and bad invoke ids are refused") {
  CHECK(encode_frame(event_invoke_id, "<x/>")->substr(4, 4) == "9999");
  CHECK_FALSE(encode_frame(1, std::string(max_frame_size - frame_header_size + 1, 'a')));
  CHECK(encode_frame(1, std::string(max_frame_size - frame_header_size, 'a')));
  CHECK_FALSE(encode_frame(10000, "<x/>"));
  CHECK_FALSE(encode_frame(-1, "<x/>"));
}

TEST_CASE("the decoder yields the same frames whatever the stream is split into") {
  std::string stream = *encode_frame(1, monitor_start) + *encode_frame(42, "<a/>") +
                       *encode_frame(9998, "") + *encode_frame(7, monitor_start);
  SUBCASE("split once at every byte boundary") {
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
      frame_decoder d;
      d.feed(std::string_view(stream).substr(0, cut));
      auto frames = drain(d);
      d.feed(std::string_view(stream).substr(cut));
      auto rest = drain(d);
      frames.insert(frames.end(), rest.begin(), rest.end());
      REQUIRE(frames.size() == 4);
      CHECK(frames[0].invoke_id == 1);
      CHECK(frames[0].body == monitor_start);
      CHECK(frames[1].invoke_id == 42);
      CHECK(frames[1].body == "<a/>");
      CHECK(frames[2].invoke_id == 9998);
      CHECK(frames[2].body.empty());
      CHECK(frames[3].invoke_id == 7);
      CHECK(d.buffered() == 0);
    }
  }
  SUBCASE("fed one byte at a time") {
    frame_decoder d;
    std::vector<frame> frames;
    for (char c : stream) {
      d.feed(std::string_view(&c, 1));
      auto got = drain(d);
      frames.insert(frames.end(), got.begin(), got.end());
    }
    REQUIRE(frames.size() == 4);
    CHECK(frames[3].body == monitor_start);
  }
}

TEST_CASE("a header that does not start with 00 00 breaks the stream for good") {
  frame_decoder d;
  std::string bad = *encode_frame(12, "<a/>");
  bad[0] = 0x01;
  d.feed(bad);
  auto r = d.next();
  CHECK(r.state == status::error);
  CHECK(r.error == frame_error::bad_version);
  REQUIRE(r.invoke_id);
  CHECK(*r.invoke_id == 12);
  d.feed(*encode_frame(13, "<a/>"));
  CHECK(d.next().state == status::error);
}

TEST_CASE("a TLS ClientHello on a plain port is named as such") {
  frame_decoder d;
  d.feed(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11));
  auto r = d.next();
  CHECK(r.state == status::error);
  CHECK(r.error == frame_error::tls_handshake);
  CHECK(std::string{to_string(r.error)} == "a TLS handshake on a port without TLS");
}

TEST_CASE("a length below 8 is an error, but the invoke id is still read when it is digits") {
  frame_decoder d;
  d.feed(std::string("\x00\x00\x00\x05" "0033", 8));
  auto r = d.next();
  CHECK(r.state == status::error);
  CHECK(r.error == frame_error::bad_length);
  CHECK(r.invoke_id == 33);
}

TEST_CASE("an invoke id that is not four digits is an error without an id") {
  frame_decoder d;
  d.feed(std::string("\x00\x00\x00\x0c" "12a4<a/>", 12));
  auto r = d.next();
  CHECK(r.state == status::error);
  CHECK(r.error == frame_error::bad_invoke_id);
  CHECK_FALSE(r.invoke_id);
}

TEST_CASE("an incomplete header or body waits for more") {
  frame_decoder d;
  auto f = *encode_frame(5, "<abc/>");
  d.feed(f.substr(0, 7));
  CHECK(d.next().state == status::need_more);
  d.feed(f.substr(7, 3));
  CHECK(d.next().state == status::need_more);
  d.feed(f.substr(10));
  CHECK(d.next().state == status::frame_ready);
}
