#pragma once
// An event encoded once for every monitor that sees it. Many sessions watch the same device;
// each needs the same document except for its monitorCrossRefID, so the document is written
// once with that element empty and each copy splices its own id in.

#include <cstddef>
#include <string>
#include <string_view>

#include "protocol/csta_event.hpp"

namespace cstad::protocol {

struct event_template {
  std::string text;            // the document, its monitorCrossRefID empty
  std::size_t cross_ref_at = 0;  // where the monitorCrossRefID's text goes

  /// The document for one monitor: equal to encode_event of the event with this cross_ref.
  std::string render(std::string_view cross_ref) const;
  /// The same, appended to out (no string of its own).
  void append_to(std::string& out, std::string_view cross_ref) const;
  /// The same for a cross_ref known to hold nothing XML escapes (no &, <, >, " or '): it goes
  /// in as it is, unscanned.
  void append_plain(std::string& out, std::string_view cross_ref) const {
    out.append(text, 0, cross_ref_at).append(cross_ref).append(text, cross_ref_at, std::string::npos);
  }
};

/// The event in namespace ns, ready for render (e.cross_ref is ignored).
event_template encode_event_template(const csta_event& e, std::string_view ns);

}  // namespace cstad::protocol
