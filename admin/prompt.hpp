#pragma once
// Asking the operator for what a command line left out: on a terminal, a question with the
// default shown (Enter takes it); in a script, nothing is asked and a missing parameter that has
// no default is an error. Passwords are read without echo.

#include <optional>
#include <string>

namespace cstad::admin {

/// True when standard input is a terminal, so questions can be asked.
bool interactive();

/// Asks "question [default]: " on a terminal; the answer, or the default for an empty one.
/// Nothing at the end of input.
std::optional<std::string> ask(const std::string& question, const std::string& fallback);

/// Asks for a password without echo (twice when confirm is set). Nothing, and why, at the end
/// of input or when the two do not match. Echo comes back even when a signal ends the program.
std::optional<std::string> ask_password(const std::string& question, bool confirm, std::string& why);

/// The first line of standard input (--password-stdin).
std::optional<std::string> read_line();

}  // namespace cstad::admin
