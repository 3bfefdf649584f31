#pragma once
// The admin commands' command lines, parsed by CLI11 with one correction: CLI11 2.1 reads
// "--applications=" (an empty value, which means "none" or "any") as an option still waiting
// for its value and takes the next argument, so "--applications= --password-stdin" would lose
// the flag. Here "--name=" becomes "--name" followed by an empty argument, which CLI11 keeps
// as the empty value. Parameters a command line left out are asked for on a terminal.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "admin/prompt.hpp"

namespace cstad::admin {

/// Parses argv into app; returns the exit code to end with (0 after --help, 2 for a usage
/// error, as for every other usage error of these commands), or -1 to go on.
inline int parse_command_line(CLI::App& app, int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 1; --i) {  // CLI11 takes them last first
    std::string a = argv[i];
    if (a.size() > 3 && a.rfind("--", 0) == 0 && a.back() == '=' && a.find('=') == a.size() - 1) {
      args.emplace_back();
      args.push_back(a.substr(0, a.size() - 1));
    } else {
      args.push_back(std::move(a));
    }
  }
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return -1;
}

/// A parameter: given on the command line, else asked on a terminal (its default shown), else
/// its default; a required one is an error in a script.
struct parameter {
  std::string value;
  const CLI::Option* option;
  std::string question;
  std::string fallback;  // what Enter takes on a terminal, and a script gets

  bool resolve(bool required, std::string& error) {
    if (option->count() > 0)
      return true;
    if (interactive()) {
      auto answer = ask(question, fallback);
      if (!answer) {
        error = "no answer for " + option->get_name();
        return false;
      }
      value = *answer;
      return true;
    }
    if (required) {
      error = option->get_name() + " is missing";
      return false;
    }
    value = fallback;
    return true;
  }
};

/// The whole text as a number within [lo, hi].
inline bool to_number(const std::string& text, long lo, long hi, long& out) {
  try {
    std::size_t used = 0;
    out = std::stol(text, &used);
    return used == text.size() && out >= lo && out <= hi;
  } catch (...) {
    return false;
  }
}

}  // namespace cstad::admin
