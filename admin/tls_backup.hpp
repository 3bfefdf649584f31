#pragma once
// The TLS files of the data directory in a backup: data_backup adds the installed certificate,
// its key and the client CA to the configuration it dumps, and data_restore puts them back
// before the server restarts from the configuration, so a fresh data directory reproduces the
// TLS servers too. (The backup file is readable only by its owner: it holds a private key.)

#include <string>

#include "admin/data_directory.hpp"

namespace cstad::admin {

/// The backup text with a "tls" member holding the files that exist (none: unchanged).
std::string with_tls_files(const data_directory& dir, const std::string& backup_json);

/// Writes the backup's TLS files into the directory (and removes a client CA the backup has
/// not); nothing happens for a backup without a "tls" member.
bool restore_tls_files(const data_directory& dir, const std::string& backup_json, std::string& error);

}  // namespace cstad::admin
