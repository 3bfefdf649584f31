// Write flow control of one connection, as pure accounting: bytes in flight are bounded, the
// rest waits, a connection whose queue passes its bound must end.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "transport/write_window.hpp"

using cstad::transport::write_limits;
using cstad::transport::write_window;

namespace {

// What drain handed to the socket layer, message by message.
struct socket_layer {
  std::vector<std::string> written;
  void operator()(std::string_view bytes) { written.emplace_back(bytes); }
};

}  // namespace

TEST_CASE("a client that reads: everything goes out at once while it fits in flight") {
  write_window w{write_limits{100, 1000, 500}};
  socket_layer s;
  CHECK(w.push(std::string(40, 'a')));
  CHECK(w.push(std::string(40, 'b')));
  CHECK(w.drain(s) == 80);
  CHECK(s.written.size() == 2);
  CHECK(w.in_flight() == 80);
  CHECK(w.queued() == 0);
  w.written(80);
  CHECK(w.in_flight() == 0);
}

TEST_CASE("a client that stops reading: in flight stays bounded, then the queue reaches its bound") {
  write_window w{write_limits{100, 1000, 500}};
  socket_layer s;
  // Nothing is ever acknowledged: the client reads nothing.
  int pushed = 0;
  while (w.push(std::string(60, 'x'))) {
    w.drain(s);
    ++pushed;
    CHECK(w.in_flight() <= 100);
  }
  // One 60-byte message fits in flight; 16 more fill the 1000-byte queue; the 18th is refused.
  CHECK(pushed == 17);
  CHECK(s.written.size() == 1);
  CHECK(w.in_flight() == 60);
  CHECK(w.queued() == 960);
  CHECK(w.behind());
  // The client reads again: each acknowledgement lets the next messages out.
  w.written(60);
  CHECK(w.drain(s) == 60);
  CHECK(w.queued() == 900);
  w.written(60);
  w.drain(s);
  CHECK(s.written.size() == 3);
}

TEST_CASE("a message larger than the window still goes out when nothing is in flight") {
  write_window w{write_limits{10, 1000, 500}};
  socket_layer s;
  CHECK(w.push(std::string(50, 'x')));
  CHECK(w.push(std::string(5, 'y')));
  CHECK(w.drain(s) == 50);
  CHECK(w.drain(s) == 0);  // 50 in flight, window 10
  w.written(44);
  CHECK(w.drain(s) == 0);  // 6 still in flight: 6 + 5 is over the window of 10
  w.written(1);
  CHECK(w.drain(s) == 5);  // 5 + 5 fits
}

TEST_CASE("closing hands everything over whatever is in flight") {
  write_window w{write_limits{10, 1000, 500}};
  socket_layer s;
  for (int i = 0; i < 5; ++i)
    w.push(std::string(10, 'z'));
  w.drain(s);
  CHECK(s.written.size() == 1);
  CHECK(w.drain_all(s) == 40);
  CHECK(s.written.size() == 5);
  CHECK(w.queued() == 0);
}

TEST_CASE("send writes at once while there is room, and queues behind anything waiting") {
  write_window w{write_limits{100, 1000, 500}};
  socket_layer s;
  CHECK(w.send(std::string(60, 'a'), s));
  CHECK(s.written.size() == 1);  // straight out
  CHECK(w.send(std::string(60, 'b'), s));
  CHECK(s.written.size() == 1);  // 120 would pass the window: queued
  CHECK(w.queued() == 60);
  w.written(60);
  CHECK(w.send(std::string(10, 'c'), s));
  CHECK(s.written.size() == 1);  // room now, but 'b' waits first: order is kept
  CHECK(w.drain(s) == 70);
  CHECK(s.written == std::vector<std::string>{std::string(60, 'a'), std::string(60, 'b'), std::string(10, 'c')});
}

TEST_CASE("answers wait ahead of queued notifications, in their own order") {
  write_window w{write_limits{100, 1000, 500}};
  socket_layer s;
  CHECK(w.send(std::string(100, 'e'), s));  // fills what may be in flight
  CHECK(w.send(std::string(10, 'f'), s));   // notifications wait
  CHECK(w.send(std::string(10, 'g'), s));
  CHECK(w.send_first(std::string(10, '1'), s));  // answers go ahead of them
  CHECK(w.send_first(std::string(10, '2'), s));
  CHECK(w.send(std::string(10, 'h'), s));
  CHECK(s.written.size() == 1);
  w.written(100);
  w.drain(s);
  std::vector<std::string> expected{std::string(100, 'e'), std::string(10, '1'), std::string(10, '2'),
                                    std::string(10, 'f'), std::string(10, 'g'), std::string(10, 'h')};
  CHECK(s.written == expected);
  // Once those answers are out, the next answer again goes ahead of what waits then.
  CHECK(w.send(std::string(100, 'i'), s));  // 50 in flight: waits
  CHECK(w.send(std::string(10, 'j'), s));
  CHECK(w.send_first(std::string(10, '3'), s));
  while (w.queued() > 0) {  // the client reads all
    w.written(w.in_flight());
    w.drain(s);
  }
  REQUIRE(s.written.size() == 9);
  CHECK(s.written[6] == std::string(10, '3'));
  CHECK(s.written[7] == std::string(100, 'i'));
  CHECK(s.written[8] == std::string(10, 'j'));
}

TEST_CASE("a frame in parts goes out part by part, or joined when it has to wait") {
  write_window w{write_limits{20, 1000, 500}};
  socket_layer s;
  std::string_view first[] = {"head", "be", "", "fore"};
  CHECK(w.send(first, 4, s));
  CHECK(s.written == std::vector<std::string>{"head", "be", "fore"});  // nothing for the empty part
  CHECK(w.in_flight() == 10);
  std::string_view second[] = {"HEAD", "0123", "456789", "abcdef"};
  CHECK(w.send(second, 4, s));  // 10 + 20 > 20: waits, as one message
  CHECK(w.queued() == 20);
  w.written(10);
  w.drain(s);
  CHECK(s.written.back() == "HEAD0123456789abcdef");
}
