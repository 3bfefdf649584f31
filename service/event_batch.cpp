#include "service/event_batch.hpp"

#include "protocol/namespaces.hpp"

namespace cstad::service {

void event_payload::append_to(std::string& out, std::string_view cross_ref, std::string_view ns) const {
  std::call_once(encoded_, [&] {
    encoded_ns_ = protocol::well_known_namespace(ns);
    if (encoded_ns_.empty()) {
      encoded_ns_storage_ = std::string{ns};
      encoded_ns_ = encoded_ns_storage_;
    }
    template_ = protocol::encode_event_template(view_, ns);
  });
  // (No live string other than a constant can share an address with encoded_ns_.)
  if ((ns.data() == encoded_ns_.data() && ns.size() == encoded_ns_.size()) || ns == encoded_ns_) {
    template_.append_to(out, cross_ref);
    return;
  }
  auto own = view_;
  own.cross_ref = std::string{cross_ref};
  out += protocol::encode_event(own, ns);
}

std::string event_payload::render(std::string_view cross_ref, std::string_view ns) const {
  std::string out;
  append_to(out, cross_ref, ns);
  return out;
}

}  // namespace cstad::service
