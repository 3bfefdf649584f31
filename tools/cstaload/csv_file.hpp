#pragma once
// --csv: the figures of each second, one row each, for a spreadsheet or gnuplot.

#include <string>
#include <vector>

#include "tools/cstaload/second_series.hpp"

namespace cstad::load {

/// The header row (column names), without its line end.
std::string csv_header();
/// One row, without its line end; a latency column is empty when the second had no sample.
std::string csv_row(const second_row& r);

/// Writes the header and the rows to path; false, and why, when it cannot.
bool write_csv(const std::string& path, const std::vector<second_row>& rows, std::string& error);

/// Where the trivial server's rows go beside path: "load.csv" -> "load.trivial.csv".
std::string trivial_csv_path(const std::string& path);

}  // namespace cstad::load
