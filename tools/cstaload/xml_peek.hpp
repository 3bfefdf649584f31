#pragma once
// A look at a CSTA document without parsing it: the local name of its root element, and the
// text of the first element of a given local name. Enough to tell a DeliveredEvent and its
// callID, or a request and its device, at a cost that does not load the client (or the trivial
// server) more than the frame itself does; anything unusual (CDATA, entities in the text)
// reads as not found rather than wrong.

#include <optional>
#include <string_view>

namespace cstad::load {

/// "DeliveredEvent" for <?xml ...?><csta:DeliveredEvent xmlns:csta="...">...; empty when
/// there is no element.
std::string_view root_local_name(std::string_view xml);

/// The text of the first element whose local name is `name` (prefixed or not), e.g. the
/// callID of <connection><callID>42</callID>...; nothing when there is none or it holds markup.
std::optional<std::string_view> first_element_text(std::string_view xml, std::string_view name);

}  // namespace cstad::load
