#pragma once
// The live progress line: one line a second with that second's figures, rewritten in place
// (\r) when stdout is a terminal, one line after the other when it is not (a log, a pipe).

#include <string>

#include "tools/cstaload/second_series.hpp"

namespace cstad::load {

class progress_line {
public:
  explicit progress_line(std::string label);
  /// Shows a row (warm-up or window).
  void show(const second_row& r);
  /// Shows a message in its place (set-up steps).
  void note(const std::string& text);
  /// Ends the line on a terminal, so what follows starts on a fresh one.
  void done();

  /// The row as the line shows it (no line end).
  static std::string format(const std::string& label, const second_row& r);

private:
  void put(const std::string& text);

  std::string label_;
  bool tty_;
  bool open_ = false;  // a line is shown without its line end
};

}  // namespace cstad::load
