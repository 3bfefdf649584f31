#include "service/device_forms.hpp"

namespace cstad::service {

void device_forms::remember(const std::string& number, const std::string& as_sent, bool in_plan) {
  if (as_sent == number || as_sent.size() > max_form_length) {
    by_number_.erase(number);
    return;
  }
  auto added = by_number_.insert_or_assign(number, as_sent).second;
  if (!added || in_plan)
    return;
  outside_.push_back(number);
  if (outside_.size() > max_outside) {
    // A number forgotten and named again meanwhile may lose its newer form here: rare, and
    // then it only goes out as the plain number.
    by_number_.erase(outside_.front());
    outside_.pop_front();
  }
}

const std::string& device_forms::form_of(const std::string& number) const {
  auto i = by_number_.find(number);
  return i == by_number_.end() ? number : i->second;
}

void device_forms::apply(std::string& device) const {
  if (device.empty())
    return;
  auto i = by_number_.find(device);
  if (i != by_number_.end())
    device = i->second;
}

protocol::csta_event device_forms::render(const protocol::csta_event& e, const std::string& own,
                                          const std::string& own_form) const {
  auto out = e;
  auto name = [&](std::string& device) {
    if (!own.empty() && device == own)
      device = own_form;
    else
      apply(device);
  };
  name(out.connection.device);
  name(out.secondary.device);
  name(out.subject);
  name(out.other);
  name(out.calling);
  name(out.called);
  name(out.last_redirection);
  name(out.group);
  for (auto& m : out.moved) {
    name(m.new_connection.device);
    name(m.old_connection.device);
  }
  return out;
}

sim::outcome device_forms::render(const sim::outcome& o) const {
  auto out = o;
  apply(out.device);
  for (auto& c : out.connections)
    apply(c.device);
  for (auto& f : out.forwards)
    apply(f.destination);
  for (auto& a : out.agents)
    apply(a.group);
  return out;
}

}  // namespace cstad::service
