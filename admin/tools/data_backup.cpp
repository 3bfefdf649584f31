// data_backup FILE: dumps all exchange and CSTA data of a cstad (its servers, accounts, number
// plan, DND and forwarding) to FILE, from the running server or, when none runs, from its data
// directory. data_restore reads it back.

#include <iostream>

#include <CLI/CLI.hpp>

#include "admin/admin_client.hpp"
#include "admin/command_line.hpp"
#include "admin/data_directory.hpp"
#include "admin/tls_backup.hpp"

using namespace cstad::admin;

int main(int argc, char** argv) {
  CLI::App app{"data_backup - dump all exchange and CSTA data of a cstad to a file (JSON)\n"
               "  data_backup [--data-dir=DIR] FILE",
               "data_backup"};
  std::string file, data_dir;
  app.add_option("FILE", file, "where the backup goes (readable only by its owner: it holds password hashes)")
      ->required();
  app.add_option("--data-dir", data_dir, "the server's data directory (default: as cstad --help says)");
  if (auto code = parse_command_line(app, argc, argv); code >= 0)
    return code;

  std::string error, text, source;
  if (auto client = admin_client::connect(data_dir, error)) {
    auto r = client->backup(error);
    if (!r) {
      std::cerr << "data_backup: " << error << std::endl;
      return 1;
    }
    text = r->message;
    source = "the running server";
  } else {
    // No server runs: the data directory has it all.
    data_directory dir{data_directory::resolve(data_dir)};
    system_config c;
    switch (dir.load(c, error)) {
      case data_directory::load_result::loaded:
        text = to_json(c);
        source = "the data directory " + dir.path() + " (no cstad runs on it)";
        break;
      case data_directory::load_result::missing:
        std::cerr << "data_backup: nothing to back up: no cstad runs on " << dir.path()
                  << " and it holds no configuration" << std::endl;
        return 1;
      case data_directory::load_result::broken:
        std::cerr << "data_backup: " << error << std::endl;
        return 1;
    }
  }
  text = with_tls_files(data_directory{data_directory::resolve(data_dir)}, text);
  if (!write_file_atomically(file, text, error)) {
    std::cerr << "data_backup: " << error << std::endl;
    return 1;
  }
  std::cout << "backed up " << source << " to " << file << std::endl;
  return 0;
}
