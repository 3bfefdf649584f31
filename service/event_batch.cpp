#include "service/event_batch.hpp"

#include "protocol/namespaces.hpp"

namespace cstad::service {

const protocol::event_template* event_payload::template_in(std::string_view ns) const {
  // One acquire load once encoded; call_once (a call into pthread_once each time, about 1% of
  // the server's time at full load) only for the first few deliveries.
  if (!encoded_ready_.load(std::memory_order_acquire))
    std::call_once(encoded_, [&] {
      encoded_ns_ = protocol::well_known_namespace(ns);
      if (encoded_ns_.empty()) {
        encoded_ns_storage_ = std::string{ns};
        encoded_ns_ = encoded_ns_storage_;
      }
      template_ = protocol::encode_event_template(view_, ns);
      encoded_ready_.store(true, std::memory_order_release);
    });
  // (No live string other than a constant can share an address with encoded_ns_.)
  if ((ns.data() == encoded_ns_.data() && ns.size() == encoded_ns_.size()) || ns == encoded_ns_)
    return &template_;
  return nullptr;
}

void event_payload::append_to(std::string& out, std::string_view cross_ref, std::string_view ns,
                              bool cross_ref_is_plain) const {
  if (auto encoded = template_in(ns)) {
    if (cross_ref_is_plain)
      encoded->append_plain(out, cross_ref);
    else
      encoded->append_to(out, cross_ref);
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
