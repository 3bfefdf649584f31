#include "tools/cstaload/server_target.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "tools/cstaload/run_failure.hpp"
#include "tools/cstaload/sockets.hpp"

namespace cstad::load {

namespace {

constexpr double stop_timeout_s = 15;

}  // namespace

server_target server_target::start(std::string label, std::vector<std::string> args, const std::string& host,
                                   int port, double timeout_s) {
  server_target t;
  t.label_ = std::move(label);
  t.host_ = host;
  t.port_ = port;
  std::string error;
  server_process p;
  if (!p.start(std::move(args), false, {}, error))
    throw run_failure{"cannot start the " + t.label_ + ": " + error};
  std::fprintf(stderr, "cstaload: started %s (pid %d)\n", p.command().c_str(), static_cast<int>(p.pid()));
  t.process_.emplace(std::move(p));
  auto check = t.target().check_alive;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    check("on start-up");
    int fd = connect_to(host, port);
    if (fd >= 0) {
      ::close(fd);
      return t;
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw run_failure{"the " + t.label_ + " did not accept connections on " + host + ":" + std::to_string(port) +
                        " within the set-up timeout"};
    // Polled: nothing tells when a port starts listening; 20 ms is a small part of a start.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

server_target server_target::elsewhere(std::string label, const std::string& host, int port) {
  server_target t;
  t.label_ = std::move(label);
  t.host_ = host;
  t.port_ = port;
  return t;
}

run_target server_target::target() {
  run_target r;
  r.label = label_;
  r.host = host_;
  r.port = port_;
  if (!process_)
    return r;
  r.pid = process_->pid();
  auto* p = &*process_;
  auto label = label_;
  r.check_alive = [p, label](const char* during) {
    if (p->poll_exit())
      throw run_failure{"the " + label + " died" + (*during ? std::string{" "} + during : std::string{}) + ": " +
                        p->describe_exit()};
  };
  return r;
}

bool server_target::stop() {
  if (!process_ || process_->exited())
    return true;
  auto outcome = stop_servers({&*process_}, stop_timeout_s);
  bool clean = true;
  for (auto& o : outcome) {
    if (o.killed) {
      std::fprintf(stderr, "cstaload: the %s did not stop within %.0f s of SIGTERM: killed\n", label_.c_str(),
                   stop_timeout_s);
      clean = false;
    } else {
      std::fprintf(stderr, "cstaload: the %s stopped %.2f s after SIGTERM (%s)\n", label_.c_str(), o.seconds,
                   o.process->describe_exit().c_str());
    }
  }
  return clean;
}

std::string trivial_server_path() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::filesystem::path{"."} : self.parent_path()) / "cstaload_trivial_server";
}

}  // namespace cstad::load
