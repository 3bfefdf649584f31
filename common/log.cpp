#include "common/log.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace cstad::log {
namespace {

std::shared_ptr<spdlog::logger> make(const char* name) {
  static auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(name, sink);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v");
  logger->set_level(spdlog::level::info);
  return logger;
}

struct loggers {
  std::shared_ptr<spdlog::logger> listener = make("listener");
  std::shared_ptr<spdlog::logger> connection = make("connection");
  std::shared_ptr<spdlog::logger> session = make("session");
  std::shared_ptr<spdlog::logger> device = make("device");
  std::shared_ptr<spdlog::logger> lim = make("lim");
  std::shared_ptr<spdlog::logger> node = make("node");
  std::shared_ptr<spdlog::logger> main = make("cstad");
};

loggers& all() {
  static loggers instance;
  return instance;
}

}  // namespace

void setup(std::string_view level) {
  auto lvl = spdlog::level::from_str(std::string{level});
  auto& l = all();
  for (auto* p : {&l.listener, &l.connection, &l.session, &l.device, &l.lim, &l.node, &l.main})
    (*p)->set_level(lvl);
}

spdlog::logger& listener() { return *all().listener; }
spdlog::logger& connection() { return *all().connection; }
spdlog::logger& session() { return *all().session; }
spdlog::logger& device() { return *all().device; }
spdlog::logger& lim() { return *all().lim; }
spdlog::logger& node() { return *all().node; }
spdlog::logger& main() { return *all().main; }

}  // namespace cstad::log
