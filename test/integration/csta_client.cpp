#include "csta_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <cstring>
#include <stdexcept>

#include <doctest/doctest.h>

#include "protocol/csta_error.hpp"
#include "protocol/xml_parser.hpp"

namespace cstad::test {

std::string received::at(std::string_view path) const {
  const protocol::xml_element* e = &xml;
  while (!path.empty()) {
    auto slash = path.find('/');
    e = e->child(path.substr(0, slash));
    if (e == nullptr)
      return {};
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return e->text;
}

csta_client::csta_client(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0)
    throw std::runtime_error(std::string{"connect: "} + std::strerror(errno));
}

csta_client::~csta_client() {
  if (fd_ >= 0)
    ::close(fd_);
}

void csta_client::send_raw(std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0)
      throw std::runtime_error("send failed");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void csta_client::send(int invoke_id, std::string_view xml) {
  auto f = protocol::encode_frame(invoke_id, xml);
  REQUIRE(f);
  send_raw(*f);
}

std::optional<received> csta_client::next(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto r = decoder_.next();
    if (r.state == protocol::frame_decoder::status::error)
      FAIL("server sent a broken frame: " << protocol::to_string(r.error));
    if (r.state == protocol::frame_decoder::status::frame_ready) {
      auto parsed = protocol::parse_xml(r.value.body);
      if (auto err = std::get_if<protocol::xml_parse_error>(&parsed))
        FAIL("server sent malformed XML: " << err->reason << "\n" << r.value.body);
      return received{r.value.invoke_id, std::move(r.value.body),
                      std::get<protocol::xml_element>(std::move(parsed))};
    }
    if (eof_)
      return std::nullopt;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      return std::nullopt;
    char buf[65536];
    auto n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) {
      eof_ = true;
      continue;
    }
    decoder_.feed({buf, static_cast<std::size_t>(n)});
  }
}

void csta_client::keep_event(received r) {
  auto ref = r.at("monitorCrossRefID");
  events_[ref].push_back(std::move(r));
}

received csta_client::request(int invoke_id, std::string_view xml) {
  send(invoke_id, xml);
  for (;;) {
    auto r = next();
    REQUIRE_MESSAGE(r, "no answer to request " << invoke_id);
    if (r->invoke_id == protocol::event_invoke_id) {
      keep_event(std::move(*r));
      continue;
    }
    CHECK(r->invoke_id == invoke_id);
    // Every error the server sends must be one the schema defines.
    if (r->xml.name == "CSTAErrorCode")
      CHECK_MESSAGE(protocol::decode_csta_error(r->xml).has_value(), "undefined error: " << r->body);
    return std::move(*r);
  }
}

std::vector<received> csta_client::events_for(const std::string& cross_ref, std::size_t count) {
  while (events_[cross_ref].size() < count) {
    auto r = next();
    if (!r)
      break;
    REQUIRE_MESSAGE(r->invoke_id == protocol::event_invoke_id,
                    "unexpected non-event frame " << r->body);
    keep_event(std::move(*r));
  }
  // Exactly `count` (fewer only on timeout); later ones stay for the next call.
  auto& pending = events_[cross_ref];
  auto n = std::min(count, pending.size());
  std::vector<received> out(std::make_move_iterator(pending.begin()),
                            std::make_move_iterator(pending.begin() + static_cast<std::ptrdiff_t>(n)));
  pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
  if (pending.empty())
    events_.erase(cross_ref);
  return out;
}

bool csta_client::closed_by_server(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = next(std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now()));
    if (r) {
      keep_event(std::move(*r));
      continue;
    }
    return eof_;
  }
  return eof_;
}

}  // namespace cstad::test
