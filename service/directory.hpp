#pragma once
// Where each number of the system lives: ranges of numbers -> the LIM that owns them and the
// kind of device they are. Its content is plain data (the ranges, and the rules that map global
// numbers to them), which can cross processes and later be filled from a cluster configuration;
// calls need no entry, their id names their LIM (sim/system_ids.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/device_kind.hpp"
#include "sim/number_forms.hpp"
#include "sim/number_plan.hpp"

namespace cstad::service {

/// Every number from first to last: numbers of the same length, in numeric order (a range of
/// one number may hold any text).
struct number_range {
  std::string first;
  std::string last;
  sim::device_kind kind = sim::device_kind::ip_extension;
  int lim = 1;

  friend bool operator==(const number_range& a, const number_range& b) {
    return a.first == b.first && a.last == b.last && a.kind == b.kind && a.lim == b.lim;
  }
};

template <class Inspector>
auto inspect(Inspector& f, number_range& x) {
  return f(x.first, x.last, x.kind, x.lim);
}

class directory {
public:
  directory() = default;
  /// Ranges in plan order; they must not overlap.
  explicit directory(std::vector<number_range> ranges, std::vector<sim::e164_rule> e164 = {});

  /// The plan of one LIM: its devices as ranges (consecutive numbers of one kind share one).
  static directory from_plan(const sim::number_plan& plan, int lim);

  /// The range holding number, or nullptr when the system has no such number.
  const number_range* find(std::string_view number) const;
  bool contains(std::string_view number) const { return find(number) != nullptr; }
  /// True when some range belongs to the LIM.
  bool has_lim(int lim) const;

  /// The number a client's device identifier names (sim/number_forms.hpp): "tel:+4687001000"
  /// is "1000" when the plan maps +468700 to its extensions.
  std::string number_of(std::string_view device_id) const {
    return sim::plan_number(device_id, e164_);
  }
  const std::vector<sim::e164_rule>& e164() const { return e164_; }

  /// Ranges in plan order.
  const std::vector<number_range>& ranges() const { return ranges_; }

  /// Calls f(number, kind) for every number, in plan order.
  template <class F>
  void for_each_number(F f) const {
    for (auto& r : ranges_)
      for (auto n = r.first;; n = successor(n)) {
        f(n, r.kind);
        if (n == r.last)
          break;
      }
  }

  /// The next number of the same length ("1099" -> "1100"); "" after "99…9" or for text
  /// that is not all digits.
  static std::string successor(std::string_view number);

private:
  void index();

  std::vector<number_range> ranges_;
  std::vector<sim::e164_rule> e164_;
  std::vector<std::size_t> by_number_;  // indexes into ranges_, ordered by (length, first)
};

}  // namespace cstad::service
