#include "admin/prompt.hpp"

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

// Echo off while a password is typed, back on afterwards, whatever happens.
struct no_echo {
  termios saved{};
  bool active = false;
  no_echo() {
    if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
      auto quiet = saved;
      quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
      active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~no_echo() {
    if (active)
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
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

std::optional<std::string> ask_password(const std::string& question, bool confirm) {
  auto first = silent_line(question);
  if (!first || !confirm)
    return first;
  auto again = silent_line("Again");
  if (!again || *again != *first)
    return std::nullopt;
  return first;
}

}  // namespace cstad::admin
