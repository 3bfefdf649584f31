// cstaload_trivial_server: the baseline `cstaload --trivial` measures cstad against. It takes
// the same client and serves its load with the least work a server can do: one thread, epoll,
// every answer and event frame encoded once (trivial_frames), and for each call the events
// cstad would send written to every connection that monitors its devices, as fast as the
// sockets take them. It knows only the load's call flow (MakeCall a->b, AnswerCall at b,
// ClearConnection at a) and no exchange: what it shows is the cost of the bytes alone.
//
//   cstaload_trivial_server --port=PORT [--host=ADDRESS]     SIGTERM or SIGINT stops it

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/framing.hpp"
#include "tools/cstaload/socket_output.hpp"
#include "tools/cstaload/sockets.hpp"
#include "tools/cstaload/trivial_frames.hpp"
#include "tools/cstaload/xml_peek.hpp"

using namespace cstad::load;
namespace proto = cstad::protocol;

namespace {

volatile std::sig_atomic_t stop_requested = 0;

void on_stop_signal(int) { stop_requested = 1; }

struct client {
  int fd = -1;
  proto::frame_decoder decoder;
  std::string out;
  std::size_t out_pos = 0;
  bool writing = false;  // EPOLLOUT registered
  bool queued = false;   // has output to send this round
  std::unordered_map<std::string, std::string> cross_refs;  // by monitored device
};

struct call {
  std::string a, b;
  const call_frames* frames = nullptr;
};

class trivial_server {
public:
  explicit trivial_server(int listener) : listener_(listener), epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listener_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listener_, &ev);
  }

  void run() {
    std::vector<char> buf(256 * 1024);
    epoll_event events[256];
    while (!stop_requested) {
      int n = ::epoll_wait(epoll_fd_, events, 256, -1);
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == listener_) {
          accept_all();
          continue;
        }
        auto it = clients_.find(fd);
        if (it == clients_.end())
          continue;
        if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
          read_from(*it->second, buf);
        else if (events[i].events & EPOLLOUT)
          flush(*it->second);
      }
      // One send per connection for everything this round asked for.
      auto queued = std::move(queued_);  // a failed flush closes, and so edits queued_
      queued_.clear();
      for (auto* c : queued) {
        c->queued = false;
        if (c->fd >= 0)
          flush(*c);
      }
      closed_.clear();
    }
  }

private:
  void accept_all() {
    for (;;) {
      int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0)
        return;
      make_nonblocking_nodelay(fd);
      auto c = std::make_unique<client>();
      c->fd = fd;
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP;
      ev.data.fd = fd;
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
      order_.push_back(c.get());
      clients_[fd] = std::move(c);
    }
  }

  /// Closes c; the object lives on to the end of the round (it may be in use up the stack).
  void close_client(client& c) {
    auto it = clients_.find(c.fd);
    closed_.push_back(std::move(it->second));
    clients_.erase(it);
    ::close(c.fd);  // leaves the epoll set with it
    c.fd = -1;
    order_.erase(std::remove(order_.begin(), order_.end(), &c), order_.end());
    queued_.erase(std::remove(queued_.begin(), queued_.end(), &c), queued_.end());
  }

  void read_from(client& c, std::vector<char>& buf) {
    for (;;) {
      auto n = ::recv(c.fd, buf.data(), buf.size(), 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      if (n <= 0)
        return close_client(c);
      c.decoder.feed({buf.data(), static_cast<std::size_t>(n)});
      for (;;) {
        auto r = c.decoder.next();
        if (r.state == proto::frame_decoder::status::need_more)
          break;
        if (r.state == proto::frame_decoder::status::error)
          return close_client(c);  // framing cannot resynchronise
        on_request(c, r.value.invoke_id, r.value.body);
      }
      if (static_cast<std::size_t>(n) < buf.size())
        return;
    }
  }

  void queue(client& c) {
    if (!c.queued) {
      c.queued = true;
      queued_.push_back(&c);
    }
  }

  void on_request(client& c, int invoke, const std::string& body) {
    auto name = root_local_name(body);
    queue(c);
    if (name == "MonitorStart")
      return monitor_start(c, invoke, body);
    if (name == "MakeCall")
      return make_call(c, invoke, body);
    if (name == "AnswerCall" || name == "ClearConnection")
      return call_step(c, invoke, body, name == "AnswerCall");
    if (name == "StartApplicationSession")
      return answers_.start_session_response.append(c.out, invoke);
    if (name == "ResetApplicationSessionTimer")
      return answers_.reset_session_timer_response.append(c.out, invoke);
    answers_.not_supported.append(c.out, invoke);
  }

  void monitor_start(client& c, int invoke, const std::string& body) {
    auto device = first_element_text(body, "deviceObject");
    if (!device)
      return answers_.not_supported.append(c.out, invoke);
    auto& cross_ref = c.cross_refs[std::string{*device}];
    if (cross_ref.empty())
      cross_ref = trivial_id(next_cross_ref_++);
    answers_.monitor_start_response.append(c.out, invoke, cross_ref);
  }

  /// The frames of calls a->b, encoded at the first such call.
  const call_frames& frames_for(const std::string& a, const std::string& b) {
    auto& f = frames_[a + ">" + b];
    if (!f)
      f = std::make_unique<call_frames>(make_call_frames(a, b));
    return *f;
  }

  void make_call(client& c, int invoke, const std::string& body) {
    auto a = first_element_text(body, "callingDevice");
    auto b = first_element_text(body, "calledDirectoryNumber");
    if (!a || !b)
      return answers_.not_supported.append(c.out, invoke);
    auto id = trivial_id(next_call_++);
    auto& k = calls_[id];
    k = {std::string{*a}, std::string{*b}, &frames_for(std::string{*a}, std::string{*b})};
    k.frames->make_call_response.append(c.out, invoke, {}, id);
    send_events(k, id, &call_events::made);
  }

  void call_step(client& c, int invoke, const std::string& body, bool answer) {
    auto id = first_element_text(body, "callID");
    auto it = id ? calls_.find(std::string{*id}) : calls_.end();
    if (it == calls_.end() || id->size() != trivial_id_width)
      return answers_.unknown_call.append(c.out, invoke);
    (answer ? answers_.answer_call_response : answers_.clear_connection_response).append(c.out, invoke);
    send_events(it->second, it->first, answer ? &call_events::answered : &call_events::cleared);
    if (!answer)
      calls_.erase(it);
  }

  /// The step's events to every connection monitoring a or b, a's first, in connection order.
  void send_events(const call& k, const std::string& id, std::vector<frame_template> call_events::*step) {
    for (auto* w : order_) {
      auto a = w->cross_refs.find(k.a);
      auto b = w->cross_refs.find(k.b);
      if (a != w->cross_refs.end())
        for (auto& f : k.frames->calling.*step)
          f.append(w->out, proto::event_invoke_id, a->second, id);
      if (b != w->cross_refs.end())
        for (auto& f : k.frames->called.*step)
          f.append(w->out, proto::event_invoke_id, b->second, id);
      if (a != w->cross_refs.end() || b != w->cross_refs.end())
        queue(*w);
    }
  }

  void flush(client& c) {
    epoll_data_t key{};
    key.fd = c.fd;
    switch (send_pending(c.fd, c.out, c.out_pos)) {
      case send_outcome::all_sent:
        return watch_writable(epoll_fd_, c.fd, key, c.writing, false);
      case send_outcome::would_block:
        return watch_writable(epoll_fd_, c.fd, key, c.writing, true);
      case send_outcome::failed:
        return close_client(c);
    }
  }

  int listener_;
  int epoll_fd_;
  answer_frames answers_ = make_answer_frames();
  std::unordered_map<int, std::unique_ptr<client>> clients_;
  std::vector<client*> order_;  // by time of connection
  std::vector<client*> queued_;
  std::vector<std::unique_ptr<client>> closed_;  // this round's
  std::unordered_map<std::string, std::unique_ptr<call_frames>> frames_;
  std::unordered_map<std::string, call> calls_;
  unsigned long long next_cross_ref_ = 1000000000001ULL;
  unsigned long long next_call_ = 1000000000001ULL;
};

int listen_on(const std::string& host, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd < 0 || ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 1024) != 0)
    return -1;
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--port=", 0) == 0)
      port = std::atoi(arg.c_str() + 7);
    else if (arg.rfind("--host=", 0) == 0)
      host = arg.substr(7);
    else {
      std::fprintf(stderr, "usage: cstaload_trivial_server --port=PORT [--host=IPV4ADDRESS]\n"
                           "  (started by cstaload --trivial; see cstaload --help)\n");
      return arg == "--help" ? 0 : 1;
    }
  }
  if (port <= 0 || port > 65535) {
    std::fprintf(stderr, "cstaload_trivial_server: --port=PORT is needed\n");
    return 1;
  }
  int listener = listen_on(host, port);
  if (listener < 0) {
    std::fprintf(stderr, "cstaload_trivial_server: cannot listen on %s:%d: %s\n", host.c_str(), port,
                 std::strerror(errno));
    return 1;
  }
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;  // no SA_RESTART: epoll_wait returns with EINTR
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  trivial_server(listener).run();
  return 0;
}
