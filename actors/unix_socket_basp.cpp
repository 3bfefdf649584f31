#include "actors/unix_socket_basp.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <caf/actor_system.hpp>
#include <caf/function_view.hpp>
#include <caf/io/basp_broker.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor_impl.hpp>
#include <caf/io/network/default_multiplexer.hpp>
#include <caf/io/network/doorman_impl.hpp>
#include <caf/io/network/scribe_impl.hpp>
#include <caf/scoped_actor.hpp>

namespace cstad {
namespace {

using caf::io::network::default_multiplexer;
using caf::io::network::native_socket;

caf::error socket_error(const std::string& what, const std::string& path) {
  return caf::make_error(caf::sec::runtime_error, what + " " + path + ": " + std::strerror(errno));
}

bool fill_address(sockaddr_un& addr, const std::string& path) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return false;
  std::memcpy(addr.sun_path, path.data(), path.size());
  return true;
}

default_multiplexer& multiplexer_of(caf::actor_system& sys) {
  return static_cast<default_multiplexer&>(sys.middleman().backend());
}

// CAF's TCP servants ask the socket for an IPv4/IPv6 address and port; a Unix socket has
// neither, so these two say so themselves.
class unix_scribe : public caf::io::network::scribe_impl {
public:
  unix_scribe(default_multiplexer& mx, native_socket fd, std::string path)
      : scribe_impl(mx, fd), path_(std::move(path)) {}
  std::string addr() const override { return path_; }
  uint16_t port() const override { return 0; }

private:
  std::string path_;
};

class unix_doorman : public caf::io::network::doorman_impl {
public:
  unix_doorman(default_multiplexer& mx, native_socket fd, std::string path)
      : doorman_impl(mx, fd), path_(std::move(path)) {}
  std::string addr() const override { return path_; }
  uint16_t port() const override { return 0; }

  bool new_connection() override {
    if (detached())
      return false;
    auto& mx = acceptor_.backend();
    auto fd = acceptor_.accepted_socket();
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    auto scribe = caf::make_counted<unix_scribe>(mx, fd, path_);
    auto hdl = scribe->hdl();
    parent()->add_scribe(std::move(scribe));
    return doorman::new_connection(&mx, hdl);
  }

private:
  std::string path_;
};

// The middleman actor of one Unix socket: CAF's own publish and connect logic (handshake,
// interface check, proxies) with the socket in place of TCP.
class unix_socket_middleman : public caf::io::middleman_actor_impl {
public:
  unix_socket_middleman(caf::actor_config& cfg, caf::actor basp, std::string path)
      : middleman_actor_impl(cfg, std::move(basp)), path_(std::move(path)) {}

protected:
  caf::expected<caf::io::scribe_ptr> connect(const std::string&, uint16_t) override {
    sockaddr_un addr;
    if (!fill_address(addr, path_))
      return caf::make_error(caf::sec::runtime_error, "the socket path is too long: " + path_);
    native_socket fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
      return socket_error("cannot create a socket for", path_);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      auto err = socket_error("cannot connect to", path_);
      ::close(fd);
      return err;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    return caf::io::scribe_ptr{caf::make_counted<unix_scribe>(multiplexer_of(system()), fd, path_)};
  }

  caf::expected<caf::io::doorman_ptr> open(uint16_t, const char*, bool) override {
    sockaddr_un addr;
    if (!fill_address(addr, path_))
      return caf::make_error(caf::sec::runtime_error, "the socket path is too long: " + path_);
    native_socket fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
      return socket_error("cannot create a socket for", path_);
    // A socket file left by a server that did not stop cleanly; the data directory's lock
    // already says that no other server uses this directory.
    ::unlink(path_.c_str());
    // Created 0600 from the start (umask), not chmod-ed afterwards: no window for others.
    auto old_mask = ::umask(0177);
    auto bound = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::umask(old_mask);
    if (bound != 0 || ::listen(fd, 16) != 0) {
      auto err = socket_error("cannot listen on", path_);
      ::close(fd);
      return err;
    }
    return caf::io::doorman_ptr{caf::make_counted<unix_doorman>(multiplexer_of(system()), fd, path_)};
  }

private:
  std::string path_;
};

caf::actor spawn_middleman(caf::actor_system& sys, const std::string& path) {
  auto basp = sys.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"));
  return caf::actor_cast<caf::actor>(sys.spawn<unix_socket_middleman, caf::hidden>(basp, path));
}

}  // namespace

caf::expected<caf::actor> publish_on_unix_socket(caf::actor_system& sys, caf::strong_actor_ptr whom,
                                                 std::set<std::string> sigs, const std::string& path) {
  auto mm = spawn_middleman(sys, path);
  caf::error failure;
  caf::scoped_actor self{sys};
  self->request(mm, caf::infinite, caf::publish_atom::value, std::uint16_t{0}, std::move(whom), std::move(sigs),
                std::string{}, false)
      .receive([](std::uint16_t) {}, [&](caf::error& err) { failure = std::move(err); });
  if (failure) {
    self->send_exit(mm, caf::exit_reason::user_shutdown);
    return failure;
  }
  return mm;
}

caf::expected<caf::strong_actor_ptr> connect_to_unix_socket(caf::actor_system& sys, const std::string& path,
                                                            const std::set<std::string>& ifs,
                                                            caf::timespan timeout) {
  auto mm = spawn_middleman(sys, path);
  caf::expected<caf::strong_actor_ptr> result{caf::sec::runtime_error};
  {
    caf::scoped_actor self{sys};
    self->request(mm, timeout, caf::connect_atom::value, path, std::uint16_t{0})
        .receive(
            [&](caf::node_id&, caf::strong_actor_ptr& whom, std::set<std::string>& sigs) {
              if (whom == nullptr)
                result = caf::make_error(caf::sec::no_actor_published_at_port, path);
              else if (!sys.assignable(sigs, ifs))
                result = caf::make_error(caf::sec::unexpected_actor_messaging_interface, path);
              else
                result = std::move(whom);
            },
            [&](caf::error& err) { result = std::move(err); });
    // The connection belongs to the BASP broker now; this actor only set it up.
    self->send_exit(mm, caf::exit_reason::user_shutdown);
  }
  return result;
}

}  // namespace cstad
