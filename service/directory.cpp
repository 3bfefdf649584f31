#include "service/directory.hpp"

#include <algorithm>

namespace cstad::service {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

bool before(const number_range& a, const number_range& b) {
  return a.first.size() != b.first.size() ? a.first.size() < b.first.size() : a.first < b.first;
}

}  // namespace

directory::directory(std::vector<number_range> ranges, std::vector<sim::e164_rule> e164)
    : ranges_(std::move(ranges)), e164_(std::move(e164)) {
  index();
}

void directory::index() {
  by_number_.resize(ranges_.size());
  for (std::size_t i = 0; i < ranges_.size(); ++i)
    by_number_[i] = i;
  std::sort(by_number_.begin(), by_number_.end(),
            [this](std::size_t a, std::size_t b) { return before(ranges_[a], ranges_[b]); });
}

std::string directory::successor(std::string_view number) {
  if (!all_digits(number))
    return {};
  std::string next{number};
  for (auto i = next.size(); i-- > 0;) {
    if (next[i] != '9') {
      ++next[i];
      return next;
    }
    next[i] = '0';
  }
  return {};  // 99…9 has no successor of the same length
}

directory directory::from_plan(const sim::number_plan& plan, int lim) {
  std::vector<number_range> ranges;
  for (auto& d : plan.devices()) {
    if (!ranges.empty()) {
      auto& last = ranges.back();
      if (last.kind == d.kind && !d.number.empty() && successor(last.last) == d.number) {
        last.last = d.number;
        continue;
      }
    }
    ranges.push_back({d.number, d.number, d.kind, lim});
  }
  return directory{std::move(ranges), plan.e164()};
}

const number_range* directory::find(std::string_view number) const {
  // The last range (in number order) that starts at or before the number.
  auto probe = number_range{std::string{number}, {}, {}, 0};
  auto i = std::upper_bound(by_number_.begin(), by_number_.end(), probe,
                            [this](const number_range& p, std::size_t r) { return before(p, ranges_[r]); });
  if (i == by_number_.begin())
    return nullptr;
  auto& r = ranges_[*(i - 1)];
  if (number == r.first)
    return &r;
  bool inside = number.size() == r.first.size() && all_digits(number) && number <= r.last;
  return inside ? &r : nullptr;
}

bool directory::has_lim(int lim) const {
  return std::any_of(ranges_.begin(), ranges_.end(), [lim](const number_range& r) { return r.lim == lim; });
}

}  // namespace cstad::service
