#include "tools/cstaload/connection_pool.hpp"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "protocol/encode_request.hpp"
#include "tools/cstaload/run_failure.hpp"
#include "tools/cstaload/socket_output.hpp"
#include "tools/cstaload/sockets.hpp"

namespace cstad::load {

namespace {

constexpr int max_invoke_id = 9998;  // 9999 is the events' invoke id
constexpr std::size_t read_buffer_size = 256 * 1024;
constexpr int reads_per_turn = 8;  // then the other connections' turn; epoll reports it again

}  // namespace

const char* request_name(request_kind k) {
  switch (k) {
    case request_kind::start_session: return "StartApplicationSession";
    case request_kind::reset_session_timer: return "ResetApplicationSessionTimer";
    case request_kind::monitor_start: return "MonitorStart";
    case request_kind::make_call: return "MakeCall";
    case request_kind::answer_call: return "AnswerCall";
    case request_kind::clear_connection: return "ClearConnection";
  }
  return "?";
}

connection_pool::connection_pool(std::string ns)
    : ns_(std::move(ns)), epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)), read_buf_(read_buffer_size) {}

connection_pool::~connection_pool() {
  close_all();
  if (epoll_fd_ >= 0)
    ::close(epoll_fd_);
}

void connection_pool::fail(const connection& c, const std::string& what) {
  throw run_failure{"connection " + std::to_string(c.index) + ": " + what};
}

void connection_pool::open(const std::string& host, int port, int n) {
  connections_.reserve(connections_.size() + static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    connection c;
    c.index = static_cast<int>(connections_.size());
    c.fd = connect_to(host, port);
    if (c.fd < 0)
      throw run_failure{"connection " + std::to_string(c.index) + " to " + host + ":" + std::to_string(port) +
                        " failed: " + std::strerror(errno)};
    make_nonblocking_nodelay(c.fd);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u32 = static_cast<std::uint32_t>(c.index);
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, c.fd, &ev) != 0) {
      ::close(c.fd);
      throw run_failure{std::string{"epoll_ctl: "} + std::strerror(errno)};
    }
    connections_.push_back(std::move(c));
  }
}

void connection_pool::close_all() {
  for (auto& c : connections_)
    if (c.fd >= 0) {
      ::close(c.fd);  // leaves the epoll set with it
      c.fd = -1;
    }
  connections_.clear();
  queued_.clear();
  outstanding_ = 0;
}

void connection_pool::send(connection& c, request_kind kind, int pair, const protocol::request& r) {
  int id = c.next_invoke;
  c.next_invoke = id == max_invoke_id ? 1 : id + 1;
  auto [slot, fresh] = c.pending.try_emplace(id);
  if (!fresh)
    fail(c, "invoke id " + std::to_string(id) + " is still waiting for its answer after wrapping around (" +
                std::to_string(c.pending.size()) + " requests outstanding)");
  auto frame = protocol::encode_frame(id, protocol::encode_request(r, ns_));
  if (!frame)
    fail(c, std::string{request_name(kind)} + " does not fit into a frame");
  slot->second = {kind, pair, std::chrono::steady_clock::now()};
  ++outstanding_;
  c.out += *frame;
  if (!c.queued) {
    c.queued = true;
    queued_.push_back(c.index);
  }
}

void connection_pool::set_writing(connection& c, bool on) {
  epoll_data_t key{};
  key.u32 = static_cast<std::uint32_t>(c.index);
  watch_writable(epoll_fd_, c.fd, key, c.writing, on);
}

void connection_pool::flush(connection& c) {
  switch (send_pending(c.fd, c.out, c.out_pos)) {
    case send_outcome::all_sent:
      return set_writing(c, false);
    case send_outcome::would_block:
      return set_writing(c, true);  // the server is not reading: wait until it does
    case send_outcome::failed:
      break;
  }
  std::string why = std::string{"send failed: "} + std::strerror(errno);
  fail(c, lost ? why + lost() : why);
}

void connection_pool::flush_queued() {
  for (std::size_t i = 0; i < queued_.size(); ++i) {
    auto& c = connections_[static_cast<std::size_t>(queued_[i])];
    c.queued = false;
    flush(c);
  }
  queued_.clear();
}

void connection_pool::poll(int timeout_ms, frame_handler& h) {
  flush_queued();  // requests queued outside the loop (the first MonitorStarts and MakeCalls)
  epoll_event events[256];
  int n = ::epoll_wait(epoll_fd_, events, 256, timeout_ms);
  if (n < 0 && errno != EINTR)
    throw run_failure{std::string{"epoll_wait: "} + std::strerror(errno)};
  for (int i = 0; i < n; ++i) {
    auto& c = connections_[events[i].data.u32];
    if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
      read_from(c, h);
    if (events[i].events & EPOLLOUT)
      flush(c);
  }
  flush_queued();  // one send per connection for everything its frames asked for
}

void connection_pool::read_from(connection& c, frame_handler& h) {
  for (int reads = 0; reads < reads_per_turn; ++reads) {
    auto n = ::recv(c.fd, read_buf_.data(), read_buf_.size(), 0);
    if (n > 0) {
      bytes_in_ += static_cast<std::uint64_t>(n);
      c.decoder.feed({read_buf_.data(), static_cast<std::size_t>(n)});
      for (;;) {
        auto r = c.decoder.next();
        if (r.state == protocol::frame_decoder::status::need_more)
          break;
        if (r.state == protocol::frame_decoder::status::error)
          fail(c, std::string{"the server sent a broken frame ("} + protocol::to_string(r.error) + ")");
        dispatch(c, r.value, h);
      }
      if (static_cast<std::size_t>(n) < read_buf_.size())
        return;  // drained (level-triggered: epoll says again when more arrives)
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    std::string why = n == 0 ? "the server closed the connection"
                             : std::string{"the server reset the connection ("} + std::strerror(errno) + ")";
    why += " with " + std::to_string(c.pending.size()) + " requests outstanding";
    fail(c, lost ? why + lost() : why);
  }
}

void connection_pool::dispatch(connection& c, protocol::frame& f, frame_handler& h) {
  auto now = std::chrono::steady_clock::now();
  if (f.invoke_id == protocol::event_invoke_id) {
    h.on_event(c, f.body, now);
    return;
  }
  auto it = c.pending.find(f.invoke_id);
  if (it == c.pending.end())
    fail(c, "an answer with invoke id " + std::to_string(f.invoke_id) + " that answers no request: " + f.body);
  auto p = it->second;
  c.pending.erase(it);
  --outstanding_;
  h.on_answer(c, p, f.body, now);
}

}  // namespace cstad::load
