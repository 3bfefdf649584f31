#pragma once
// Asks several actors the same question and combines what they answer: how the node and the
// listeners gather their status from their parts. Header-only; include it only where CAF
// already is.

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <caf/error.hpp>

namespace cstad {

/// Sends (xs...) as a request to every handle and calls done with the answers that arrived
/// within the timeout, once every handle has answered or failed (at once when there are none);
/// an invalid handle counts as failed.
template <class Answer, class Self, class Handle, class Done, class... Ts>
void fan_out(Self* self, const std::vector<Handle>& handles, std::chrono::milliseconds timeout,
             Done done, const Ts&... xs) {
  if (handles.empty()) {
    done(std::vector<Answer>{});
    return;
  }
  struct gathering {
    std::size_t waiting;
    std::vector<Answer> answers;
    Done done;
  };
  auto g = std::make_shared<gathering>(gathering{handles.size(), {}, std::move(done)});
  auto one_less = [g] {
    if (--g->waiting == 0)
      g->done(std::move(g->answers));
  };
  for (auto& h : handles) {
    if (!h) {  // nobody to ask: as if it had failed
      one_less();
      continue;
    }
    self->request(h, timeout, xs...)
        .then(
            [g, one_less](Answer& a) {
              g->answers.push_back(std::move(a));
              one_less();
            },
            [one_less](caf::error&) { one_less(); });
  }
}

}  // namespace cstad

namespace cstad {

/// The same, keeping who answered what: done gets one slot per handle, in the handles' order,
/// empty where that handle failed or did not answer in time.
template <class Answer, class Self, class Handle, class Done, class... Ts>
void fan_out_indexed(Self* self, const std::vector<Handle>& handles,
                     std::chrono::milliseconds timeout, Done done, const Ts&... xs) {
  if (handles.empty()) {
    done(std::vector<std::optional<Answer>>{});
    return;
  }
  struct gathering {
    std::size_t waiting;
    std::vector<std::optional<Answer>> answers;
    Done done;
  };
  auto g = std::make_shared<gathering>(
      gathering{handles.size(), std::vector<std::optional<Answer>>(handles.size()), std::move(done)});
  auto one_less = [g] {
    if (--g->waiting == 0)
      g->done(std::move(g->answers));
  };
  for (std::size_t i = 0; i < handles.size(); ++i) {
    if (!handles[i]) {  // nobody to ask: an empty slot
      one_less();
      continue;
    }
    self->request(handles[i], timeout, xs...)
        .then(
            [g, one_less, i](Answer& a) {
              g->answers[i] = std::move(a);
              one_less();
            },
            [one_less](caf::error&) { one_less(); });
  }
}

}  // namespace cstad
