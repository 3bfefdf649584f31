#include "transport/wire_trace.hpp"

#include <memory>
#include <mutex>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/spdlog.h>

#include "transport/trace_mask.hpp"

namespace cstad::transport::wire_trace {

namespace detail {
std::atomic<bool> on{false};
}

namespace {

struct state {
  std::mutex mutex;
  std::shared_ptr<spdlog::logger> file;
  std::string client;  // traced address; empty: every client
};

state& the() {
  static state s;
  return s;
}

std::string_view address_of(std::string_view peer) {
  auto colon = peer.rfind(':');
  return colon == std::string_view::npos ? peer : peer.substr(0, colon);
}

}  // namespace

void open(const std::string& path, std::size_t max_bytes, std::size_t files) {
  auto& s = the();
  std::lock_guard<std::mutex> lock{s.mutex};
  try {
    auto sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(path, max_bytes, files);
    s.file = std::make_shared<spdlog::logger>("trace", sink);
    s.file->set_pattern("%Y-%m-%d %H:%M:%S.%f %v");
    s.file->flush_on(spdlog::level::info);
  } catch (const spdlog::spdlog_ex& e) {
    s.file.reset();  // no trace, but the server runs
    spdlog::error("the wire trace file {} cannot be opened: {}", path, e.what());
  }
}

void select(bool on, const std::string& client) {
  auto& s = the();
  std::lock_guard<std::mutex> lock{s.mutex};
  s.client = on ? client : std::string{};
  detail::on.store(on && s.file != nullptr, std::memory_order_relaxed);
}

std::string describe() {
  auto& s = the();
  std::lock_guard<std::mutex> lock{s.mutex};
  if (!detail::on.load(std::memory_order_relaxed))
    return "off";
  return s.client.empty() ? "all clients" : "clients from " + s.client;
}

void write(std::string_view peer, const char* direction, const char* carrier, int invoke, std::string_view xml) {
  auto& s = the();
  std::lock_guard<std::mutex> lock{s.mutex};
  if (!detail::on.load(std::memory_order_relaxed) || !s.file)
    return;
  if (!s.client.empty() && address_of(peer) != s.client)
    return;
  s.file->info("{} {} {} {:04d} {}", peer, direction, carrier, invoke, mask_passwords(xml));
}

}  // namespace cstad::transport::wire_trace
