#include "protocol/event_template.hpp"

#include "protocol/xml_writer.hpp"

namespace cstad::protocol {

void event_template::append_to(std::string& out, std::string_view cross_ref) const {
  out.append(text, 0, cross_ref_at);
  append_escaped(out, cross_ref);
  out.append(text, cross_ref_at, std::string::npos);
}

std::string event_template::render(std::string_view cross_ref) const {
  std::string out;
  out.reserve(text.size() + cross_ref.size());
  append_to(out, cross_ref);
  return out;
}

}  // namespace cstad::protocol
