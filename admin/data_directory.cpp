#include "admin/data_directory.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

namespace cstad::admin {
namespace {

std::string system_error(const std::string& what) { return what + ": " + std::strerror(errno); }

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

bool write_file_atomically(const std::string& path, const std::string& text, std::string& error) {
  auto tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = system_error("cannot write " + tmp);
    return false;
  }
  bool ok = write_all(fd, text) && ::fsync(fd) == 0;
  if (!ok)
    error = system_error("cannot write " + tmp);
  ::close(fd);
  if (ok && ::rename(tmp.c_str(), path.c_str()) != 0) {
    error = system_error("cannot rename " + tmp + " to " + path);
    ok = false;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return false;
  }
  // The rename itself must survive a crash: sync the directory entry.
  int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = system_error("cannot read " + path);
    return std::nullopt;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string data_directory::resolve(const std::string& option) {
  if (!option.empty())
    return option;
  if (auto env = std::getenv("CSTAD_DATA_DIR"); env != nullptr && *env != '\0')
    return env;
  if (auto state = std::getenv("XDG_STATE_HOME"); state != nullptr && *state != '\0')
    return std::string{state} + "/cstad";
  if (auto home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::string{home} + "/.local/state/cstad";
  return "/var/lib/cstad";
}

const char* data_directory::rule() {
  return "--data-dir, else $CSTAD_DATA_DIR, else $XDG_STATE_HOME/cstad, else "
         "$HOME/.local/state/cstad";
}

bool data_directory::create(std::string& error) const {
  // Each missing parent too, like mkdir -p; only the data directory itself is private.
  for (std::size_t i = 1; i <= path_.size(); ++i) {
    if (i != path_.size() && path_[i] != '/')
      continue;
    auto part = path_.substr(0, i);
    if (::mkdir(part.c_str(), i == path_.size() ? 0700 : 0755) != 0 && errno != EEXIST) {
      error = system_error("cannot create the data directory " + part);
      return false;
    }
  }
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    error = "the data directory " + path_ + " is not a directory";
    return false;
  }
  return true;
}

bool data_directory::lock(std::string& error) {
  auto name = file("cstad.lock");
  lock_fd_ = ::open(name.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) {
    error = system_error("cannot open " + name);
    return false;
  }
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    std::string other;
    char buf[32] = {};
    if (::pread(lock_fd_, buf, sizeof(buf) - 1, 0) > 0)
      other = " (process " + std::string{buf}.substr(0, std::string{buf}.find('\n')) + ")";
    error = "another cstad runs on the data directory " + path_ + other;
    ::close(lock_fd_);
    lock_fd_ = -1;
    return false;
  }
  auto pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(lock_fd_, 0) != 0 || ::pwrite(lock_fd_, pid.data(), pid.size(), 0) < 0) {
    // The lock holds regardless; the pid is only for the message above.
  }
  return true;
}

bool data_directory::create_tls_directory(std::string& error) const {
  if (!create(error))
    return false;
  auto tls = file("tls");
  if (::mkdir(tls.c_str(), 0700) != 0 && errno != EEXIST) {
    error = system_error("cannot create " + tls);
    return false;
  }
  struct stat st {};
  if (::stat(tls.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    error = tls + " is not a directory";
    return false;
  }
  return true;
}

data_directory::load_result data_directory::load(system_config& out, std::string& error) const {
  auto name = config_file();
  if (::access(name.c_str(), F_OK) != 0 && errno == ENOENT)
    return load_result::missing;
  auto text = read_file(name, error);
  if (!text)
    return load_result::broken;
  std::string problem;
  auto c = from_json(*text, problem);
  if (!c) {
    error = name + ": " + problem;
    return load_result::broken;
  }
  out = std::move(*c);
  return load_result::loaded;
}

bool data_directory::save(const system_config& c, std::string& error) const {
  return write_file_atomically(config_file(), to_json(c), error);
}

std::optional<std::string> data_directory::admin_secret(bool create, std::string& error) const {
  auto name = file("admin.secret");
  std::string unreadable;
  if (auto text = read_file(name, unreadable)) {
    auto secret = text->substr(0, text->find('\n'));
    if (!secret.empty())
      return secret;
  } else if (::access(name.c_str(), F_OK) == 0 || errno != ENOENT) {
    // There is a secret we may not read: making a new one would lock its owner out.
    error = unreadable;
    return std::nullopt;
  }
  if (!create) {
    error = "no admin secret in " + path_ + " (is this the data directory of a cstad?)";
    return std::nullopt;
  }
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    error = "no random bytes for the admin secret";
    return std::nullopt;
  }
  static const char* hex = "0123456789abcdef";
  std::string secret;
  for (auto b : bytes) {
    secret += hex[b >> 4];
    secret += hex[b & 15];
  }
  if (!write_file_atomically(name, secret + "\n", error))
    return std::nullopt;
  return secret;
}

std::string data_directory::exposure() const {
  std::string out;
  for (auto name : {path_, file("admin.secret")}) {
    struct stat st {};
    if (::stat(name.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
      out += (out.empty() ? "" : ", ") + name + " has mode " + mode;
    }
  }
  return out;
}

}  // namespace cstad::admin
