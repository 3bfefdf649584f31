#include "admin/tls_backup.hpp"

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace cstad::admin {
namespace {

struct tls_member {
  const char* name;
  std::string (data_directory::*file)() const;
};

constexpr tls_member members[] = {{"certificate", &data_directory::tls_certificate_file},
                                  {"key", &data_directory::tls_key_file},
                                  {"client_ca", &data_directory::tls_client_ca_file}};

}  // namespace

std::string with_tls_files(const data_directory& dir, const std::string& backup_json) {
  auto doc = nlohmann::json::parse(backup_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return backup_json;
  nlohmann::json tls = nlohmann::json::object();
  for (auto& m : members) {
    std::string ignored;
    if (auto text = read_file((dir.*m.file)(), ignored))
      tls[m.name] = *text;
  }
  if (tls.empty())
    return backup_json;
  doc["tls"] = tls;
  return doc.dump(2) + "\n";
}

bool restore_tls_files(const data_directory& dir, const std::string& backup_json, std::string& error) {
  auto doc = nlohmann::json::parse(backup_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("tls"))
    return true;
  auto& tls = doc["tls"];
  if (!tls.is_object() || !dir.create_tls_directory(error)) {
    if (error.empty())
      error = "the backup's \"tls\" is not an object";
    return false;
  }
  // The key before the certificate: a listener that looks in between keeps its old pair.
  for (auto& m : {members[1], members[0], members[2]}) {
    auto name = (dir.*m.file)();
    if (!tls.contains(m.name)) {
      if (m.name == std::string{"client_ca"})
        ::unlink(name.c_str());
      continue;
    }
    if (!tls[m.name].is_string()) {
      error = std::string{"the backup's tls."} + m.name + " is not text";
      return false;
    }
    if (!write_file_atomically(name, tls[m.name].get<std::string>(), error))
      return false;
  }
  return true;
}

}  // namespace cstad::admin
