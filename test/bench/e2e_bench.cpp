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
//
// With --tls the started server also serves TLS (a self-signed certificate made for the run),
// and the same load runs twice against it, over TCP and then over TLS, for a ratio of the two;
// --handshakes=N first measures connection set-up (TLS handshakes against plain connects) and
// whether a burst of handshakes delays the requests of a connection that is already up.
//
// With --cluster it starts two LIMs of one system (cstad --lim=N --system=FILE) and, connected
// to LIM 1, compares calls within LIM 1 with calls from LIM 1 to LIM 2 (MakeCall latency), and
// events of LIM 1's devices with events of LIM 2's devices delivered to LIM 1's sessions
// (events/s, each LIM's CPU per event), as medians of a few short rounds.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "admin/certificates.hpp"
#include "protocol/csta_error.hpp"
#include "protocol/csta_event.hpp"
#include "protocol/encode_request.hpp"
#include "protocol/framing.hpp"
#include "protocol/namespaces.hpp"
#include "protocol/requests.hpp"
#include "protocol/response_messages.hpp"
#include "protocol/xml_parser.hpp"
#include "transport/tls_context.hpp"
#include "tools/cstaload/latency_samples.hpp"
#include "tools/cstaload/process_stats.hpp"
#include "tools/cstaload/server_process.hpp"
#include "tools/cstaload/socket_output.hpp"
#include "tools/cstaload/sockets.hpp"
#include "transport/tls_engine.hpp"

namespace proto = cstad::protocol;
using cstad::transport::tls_context;
using cstad::transport::tls_engine;
// What every load tool of the project shares (tools/cstaload): the server process, /proc
// readers, sockets, percentiles.
using cstad::load::connect_to;
using cstad::load::machine_busy_us;
using cstad::load::own_cpu_us;
using cstad::load::percentile;
using cstad::load::process_cpu_us;
using cstad::load::process_status_mib;
using cstad::load::process_threads;
using cstad::load::server_process;
using cstad::load::thread_cpu_us;
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

TLS (the client verifies the server's certificate with the name 127.0.0.1 when it started it):
  --tls            also start the server with --tls-port (a free port) and a self-signed ECDSA
                   P-256 certificate for 127.0.0.1 made for the run (mode 0600 in a temporary
                   directory), then run the load twice: over TCP, then over TLS, and print both
                   and their ratios (TLS/TCP). With --connect, needs --tls-connect.
  --tls-connect=HOST:PORT  the running server's TLS port (with --connect; no verification)
  --rsa            the certificate has an RSA 2048 key instead
  --handshakes=N   (with --tls) first N plain connects+closes, then N TLS handshakes+closes,
                   32 in flight: connections/s, server CPU per connection (and by thread:
                   scheduler, I/O multiplexer), and the latency of a GetDoNotDisturb every
                   10 ms on a TCP connection that is up, idle and during each burst (sent from
                   a thread of its own; a stalled server shows there)

A system of two LIMs (with --server; not with --tls or --connect):
  --cluster        start two LIMs of one system (cstad --lim=N --system=FILE --data-dir=DIR, a
                   fresh temporary data directory each, free ports on --host), wait until each
                   LIM answers for a device of the other, then run, in each of --rounds rounds,
                   these loads one after the other (each waits until both LIMs are idle again):
                     same-LIM calls   1 connection to LIM 1, no monitors, --latency-pairs pairs
                                      (1040,1041), (1042,1043), ... closed loop
                     cross-LIM calls  the same, pairs (1040,2040), (1042,2042), ...
                     LIM-1 devices    --sessions connections to LIM 1 monitor 1000.. (--monitors);
                                      --pairs pairs from 1040-1099 closed loop, driven by one
                                      more connection (monitoring nothing) to LIM 1
                     LIM-2 devices    the same connections to LIM 1 monitor 2000..; pairs from
                                      2040-2099 driven by one connection to LIM 2 (see --drive)
                     the last two again at --rate calls/s (paced, below saturation)
                   The monitoring connections go to LIM 1 only. Prints the median (and range)
                   of the rounds of each figure side by side: MakeCall latency and calls/s of
                   same- against cross-LIM calls; events/s delivered to LIM 1's connections,
                   events per call and the CPU per event of each LIM process (/proc/PID/stat)
                   for devices on LIM 1 against devices on LIM 2; each LIM's RSS growth in the
                   window and how long the LIMs stayed busy after it (a backlog). Defaults
                   with --cluster: --sessions=10 --seconds=5 --warmup=1 --rate=500 (0: no paced
                   loads). The LIMs' warnings go to stderr.
  --rounds=R       rounds (default 3)
  --latency-pairs=L  pairs of the two call-latency loads (default 4, max 30)
  --drive=WHERE    owner (default): the events loads' calls are driven through a connection to
                   the LIM that owns the devices, so for LIM 2's devices LIM 1 only delivers
                   events; lim1: through a connection to LIM 1 (requests for LIM 2's devices
                   are routed too, and the routing slows the calls down)

Prints progress on stderr, the figures and one RESULT line on stdout (--cluster: one CLUSTER
line per load). Exit status 0 clean, 1 usage, 2 the run failed (server died, closed a
connection, stalled), 3 CSTA errors or check failures.
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
  bool tls = false;
  std::string tls_connect_host;
  int tls_connect_port = 0;
  bool rsa = false;
  int handshakes = 0;
  bool cluster = false;
  int rounds = 3;
  int latency_pairs = 4;
  bool drive_via_lim1 = false;
  std::unordered_set<std::string> given;  // the options on the command line, by name
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
    if (arg == "--tls") {
      o.tls = true;
      continue;
    }
    if (arg == "--rsa") {
      o.rsa = true;
      continue;
    }
    if (arg == "--cluster") {
      o.cluster = true;
      continue;
    }
    auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos)
      usage_error("unknown argument " + arg);
    auto name = arg.substr(2, eq - 2);
    auto value = arg.substr(eq + 1);
    o.given.insert(name);
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
    else if (name == "tls-connect") {
      auto colon = value.rfind(':');
      if (colon == std::string::npos || colon == 0)
        usage_error("--tls-connect wants HOST:PORT");
      o.tls_connect_host = value.substr(0, colon);
      value = value.substr(colon + 1);
      o.tls_connect_port = integer(1, 65535);
    } else if (name == "handshakes")
      o.handshakes = integer(1, 1000000);
    else if (name == "rounds")
      o.rounds = integer(1, 100);
    else if (name == "latency-pairs")
      o.latency_pairs = integer(1, 30);
    else if (name == "drive") {
      if (value != "owner" && value != "lim1")
        usage_error("--drive wants owner or lim1");
      o.drive_via_lim1 = value == "lim1";
    } else
      usage_error("unknown option --" + name);
  }
  if (o.server.empty() == o.connect_host.empty())
    usage_error("give exactly one of --server=PATH and --connect=HOST:PORT");
  if (!o.tls_connect_host.empty() && (o.connect_host.empty() || !o.tls))
    usage_error("--tls-connect goes with --connect and --tls");
  if (o.tls && !o.connect_host.empty() && o.tls_connect_host.empty())
    usage_error("--tls with --connect needs --tls-connect=HOST:PORT");
  if ((o.rsa || o.handshakes > 0) && !o.tls)
    usage_error("--rsa and --handshakes go with --tls");
  if (o.rsa && o.server.empty())
    usage_error("--rsa is for the certificate of a server the benchmark starts (--server)");
  if (o.cluster && (o.server.empty() || o.tls))
    usage_error("--cluster starts the LIMs itself: it needs --server=PATH and goes without --tls");
  if (!o.cluster && (o.given.count("rounds") || o.given.count("latency-pairs") || o.given.count("drive")))
    usage_error("--rounds, --latency-pairs and --drive go with --cluster");
  if (o.cluster && o.given.count("port"))
    usage_error("--port: with --cluster the LIMs' ports are free ones");
  if (o.cluster && o.pairs == 0)
    usage_error("--cluster needs --pairs of at least 1");
  if (o.cluster) {
    if (!o.given.count("sessions"))
      o.sessions = 10;
    if (!o.given.count("seconds"))
      o.seconds = 5;
    if (!o.given.count("warmup"))
      o.warmup = 1;
  }
  return o;
}

double seconds_between(time_point a, time_point b) { return std::chrono::duration<double>(b - a).count(); }

// ---------------------------------------------------------------------------------------------
// The server process.

/// A free port on host, or exit 2.
int pick_free_port(const std::string& host) {
  int port = cstad::load::pick_free_port(host);
  if (port == 0) {
    std::fprintf(stderr, "e2e_bench: cannot find a free port on %s: %s\n", host.c_str(), std::strerror(errno));
    std::exit(2);
  }
  return port;
}

/// A fresh temporary directory (mode 0700), or exit 2.
std::string make_temp_dir(const char* prefix) {
  auto name = cstad::load::make_temp_dir(prefix);
  if (name.empty()) {
    std::perror("e2e_bench: mkdtemp");
    std::exit(2);
  }
  return name;
}

/// Starts args[0] with a temporary data directory of its own (as $CSTAD_DATA_DIR, and as
/// --data-dir=DIR too when data_dir_option), the --server-arg options last; its stdout and
/// stderr go to log_file when one is named. Exit 2 when it cannot be started.
server_process spawn_server(std::vector<std::string> args, const options& o, bool data_dir_option,
                            const std::string& log_file = {}) {
  args.insert(args.end(), o.server_args.begin(), o.server_args.end());
  server_process p;
  std::string error;
  if (!p.start(std::move(args), data_dir_option, log_file, error)) {
    std::fprintf(stderr, "e2e_bench: %s\n", error.c_str());
    std::exit(2);
  }
  std::fprintf(stderr, "e2e_bench: started %s%s\n", p.command().c_str(), log_file.empty() ? "" : (" >" + log_file).c_str());
  return p;
}

server_process start_server(const options& o, int port, const std::vector<std::string>& tls_args) {
  std::vector<std::string> args{o.server, "--port=" + std::to_string(port), "--log-level=warn"};
  if (o.host != "127.0.0.1")
    args.push_back("--host=" + o.host);
  args.insert(args.end(), tls_args.begin(), tls_args.end());
  return spawn_server(std::move(args), o, false);
}

/// --cluster: LIM lim of the system that system_file describes (its port is named there).
server_process start_lim(const options& o, int lim, const std::string& system_file, const std::string& log_file) {
  return spawn_server({o.server, "--lim=" + std::to_string(lim), "--system=" + system_file, "--log-level=warn"}, o,
                      true, log_file);
}

/// --cluster: what a LIM logged (its stdout and stderr, a file), read on as it grows.
struct log_reader {
  std::string path;
  std::uintmax_t offset = 0;

  /// The whole lines added since the last call.
  std::vector<std::string> new_lines() {
    std::vector<std::string> lines;
    std::ifstream in(path, std::ios::binary);
    if (!in)
      return lines;
    in.seekg(static_cast<std::streamoff>(offset));
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof())
        break;  // no newline yet: read it next time
      offset += line.size() + 1;
      lines.push_back(line);
    }
    return lines;
  }
};

/// A log line without its time stamp and with its numbers as '#', so that lines about
/// different calls count as the same message.
std::string log_message_kind(const std::string& line) {
  std::string text = line;
  // "2026-11-27 16:23:57.434 warning [lim] ...": drop the date and time
  if (text.size() > 24 && text[4] == '-' && text[10] == ' ' && text[13] == ':')
    text = text.substr(24);
  std::string out;
  for (char c : text) {
    bool digit = c >= '0' && c <= '9';
    if (!digit)
      out += c;
    else if (out.empty() || out.back() != '#')
      out += '#';
  }
  return out;
}

/// A temporary directory removed with everything in it when the benchmark ends.
struct temp_dir {
  std::string path;
  temp_dir() = default;
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    if (!path.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  }
};

/// --tls: the server's certificate and key, made for the run in a directory of its own (0700,
/// the files 0600), removed when the benchmark ends.
struct tls_files {
  std::string dir, cert, key;
  std::string cert_pem;
  std::string description;  // "ECDSA P-256" or "RSA 2048"

  tls_files() = default;
  tls_files(const tls_files&) = delete;
  tls_files& operator=(const tls_files&) = delete;
  ~tls_files() {
    if (!dir.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }

  /// False, and why, when the certificate cannot be made or written.
  bool make(bool rsa, std::string& error) {
    cstad::admin::certificate_request r;
    r.common_name = "127.0.0.1";
    r.days = 2;
    r.sans = {"DNS:localhost", "IP:127.0.0.1"};
    r.rsa = rsa;
    auto made = cstad::admin::create_self_signed(r, error);
    if (!made)
      return false;
    description = rsa ? "RSA 2048" : "ECDSA P-256";
    cert_pem = made->cert_pem;
    char name[] = "/tmp/e2e_bench-tls-XXXXXX";
    if (::mkdtemp(name) == nullptr) {
      error = std::string{"mkdtemp: "} + std::strerror(errno);
      return false;
    }
    dir = name;
    cert = dir + "/cert.pem";
    key = dir + "/key.pem";
    return write(cert, made->cert_pem, error) && write(key, made->key_pem, error);
  }

  static bool write(const std::string& name, const std::string& text, std::string& error) {
    int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      error = name + ": " + std::strerror(errno);
      return false;
    }
    std::size_t done = 0;
    while (done < text.size()) {
      auto n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        error = name + ": " + std::strerror(errno);
        ::close(fd);
        return false;
      }
      done += static_cast<std::size_t>(n);
    }
    return ::close(fd) == 0;
  }
};

/// The CPU each kind of the server's threads used between two readings, e.g. "scheduler 0.93 s
/// (2 threads, busiest 0.48 s), I/O multiplexer 0.05 s, ...". CAF 0.17 names its scheduler's
/// workers and the middleman's I/O thread both "caf.multiplexer"; the workers start before the
/// "caf.clock" thread and the I/O thread after it, so thread ids tell them apart.
std::string thread_cpu_delta(const std::map<int, std::pair<std::string, double>>& before,
                             const std::map<int, std::pair<std::string, double>>& after) {
  int clock_tid = -1;
  for (auto& [tid, t] : after)
    if (t.first == "caf.clock")
      clock_tid = tid;
  struct use {
    double total = 0, busiest = 0;
    int threads = 0;
  };
  std::vector<std::pair<std::string, use>> kinds;  // in the order first seen
  for (auto& [tid, now] : after) {
    auto it = before.find(tid);
    double used = now.second - (it == before.end() ? 0.0 : it->second.second);
    std::string kind = now.first;
    if (kind == "caf.multiplexer" && clock_tid >= 0)
      kind = tid < clock_tid ? "scheduler" : "I/O multiplexer";
    else if (kind == "caf.actor")
      kind = "detached actors";
    auto k = std::find_if(kinds.begin(), kinds.end(), [&](auto& e) { return e.first == kind; });
    if (k == kinds.end())
      k = kinds.insert(kinds.end(), {kind, use{}});
    k->second.total += used;
    k->second.busiest = std::max(k->second.busiest, used);
    ++k->second.threads;
  }
  std::string out;
  char buf[160];
  for (auto& [kind, u] : kinds) {
    if (u.threads > 1)
      std::snprintf(buf, sizeof buf, "%s%s %.2f s (%d threads, busiest %.2f s)", out.empty() ? "" : ", ", kind.c_str(),
                    u.total / 1e6, u.threads, u.busiest / 1e6);
    else
      std::snprintf(buf, sizeof buf, "%s%s %.2f s", out.empty() ? "" : ", ", kind.c_str(), u.total / 1e6);
    out += buf;
  }
  return out;
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
  // Over TLS: frames wait in plain_out until the flush encrypts them into out (one write of
  // the engine per flush, as one send per flush over TCP).
  std::unique_ptr<tls_engine> tls;
  std::string plain_out;
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

/// The figures of one run of the load (over TCP, or over TLS).
struct phase_result {
  std::string host;
  int port = 0;
  std::string transport;  // empty: the only run; "tcp" or "tls" with --tls
  std::string tls_summary;  // protocol version and cipher suite, over TLS
  double setup_s = 0;
  unsigned long long wanted = 0;  // MonitorStarts
  counters in_window{};
  double window_s = 0;
  std::vector<double> second_rates;  // sorted
  std::vector<std::uint32_t> latencies_us;  // sorted
  std::optional<double> cpu_us, rss_after_setup, rss_end, vmsize_end;
  std::vector<std::optional<double>> others_cpu_us;  // --cluster: the other LIMs' CPU in the window
  std::optional<double> rss_window_start;  // --cluster: to see a backlog grow
  std::vector<std::optional<double>> others_rss_start, others_rss_end;
  std::optional<int> threads;
  std::string server_threads;  // with --tls: the server's CPU in the window by kind of thread
  double own_cpu = 0, machine_busy = 0;
  double max_gap_s = 0;
  int outstanding = 0;
  double oldest_s = 0;
  unsigned long long errors = 0, check_failures = 0;
  std::vector<std::string> error_samples;

  double events_per_s() const { return static_cast<double>(in_window.events) / window_s; }
  std::optional<double> cpu_per_event() const {
    if (cpu_us && in_window.events > 0)
      return *cpu_us / static_cast<double>(in_window.events);
    return std::nullopt;
  }
};

/// What one run of the load monitors and calls. The monitoring connections go to the address
/// run_phase is given; the calls are driven by them (pair i by connection i % sessions) or,
/// with a drive_port, by one more connection to drive_host:drive_port that monitors nothing.
struct load_spec {
  int sessions = 0;
  int monitors = 0;
  int monitor_base = 1000;  // each monitoring connection monitors monitor_base .. +monitors-1
  std::vector<std::pair<std::string, std::string>> pairs;  // calling, called
  std::string drive_host;
  int drive_port = 0;
  double rate = 0;  // calls per second in all (see --rate); 0: closed loop
};

class bench {
public:
  explicit bench(options o) : o_(std::move(o)) {}

  int run();

private:
  void fail(std::string what) { throw fatal_error{std::move(what)}; }
  void check_server_alive(const char* during);
  /// One run of the load on host:port, over TLS when tls is given; the sessions are closed
  /// at its end.
  phase_result run_phase(const std::string& host, int port, const std::shared_ptr<const tls_context>& tls,
                         const std::string& server_name, time_point setup_deadline);
  void print_phase(const phase_result& r);
  void print_ratios(const phase_result& tcp, const phase_result& tls);
  /// --handshakes: connection set-up over TCP and over TLS, and a probe's latency meanwhile.
  void run_handshakes(const std::string& host, int port, const std::string& tls_host, int tls_port,
                      const std::shared_ptr<const tls_context>& tls, const std::string& server_name);
  void connect_sessions(const std::string& host, int port, const std::shared_ptr<const tls_context>& tls,
                        const std::string& server_name);
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
  /// --cluster: starts the two LIMs, runs the loads --rounds times, prints the medians.
  int run_cluster();

  options o_;
  load_spec spec_;
  server_process server_;  // with --cluster: LIM 1, the one the monitoring connections use
  std::vector<server_process> others_;  // --cluster: LIM 2
  int epoll_fd_ = -1;
  std::vector<session> sessions_;
  std::vector<pair_state> pairs_;
  std::vector<int> waiting_pairs_;  // --rate: pairs whose next call is not due yet
  std::vector<int> dirty_;
  counters total_;
  unsigned long long monitors_started_ = 0;
  bool driving_ = false;   // new calls may be started
  bool finishing_ = false;  // --tls, after the window: calls in progress are answered and cleared
  bool two_phases_ = false;  // --tls: the load runs over TCP, then over TLS
  bool several_phases_ = false;  // --tls, --cluster: a run finishes its calls for the next
  tls_files certificate_;
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
  if (server_.pid() > 0 && server_.poll_exit())
    fail(std::string{others_.empty() ? "the server" : "LIM 1"} + " died " + during + ": " + server_.describe_exit());
  for (std::size_t i = 0; i < others_.size(); ++i)
    if (others_[i].pid() > 0 && others_[i].poll_exit())
      fail("LIM " + std::to_string(i + 2) + " died " + during + ": " + others_[i].describe_exit());
}

void bench::connect_sessions(const std::string& host, int port, const std::shared_ptr<const tls_context>& tls,
                             const std::string& server_name) {
  int count = spec_.sessions + (spec_.drive_port != 0 ? 1 : 0);
  sessions_.resize(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    auto& s = sessions_[static_cast<std::size_t>(i)];
    s.index = i;
    bool driver = i == spec_.sessions;
    const auto& h = driver ? spec_.drive_host : host;
    int p = driver ? spec_.drive_port : port;
    s.fd = connect_to(h, p);
    if (s.fd < 0)
      fail("connection " + std::to_string(i) + " to " + h + ":" + std::to_string(p) + " failed: " + std::strerror(errno));
    int one = 1;
    ::setsockopt(s.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::fcntl(s.fd, F_SETFL, ::fcntl(s.fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.u32 = static_cast<std::uint32_t>(i);
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, s.fd, &ev) != 0)
      fail(std::string{"epoll_ctl: "} + std::strerror(errno));
    if (tls) {
      s.tls = std::make_unique<tls_engine>(tls, server_name);
      s.tls->start(s.out);  // the ClientHello; the first flush sends it
      if (s.tls->failed())
        fail("connection " + std::to_string(i) + ": TLS: " + s.tls->failure());
      s.dirty = true;
      dirty_.push_back(i);
    }
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
  (s.tls ? s.plain_out : s.out) += *frame;
  if (!s.dirty) {
    s.dirty = true;
    dirty_.push_back(s.index);
  }
}

void bench::set_writing(session& s, bool on) {
  epoll_data_t key{};
  key.u32 = static_cast<std::uint32_t>(s.index);
  cstad::load::watch_writable(epoll_fd_, s.fd, key, s.writing, on);
}

void bench::flush(session& s) {
  switch (cstad::load::send_pending(s.fd, s.out, s.out_pos)) {
    case cstad::load::send_outcome::all_sent:
      return set_writing(s, false);
    case cstad::load::send_outcome::would_block:
      return set_writing(s, true);  // the server is not reading: wait until it does
    case cstad::load::send_outcome::failed:
      break;
  }
  auto error = errno;
  check_server_alive("while sending");
  fail("connection " + std::to_string(s.index) + ": send failed: " + std::strerror(error));
}

void bench::read_from(session& s) {
  for (int reads = 0; reads < 8; ++reads) {  // then the others' turn; epoll reports it again
    auto n = ::recv(s.fd, read_buf_, sizeof read_buf_, 0);
    if (n > 0) {
      total_.bytes_in += static_cast<unsigned long long>(n);
      if (s.tls) {
        std::string plain;
        auto had = s.out.size();
        bool ok = s.tls->feed({read_buf_, static_cast<std::size_t>(n)}, plain, s.out);
        if (s.out.size() != had && !s.dirty) {  // handshake messages, alerts
          s.dirty = true;
          dirty_.push_back(s.index);
        }
        if (!ok) {
          flush(s);  // the alert
          fail("connection " + std::to_string(s.index) + ": TLS: " + s.tls->failure());
        }
        s.decoder.feed(plain);
      } else
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
    for (int i = 0; i < 20 && server_.pid() > 0 && !server_.poll_exit(); ++i)
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
          if (driving_ || finishing_)
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
      if (driving_ || finishing_)
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
  if (spec_.rate > 0) {
    auto now = clock_type::now();
    if (now < p.next_start) {
      waiting_pairs_.push_back(pair);
      return;
    }
    // Each pair makes rate/pairs calls a second; one that fell behind starts at once.
    auto interval = std::chrono::duration_cast<clock_type::duration>(
        std::chrono::duration<double>(static_cast<double>(pairs_.size()) / spec_.rate));
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
    if (s.tls && !s.plain_out.empty()) {
      if (!s.tls->write(s.plain_out, s.out))
        fail("connection " + std::to_string(s.index) + ": TLS: " + s.tls->failure());
      s.plain_out.clear();
    }
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
  if (server_.pid() > 0)
    if (auto m = process_status_mib(server_.pid(), "VmRSS"))
      rss = " rss=" + std::to_string(static_cast<int>(std::lround(*m))) + "MiB";
  std::fprintf(stderr, "  %s events/s=%-8.0f calls/s=%-6.0f errors=%llu%s\n",
               in_window_ ? "[window]" : "[warmup]", rate,
               (total_.calls - progress_last_.calls) / dt, total_.errors, rss.c_str());
  progress_last_ = total_;
  progress_since_ = now;
  progress_at_ = now + std::chrono::seconds(1);
}

/// SIGTERM, then wait up to 15 s (SIGKILL after that). False when it had to be killed.
/// With --cluster every LIM gets its SIGTERM at once, and each is waited for.
bool bench::stop_server() {
  std::vector<server_process*> all;
  auto name = [&](const server_process* p) {
    if (p == &server_)
      return std::string{others_.empty() ? "the server" : "LIM 1"};
    return "LIM " + std::to_string(p - others_.data() + 2);
  };
  all.push_back(&server_);
  for (auto& other : others_)
    all.push_back(&other);
  bool clean = true;
  for (auto& stopped : cstad::load::stop_servers(all, 15)) {
    if (stopped.killed) {
      std::fprintf(stderr, "e2e_bench: %s did not stop within 15 s of SIGTERM; killed it\n", name(stopped.process).c_str());
      clean = false;
      continue;
    }
    std::fprintf(stderr, "e2e_bench: %s stopped %.2f s after SIGTERM (%s)\n", name(stopped.process).c_str(),
                 stopped.seconds, stopped.process->describe_exit().c_str());
  }
  return clean;
}

phase_result bench::run_phase(const std::string& host, int port, const std::shared_ptr<const tls_context>& tls,
                              const std::string& server_name, time_point setup_deadline) {
  // What a run before left behind.
  sessions_.clear();
  pairs_.clear();
  waiting_pairs_.clear();
  dirty_.clear();
  total_ = {};
  monitors_started_ = 0;
  driving_ = false;
  finishing_ = false;
  in_window_ = false;
  latencies_us_.clear();
  latencies_outside_ = 0;
  max_gap_s_ = 0;
  error_samples_.clear();
  progress_last_ = {};
  second_rates_.clear();

  phase_result r;
  r.host = host;
  r.port = port;
  if (two_phases_)
    r.transport = tls ? "tls" : "tcp";

  // Connect and monitor.
  auto t_setup = clock_type::now();
  connect_sessions(host, port, tls, server_name);
  for (int i = 0; i < spec_.sessions; ++i)
    for (int m = 0; m < spec_.monitors; ++m) {
      proto::monitor_start_request req;
      req.device = std::to_string(spec_.monitor_base + m);
      send(sessions_[static_cast<std::size_t>(i)], kind::monitor_start, -1, req);
    }
  auto wanted = static_cast<unsigned long long>(spec_.sessions) * static_cast<unsigned long long>(spec_.monitors);
  r.wanted = wanted;
  auto all_secured = [&] {
    for (auto& s : sessions_)
      if (s.tls && !s.tls->established())
        return false;
    return true;
  };
  while (monitors_started_ < wanted || !all_secured()) {
    poll_once(100);
    check_server_alive("while monitors were started");
    if (clock_type::now() > setup_deadline)
      fail("only " + std::to_string(monitors_started_) + " of " + std::to_string(wanted) +
           " MonitorStartResponses arrived within the setup timeout" +
           (all_secured() ? "" : " (TLS handshakes unfinished)"));
  }
  if (tls && !sessions_.empty())
    r.tls_summary = sessions_.front().tls->version() + " " + sessions_.front().tls->cipher();
  r.setup_s = seconds_between(t_setup, clock_type::now());
  if (server_.pid() > 0)
    r.rss_after_setup = process_status_mib(server_.pid(), "VmRSS");
  std::string driven;
  if (spec_.drive_port != 0)
    driven = " from a connection to " + spec_.drive_host + ":" + std::to_string(spec_.drive_port);
  else if (!r.transport.empty())
    driven = std::string{" over "} + (tls ? "TLS" : "TCP");
  std::fprintf(stderr, "e2e_bench: %d connections x %d monitors of %d.. on %s:%d started in %.2f s; driving %zu pairs%s\n",
               spec_.sessions, spec_.monitors, spec_.monitor_base, host.c_str(), port, r.setup_s, spec_.pairs.size(),
               driven.c_str());

  // Drive the calls.
  int npairs = static_cast<int>(spec_.pairs.size());
  for (int i = 0; i < npairs; ++i)
    pairs_.push_back({spec_.pairs[static_cast<std::size_t>(i)].first, spec_.pairs[static_cast<std::size_t>(i)].second,
                      spec_.drive_port != 0 ? spec_.sessions : i % spec_.sessions, {}, false});
  driving_ = true;
  auto t_calls = clock_type::now();
  for (int i = 0; i < npairs; ++i) {
    // --rate: the pairs' first calls spread over one interval.
    if (spec_.rate > 0)
      pairs_[static_cast<std::size_t>(i)].next_start =
          t_calls + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(i / spec_.rate));
    make_call(i);
  }
  auto to_duration = [](double sec) {
    return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(sec));
  };
  auto t_window = t_calls + to_duration(o_.warmup);
  auto t_end = t_window + to_duration(o_.seconds);
  progress_at_ = t_calls + std::chrono::seconds(1);
  progress_since_ = t_calls;
  counters at_window{};
  double cpu_window_start = 0, own_cpu_start = 0, machine_start = 0;
  std::map<int, std::pair<std::string, double>> threads_window_start;
  std::vector<double> others_cpu_start;
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
      if (server_.pid() > 0) {
        cpu_window_start = process_cpu_us(server_.pid()).value_or(0);
        if (two_phases_)
          threads_window_start = thread_cpu_us(server_.pid());
      }
      for (auto& other : others_) {
        others_cpu_start.push_back(process_cpu_us(other.pid()).value_or(0));
        r.others_rss_start.push_back(process_status_mib(other.pid(), "VmRSS"));
      }
      if (server_.pid() > 0 && !others_.empty())
        r.rss_window_start = process_status_mib(server_.pid(), "VmRSS");
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
  finishing_ = several_phases_;  // the next run needs the extensions idle
  r.in_window = {total_.events - at_window.events, total_.calls - at_window.calls,
                 total_.errors - at_window.errors, total_.check_failures - at_window.check_failures,
                 total_.bytes_in - at_window.bytes_in};
  if (server_.pid() > 0) {
    if (auto c = process_cpu_us(server_.pid()))
      r.cpu_us = *c - cpu_window_start;
    if (two_phases_)
      r.server_threads = thread_cpu_delta(threads_window_start, thread_cpu_us(server_.pid()));
    r.rss_end = process_status_mib(server_.pid(), "VmRSS");
    r.vmsize_end = process_status_mib(server_.pid(), "VmSize");
    r.threads = process_threads(server_.pid());
  }
  for (std::size_t i = 0; i < others_.size(); ++i) {
    auto c = process_cpu_us(others_[i].pid());
    r.others_cpu_us.push_back(c && i < others_cpu_start.size() ? std::optional<double>{*c - others_cpu_start[i]}
                                                               : std::nullopt);
    r.others_rss_end.push_back(process_status_mib(others_[i].pid(), "VmRSS"));
  }
  r.own_cpu = own_cpu_us() - own_cpu_start;
  r.machine_busy = machine_busy_us() - machine_start;
  r.window_s = seconds_between(window_opened, window_closed);
  // Requests still waiting: a stalled server shows here.
  for (auto& s : sessions_)
    for (auto& [id, p] : s.pending) {
      ++r.outstanding;
      r.oldest_s = std::max(r.oldest_s, seconds_between(p.sent, window_closed));
    }

  // Drain what is in flight for a moment (answers still count for errors), then stop. With
  // --tls and --cluster the calls in progress are finished first (up to 10 s), so the next run finds the
  // extensions idle.
  auto drain_start = clock_type::now();
  auto drain_until = drain_start + std::chrono::milliseconds(500);
  auto in_flight = [&] {
    for (auto& s : sessions_)
      if (s.outstanding > 0)
        return true;
    return false;
  };
  for (;;) {
    auto now = clock_type::now();
    if (now >= drain_until && (!finishing_ || !in_flight() || now >= drain_start + std::chrono::seconds(10)))
      break;
    poll_once(50);
    check_server_alive("after the window");
  }
  if (finishing_ && in_flight())
    std::fprintf(stderr, "e2e_bench: requests still unanswered 10 s after the window\n");
  finishing_ = false;
  for (auto& s : sessions_) {
    if (s.tls) {  // close_notify, best effort
      s.tls->close(s.out);
      flush(s);
    }
    ::close(s.fd);
    s.fd = -1;
  }
  r.errors = total_.errors;
  r.check_failures = total_.check_failures;
  r.error_samples = error_samples_;
  r.latencies_us = latencies_us_;
  std::sort(r.latencies_us.begin(), r.latencies_us.end());
  r.second_rates = second_rates_;
  std::sort(r.second_rates.begin(), r.second_rates.end());
  r.max_gap_s = max_gap_s_;
  return r;
}

std::string or_na(const std::optional<double>& v, const char* fmt) {
  if (!v)
    return std::string{"n/a"};
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, *v);
  return std::string{buf};
}

void bench::print_phase(const phase_result& r) {
  auto p50 = percentile(r.latencies_us, 0.50);
  auto p99 = percentile(r.latencies_us, 0.99);
  auto pmax = r.latencies_us.empty() ? 0u : r.latencies_us.back();
  auto cpu_per_event = r.cpu_per_event();
  auto& in_window = r.in_window;
  double window_s = r.window_s;
  const auto& cpu_us = r.cpu_us;

  std::string address = r.host + ":" + std::to_string(r.port);
  std::string where = o_.server.empty() ? "server at " + address : o_.server;
  if (!r.transport.empty()) {
    std::string notes;
    auto note = [&](const std::string& n) { notes += (notes.empty() ? "" : ", ") + n; };
    if (!o_.server.empty())
      note(address);
    if (r.transport == "tls") {
      note(r.tls_summary);
      note(certificate_.description.empty() ? "not verified" : certificate_.description + " certificate");
    }
    where += r.transport == "tls" ? " over TLS" : " over TCP";
    if (!notes.empty())
      where += " (" + notes + ")";
  }
  std::printf("\ne2e_bench: %s\n", where.c_str());
  std::printf("  load                 %d connections x %d monitors, %d call pairs, %.1f s window after %.1f s warm-up%s\n",
              o_.sessions, o_.monitors, o_.pairs, window_s, o_.warmup, o_.check ? ", --check" : "");
  std::printf("  setup                %.2f s for %llu MonitorStarts\n", r.setup_s, r.wanted);
  std::printf("  events delivered     %.0f /s  (%llu in the window, %.1f per call)\n", r.events_per_s(),
              in_window.events, in_window.calls ? static_cast<double>(in_window.events) / in_window.calls : 0.0);
  std::optional<double> sec_min, sec_max;  // none when the window is shorter than ~2 s
  if (!r.second_rates.empty()) {
    sec_min = r.second_rates.front();
    sec_max = r.second_rates.back();
  }
  std::printf("  events per second    min %s, max %s over %zu whole seconds of the window\n",
              or_na(sec_min, "%.0f").c_str(), or_na(sec_max, "%.0f").c_str(), r.second_rates.size());
  std::printf("  calls completed      %.0f /s  (%llu MakeCall+AnswerCall+ClearConnection cycles)\n",
              static_cast<double>(in_window.calls) / window_s, in_window.calls);
  std::printf("  MakeCall latency     p50 %u us, p99 %u us, max %u us  (%zu samples)\n", p50, p99, pmax,
              r.latencies_us.size());
  std::printf("  server CPU           %s s in the window = %s cores; %s us per delivered event\n",
              or_na(cpu_us ? std::optional<double>{*cpu_us / 1e6} : std::nullopt, "%.2f").c_str(),
              or_na(cpu_us ? std::optional<double>{*cpu_us / 1e6 / window_s} : std::nullopt, "%.2f").c_str(),
              or_na(cpu_per_event, "%.2f").c_str());
  if (!r.server_threads.empty())
    std::printf("  server threads       %s\n", r.server_threads.c_str());
  std::printf("  server memory        RSS %s MiB after monitoring, %s MiB at the end (VmSize %s MiB, %s threads)\n",
              or_na(r.rss_after_setup, "%.1f").c_str(), or_na(r.rss_end, "%.1f").c_str(),
              or_na(r.vmsize_end, "%.1f").c_str(), r.threads ? std::to_string(*r.threads).c_str() : "n/a");
  // What else ran meanwhile: the figures are only comparable when this is small.
  double others = (r.machine_busy - r.own_cpu - cpu_us.value_or(0)) / 1e6 / window_s;
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  std::printf("  client CPU           %.2f cores (this tool; the server shares the machine)\n",
              r.own_cpu / 1e6 / window_s);
  std::printf("  machine              %ld CPUs, %.2f cores busy; other processes %.2f cores%s\n", cpus,
              r.machine_busy / 1e6 / window_s, std::max(0.0, others),
              server_.pid() > 0 ? "" : " (the server's included)");
  std::printf("  stalls               longest silence %.0f ms; %d requests outstanding at the end, oldest %.0f ms\n",
              r.max_gap_s * 1e3, r.outstanding, r.oldest_s * 1e3);
  std::printf("  errors               %llu CSTA errors%s\n", r.errors,
              o_.check ? (", " + std::to_string(r.check_failures) + " check failures").c_str() : "");
  for (auto& e : r.error_samples)
    std::printf("    %s\n", e.c_str());
  if (r.max_gap_s >= 1.0)
    std::printf("  WARNING              the server sent nothing for %.1f s under load\n", r.max_gap_s);
  std::printf("RESULT sessions=%d monitors=%d pairs=%d rate=%g events_per_s=%.0f cpu_us_per_event=%s "
              "makecall_p50_us=%u makecall_p99_us=%u makecall_max_us=%u calls_per_s=%.0f errors=%llu "
              "rss_mib=%s max_silence_ms=%.0f other_cores=%.2f events_per_s_min=%s events_per_s_max=%s%s\n",
              o_.sessions, o_.monitors, o_.pairs, o_.rate, r.events_per_s(), or_na(cpu_per_event, "%.2f").c_str(),
              p50, p99, pmax, static_cast<double>(in_window.calls) / window_s, r.errors,
              or_na(r.rss_end, "%.1f").c_str(), r.max_gap_s * 1e3, std::max(0.0, others),
              or_na(sec_min, "%.0f").c_str(), or_na(sec_max, "%.0f").c_str(),
              r.transport.empty() ? "" : (" transport=" + r.transport).c_str());
  std::fflush(stdout);
}

void bench::print_ratios(const phase_result& tcp, const phase_result& tls) {
  auto ratio = [](std::optional<double> a, std::optional<double> b) -> std::optional<double> {
    if (!a || !b || *b == 0)
      return std::nullopt;
    return *a / *b;
  };
  auto events = ratio(tls.events_per_s(), tcp.events_per_s());
  auto cpu = ratio(tls.cpu_per_event(), tcp.cpu_per_event());
  auto p50 = [](const phase_result& r) { return static_cast<double>(percentile(r.latencies_us, 0.50)); };
  auto latency = ratio(p50(tls), p50(tcp));
  std::printf("\ne2e_bench: TLS against TCP, same server, same load\n");
  std::printf("  events/s             TLS/TCP %s  (%.0f against %.0f)\n", or_na(events, "%.2f").c_str(),
              tls.events_per_s(), tcp.events_per_s());
  std::printf("  server CPU per event TLS/TCP %s  (%s us against %s us)\n", or_na(cpu, "%.2f").c_str(),
              or_na(tls.cpu_per_event(), "%.2f").c_str(), or_na(tcp.cpu_per_event(), "%.2f").c_str());
  std::printf("  MakeCall p50         TLS/TCP %s  (%.0f us against %.0f us)\n", or_na(latency, "%.2f").c_str(),
              p50(tls), p50(tcp));
  std::printf("RATIO sessions=%d tls_over_tcp_events_per_s=%s tls_over_tcp_cpu_us_per_event=%s "
              "tls_over_tcp_makecall_p50=%s tcp_events_per_s=%.0f tls_events_per_s=%.0f "
              "tcp_cpu_us_per_event=%s tls_cpu_us_per_event=%s\n",
              o_.sessions, or_na(events, "%.3f").c_str(), or_na(cpu, "%.3f").c_str(), or_na(latency, "%.3f").c_str(),
              tcp.events_per_s(), tls.events_per_s(), or_na(tcp.cpu_per_event(), "%.2f").c_str(),
              or_na(tls.cpu_per_event(), "%.2f").c_str());
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------------
// --handshakes: connection set-up, and whether a burst of it delays a connection that is up.

/// A GetDoNotDisturb every 10 ms on one established TCP connection, in a thread of its own
/// (blocking socket) so that the client's own TLS work does not delay reading the answers. An
/// answer's latency goes to the bucket that was current when the request was sent (-1: none).
class probe_thread {
public:
  enum bucket_index { idle = 0, tcp_burst = 1, tls_burst = 2, buckets = 3 };

  /// False, and why, when the connection cannot be made.
  bool start(const std::string& host, int port, std::string& error) {
    fd_ = connect_to(host, port);
    if (fd_ < 0) {
      error = "the probe connection to " + host + ":" + std::to_string(port) + " failed: " + std::strerror(errno);
      return false;
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval limit{10, 0};  // a stalled server ends the probe instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    thread_ = std::thread([this] { loop(); });
    return true;
  }
  void set_bucket(int b) { bucket_.store(b); }
  /// Ends the thread and the connection; the samples may be read then.
  void stop() {
    stop_.store(true);
    if (thread_.joinable())
      thread_.join();
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
    for (auto& v : samples)
      std::sort(v.begin(), v.end());
  }
  ~probe_thread() { stop(); }
  /// Why the probe ended early (empty: it did not); readable once failed() is true.
  bool failed() const { return failed_.load(); }
  const std::string& failure() const { return failure_; }

  std::vector<std::uint32_t> samples[buckets];
  unsigned long long errors = 0;  // answers other than GetDoNotDisturbResponse
  std::string error_sample;

private:
  void loop() {
    proto::frame_decoder decoder;
    std::string ns{proto::ns_ed3};
    char buf[16384];
    int id = 0;
    auto next = clock_type::now();
    while (!stop_.load()) {
      std::this_thread::sleep_until(next);
      id = id == max_invoke_id ? 1 : id + 1;
      proto::get_do_not_disturb_request req;
      req.device = "1000";
      auto frame = proto::encode_frame(id, proto::encode_request(req, ns));
      int bucket = bucket_.load();
      auto sent = clock_type::now();
      if (::send(fd_, frame->data(), frame->size(), MSG_NOSIGNAL) != static_cast<ssize_t>(frame->size()))
        return end(std::string{"send failed: "} + std::strerror(errno));
      bool answered = false;
      while (!answered) {
        auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
          continue;
        if (n <= 0)
          return end(n == 0 ? "the server closed the probe connection"
                     : errno == EAGAIN || errno == EWOULDBLOCK ? "no answer on the probe connection within 10 s"
                                                                 : std::string{"recv: "} + std::strerror(errno));
        auto now = clock_type::now();
        decoder.feed({buf, static_cast<std::size_t>(n)});
        for (;;) {
          auto f = decoder.next();
          if (f.state == proto::frame_decoder::status::need_more)
            break;
          if (f.state == proto::frame_decoder::status::error)
            return end("the server sent a broken frame on the probe connection");
          if (f.value.invoke_id != id)
            continue;  // an event (it monitors nothing) or a stray answer
          answered = true;
          if (f.value.body.find("GetDoNotDisturbResponse") == std::string::npos) {
            ++errors;
            if (error_sample.empty())
              error_sample = f.value.body;
          }
          if (bucket >= 0 && bucket < buckets)
            samples[bucket].push_back(static_cast<std::uint32_t>(std::min<long long>(
                std::chrono::duration_cast<std::chrono::microseconds>(now - sent).count(), UINT32_MAX)));
        }
      }
      next = std::max(next + std::chrono::milliseconds(10), clock_type::now());
    }
  }
  void end(std::string why) {
    failure_ = std::move(why);
    failed_.store(true);
  }

  int fd_ = -1;
  std::thread thread_;
  std::atomic<int> bucket_{-1};
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  std::string failure_;
};

struct setup_slot {
  enum class state : unsigned char { free, connecting, handshaking, closing };
  state st = state::free;
  int fd = -1;
  std::unique_ptr<tls_engine> tls;
  std::string out;
  std::size_t out_pos = 0;
  bool want_out = false;  // EPOLLOUT registered
  time_point started{};
};

struct burst_result {
  int done = 0;
  int failures = 0;
  int resets = 0;  // closed by a reset instead of an orderly close, after the handshake
  double wall_s = 0;
  std::optional<double> server_cpu_us;
  double client_cpu_us = 0;
  std::vector<std::uint32_t> setup_us;  // connect -> connected (TCP) or established (TLS)
  std::string tls_summary;
  std::string server_threads;  // the server's CPU by kind of thread
};

void bench::run_handshakes(const std::string& host, int port, const std::string& tls_host, int tls_port,
                           const std::shared_ptr<const tls_context>& tls, const std::string& server_name) {
  constexpr int in_flight = 32;
  int ep = ::epoll_create1(EPOLL_CLOEXEC);
  std::vector<std::string> failure_samples;
  auto note_failure = [&](const std::string& what) {
    if (failure_samples.size() < 5)
      failure_samples.push_back(what);
  };

  // The probe connection.
  probe_thread pr;
  {
    std::string error;
    if (!pr.start(host, port, error))
      fail(error);
  }
  auto check_probe = [&] {
    if (pr.failed()) {
      check_server_alive("(the probe failed)");
      fail("probe: " + pr.failure());
    }
  };

  std::vector<setup_slot> slots(in_flight);
  auto interest = [&](std::size_t i, bool out) {
    epoll_data_t key{};
    key.u32 = static_cast<std::uint32_t>(i);
    cstad::load::watch_writable(ep, slots[i].fd, key, slots[i].want_out, out);
  };
  auto release = [&](std::size_t i) {
    auto& sl = slots[i];
    ::close(sl.fd);  // leaves the epoll set with it
    sl = setup_slot{};
  };
  // Sends what the slot holds; false when the connection broke.
  auto send_out = [&](std::size_t i) {
    auto& sl = slots[i];
    auto sent = cstad::load::send_pending(sl.fd, sl.out, sl.out_pos);
    if (sent != cstad::load::send_outcome::failed)
      interest(i, sent == cstad::load::send_outcome::would_block);
    return sent != cstad::load::send_outcome::failed;
  };

  auto run_burst = [&](const std::string& h, int p, bool secure) {
    burst_result r;
    int started = 0;
    auto since = [](time_point t) {
      return static_cast<std::uint32_t>(std::min<long long>(
          std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - t).count(), UINT32_MAX));
    };
    auto failed = [&](std::size_t i, const std::string& why) {
      ++r.failures;
      note_failure(std::string{secure ? "TLS" : "TCP"} + " connection: " + why);
      release(i);
    };
    auto connected = [&](std::size_t i) {
      auto& sl = slots[i];
      if (!secure) {  // close at once; done when the server has closed too
        r.setup_us.push_back(since(sl.started));
        ::shutdown(sl.fd, SHUT_WR);
        sl.st = setup_slot::state::closing;
        interest(i, false);
        return;
      }
      sl.tls = std::make_unique<tls_engine>(tls, server_name);
      sl.tls->start(sl.out);
      sl.st = setup_slot::state::handshaking;
      if (sl.tls->failed())
        return failed(i, "TLS: " + sl.tls->failure());
      interest(i, false);
      if (!send_out(i))
        failed(i, std::string{"send: "} + std::strerror(errno));
    };
    auto open_slot = [&](std::size_t i) {
      auto& sl = slots[i];
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<std::uint16_t>(p));
      if (::inet_pton(AF_INET, h.c_str(), &addr.sin_addr) != 1)
        fail("--handshakes wants an IPv4 address, not " + h);
      sl.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (sl.fd < 0)
        fail(std::string{"socket: "} + std::strerror(errno));
      int one = 1;
      ::setsockopt(sl.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      sl.started = clock_type::now();
      sl.st = setup_slot::state::connecting;
      ++started;
      epoll_event ev{};
      ev.events = EPOLLIN | EPOLLRDHUP | EPOLLOUT;
      ev.data.u32 = static_cast<std::uint32_t>(i);
      ::epoll_ctl(ep, EPOLL_CTL_ADD, sl.fd, &ev);
      sl.want_out = true;
      int rc = ::connect(sl.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      if (rc == 0)
        connected(i);
      else if (errno != EINPROGRESS)
        failed(i, std::string{"connect: "} + std::strerror(errno));
    };
    auto readable = [&](std::size_t i) {
      auto& sl = slots[i];
      for (;;) {
        auto n = ::recv(sl.fd, read_buf_, sizeof read_buf_, 0);
        if (n < 0 && errno == EINTR)
          continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
          return;
        if (n <= 0) {
          if (sl.st == setup_slot::state::closing) {
            ++r.done;
            if (n < 0)
              ++r.resets;
            return release(i);
          }
          return failed(i, n == 0 ? "the server closed it during the handshake"
                                  : std::string{"recv: "} + std::strerror(errno));
        }
        if (sl.st != setup_slot::state::handshaking)
          continue;  // the server's session tickets, its close_notify: not needed
        std::string plain;
        bool ok = sl.tls->feed({read_buf_, static_cast<std::size_t>(n)}, plain, sl.out);
        if (!ok) {
          send_out(i);  // the alert
          return failed(i, "TLS: " + sl.tls->failure());
        }
        if (sl.tls->established()) {
          r.setup_us.push_back(since(sl.started));
          if (r.tls_summary.empty())
            r.tls_summary = sl.tls->version() + " " + sl.tls->cipher();
          sl.tls->close(sl.out);  // the Finished, then the close_notify; the server closes
          sl.st = setup_slot::state::closing;
        }
        if (!send_out(i))
          return failed(i, std::string{"send: "} + std::strerror(errno));
      }
    };
    auto writable = [&](std::size_t i) {
      auto& sl = slots[i];
      if (sl.st == setup_slot::state::connecting) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(sl.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0)
          return failed(i, std::string{"connect: "} + std::strerror(err));
        return connected(i);
      }
      if (!send_out(i))
        failed(i, std::string{"send: "} + std::strerror(errno));
    };

    pr.set_bucket(secure ? probe_thread::tls_burst : probe_thread::tcp_burst);
    auto cpu0 = server_.pid() > 0 ? process_cpu_us(server_.pid()) : std::nullopt;
    auto threads0 = server_.pid() > 0 ? thread_cpu_us(server_.pid()) : decltype(thread_cpu_us(0)){};
    auto own0 = own_cpu_us();
    auto t0 = clock_type::now();
    auto deadline = t0 + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o_.setup_timeout));
    for (std::size_t i = 0; i < slots.size() && started < o_.handshakes; ++i)
      open_slot(i);
    epoll_event events[64];
    while (r.done + r.failures < o_.handshakes) {
      int n = ::epoll_wait(ep, events, 64, 10);
      for (int k = 0; k < n; ++k) {
        auto i = static_cast<std::size_t>(events[k].data.u32);
        if (slots[i].st == setup_slot::state::free)
          continue;  // released by an earlier event of this round
        if (events[k].events & EPOLLOUT)
          writable(i);
        if (slots[i].st != setup_slot::state::free && slots[i].st != setup_slot::state::connecting &&
            (events[k].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
          readable(i);
        else if (slots[i].st == setup_slot::state::connecting && (events[k].events & (EPOLLHUP | EPOLLERR)))
          writable(i);  // a refused connect
      }
      for (std::size_t i = 0; i < slots.size() && started < o_.handshakes; ++i)
        if (slots[i].st == setup_slot::state::free)
          open_slot(i);
      check_server_alive(secure ? "during the TLS handshakes" : "during the TCP connects");
      check_probe();
      if (clock_type::now() > deadline)
        fail(std::to_string(r.done) + " of " + std::to_string(o_.handshakes) + (secure ? " TLS handshakes" : " TCP connects") +
             " done within the setup timeout");
    }
    r.wall_s = seconds_between(t0, clock_type::now());
    r.client_cpu_us = own_cpu_us() - own0;
    // The server's CPU until it has settled: what it does after the last close counts too.
    pr.set_bucket(-1);
    ::usleep(200000);
    if (cpu0)
      if (auto cpu1 = process_cpu_us(server_.pid())) {
        r.server_cpu_us = *cpu1 - *cpu0;
        r.server_threads = thread_cpu_delta(threads0, thread_cpu_us(server_.pid()));
      }
    std::sort(r.setup_us.begin(), r.setup_us.end());
    return r;
  };

  // Idle first, then the bursts.
  auto rss_before = server_.pid() > 0 ? process_status_mib(server_.pid(), "VmRSS") : std::nullopt;
  std::fprintf(stderr, "e2e_bench: probing an idle connection for 1 s\n");
  pr.set_bucket(probe_thread::idle);
  for (int i = 0; i < 100; ++i) {
    ::usleep(10000);
    check_server_alive("while probing");
    check_probe();
  }
  pr.set_bucket(-1);
  std::fprintf(stderr, "e2e_bench: %d TCP connects and closes, %d in flight\n", o_.handshakes, in_flight);
  auto tcp = run_burst(host, port, false);
  std::fprintf(stderr, "e2e_bench: %d TLS handshakes and closes, %d in flight\n", o_.handshakes, in_flight);
  auto secure = run_burst(tls_host, tls_port, true);
  auto rss_after = server_.pid() > 0 ? process_status_mib(server_.pid(), "VmRSS") : std::nullopt;
  auto threads = server_.pid() > 0 ? process_threads(server_.pid()) : std::nullopt;
  check_probe();
  pr.stop();
  ::close(ep);
  const auto& idle_us = pr.samples[probe_thread::idle];
  const auto& tcp_probe_us = pr.samples[probe_thread::tcp_burst];
  const auto& tls_probe_us = pr.samples[probe_thread::tls_burst];
  if (!pr.error_sample.empty())
    note_failure("probe: " + pr.error_sample);

  auto per = [](const std::optional<double>& total, int n) -> std::optional<double> {
    if (!total || n == 0)
      return std::nullopt;
    return *total / n;
  };
  std::printf("\ne2e_bench: connection set-up, %d connections each way, %d in flight, against %s\n",
              o_.handshakes, in_flight, o_.server.empty() ? (host + ":" + std::to_string(port)).c_str() : o_.server.c_str());
  auto burst_line = [&](const char* label, const char* unit, const burst_result& b) {
    std::printf("  %-20s %.0f /s  (%d in %.2f s); server CPU %s us per %s, client CPU %.0f us; "
                "set-up p50 %u us, p99 %u us, max %u us\n",
                label, b.done / b.wall_s, b.done, b.wall_s, or_na(per(b.server_cpu_us, b.done), "%.0f").c_str(), unit,
                b.done ? b.client_cpu_us / b.done : 0.0, percentile(b.setup_us, 0.5), percentile(b.setup_us, 0.99),
                b.setup_us.empty() ? 0u : b.setup_us.back());
  };
  burst_line("TCP connect+close", "connection", tcp);
  burst_line("TLS handshake+close", "handshake", secure);
  std::printf("  %-20s %s, %s certificate, full handshakes (no resumption)\n", "TLS", secure.tls_summary.c_str(),
              certificate_.description.empty() ? "the server's" : certificate_.description.c_str());
  std::printf("  TLS/TCP              %.1fx the wall time, %s the server CPU per connection\n",
              secure.wall_s / tcp.wall_s,
              or_na(per(secure.server_cpu_us, secure.done) && per(tcp.server_cpu_us, tcp.done) &&
                            *per(tcp.server_cpu_us, tcp.done) > 0
                        ? std::optional<double>{*per(secure.server_cpu_us, secure.done) / *per(tcp.server_cpu_us, tcp.done)}
                        : std::nullopt,
                    "%.1fx")
                  .c_str());
  auto probe_line = [&](const char* label, const std::vector<std::uint32_t>& v) {
    std::printf("  %-20s p50 %u us, p99 %u us, max %u us  (%zu samples)\n", label, percentile(v, 0.5),
                percentile(v, 0.99), v.empty() ? 0u : v.back(), v.size());
  };
  std::printf("  GetDoNotDisturb every 10 ms on an established TCP connection:\n");
  probe_line("  idle", idle_us);
  probe_line("  during TCP burst", tcp_probe_us);
  probe_line("  during TLS burst", tls_probe_us);
  if (!tcp.server_threads.empty()) {
    std::printf("  server CPU by thread during the TCP burst: %s\n", tcp.server_threads.c_str());
    std::printf("  server CPU by thread during the TLS burst: %s\n", secure.server_threads.c_str());
  }
  std::printf("  failures             %d TCP, %d TLS; %d TLS connections reset instead of closed; %llu probe errors\n",
              tcp.failures, secure.failures, secure.resets + tcp.resets, pr.errors);
  for (auto& f : failure_samples)
    std::printf("    %s\n", f.c_str());
  std::printf("  server memory        RSS %s MiB before, %s MiB after (%s threads)\n", or_na(rss_before, "%.1f").c_str(),
              or_na(rss_after, "%.1f").c_str(), threads ? std::to_string(*threads).c_str() : "n/a");
  std::printf("HANDSHAKES n=%d in_flight=%d key=%s tcp_per_s=%.0f tcp_server_cpu_us=%s tls_per_s=%.0f "
              "tls_server_cpu_us=%s tls_client_cpu_us=%.0f tls_setup_p50_us=%u tls_setup_p99_us=%u "
              "probe_idle_p50_us=%u probe_idle_p99_us=%u probe_idle_max_us=%u "
              "probe_tcp_p50_us=%u probe_tcp_p99_us=%u probe_tcp_max_us=%u "
              "probe_tls_p50_us=%u probe_tls_p99_us=%u probe_tls_max_us=%u failures=%d\n",
              o_.handshakes, in_flight, o_.rsa ? "rsa2048" : (certificate_.description.empty() ? "server" : "ecdsa-p256"),
              tcp.done / tcp.wall_s, or_na(per(tcp.server_cpu_us, tcp.done), "%.1f").c_str(), secure.done / secure.wall_s,
              or_na(per(secure.server_cpu_us, secure.done), "%.1f").c_str(),
              secure.done ? secure.client_cpu_us / secure.done : 0.0, percentile(secure.setup_us, 0.5),
              percentile(secure.setup_us, 0.99), percentile(idle_us, 0.5), percentile(idle_us, 0.99),
              idle_us.empty() ? 0u : idle_us.back(), percentile(tcp_probe_us, 0.5), percentile(tcp_probe_us, 0.99),
              tcp_probe_us.empty() ? 0u : tcp_probe_us.back(), percentile(tls_probe_us, 0.5),
              percentile(tls_probe_us, 0.99), tls_probe_us.empty() ? 0u : tls_probe_us.back(),
              tcp.failures + secure.failures);
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------------
// --cluster: two LIMs of one system.

/// One request on a connection of its own (blocking); the answer's body, or empty when there is
/// none within timeout_s or the connection fails.
std::string ask_once(const std::string& host, int port, const proto::request& r, double timeout_s) {
  int fd = connect_to(host, port);
  if (fd < 0)
    return {};
  timeval limit{static_cast<time_t>(timeout_s), static_cast<suseconds_t>((timeout_s - std::floor(timeout_s)) * 1e6)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  auto frame = proto::encode_frame(1, proto::encode_request(r, proto::ns_ed3));
  std::string answer;
  if (frame && ::send(fd, frame->data(), frame->size(), MSG_NOSIGNAL) == static_cast<ssize_t>(frame->size())) {
    proto::frame_decoder decoder;
    char buf[16384];
    auto deadline = clock_type::now() + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(timeout_s));
    while (answer.empty() && clock_type::now() < deadline) {
      auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      decoder.feed({buf, static_cast<std::size_t>(n)});
      for (;;) {
        auto f = decoder.next();
        if (f.state != proto::frame_decoder::status::frame_ready)
          break;
        if (f.value.invoke_id == 1) {
          answer = f.value.body;
          break;
        }
      }
    }
  }
  ::close(fd);
  return answer;
}

/// The figures of one load's run that --cluster compares.
struct cluster_figures {
  std::optional<double> p50_us, p99_us, calls_per_s, events_per_s, events_per_call, lim1_cores, lim2_cores,
      lim1_us_per_call, lim2_us_per_call, lim1_us_per_event, lim2_us_per_event, lim1_us_per_event_sum,
      lim1_rss_growth, lim2_rss_growth, client_cores, other_cores, settle_s;
  unsigned long long errors = 0;

  explicit cluster_figures(const phase_result& r) {
    auto per = [](const std::optional<double>& total, unsigned long long n) -> std::optional<double> {
      if (!total || n == 0)
        return std::nullopt;
      return *total / static_cast<double>(n);
    };
    std::optional<double> cpu2;
    double cpu2_us = 0;  // value_or() of an optional copied here draws a false -Wmaybe-uninitialized
    if (!r.others_cpu_us.empty() && r.others_cpu_us.front()) {
      cpu2 = r.others_cpu_us.front();
      cpu2_us = *cpu2;
    }
    if (!r.latencies_us.empty()) {
      p50_us = percentile(r.latencies_us, 0.50);
      p99_us = percentile(r.latencies_us, 0.99);
    }
    calls_per_s = static_cast<double>(r.in_window.calls) / r.window_s;
    if (r.wanted > 0) {
      events_per_s = r.events_per_s();
      if (r.in_window.calls > 0)
        events_per_call = static_cast<double>(r.in_window.events) / static_cast<double>(r.in_window.calls);
      lim1_us_per_event = per(r.cpu_us, r.in_window.events);
      lim2_us_per_event = per(cpu2, r.in_window.events);
      if (r.cpu_us && cpu2 && r.in_window.events > 0)
        lim1_us_per_event_sum = (*r.cpu_us + *cpu2) / static_cast<double>(r.in_window.events);
    }
    if (r.cpu_us)
      lim1_cores = *r.cpu_us / 1e6 / r.window_s;
    if (cpu2)
      lim2_cores = *cpu2 / 1e6 / r.window_s;
    lim1_us_per_call = per(r.cpu_us, r.in_window.calls);
    lim2_us_per_call = per(cpu2, r.in_window.calls);
    if (r.rss_window_start && r.rss_end)
      lim1_rss_growth = (*r.rss_end - *r.rss_window_start) / r.window_s;
    if (!r.others_rss_start.empty() && !r.others_rss_end.empty() && r.others_rss_start.front() && r.others_rss_end.front())
      lim2_rss_growth = (*r.others_rss_end.front() - *r.others_rss_start.front()) / r.window_s;
    client_cores = r.own_cpu / 1e6 / r.window_s;
    other_cores = std::max(0.0, (r.machine_busy - r.own_cpu - r.cpu_us.value_or(0) - cpu2_us) / 1e6 / r.window_s);
    errors = r.errors + r.check_failures;
  }
};

/// The median of a figure over the runs (those that have it), with its smallest and largest.
struct spread {
  std::optional<double> median, min, max;
};

spread spread_of(const std::vector<cluster_figures>& runs, std::optional<double> cluster_figures::*field) {
  std::vector<double> v;
  for (auto& f : runs)
    if (f.*field)
      v.push_back(*(f.*field));
  spread s;
  if (v.empty())
    return s;
  std::sort(v.begin(), v.end());
  auto n = v.size();
  s.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.min = v.front();
  s.max = v.back();
  return s;
}

/// --cluster: waits until the LIMs have stopped working (their CPU over 250 ms at most one
/// clock tick, three times running), so that a load's backlog does not run into the next one's
/// window; the seconds that took, or none after limit_s.
std::optional<double> wait_until_idle(const std::vector<pid_t>& pids, double limit_s) {
  static const double tick_us = 1e6 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  auto start = clock_type::now();
  auto total = [&] {
    double sum = 0;
    for (auto pid : pids)
      sum += process_cpu_us(pid).value_or(0);
    return sum;
  };
  int quiet = 0;
  double before = total();
  while (quiet < 3) {
    if (seconds_between(start, clock_type::now()) > limit_s)
      return std::nullopt;
    ::usleep(250000);
    double now = total();
    quiet = now - before <= tick_us * 1.01 ? quiet + 1 : 0;
    before = now;
  }
  return seconds_between(start, clock_type::now()) - 0.75;  // less the quiet time itself
}

int bench::run_cluster() {
  several_phases_ = true;
  auto t_start = clock_type::now();
  auto deadline_from_now = [&] {
    return clock_type::now() + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o_.setup_timeout));
  };
  const std::string host = o_.host;
  std::vector<int> ports;  // LIM 1's and LIM 2's cluster ports, then their CSTA XML ports
  while (ports.size() < 4) {
    int p = pick_free_port(host);
    if (std::find(ports.begin(), ports.end(), p) == ports.end())
      ports.push_back(p);
  }
  const int port1 = ports[2], port2 = ports[3];
  temp_dir dir;
  dir.path = make_temp_dir("e2e_bench-cluster");
  const std::string system_file = dir.path + "/system.json";
  {
    auto lim = [&](int id, int cluster_port, int port, const char* first, const char* last) {
      return "{\"id\":" + std::to_string(id) + ",\"host\":\"" + host + "\",\"cluster_port\":" + std::to_string(cluster_port) +
             ",\"port\":" + std::to_string(port) + ",\"ranges\":[{\"first\":\"" + first + "\",\"last\":\"" + last +
             "\",\"kind\":\"ip\"}]}";
    };
    std::ofstream out(system_file);
    out << "{\"lims\":[" << lim(1, ports[0], port1, "1000", "1099") << "," << lim(2, ports[1], port2, "2000", "2099")
        << "]}\n";
    if (!out.flush()) {
      std::fprintf(stderr, "e2e_bench: cannot write %s\n", system_file.c_str());
      return 2;
    }
  }

  // The loads of a round, in the order they run.
  struct load {
    std::string key;  // in the CLUSTER lines
    load_spec spec;
    std::vector<cluster_figures> runs;
  };
  // What the LIMs logged (warnings and errors: they run with --log-level=warn), by when: the
  // key of the load that ran, or start-up and shut-down; then "LIM n: message kind".
  log_reader logs[2] = {{dir.path + "/lim1.log"}, {dir.path + "/lim2.log"}};
  std::vector<std::pair<std::string, std::map<std::string, unsigned long long>>> logged;
  auto collect_logs = [&](const std::string& when) {
    for (int i = 0; i < 2; ++i)
      for (auto& line : logs[i].new_lines()) {
        auto it = std::find_if(logged.begin(), logged.end(), [&](auto& e) { return e.first == when; });
        if (it == logged.end())
          it = logged.insert(logged.end(), {when, {}});
        ++it->second["LIM " + std::to_string(i + 1) + ": " + log_message_kind(line)];
      }
  };
  std::vector<load> loads;
  auto call_load = [&](const char* key, int called_base) {
    load l;
    l.key = key;
    l.spec.sessions = 1;
    for (int i = 0; i < o_.latency_pairs; ++i)
      l.spec.pairs.push_back({std::to_string(1040 + 2 * i), std::to_string(called_base + 2 * i)});
    loads.push_back(std::move(l));
  };
  auto events_load = [&](const char* key, int lim, double rate) {
    load l;
    l.key = key;
    int base = lim == 1 ? 1000 : 2000;
    l.spec.sessions = o_.sessions;
    l.spec.monitors = o_.monitors;
    l.spec.monitor_base = base;
    for (int i = 0; i < o_.pairs; ++i)
      l.spec.pairs.push_back({std::to_string(base + 40 + 2 * i), std::to_string(base + 41 + 2 * i)});
    l.spec.drive_host = host;
    l.spec.drive_port = lim == 1 || o_.drive_via_lim1 ? port1 : port2;
    l.spec.rate = rate;
    loads.push_back(std::move(l));
  };
  call_load("same_lim_calls", 1041);
  call_load("cross_lim_calls", 2040);
  events_load("lim1_devices", 1, 0);
  events_load("lim2_devices", 2, 0);
  double paced_rate = o_.given.count("rate") ? o_.rate : 500;
  if (paced_rate > 0) {
    events_load("lim1_devices_paced", 1, paced_rate);
    events_load("lim2_devices_paced", 2, paced_rate);
  }

  unsigned long long errors = 0;
  try {
    server_ = start_lim(o_, 1, system_file, logs[0].path);
    others_.push_back(start_lim(o_, 2, system_file, logs[1].path));
    auto setup_deadline = deadline_from_now();
    for (int p : {port1, port2})
      for (;;) {
        check_server_alive("on start-up");
        int fd = connect_to(host, p);
        if (fd >= 0) {
          ::close(fd);
          break;
        }
        if (clock_type::now() > setup_deadline)
          fail("a LIM did not accept connections on " + host + ":" + std::to_string(p) + " within the setup timeout");
        ::usleep(20000);
      }
    // Joined: each LIM answers a request for a device of the other (until then LIM 1 logs
    // "LIM 2 is not reachable" for the probes).
    for (auto [p, device] : {std::pair<int, const char*>{port1, "2000"}, {port2, "1000"}}) {
      std::string last;
      for (;;) {
        check_server_alive("while the LIMs joined");
        proto::get_do_not_disturb_request req;
        req.device = device;
        last = ask_once(host, p, req, 2.0);
        if (last.find("GetDoNotDisturbResponse") != std::string::npos)
          break;
        if (clock_type::now() > setup_deadline)
          fail("the LIM on port " + std::to_string(p) + " did not reach device " + device +
               " within the setup timeout; last answer: " + (last.empty() ? "none" : last));
        ::usleep(100000);
      }
    }
    std::fprintf(stderr, "e2e_bench: LIM 1 (pid %d, %s:%d) and LIM 2 (pid %d, %s:%d) joined after %.2f s\n",
                 static_cast<int>(server_.pid()), host.c_str(), port1, static_cast<int>(others_[0].pid()), host.c_str(), port2,
                 seconds_between(t_start, clock_type::now()));
    collect_logs("start-up");

    for (int round = 1; round <= o_.rounds; ++round)
      for (auto& l : loads) {
        std::fprintf(stderr, "e2e_bench: round %d of %d: %s\n", round, o_.rounds, l.key.c_str());
        spec_ = l.spec;
        auto r = run_phase(host, port1, nullptr, {}, deadline_from_now());
        if (r.in_window.calls == 0)
          fail("no call completed in the window of " + l.key + ": the server stalled");
        for (auto& e : r.error_samples)
          std::fprintf(stderr, "  %s: %s\n", l.key.c_str(), e.c_str());
        l.runs.emplace_back(r);
        errors += l.runs.back().errors;
        // A backlog of the load (events still on their way to LIM 1) must not run into the next.
        auto idle = wait_until_idle({server_.pid(), others_[0].pid()}, 120);
        check_server_alive("after a load");
        if (idle && *idle > 0.5)
          std::fprintf(stderr, "e2e_bench: the LIMs worked on for %.1f s after the load\n", *idle);
        if (!idle)
          std::fprintf(stderr, "e2e_bench: the LIMs were still busy 120 s after the load\n");
        l.runs.back().settle_s = idle;
        collect_logs(l.key);
      }
  } catch (const fatal_error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "e2e_bench: FAILED: %s\n", e.what.c_str());
    for (auto& s : sessions_)
      if (s.fd >= 0)
        ::close(s.fd);
    stop_server();
    // What the LIMs said last: why one died, for instance.
    for (int i = 0; i < 2; ++i) {
      std::ifstream in(logs[i].path);
      std::vector<std::string> tail;
      for (std::string line; std::getline(in, line);) {
        tail.push_back(line);
        if (tail.size() > 20)
          tail.erase(tail.begin());
      }
      if (!tail.empty())
        std::fprintf(stderr, "e2e_bench: the last lines LIM %d logged:\n", i + 1);
      for (auto& line : tail)
        std::fprintf(stderr, "  %s\n", line.c_str());
    }
    return 2;
  }
  pid_t pid1 = server_.pid(), pid2 = others_[0].pid();
  bool stopped = stop_server();
  collect_logs("shut-down");

  // The figures, side by side.
  using field = std::optional<double> cluster_figures::*;
  auto cell = [&](const load& l, field f, const char* fmt) {
    auto s = spread_of(l.runs, f);
    if (!s.median)
      return std::string{"n/a"};
    std::string text = or_na(s.median, fmt);
    if (l.runs.size() > 1)
      text += " (" + or_na(s.min, fmt) + ".." + or_na(s.max, fmt) + ")";
    return text;
  };
  auto ratio = [&](const load& a, const load& b, field f) {
    auto x = spread_of(a.runs, f).median, y = spread_of(b.runs, f).median;
    return x && y && *y > 0 ? or_na(*x / *y, "%.2fx") : std::string{"n/a"};
  };
  auto errors_of = [](const load& l) {
    unsigned long long n = 0;
    for (auto& f : l.runs)
      n += f.errors;
    return n;
  };
  auto table = [&](const load& a, const load& b, const char* title_a, const char* title_b, const char* title_ratio,
                   const std::vector<std::tuple<const char*, field, const char*, bool>>& rows) {
    std::printf("  %-24s %-28s %-28s %s\n", "", title_a, title_b, title_ratio);
    for (auto& [label, f, fmt, with_ratio] : rows)
      std::printf("  %-24s %-28s %-28s %s\n", label, cell(a, f, fmt).c_str(), cell(b, f, fmt).c_str(),
                  with_ratio ? ratio(b, a, f).c_str() : "");
    std::printf("  %-24s %-28llu %-28llu\n", "CSTA errors (all rounds)", errors_of(a), errors_of(b));
  };
  std::printf("\ne2e_bench --cluster: 2 LIMs of one system, %s (LIM 1 pid %d on %s:%d, LIM 2 pid %d on %s:%d)\n",
              o_.server.c_str(), static_cast<int>(pid1), host.c_str(), port1, static_cast<int>(pid2), host.c_str(), port2);
  std::printf("  each load %.1f s warm-up + %.1f s window, %d rounds of the %zu loads in turn; median (min..max) of "
              "the rounds\n  the machine's %ld CPUs are shared by both LIMs and this client\n",
              o_.warmup, o_.seconds, o_.rounds, loads.size(), ::sysconf(_SC_NPROCESSORS_ONLN));

  std::printf("\n  MakeCall -> AnswerCall -> ClearConnection closed loop, %d pairs, 1 connection to LIM 1 monitoring "
              "nothing\n", o_.latency_pairs);
  table(loads[0], loads[1], "same LIM (1040->1041 ..)", "cross-LIM (1040->2040 ..)", "cross/same",
        {{"MakeCall p50 us", &cluster_figures::p50_us, "%.0f", true},
         {"MakeCall p99 us", &cluster_figures::p99_us, "%.0f", true},
         {"calls/s", &cluster_figures::calls_per_s, "%.0f", true},
         {"LIM 1 CPU us per call", &cluster_figures::lim1_us_per_call, "%.0f", true},
         {"LIM 2 CPU us per call", &cluster_figures::lim2_us_per_call, "%.0f", false},
         {"LIM 1 cores", &cluster_figures::lim1_cores, "%.2f", true},
         {"LIM 2 cores", &cluster_figures::lim2_cores, "%.2f", false},
         {"client cores", &cluster_figures::client_cores, "%.2f", false},
         {"other processes cores", &cluster_figures::other_cores, "%.2f", false}});

  std::string driver = o_.drive_via_lim1 ? "LIM 1" : "the devices' own LIM";
  std::vector<std::tuple<const char*, field, const char*, bool>> event_rows{
      {"events/s delivered", &cluster_figures::events_per_s, "%.0f", true},
      {"calls/s", &cluster_figures::calls_per_s, "%.0f", true},
      {"events per call", &cluster_figures::events_per_call, "%.1f", true},
      {"LIM 1 CPU us per event", &cluster_figures::lim1_us_per_event, "%.2f", true},
      {"LIM 2 CPU us per event", &cluster_figures::lim2_us_per_event, "%.2f", false},
      {"both LIMs us per event", &cluster_figures::lim1_us_per_event_sum, "%.2f", true},
      {"LIM 1 cores", &cluster_figures::lim1_cores, "%.2f", true},
      {"LIM 2 cores", &cluster_figures::lim2_cores, "%.2f", false},
      {"MakeCall p50 us", &cluster_figures::p50_us, "%.0f", true},
      {"LIM 1 RSS growth MiB/s", &cluster_figures::lim1_rss_growth, "%.1f", false},
      {"LIM 2 RSS growth MiB/s", &cluster_figures::lim2_rss_growth, "%.1f", false},
      {"busy after the window s", &cluster_figures::settle_s, "%.1f", false},
      {"client cores", &cluster_figures::client_cores, "%.2f", false},
      {"other processes cores", &cluster_figures::other_cores, "%.2f", false}};
  std::printf("\n  events to %d connections to LIM 1 x %d monitors; %d pairs closed loop, driven by 1 more connection "
              "to %s\n", o_.sessions, o_.monitors, o_.pairs, driver.c_str());
  table(loads[2], loads[3], "devices on LIM 1 (1000..)", "devices on LIM 2 (2000..)", "LIM 2/LIM 1", event_rows);
  if (loads.size() > 4) {
    std::printf("\n  the same at %g calls/s in all (paced, below saturation: the CPU per event is steadier)\n",
                paced_rate);
    table(loads[4], loads[5], "devices on LIM 1 (1000..)", "devices on LIM 2 (2000..)", "LIM 2/LIM 1", event_rows);
  }
  std::printf("\n  the LIMs' log (--log-level=warn) during each load, all rounds: lines by kind (numbers as #)\n");
  if (logged.empty())
    std::printf("    nothing\n");
  for (auto& [when, kinds] : logged)
    for (auto& [kind, n] : kinds)
      std::printf("    %-20s %6llu x %s\n", when.c_str(), n, kind.c_str());
  auto baseline_events_per_call = spread_of(loads[2].runs, &cluster_figures::events_per_call).median;
  auto remote_events_per_call = spread_of(loads[3].runs, &cluster_figures::events_per_call).median;
  if (baseline_events_per_call && remote_events_per_call && *remote_events_per_call < 0.95 * *baseline_events_per_call)
    std::printf("  NOTE                     closed loop, fewer events per call reached LIM 1 for LIM 2's devices "
                "within the window: the calls outran the event path and the rest queued (see RSS growth and the "
                "time busy after the window)\n");

  for (auto& l : loads) {
    auto m = [&](field f, const char* fmt) { return or_na(spread_of(l.runs, f).median, fmt); };
    std::printf("CLUSTER load=%s rounds=%zu sessions=%d monitors=%d pairs=%zu rate=%g drive=%s seconds=%g "
                "makecall_p50_us=%s makecall_p99_us=%s calls_per_s=%s events_per_s=%s events_per_call=%s "
                "lim1_cpu_us_per_call=%s lim2_cpu_us_per_call=%s lim1_cpu_us_per_event=%s lim2_cpu_us_per_event=%s "
                "lim1_cores=%s lim2_cores=%s lim2_rss_mib_per_s=%s busy_after_s=%s other_cores=%s errors=%llu\n",
                l.key.c_str(), l.runs.size(), l.spec.sessions, l.spec.monitors, l.spec.pairs.size(), l.spec.rate,
                l.spec.drive_port == 0 ? "lim1" : l.spec.drive_port == port1 ? "lim1_extra" : "lim2", o_.seconds,
                m(&cluster_figures::p50_us, "%.0f").c_str(), m(&cluster_figures::p99_us, "%.0f").c_str(),
                m(&cluster_figures::calls_per_s, "%.0f").c_str(), m(&cluster_figures::events_per_s, "%.0f").c_str(),
                m(&cluster_figures::events_per_call, "%.1f").c_str(),
                m(&cluster_figures::lim1_us_per_call, "%.1f").c_str(), m(&cluster_figures::lim2_us_per_call, "%.1f").c_str(),
                m(&cluster_figures::lim1_us_per_event, "%.2f").c_str(),
                m(&cluster_figures::lim2_us_per_event, "%.2f").c_str(), m(&cluster_figures::lim1_cores, "%.2f").c_str(),
                m(&cluster_figures::lim2_cores, "%.2f").c_str(), m(&cluster_figures::lim2_rss_growth, "%.1f").c_str(),
                m(&cluster_figures::settle_s, "%.1f").c_str(), m(&cluster_figures::other_cores, "%.2f").c_str(),
                errors_of(l));
  }
  std::fflush(stdout);
  if (!stopped) {
    std::fprintf(stderr, "e2e_bench: FAILED: a LIM did not stop on SIGTERM\n");
    return 2;
  }
  return errors > 0 ? 3 : 0;
}

int bench::run() {
  ::signal(SIGPIPE, SIG_IGN);
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (o_.cluster)
    return run_cluster();
  spec_.sessions = o_.sessions;
  spec_.monitors = o_.monitors;
  spec_.rate = o_.rate;
  for (int i = 0; i < o_.pairs; ++i)
    spec_.pairs.push_back({std::to_string(1040 + 2 * i), std::to_string(1041 + 2 * i)});
  auto t_start = clock_type::now();
  auto setup_deadline = t_start + std::chrono::duration_cast<clock_type::duration>(
                                      std::chrono::duration<double>(o_.setup_timeout));
  std::string host = o_.connect_host;
  int port = o_.connect_port;
  std::string tls_host = o_.tls_connect_host;
  int tls_port = o_.tls_connect_port;
  std::shared_ptr<const tls_context> tls;
  std::string server_name;
  auto wait_for_port = [&](int p) {
    for (;;) {
      check_server_alive("on start-up");
      int fd = connect_to(host, p);
      if (fd >= 0) {
        ::close(fd);
        return;
      }
      if (clock_type::now() > setup_deadline)
        fail("the server did not accept connections on " + host + ":" + std::to_string(p) +
             " within the setup timeout");
      ::usleep(20000);
    }
  };
  try {
    if (!o_.server.empty()) {
      host = o_.host;
      port = o_.port != 0 ? o_.port : pick_free_port(o_.host);
      std::vector<std::string> tls_args;
      if (o_.tls) {
        std::string error;
        if (!certificate_.make(o_.rsa, error))
          fail("cannot make the certificate: " + error);
        tls_host = host;
        do
          tls_port = pick_free_port(o_.host);
        while (tls_port == port);
        tls_args = {"--tls-port=" + std::to_string(tls_port), "--tls-cert=" + certificate_.cert,
                    "--tls-key=" + certificate_.key};
      }
      server_ = start_server(o_, port, tls_args);
      wait_for_port(port);
      if (o_.tls)
        wait_for_port(tls_port);
      std::fprintf(stderr, "e2e_bench: server pid %d accepts on %s:%d after %.2f s\n",
                   static_cast<int>(server_.pid()), host.c_str(), port,
                   seconds_between(t_start, clock_type::now()));
    }
    if (o_.tls) {
      // The certificate made for the server is the client's trust anchor; a running server's
      // is not known, so it is not verified.
      std::string error;
      tls = tls_context::client(certificate_.cert_pem, "", "", error);
      if (!tls)
        fail("no TLS client context: " + error);
      server_name = certificate_.cert_pem.empty() ? tls_host : "127.0.0.1";
      if (!certificate_.cert_pem.empty() && tls_host != "127.0.0.1")
        fail("--tls verifies the certificate made for 127.0.0.1: use the default --host");
      std::fprintf(stderr, "e2e_bench: TLS on %s:%d (%s)\n", tls_host.c_str(), tls_port,
                   certificate_.cert_pem.empty()
                       ? "the server's certificate is not verified"
                       : (certificate_.description + " certificate made for the run, verified as " + server_name).c_str());
      if (o_.handshakes > 0)
        run_handshakes(host, port, tls_host, tls_port, tls, server_name);
    }

    if (!o_.tls) {
      auto r = run_phase(host, port, nullptr, {}, setup_deadline);
      bool stopped = stop_server();
      print_phase(r);
      if (!stopped) {
        std::fprintf(stderr, "e2e_bench: FAILED: the server did not stop on SIGTERM\n");
        return 2;
      }
      if (r.in_window.calls == 0 && o_.pairs > 0) {
        std::fprintf(stderr, "e2e_bench: no call completed in the window: the server stalled\n");
        return 2;
      }
      return r.errors > 0 || r.check_failures > 0 ? 3 : 0;
    }

    two_phases_ = true;
    several_phases_ = true;
    auto deadline_from_now = [&] {
      return clock_type::now() + std::chrono::duration_cast<clock_type::duration>(
                                     std::chrono::duration<double>(o_.setup_timeout));
    };
    std::fprintf(stderr, "e2e_bench: the load over TCP\n");
    auto plain = run_phase(host, port, nullptr, {}, deadline_from_now());
    print_phase(plain);
    std::fprintf(stderr, "e2e_bench: the load over TLS\n");
    auto secure = run_phase(tls_host, tls_port, tls, server_name, deadline_from_now());
    bool stopped = stop_server();
    print_phase(secure);
    print_ratios(plain, secure);
    if (!stopped) {
      std::fprintf(stderr, "e2e_bench: FAILED: the server did not stop on SIGTERM\n");
      return 2;
    }
    for (auto* r : {&plain, &secure})
      if (r->in_window.calls == 0 && o_.pairs > 0) {
        std::fprintf(stderr, "e2e_bench: no call completed in the %s window: the server stalled\n",
                     r->transport.c_str());
        return 2;
      }
    bool errors = plain.errors + secure.errors + plain.check_failures + secure.check_failures > 0;
    return errors ? 3 : 0;
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
