#pragma once
// The capability-exchange schema of ECMA-323 (GetCSTAFeaturesResponse): which list holds which
// entry, in the schema's order. Every list is a sequence of optional booleans, so an entry in
// the wrong list, or out of order, makes the response invalid against the schema.

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/responses.hpp"

namespace cstad::protocol {

enum class capability_kind : unsigned char { service, event };

/// Position of (list, entry) in the schema: lists first, then entries within a list; nothing
/// when the schema has no such entry in that list.
std::optional<std::size_t> capability_position(capability_kind kind, std::string_view list,
                                               std::string_view entry);

/// (list, entry) pairs.
using capability_list = std::vector<std::pair<std::string_view, std::string_view>>;

/// The lists of a GetCSTAFeaturesResponse, lists and entries in the schema's order, each entry
/// once. An entry the schema does not have in that list is left out (it would make the
/// document invalid).
csta_features features_in_schema_order(const capability_list& services,
                                       const capability_list& events);

}  // namespace cstad::protocol
