// data_restore FILE: loads a data_backup into a cstad, after checking it: a running server
// keeps it and starts again from it (its clients are disconnected); for a stopped one it is
// written to the data directory, where the next start finds it.

#include <iostream>

#include <CLI/CLI.hpp>

#include "admin/admin_client.hpp"
#include "admin/command_line.hpp"
#include "admin/data_directory.hpp"
#include "admin/tls_backup.hpp"

using namespace cstad::admin;

int main(int argc, char** argv) {
  CLI::App app{"data_restore - load a data_backup into a cstad (running or stopped)\n"
               "  data_restore [--data-dir=DIR] FILE",
               "data_restore"};
  std::string file, data_dir;
  app.add_option("FILE", file, "a file data_backup wrote")->required();
  app.add_option("--data-dir", data_dir, "the server's data directory (default: as cstad --help says)");
  if (auto code = parse_command_line(app, argc, argv); code >= 0)
    return code;

  std::string error;
  auto text = read_file(file, error);
  if (!text) {
    std::cerr << "data_restore: " << error << std::endl;
    return 1;
  }
  auto c = from_json(*text, error);
  if (!c) {
    std::cerr << "data_restore: " << file << " cannot be restored: " << error << std::endl;
    return 1;
  }
  // The TLS files first: a running server restarts its TLS servers from them.
  if (!restore_tls_files(data_directory{data_directory::resolve(data_dir)}, *text, error)) {
    std::cerr << "data_restore: " << error << std::endl;
    return 1;
  }
  if (auto client = admin_client::connect(data_dir, error)) {
    auto r = client->restore(*text, error);
    if (!r || !r->error.empty()) {
      std::cerr << "data_restore: " << (r ? r->error : error) << std::endl;
      return 1;
    }
    std::cout << "restored " << file << " into the running server: " << r->message << std::endl;
    return 0;
  }
  data_directory dir{data_directory::resolve(data_dir)};
  if (!dir.create(error) || !dir.save(*c, error)) {
    std::cerr << "data_restore: " << error << std::endl;
    return 1;
  }
  std::cout << "restored " << file << " into the data directory " << dir.path()
            << " (no cstad runs on it; the next start uses it)" << std::endl;
  return 0;
}
