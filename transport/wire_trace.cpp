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
  trace_selection selection;
  std::uint64_t generations = 0;  // selections made so far
};

state& the() {
  static state s;
  return s;
}

bool traced(const trace_selection& s, std::string_view peer, std::uint64_t traced) {
  switch (s.who) {
    case trace_selection::by::nobody:
      return false;
    case trace_selection::by::everyone:
      return true;
    case trace_selection::by::client:
      return names_client(s, peer);
    case trace_selection::by::session:
    case trace_selection::by::device:
      return traced == s.generation;
  }
  return false;
}

// A SIP message's lines (CRLF, or a bare LF) as the trace shows them: the first as it is, the
// others indented; the line ends at its end dropped (the file's own ends the entry).
std::string indented_lines(std::string_view message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r'))
    message.remove_suffix(1);
  std::string out;
  out.reserve(message.size() + message.size() / 16);
  std::size_t at = 0;
  while (at <= message.size()) {
    auto eol = message.find('\n', at);
    auto line = message.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (at > 0)
      out.append("\n  ");
    out.append(line);
    if (eol == std::string_view::npos)
      break;
    at = eol + 1;
  }
  return out;
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

trace_selection select(trace_selection selection) {
  auto& s = the();
  std::lock_guard<std::mutex> lock{s.mutex};
  if (!s.file)
    selection = {};
  selection.generation = ++s.generations;
  s.selection = selection;
  detail::on.store(selection.who != trace_selection::by::nobody, std::memory_order_relaxed);
  return selection;
}

trace_selection current() {
  auto& s = the();
  std::lock_guard<std::mutex> lock{s.mutex};
  return s.selection;
}

std::string describe() { return cstad::describe(current()); }

namespace {

// Writes the entry that `entry(file)` makes, if the connection is traced: masking and
// formatting are done only then, under the lock that keeps entries whole.
template <class Entry>
void write_if_traced(std::string_view peer, std::uint64_t traced_by_session, Entry&& entry) {
  auto& s = the();
  std::lock_guard<std::mutex> lock{s.mutex};
  if (s.file && traced(s.selection, peer, traced_by_session))
    entry(*s.file);
}

}  // namespace

void write(std::string_view peer, std::uint64_t traced_by_session, const char* direction, const char* carrier,
           int invoke, std::string_view xml) {
  write_if_traced(peer, traced_by_session, [&](spdlog::logger& file) {
    file.info("{} {} {} {:04d} {}", peer, direction, carrier, invoke, mask_passwords(xml));
  });
}

void write_sip(std::string_view peer, std::uint64_t traced_by_session, const char* direction, const char* carrier,
               std::string_view message) {
  write_if_traced(peer, traced_by_session, [&](spdlog::logger& file) {
    file.info("{} {} {} - {}", peer, direction, carrier, indented_lines(mask_sip(message)));
  });
}

}  // namespace cstad::transport::wire_trace
