#include "service/id_source.hpp"

#include "sim/system_ids.hpp"

namespace cstad::service {

id_source::id_source(int lim) : next_(sim::first_id_of(lim)) {}

std::string id_source::next() { return std::to_string(next_.fetch_add(1, std::memory_order_relaxed)); }

}  // namespace cstad::service
