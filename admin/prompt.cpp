#include "admin/prompt.hpp"

#include <csignal>
#include <iostream>

#include <termios.h>
#include <unistd.h>

namespace cstad::admin {

bool interactive() { return ::isatty(STDIN_FILENO) == 1; }

std::optional<std::string> read_line() {
  std::string line;
  if (!std::getline(std::cin, line))
    return std::nullopt;
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  return line;
}

std::optional<std::string> ask(const std::string& question, const std::string& fallback) {
  std::cout << question;
  if (!fallback.empty())
    std::cout << " [" << fallback << "]";
  std::cout << ": " << std::flush;
  auto answer = read_line();
  if (!answer)
    return std::nullopt;
  return answer->empty() ? fallback : *answer;
}

namespace {

// Echo off while a password is typed, back on afterwards, whatever happens: also when the
// operator gives up with Ctrl-C (or the session ends), which would otherwise leave the
// terminal without echo.
termios saved_for_signal{};

extern "C" void restore_echo_and_die(int sig) {
  ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_for_signal);  // async-signal-safe
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

struct no_echo {
  termios saved{};
  bool active = false;
  using handler = void (*)(int);
  handler previous[3] = {};
  static constexpr int signals[3] = {SIGINT, SIGTERM, SIGHUP};

  no_echo() {
    if (::tcgetattr(STDIN_FILENO, &saved) != 0)
      return;
    saved_for_signal = saved;
    for (int i = 0; i < 3; ++i)
      previous[i] = std::signal(signals[i], restore_echo_and_die);
    auto quiet = saved;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~no_echo() {
    if (active)
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    for (int i = 0; i < 3; ++i)
      if (previous[i] != SIG_ERR)
        std::signal(signals[i], previous[i]);
  }
};

std::optional<std::string> silent_line(const std::string& question) {
  no_echo quiet;  // before the question: whatever is typed once it shows is not echoed
  std::cout << question << ": " << std::flush;
  auto line = read_line();
  std::cout << std::endl;
  return line;
}

}  // namespace

std::optional<std::string> ask_password(const std::string& question, bool confirm, std::string& why) {
  auto first = silent_line(question);
  if (!first) {
    why = "no password (end of input)";
    return std::nullopt;
  }
  if (!confirm)
    return first;
  auto again = silent_line("Again");
  if (!again) {
    why = "no password (end of input)";
    return std::nullopt;
  }
  if (*again != *first) {
    why = "the passwords did not match";
    return std::nullopt;
  }
  return first;
}

}  // namespace cstad::admin
