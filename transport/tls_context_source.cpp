#include "transport/tls_context_source.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace cstad::transport {
namespace {

// Inode, size and modification time of each file (zeros for a missing one): a file replaced
// by rename changes its inode, one rewritten in place its time or size.
std::vector<long long> signature(const tls_files& f) {
  std::vector<long long> out;
  for (auto* name : {&f.certificate, &f.key, &f.client_ca}) {
    struct stat st {};
    if (name->empty() || ::stat(name->c_str(), &st) != 0) {
      out.insert(out.end(), {0, 0, 0, 0});
      continue;
    }
    out.insert(out.end(), {static_cast<long long>(st.st_ino), static_cast<long long>(st.st_size),
                           static_cast<long long>(st.st_mtim.tv_sec), static_cast<long long>(st.st_mtim.tv_nsec)});
  }
  return out;
}

bool read_text(const std::string& name, std::string& out, std::string& error) {
  std::ifstream in(name, std::ios::binary);
  if (!in) {
    error = "cannot read " + name;
    return false;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  out = buf.str();
  return true;
}

}  // namespace

std::shared_ptr<const tls_context> tls_context_source::current(std::string& error) {
  auto now = signature(files_);
  if (now == seen_) {
    if (!ctx_)
      error = last_error_;
    return ctx_;
  }
  seen_ = now;
  std::string cert, key, ca, why;
  constexpr std::size_t client_ca_inode = 2 * 4;  // the third file's first field
  bool has_ca = !files_.client_ca.empty() && now[client_ca_inode] != 0;
  if (read_text(files_.certificate, cert, why) && read_text(files_.key, key, why) &&
      (!has_ca || read_text(files_.client_ca, ca, why))) {
    if (auto fresh = tls_context::server(cert, key, ca, why)) {
      ctx_ = std::move(fresh);
      last_error_.clear();
      return ctx_;
    }
  }
  last_error_ = files_.certificate + ": " + why;
  error = last_error_;
  return ctx_;
}

}  // namespace cstad::transport
