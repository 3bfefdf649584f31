#include "sim/behaviour.hpp"

#include <algorithm>
#include <cmath>

namespace cstad::sim {

duration time_distribution::draw(std::mt19937_64& rng) const {
  double seconds = a;
  switch (form) {
    case shape::fixed: break;
    case shape::uniform: seconds = std::uniform_real_distribution<double>(a, std::max(a, b))(rng); break;
    case shape::exponential:
      seconds = a <= 0 ? 0 : std::exponential_distribution<double>(1.0 / a)(rng);
      break;
  }
  return duration{static_cast<long long>(std::llround(std::max(0.0, seconds) * 1000))};
}

}  // namespace cstad::sim
