// End-to-end load on a cstad binary over TCP, treating the server as a black box, so one client
// can measure an old and a new server side by side. It starts the server itself (or uses a
// running one with --connect), opens N connections, monitors the demo exchange's extensions
// 1000.. on every connection, then drives calls closed-loop (MakeCall -> AnswerCall ->
// ClearConnection -> MakeCall ...) on --pairs pairs of extensions from 1040-1099, and measures
// over a window after a warm-up: events delivered per second, calls per second, MakeCall
// latency, the server's CPU per delivered event (/proc/<pid>/stat) and its RSS. Prints figures;
// asserts nothing. One thread, epoll, non-blocking sockets; events are counted by frame, not
// parsed (except with --check). Exit status: 0 clean, 1 usage, 2 the run failed (server died,
// closed a connection, stalled, broken frame), 3 figures printed but CSTA errors or --check
// failures occurred.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "protocol/csta_error.hpp"
#include "protocol/csta_event.hpp"
#include "protocol/encode_request.hpp"
#include "protocol/framing.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/requests.hpp"
#include "protocol/response_messages.hpp"
#include "protocol/xml_parser.hpp"

namespace proto = cstad::protocol;
using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;

namespace {

constexpr const char* usage =
    R"(e2e_bench - end-to-end load on a cstad server over TCP (ECMA-323 XML, Annex J.2)

Usage: e2e_bench --server=PATH [options]      starts PATH --port=P --log-level=warn itself
       e2e_bench --connect=HOST:PORT [options] uses a running server (no CPU/RSS figures)

  --sessions=N     TCP connections (default 50)
  --monitors=M     each connection monitors extensions 1000 .. 1000+M-1 (default 100)
  --pairs=P        call pairs from 1040-1099: (1040,1041), (1042,1043), ... (default 30, max 30)
  --seconds=S      measured window (default 10)
  --warmup=W       calls run this long before the window opens (default 2)
  --rate=C         at most C calls per second in all (paced: each pair starts its calls at
                   even intervals, or at once when it is behind); default 0: as fast as the
                   server takes them. Below saturation the server's CPU per event is a steady
                   figure, where the saturated rate can switch between two levels.
  --host=ADDR      address the started server listens on (default 127.0.0.1)
  --port=PORT      port for the started server (default 0: a free one)
  --server-arg=A   one more argument for the started server (repeatable)
  --check          parse every event and check it decodes and names one of its connection's
                   monitors (costs client CPU; figures are not comparable with a normal run)
  --setup-timeout=S  limit for starting, connecting and monitoring (default 60)

Prints progress on stderr, the figures and one RESULT line on stdout. Exit status 0 clean,
2 the run failed (server died, closed a connection, stalled), 3 CSTA errors or check failures.
The tool and the server share the machine; other_cores says what else ran. The server's rate
can switch between two levels within a run (events_per_s_min/max show it): compare old and
new binaries over several alternating runs, not one each.
)";

struct options {
  std::string server;
  std::string connect_host;
  int connect_port = 0;
  int sessions = 50;
  int monitors = 100;
  int pairs = 30;
  double seconds = 10;
  double warmup = 2;
  double rate = 0;  // calls per second in all; 0: closed loop, as fast as possible
  std::string host = "127.0.0.1";
  int port = 0;
  std::vector<std::string> server_args;
  bool check = false;
  double setup_timeout = 60;
};

[[noreturn]] void usage_error(const std::string& what) {
  std::fprintf(stderr, "e2e_bench: %s\n\n%s", what.c_str(), usage);
  std::exit(1);
}

options parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(usage, stdout);
      std::exit(0);
    }
    if (arg == "--check") {
      o.check = true;
      continue;
    }
    auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos)
      usage_error("unknown argument " + arg);
    auto name = arg.substr(2, eq - 2);
    auto value = arg.substr(eq + 1);
    auto integer = [&](int lo, int hi) {
      char* end = nullptr;
      long v = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || v < lo || v > hi)
        usage_error("--" + name + " wants an integer in " + std::to_string(lo) + ".." + std::to_string(hi));
      return static_cast<int>(v);
    };
    auto real = [&](double lo) {
      char* end = nullptr;
      double v = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !(v >= lo))
        usage_error("--" + name + " wants a number >= " + std::to_string(lo));
      return v;
    };
    if (name == "server")
      o.server = value;
    else if (name == "connect") {
      auto colon = value.rfind(':');
      if (colon == std::string::npos || colon == 0)
        usage_error("--connect wants HOST:PORT");
      o.connect_host = value.substr(0, colon);
      value = value.substr(colon + 1);
      o.connect_port = integer(1, 65535);
    } else if (name == "sessions")
      o.sessions = integer(1, 10000);
    else if (name == "monitors")
      o.monitors = integer(0, 100);
    else if (name == "pairs")
      o.pairs = integer(0, 30);
    else if (name == "seconds")
      o.seconds = real(0.1);
    else if (name == "warmup")
      o.warmup = real(0);
    else if (name == "rate")
      o.rate = real(0);
    else if (name == "host")
      o.host = value;
    else if (name == "port")
      o.port = integer(0, 65535);
    else if (name == "server-arg")
      o.server_args.push_back(value);
    else if (name == "setup-timeout")
      o.setup_timeout = real(1);
    else
      usage_error("unknown option --" + name);
  }
  if (o.server.empty() == o.connect_host.empty())
    usage_error("give exactly one of --server=PATH and --connect=HOST:PORT");
  return o;
}

double seconds_between(time_point a, time_point b) { return std::chrono::duration<double>(b - a).count(); }

// ---------------------------------------------------------------------------------------------
// The server process.

struct server_process {
  pid_t pid = -1;
  bool exited = false;
  int status = 0;
  std::string data_dir;  // the server's own, removed when the benchmark ends

  ~server_process() {
    if (!data_dir.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(data_dir, ignored);
    }
  }
  server_process() = default;
  server_process(server_process&& o) noexcept
      : pid(o.pid), exited(o.exited), status(o.status), data_dir(std::move(o.data_dir)) {
    o.data_dir.clear();
  }
  server_process& operator=(server_process&& o) noexcept {
    pid = o.pid;
    exited = o.exited;
    status = o.status;
    data_dir = std::move(o.data_dir);
    o.data_dir.clear();
    return *this;
  }

  /// True when the process is gone (reaped now or before).
  bool poll_exit() {
    if (pid < 0 || exited)
      return exited;
    int st = 0;
    pid_t r = ::waitpid(pid, &st, WNOHANG);
    if (r == pid) {
      exited = true;
      status = st;
    }
    return exited;
  }

  std::string describe_exit() const {
    char buf[64];
    if (WIFEXITED(status))
      std::snprintf(buf, sizeof buf, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
      std::snprintf(buf, sizeof buf, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
      std::snprintf(buf, sizeof buf, "wait status %d", status);
    return buf;
  }
};

int pick_free_port(const std::string& host) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  if (fd < 0 || ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::fprintf(stderr, "e2e_bench: cannot find a free port on %s: %s\n", host.c_str(), std::strerror(errno));
    std::exit(2);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

server_process start_server(const options& o, int port) {
  std::vector<std::string> args{o.server, "--port=" + std::to_string(port), "--log-level=warn"};
  if (o.host != "127.0.0.1")
    args.push_back("--host=" + o.host);
  args.insert(args.end(), o.server_args.begin(), o.server_args.end());
  std::string shown;
  for (auto& a : args)
    shown += (shown.empty() ? "" : " ") + a;
  std::fprintf(stderr, "e2e_bench: starting %s\n", shown.c_str());
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // A data directory of its own, so a run neither changes nor needs the operator's (a server
  // too old to know data directories ignores the variable).
  char data_dir[] = "/tmp/e2e_bench-data-XXXXXX";
  if (::mkdtemp(data_dir) == nullptr) {
    std::perror("e2e_bench: mkdtemp");
    std::exit(2);
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("e2e_bench: fork");
    std::exit(2);
  }
  if (pid == 0) {
    // The server must not outlive the benchmark, even when the benchmark is killed.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent)
      _exit(127);
    ::setenv("CSTAD_DATA_DIR", data_dir, 1);
    ::execv(argv[0], argv.data());
    std::fprintf(stderr, "e2e_bench: cannot execute %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  server_process p;
  p.pid = pid;
  p.data_dir = data_dir;
  return p;
}

/// utime + stime of the whole process (all threads), in µs.
std::optional<double> process_cpu_us(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line))
    return std::nullopt;
  auto paren = line.rfind(')');  // the command name may contain spaces and parentheses
  if (paren == std::string::npos)
    return std::nullopt;
  std::istringstream fields(line.substr(paren + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  // Fields after the name start at 3 (state); utime is field 14, stime 15.
  for (int i = 3; i <= 15 && (fields >> f); ++i) {
    if (i == 14)
      utime = std::stoull(f);
    if (i == 15)
      stime = std::stoull(f);
  }
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  return static_cast<double>(utime + stime) * 1e6 / static_cast<double>(ticks);
}

/// A "Vm..." line of /proc/<pid>/status, in MiB.
std::optional<double> process_status_mib(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  std::string prefix = std::string{field} + ":";
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0)
      return std::strtod(line.c_str() + prefix.size(), nullptr) / 1024.0;  // kB
  return std::nullopt;
}

std::optional<int> process_threads(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("Threads:", 0) == 0)
      return std::atoi(line.c_str() + 8);
  return std::nullopt;
}

/// CPU time all processes spent busy (not idle, not waiting for I/O), machine-wide, in µs.
double machine_busy_us() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  return static_cast<double>(user + nice + system + irq + softirq + steal) * 1e6 / static_cast<double>(ticks);
}

double own_cpu_us() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

int connect_to(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &res) != 0)
    return -1;
  int fd = -1;
  for (auto* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0)
      continue;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
      break;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  return fd;
}

// ---------------------------------------------------------------------------------------------
// Sessions, pairs and the load.

enum class kind : unsigned char { none, monitor_start, make_call, answer_call, clear_connection };

const char* request_name(kind k) {
  switch (k) {
    case kind::monitor_start: return "MonitorStart";
    case kind::make_call: return "MakeCall";
    case kind::answer_call: return "AnswerCall";
    case kind::clear_connection: return "ClearConnection";
    case kind::none: break;
  }
  return "?";
}

struct pending_request {
  kind what = kind::none;
  int pair = -1;
  time_point sent{};
};

constexpr int max_invoke_id = 9998;  // 9999 is the events' invoke id

struct session {
  int index = 0;
  int fd = -1;
  proto::frame_decoder decoder;
  std::string out;
  std::size_t out_pos = 0;
  bool writing = false;  // EPOLLOUT registered
  bool dirty = false;    // has output queued since the last flush
  int next_invoke = 1;
  int outstanding = 0;
  std::unordered_map<int, pending_request> pending;  // by invoke id
  std::unordered_set<std::string> cross_refs;  // its monitors (for --check)
  unsigned long long events = 0;
};

struct pair_state {
  std::string a, b;
  int session = 0;
  std::string call;
  bool failed = false;  // a step of the current call was answered with an error
  time_point next_start{};  // --rate: when its next MakeCall is due
};

struct counters {
  unsigned long long events = 0;
  unsigned long long calls = 0;
  unsigned long long errors = 0;
  unsigned long long check_failures = 0;
  unsigned long long bytes_in = 0;
};

struct fatal_error {
  std::string what;
};

class bench {
public:
  explicit bench(options o) : o_(std::move(o)) {}

  int run();

private:
  void fail(std::string what) { throw fatal_error{std::move(what)}; }
  void check_server_alive(const char* during);
  void connect_sessions(const std::string& host, int port);
  void send(session& s, kind what, int pair, const proto::request& r);
  void flush(session& s);
  void set_writing(session& s, bool on);
  void read_from(session& s);
  void on_frame(session& s, proto::frame& f);
  void on_response(session& s, const pending_request& p, const proto::xml_element& root, const std::string& body);
  void make_call(int pair);
  /// --rate: starts the calls of waiting pairs that are due; the time the next one is due.
  std::optional<time_point> start_due_calls(time_point now);
  void count_error(session& s, const pending_request& p, const std::string& body);
  void check_event(session& s, const std::string& body);
  void flush_dirty();
  void poll_once(int timeout_ms);
  void progress_line(time_point now);
  bool stop_server();

  options o_;
  server_process server_;
  int epoll_fd_ = -1;
  std::vector<session> sessions_;
  std::vector<pair_state> pairs_;
  std::vector<int> waiting_pairs_;  // --rate: pairs whose next call is not due yet
  std::vector<int> dirty_;
  counters total_;
  unsigned long long monitors_started_ = 0;
  bool driving_ = false;   // new calls may be started
  bool in_window_ = false;
  std::vector<std::uint32_t> latencies_us_;  // MakeCalls answered inside the window
  unsigned long long latencies_outside_ = 0;
  double max_gap_s_ = 0;  // longest time without any frame from the server, inside the window
  time_point last_frame_{};
  std::vector<std::string> error_samples_;
  std::string ns_{proto::ns_ed3};
  char read_buf_[256 * 1024];
  // Progress: figures per second on stderr.
  time_point progress_at_{};
  time_point progress_since_{};
  counters progress_last_{};
  time_point window_opened_{};
  std::vector<double> second_rates_;  // events/s of each whole progress interval inside the window
};

void bench::check_server_alive(const char* during) {
  if (server_.pid > 0 && server_.poll_exit())
    fail(std::string{"the server died "} + during + ": " + server_.describe_exit());
}

void bench::connect_sessions(const std::string& host, int port) {
  sessions_.resize(static_cast<std::size_t>(o_.sessions));
  for (int i = 0; i < o_.sessions; ++i) {
    auto& s = sessions_[static_cast<std::size_t>(i)];
    s.index = i;
    s.fd = connect_to(host, port);
    if (s.fd < 0)
      fail("connection " + std::to_string(i) + " to " + host + ":" + std::to_string(port) +
           " failed: " + std::strerror(errno));
    int one = 1;
    ::setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(s.fd, F_SETFL, ::fcntl(s.fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, s.fd, &ev) != 0)
      fail(std::string{"epoll_ctl: "} + std::strerror(errno));
  }
}

void bench::send(session& s, kind what, int pair, const proto::request& r) {
  int id = s.next_invoke;
  s.next_invoke = id == max_invoke_id ? 1 : id + 1;
  auto& slot = s.pending[id];
  if (slot.what != kind::none)
    fail("connection " + std::to_string(s.index) + ": invoke id " + std::to_string(id) +
         " is still waiting for its response after wrapping around (" + std::to_string(s.outstanding) +
         " requests outstanding)");
  auto frame = proto::encode_frame(id, proto::encode_request(r, ns_));
  if (!frame)
    fail("request does not fit into a frame");
  slot = {what, pair, clock_type::now()};
  ++s.outstanding;
  s.out += *frame;
  if (!s.dirty) {
    s.dirty = true;
    dirty_.push_back(s.index);
  }
}

void bench::set_writing(session& s, bool on) {
  if (s.writing == on)
    return;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
  ev.data.u32 = static_cast<std::uint32_t>(s.index);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, s.fd, &ev);
  s.writing = on;
}

void bench::flush(session& s) {
  while (s.out_pos < s.out.size()) {
    auto n = ::send(s.fd, s.out.data() + s.out_pos, s.out.size() - s.out_pos, MSG_NOSIGNAL);
    if (n > 0) {
      s.out_pos += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      set_writing(s, true);  // the server is not reading: wait until it does
      return;
    }
    check_server_alive("while sending");
    fail("connection " + std::to_string(s.index) + ": send failed: " + std::strerror(errno));
  }
  s.out.clear();
  s.out_pos = 0;
  set_writing(s, false);
}

void bench::read_from(session& s) {
  for (int reads = 0; reads < 8; ++reads) {  // then the others' turn; epoll reports it again
    auto n = ::recv(s.fd, read_buf_, sizeof read_buf_, 0);
    if (n > 0) {
      total_.bytes_in += static_cast<unsigned long long>(n);
      s.decoder.feed({read_buf_, static_cast<std::size_t>(n)});
      for (;;) {
        auto r = s.decoder.next();
        if (r.state == proto::frame_decoder::status::need_more)
          break;
        if (r.state == proto::frame_decoder::status::error)
          fail("connection " + std::to_string(s.index) + ": the server sent a broken frame (" +
               proto::to_string(r.error) + ")");
        on_frame(s, r.value);
      }
      if (static_cast<std::size_t>(n) < sizeof read_buf_)
        return;  // drained (level-triggered: epoll says again if more arrives)
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    std::string why = n == 0 ? "closed the connection" : std::string{"reset the connection ("} + std::strerror(errno) + ")";
    // Give a dying server a moment to be reaped, so the report says why.
    for (int i = 0; i < 20 && server_.pid > 0 && !server_.poll_exit(); ++i)
      ::usleep(10000);
    check_server_alive("(a connection was lost)");
    fail("the server " + why + " of connection " + std::to_string(s.index) + " with " +
         std::to_string(s.outstanding) + " requests outstanding");
  }
}

void bench::check_event(session& s, const std::string& body) {
  auto parsed = proto::parse_xml(body);
  auto* root = std::get_if<proto::xml_element>(&parsed);
  std::optional<proto::csta_event> e;
  if (root != nullptr)
    e = proto::decode_event(*root);
  bool ok = e && s.cross_refs.count(e->cross_ref) != 0;
  if (!ok) {
    ++total_.check_failures;
    if (error_samples_.size() < 10)
      error_samples_.push_back("check: connection " + std::to_string(s.index) + ": " +
                               (root == nullptr ? "malformed XML" : e ? "unknown monitorCrossRefID" : "not a decodable event") +
                               ": " + body);
  }
}

void bench::on_frame(session& s, proto::frame& f) {
  last_frame_ = clock_type::now();
  if (f.invoke_id == proto::event_invoke_id) {
    ++s.events;
    ++total_.events;
    if (o_.check)
      check_event(s, f.body);
    return;
  }
  auto it = s.pending.find(f.invoke_id);
  if (it == s.pending.end())
    fail("connection " + std::to_string(s.index) + ": a response with invoke id " +
         std::to_string(f.invoke_id) + " that answers no request: " + f.body);
  auto p = it->second;
  s.pending.erase(it);
  --s.outstanding;
  auto parsed = proto::parse_xml(f.body);
  auto* root = std::get_if<proto::xml_element>(&parsed);
  if (root == nullptr)
    fail("connection " + std::to_string(s.index) + ": malformed XML in the answer to " +
         request_name(p.what) + ": " + std::get<proto::xml_parse_error>(parsed).reason + ": " + f.body);
  on_response(s, p, *root, f.body);
}

void bench::count_error(session& s, const pending_request& p, const std::string& body) {
  ++total_.errors;
  if (error_samples_.size() < 10)
    error_samples_.push_back("connection " + std::to_string(s.index) + ", " + request_name(p.what) +
                             (p.pair >= 0 ? " (pair " + pairs_[static_cast<std::size_t>(p.pair)].a + "->" +
                                                pairs_[static_cast<std::size_t>(p.pair)].b + ")"
                                          : std::string{}) +
                             ": " + body);
}

void bench::on_response(session& s, const pending_request& p, const proto::xml_element& root,
                        const std::string& body) {
  std::string expected = std::string{request_name(p.what)} + "Response";
  bool is_error = root.name != expected;  // a CSTAErrorCode, or an answer to something else
  if (p.what == kind::monitor_start) {
    if (is_error)
      fail("connection " + std::to_string(s.index) + ": MonitorStart failed: " + body);
    if (o_.check) {
      auto r = proto::decode_response(root);
      if (auto* m = r ? std::get_if<proto::monitor_start_response>(&*r) : nullptr)
        s.cross_refs.insert(m->cross_ref);
    }
    ++monitors_started_;
    return;
  }
  auto& pair = pairs_[static_cast<std::size_t>(p.pair)];
  switch (p.what) {
    case kind::make_call: {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - p.sent).count();
      if (in_window_)
        latencies_us_.push_back(static_cast<std::uint32_t>(std::min<long long>(us, UINT32_MAX)));
      else
        ++latencies_outside_;
      if (!is_error) {
        auto r = proto::decode_response(root);
        auto* c = r ? std::get_if<proto::connection_response>(&*r) : nullptr;
        if (c != nullptr && !c->connection.call.empty()) {
          pair.call = c->connection.call;
          pair.failed = false;
          if (driving_)
            send(s, kind::answer_call, p.pair, proto::answer_call_request{{pair.call, pair.b}});
          return;
        }
      }
      count_error(s, p, body);
      make_call(p.pair);  // nothing to clean up: start over
      return;
    }
    case kind::answer_call:
      if (is_error) {
        count_error(s, p, body);
        pair.failed = true;
      }
      // Hang up at A either way: after a failed answer the call still rings, and A is busy.
      if (driving_)
        send(s, kind::clear_connection, p.pair, proto::clear_connection_request{{pair.call, pair.a}, {}});
      return;
    case kind::clear_connection:
      if (is_error)
        count_error(s, p, body);
      else if (!pair.failed)
        ++total_.calls;
      make_call(p.pair);
      return;
    default:
      return;
  }
}

void bench::make_call(int pair) {
  if (!driving_)
    return;
  auto& p = pairs_[static_cast<std::size_t>(pair)];
  if (o_.rate > 0) {
    auto now = clock_type::now();
    if (now < p.next_start) {
      waiting_pairs_.push_back(pair);
      return;
    }
    // Each pair makes rate/pairs calls a second; one that fell behind starts at once.
    auto interval = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double>(o_.pairs / o_.rate));
    p.next_start = std::max(p.next_start + interval, now);
  }
  proto::make_call_request r;
  r.calling = p.a;
  r.called = p.b;
  send(sessions_[static_cast<std::size_t>(p.session)], kind::make_call, pair, r);
}

std::optional<time_point> bench::start_due_calls(time_point now) {
  std::optional<time_point> next;
  auto waiting = std::move(waiting_pairs_);
  waiting_pairs_.clear();
  for (auto pair : waiting) {
    auto due = pairs_[static_cast<std::size_t>(pair)].next_start;
    if (due <= now)
      make_call(pair);
    else {
      waiting_pairs_.push_back(pair);
      next = next ? std::min(*next, due) : due;
    }
  }
  return next;
}

void bench::flush_dirty() {
  for (std::size_t i = 0; i < dirty_.size(); ++i) {  // flush() may fail, not add
    auto& s = sessions_[static_cast<std::size_t>(dirty_[i])];
    s.dirty = false;
    flush(s);
  }
  dirty_.clear();
}

void bench::poll_once(int timeout_ms) {
  flush_dirty();  // requests queued outside the loop (the first MonitorStarts and MakeCalls)
  epoll_event events[256];
  int n = ::epoll_wait(epoll_fd_, events, 256, timeout_ms);
  if (n < 0 && errno != EINTR)
    fail(std::string{"epoll_wait: "} + std::strerror(errno));
  for (int i = 0; i < n; ++i) {
    auto& s = sessions_[events[i].data.u32];
    if (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
      read_from(s);
    if (events[i].events & EPOLLOUT)
      flush(s);
  }
  flush_dirty();  // one send per connection for everything its frames asked for
}

void bench::progress_line(time_point now) {
  if (now < progress_at_)
    return;
  double dt = seconds_between(progress_since_, now);
  double rate = (total_.events - progress_last_.events) / dt;
  if (in_window_ && progress_since_ >= window_opened_)
    second_rates_.push_back(rate);
  std::string rss;
  if (server_.pid > 0)
    if (auto m = process_status_mib(server_.pid, "VmRSS"))
      rss = " rss=" + std::to_string(static_cast<int>(std::lround(*m))) + "MiB";
  std::fprintf(stderr, "  %s events/s=%-8.0f calls/s=%-6.0f errors=%llu%s\n",
               in_window_ ? "[window]" : "[warmup]", rate,
               (total_.calls - progress_last_.calls) / dt, total_.errors, rss.c_str());
  progress_last_ = total_;
  progress_since_ = now;
  progress_at_ = now + std::chrono::seconds(1);
}

/// SIGTERM, then wait up to 15 s (SIGKILL after that). False when it had to be killed.
bool bench::stop_server() {
  if (server_.pid <= 0 || server_.poll_exit())
    return true;
  ::kill(server_.pid, SIGTERM);
  auto start = clock_type::now();
  auto deadline = start + std::chrono::seconds(15);
  while (!server_.poll_exit() && clock_type::now() < deadline)
    ::usleep(10000);
  if (!server_.exited) {
    std::fprintf(stderr, "e2e_bench: the server did not stop within 15 s of SIGTERM; killing it\n");
    ::kill(server_.pid, SIGKILL);
    ::waitpid(server_.pid, &server_.status, 0);
    server_.exited = true;
    return false;
  }
  std::fprintf(stderr, "e2e_bench: the server stopped %.2f s after SIGTERM (%s)\n",
               seconds_between(start, clock_type::now()), server_.describe_exit().c_str());
  return true;
}

std::uint32_t percentile(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty())
    return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

int bench::run() {
  ::signal(SIGPIPE, SIG_IGN);
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  auto t_start = clock_type::now();
  auto setup_deadline = t_start + std::chrono::duration_cast<clock_type::duration>(
                                      std::chrono::duration<double>(o_.setup_timeout));
  std::string host = o_.connect_host;
  int port = o_.connect_port;
  try {
    if (!o_.server.empty()) {
      host = o_.host;
      port = o_.port != 0 ? o_.port : pick_free_port(o_.host);
      server_ = start_server(o_, port);
      // Wait until the port accepts.
      for (;;) {
        check_server_alive("on start-up");
        int fd = connect_to(host, port);
        if (fd >= 0) {
          ::close(fd);
          break;
        }
        if (clock_type::now() > setup_deadline)
          fail("the server did not accept connections on " + host + ":" + std::to_string(port) +
               " within the setup timeout");
        ::usleep(20000);
      }
      std::fprintf(stderr, "e2e_bench: server pid %d accepts on %s:%d after %.2f s\n",
                   static_cast<int>(server_.pid), host.c_str(), port,
                   seconds_between(t_start, clock_type::now()));
    }

    // Connect and monitor.
    auto t_setup = clock_type::now();
    connect_sessions(host, port);
    for (auto& s : sessions_)
      for (int m = 0; m < o_.monitors; ++m) {
        proto::monitor_start_request r;
        r.device = std::to_string(1000 + m);
        send(s, kind::monitor_start, -1, r);
      }
    auto wanted = static_cast<unsigned long long>(o_.sessions) * static_cast<unsigned long long>(o_.monitors);
    while (monitors_started_ < wanted) {
      poll_once(100);
      check_server_alive("while monitors were started");
      if (clock_type::now() > setup_deadline)
        fail("only " + std::to_string(monitors_started_) + " of " + std::to_string(wanted) +
             " MonitorStartResponses arrived within the setup timeout");
    }
    double setup_s = seconds_between(t_setup, clock_type::now());
    std::optional<double> rss_after_setup;
    if (server_.pid > 0)
      rss_after_setup = process_status_mib(server_.pid, "VmRSS");
    std::fprintf(stderr, "e2e_bench: %d connections x %d monitors started in %.2f s; driving %d pairs\n",
                 o_.sessions, o_.monitors, setup_s, o_.pairs);

    // Drive the calls.
    for (int i = 0; i < o_.pairs; ++i)
      pairs_.push_back({std::to_string(1040 + 2 * i), std::to_string(1041 + 2 * i), i % o_.sessions, {}, false});
    driving_ = true;
    auto t_calls = clock_type::now();
    for (int i = 0; i < o_.pairs; ++i) {
      // --rate: the pairs' first calls spread over one interval.
      if (o_.rate > 0)
        pairs_[static_cast<std::size_t>(i)].next_start =
            t_calls + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(i / o_.rate));
      make_call(i);
    }
    auto to_duration = [](double s) {
      return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(s));
    };
    auto t_window = t_calls + to_duration(o_.warmup);
    auto t_end = t_window + to_duration(o_.seconds);
    progress_at_ = t_calls + std::chrono::seconds(1);
    progress_since_ = t_calls;
    counters at_window{};
    double cpu_window_start = 0, own_cpu_start = 0, machine_start = 0;
    time_point window_opened{}, window_closed{};
    bool window_started = false;
    last_frame_ = t_calls;
    for (;;) {
      auto now = clock_type::now();
      if (!window_started && now >= t_window) {
        window_started = true;
        in_window_ = true;
        at_window = total_;
        window_opened = now;
        window_opened_ = now;
        last_frame_ = now;
        if (server_.pid > 0)
          cpu_window_start = process_cpu_us(server_.pid).value_or(0);
        own_cpu_start = own_cpu_us();
        machine_start = machine_busy_us();
      }
      if (now >= t_end)
        break;
      auto next = window_started ? t_end : t_window;
      if (auto due = start_due_calls(now))
        next = std::min(next, *due);
      auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1;
      poll_once(static_cast<int>(std::clamp<long long>(wait_ms, 0, 100)));
      check_server_alive("under load");
      now = clock_type::now();
      if (in_window_)
        max_gap_s_ = std::max(max_gap_s_, seconds_between(last_frame_, now));
      progress_line(now);
    }
    // Close the window.
    window_closed = clock_type::now();
    in_window_ = false;
    driving_ = false;
    counters in_window{total_.events - at_window.events, total_.calls - at_window.calls,
                       total_.errors - at_window.errors, total_.check_failures - at_window.check_failures,
                       total_.bytes_in - at_window.bytes_in};
    std::optional<double> cpu_us, rss_end, vmsize_end;
    std::optional<int> threads;
    if (server_.pid > 0) {
      if (auto c = process_cpu_us(server_.pid))
        cpu_us = *c - cpu_window_start;
      rss_end = process_status_mib(server_.pid, "VmRSS");
      vmsize_end = process_status_mib(server_.pid, "VmSize");
      threads = process_threads(server_.pid);
    }
    double own_cpu = own_cpu_us() - own_cpu_start;
    double machine_busy = machine_busy_us() - machine_start;
    double window_s = seconds_between(window_opened, window_closed);
    // Requests still waiting: a stalled server shows here.
    int outstanding = 0;
    double oldest_s = 0;
    for (auto& s : sessions_)
      for (auto& [id, p] : s.pending) {
        ++outstanding;
        oldest_s = std::max(oldest_s, seconds_between(p.sent, window_closed));
      }

    // Drain what is in flight for a moment (answers still count for errors), then stop.
    auto drain_until = clock_type::now() + std::chrono::milliseconds(500);
    while (clock_type::now() < drain_until) {
      poll_once(50);
      check_server_alive("after the window");
    }
    for (auto& s : sessions_) {
      ::close(s.fd);
      s.fd = -1;
    }
    bool stopped = stop_server();

    std::sort(latencies_us_.begin(), latencies_us_.end());
    double events_per_s = static_cast<double>(in_window.events) / window_s;
    double calls_per_s = static_cast<double>(in_window.calls) / window_s;
    auto p50 = percentile(latencies_us_, 0.50);
    auto p99 = percentile(latencies_us_, 0.99);
    auto pmax = latencies_us_.empty() ? 0u : latencies_us_.back();
    std::optional<double> cpu_per_event;
    if (cpu_us && in_window.events > 0)
      cpu_per_event = *cpu_us / static_cast<double>(in_window.events);
    auto or_na = [](const std::optional<double>& v, const char* fmt) {
      if (!v)
        return std::string{"n/a"};
      char buf[64];
      std::snprintf(buf, sizeof buf, fmt, *v);
      return std::string{buf};
    };

    std::printf("\ne2e_bench: %s\n", o_.server.empty() ? ("server at " + host + ":" + std::to_string(port)).c_str()
                                                      : o_.server.c_str());
    std::printf("  load                 %d connections x %d monitors, %d call pairs, %.1f s window after %.1f s warm-up%s\n",
                o_.sessions, o_.monitors, o_.pairs, window_s, o_.warmup, o_.check ? ", --check" : "");
    std::printf("  setup                %.2f s for %llu MonitorStarts\n", setup_s, wanted);
    std::printf("  events delivered     %.0f /s  (%llu in the window, %.1f per call)\n", events_per_s,
                in_window.events, in_window.calls ? static_cast<double>(in_window.events) / in_window.calls : 0.0);
    std::sort(second_rates_.begin(), second_rates_.end());
    std::optional<double> sec_min, sec_max;  // none when the window is shorter than ~2 s
    if (!second_rates_.empty()) {
      sec_min = second_rates_.front();
      sec_max = second_rates_.back();
    }
    std::printf("  events per second    min %s, max %s over %zu whole seconds of the window\n",
                or_na(sec_min, "%.0f").c_str(), or_na(sec_max, "%.0f").c_str(), second_rates_.size());
    std::printf("  calls completed      %.0f /s  (%llu MakeCall+AnswerCall+ClearConnection cycles)\n", calls_per_s,
                in_window.calls);
    std::printf("  MakeCall latency     p50 %u us, p99 %u us, max %u us  (%zu samples)\n", p50, p99, pmax,
                latencies_us_.size());
    std::printf("  server CPU           %s s in the window = %s cores; %s us per delivered event\n",
                or_na(cpu_us ? std::optional<double>{*cpu_us / 1e6} : std::nullopt, "%.2f").c_str(),
                or_na(cpu_us ? std::optional<double>{*cpu_us / 1e6 / window_s} : std::nullopt, "%.2f").c_str(),
                or_na(cpu_per_event, "%.2f").c_str());
    std::printf("  server memory        RSS %s MiB after monitoring, %s MiB at the end (VmSize %s MiB, %s threads)\n",
                or_na(rss_after_setup, "%.1f").c_str(), or_na(rss_end, "%.1f").c_str(),
                or_na(vmsize_end, "%.1f").c_str(),
                threads ? std::to_string(*threads).c_str() : "n/a");
    // What else ran meanwhile: the figures are only comparable when this is small.
    double others = (machine_busy - own_cpu - cpu_us.value_or(0)) / 1e6 / window_s;
    long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
    std::printf("  client CPU           %.2f cores (this tool; the server shares the machine)\n",
                own_cpu / 1e6 / window_s);
    std::printf("  machine              %ld CPUs, %.2f cores busy; other processes %.2f cores%s\n", cpus,
                machine_busy / 1e6 / window_s, std::max(0.0, others),
                server_.pid > 0 ? "" : " (the server's included)");
    std::printf("  stalls               longest silence %.0f ms; %d requests outstanding at the end, oldest %.0f ms\n",
                max_gap_s_ * 1e3, outstanding, oldest_s * 1e3);
    std::printf("  errors               %llu CSTA errors%s\n", total_.errors,
                o_.check ? (", " + std::to_string(total_.check_failures) + " check failures").c_str() : "");
    for (auto& e : error_samples_)
      std::printf("    %s\n", e.c_str());
    if (max_gap_s_ >= 1.0)
      std::printf("  WARNING              the server sent nothing for %.1f s under load\n", max_gap_s_);
    std::printf("RESULT sessions=%d monitors=%d pairs=%d rate=%g events_per_s=%.0f cpu_us_per_event=%s "
                "makecall_p50_us=%u makecall_p99_us=%u makecall_max_us=%u calls_per_s=%.0f errors=%llu "
                "rss_mib=%s max_silence_ms=%.0f other_cores=%.2f events_per_s_min=%s events_per_s_max=%s\n",
                o_.sessions, o_.monitors, o_.pairs, o_.rate, events_per_s, or_na(cpu_per_event, "%.2f").c_str(), p50, p99,
                pmax, calls_per_s, total_.errors, or_na(rss_end, "%.1f").c_str(), max_gap_s_ * 1e3,
                std::max(0.0, others), or_na(sec_min, "%.0f").c_str(),
                or_na(sec_max, "%.0f").c_str());
    std::fflush(stdout);
    if (!stopped) {
      std::fprintf(stderr, "e2e_bench: FAILED: the server did not stop on SIGTERM\n");
      return 2;
    }
    if (in_window.calls == 0 && o_.pairs > 0) {
      std::fprintf(stderr, "e2e_bench: no call completed in the window: the server stalled\n");
      return 2;
    }
    return total_.errors > 0 || total_.check_failures > 0 ? 3 : 0;
  } catch (const fatal_error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "e2e_bench: FAILED: %s\n", e.what.c_str());
    for (auto& s : sessions_)
      if (s.fd >= 0)
        ::close(s.fd);
    stop_server();
    return 2;
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto o = parse_options(argc, argv);
  bench b(std::move(o));
  return b.run();
}
