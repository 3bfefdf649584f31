#include "transport/write_window.hpp"

namespace cstad::transport {

bool write_window::push(std::string bytes, bool first) {
  if (queued_ + bytes.size() > limits_.queued)
    return false;
  queued_ += bytes.size();
  if (first)
    queue_.insert(queue_.begin() + static_cast<std::ptrdiff_t>(answers_), std::move(bytes));
  else
    queue_.push_back(std::move(bytes));
  answers_ += first ? 1 : 0;
  return true;
}

}  // namespace cstad::transport
