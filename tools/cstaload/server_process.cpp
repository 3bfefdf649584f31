#include "tools/cstaload/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>
#include <utility>

namespace cstad::load {

server_process::server_process(server_process&& o) noexcept
    : pid_(o.pid_), exited_(o.exited_), status_(o.status_), data_dir_(std::move(o.data_dir_)),
      command_(std::move(o.command_)) {
  o.pid_ = -1;
  o.data_dir_.clear();
}

server_process& server_process::operator=(server_process&& o) noexcept {
  // Swapped: o takes this one's data directory and removes it when it goes.
  std::swap(pid_, o.pid_);
  std::swap(exited_, o.exited_);
  std::swap(status_, o.status_);
  std::swap(data_dir_, o.data_dir_);
  std::swap(command_, o.command_);
  return *this;
}

server_process::~server_process() {
  if (!data_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
  }
}

std::string make_temp_dir(const std::string& prefix) {
  std::string name = "/tmp/" + prefix + "-XXXXXX";
  if (::mkdtemp(name.data()) == nullptr)
    return {};
  return name;
}

bool server_process::start(std::vector<std::string> args, bool data_dir_option, const std::string& log_file,
                           std::string& error) {
  data_dir_ = make_temp_dir("cstaload-data");
  if (data_dir_.empty()) {
    error = std::string{"mkdtemp: "} + std::strerror(errno);
    return false;
  }
  if (data_dir_option)
    args.push_back("--data-dir=" + data_dir_);
  command_.clear();
  for (auto& a : args)
    command_ += (command_.empty() ? "" : " ") + a;
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string{"fork: "} + std::strerror(errno);
    return false;
  }
  if (pid == 0) {
    // The server must not outlive the tool, even when the tool is killed.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent)
      _exit(127);
    if (!log_file.empty()) {
      int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (fd < 0 || ::dup2(fd, 1) < 0 || ::dup2(fd, 2) < 0)
        _exit(127);
    }
    ::setenv("CSTAD_DATA_DIR", data_dir_.c_str(), 1);
    ::execv(argv[0], argv.data());
    std::fprintf(stderr, "cannot execute %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
  }
  pid_ = pid;
  exited_ = false;
  return true;
}

bool server_process::poll_exit() {
  if (pid_ < 0 || exited_)
    return exited_;
  int st = 0;
  if (::waitpid(pid_, &st, WNOHANG) == pid_) {
    exited_ = true;
    status_ = st;
  }
  return exited_;
}

std::string server_process::describe_exit() const {
  char buf[96];
  if (WIFEXITED(status_))
    std::snprintf(buf, sizeof buf, "exit status %d", WEXITSTATUS(status_));
  else if (WIFSIGNALED(status_))
    std::snprintf(buf, sizeof buf, "killed by signal %d (%s)", WTERMSIG(status_), strsignal(WTERMSIG(status_)));
  else
    std::snprintf(buf, sizeof buf, "wait status %d", status_);
  return buf;
}

void server_process::kill_now() {
  if (pid_ < 0 || poll_exit())
    return;
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status_, 0);
  exited_ = true;
}

std::vector<stop_outcome> stop_servers(const std::vector<server_process*>& all, double timeout_s) {
  using clock = std::chrono::steady_clock;
  auto start = clock::now();
  std::vector<stop_outcome> out;
  for (auto* p : all)
    if (p->pid() > 0 && !p->poll_exit()) {
      ::kill(p->pid(), SIGTERM);
      out.push_back({p, false, 0});
    }
  auto deadline = start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout_s));
  for (auto& o : out) {
    // Polled: waitpid has no timeout, and a child's exit is seen within 10 ms.
    while (!o.process->poll_exit() && clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!o.process->exited()) {
      o.process->kill_now();
      o.killed = true;
    }
    o.seconds = std::chrono::duration<double>(clock::now() - start).count();
  }
  return out;
}

}  // namespace cstad::load
