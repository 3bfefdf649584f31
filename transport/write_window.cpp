#include "transport/write_window.hpp"

namespace cstad::transport {

bool write_window::push(std::string bytes) {
  if (queued_ + bytes.size() > limits_.queued)
    return false;
  queued_ += bytes.size();
  queue_.push_back(std::move(bytes));
  return true;
}

}  // namespace cstad::transport
