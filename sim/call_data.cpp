// Data an application associates with a call (AssociateData): it stays with the call, through
// transfers and conferences (supplementary_services.cpp), and each change is reported to every
// device on the call, and the groups watching it, as call information.

#include "sim/exchange.hpp"

namespace cstad::sim {

namespace errors = protocol::errors;

outcome exchange::associate_data(call_id id, const std::string& device, const call_data& data,
                                 std::vector<domain_event>& out) {
  call* c = nullptr;
  party* p = nullptr;
  if (auto err = find_party(id, device, c, p))
    return outcome::refuse(*err);
  if (data.empty())
    return outcome::refuse(errors::operation("atLeastOneConditionalParameterNotProvided"));
  if (!data.account.empty())
    c->data.account = data.account;
  if (!data.correlator.empty())
    c->data.correlator = data.correlator;
  auto& e = add_event(out, domain_event_kind::call_information, *c, device, protocol::event_cause::normal);
  e.data = c->data;
  return outcome::done(id, device);
}

}  // namespace cstad::sim
