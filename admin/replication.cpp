#include "admin/replication.hpp"

#include <algorithm>
#include <set>

namespace cstad::admin {

namespace {

std::vector<server_config> servers_of(const system_config& c, int lim) {
  std::vector<server_config> out;
  for (auto& s : c.servers)
    if (s.lim == lim)
      out.push_back(s);
  return out;
}

std::set<int> lims_with_servers(const system_config& a, const system_config& b) {
  std::set<int> out;
  for (auto* c : {&a, &b}) {
    for (auto& s : c->servers)
      out.insert(s.lim);
    for (auto& [lim, rev] : c->server_revisions)
      out.insert(lim);
  }
  return out;
}

std::uint64_t revision_of(const system_config& c, int lim) {
  auto i = c.server_revisions.find(lim);
  return i == c.server_revisions.end() ? 0 : i->second;
}

bool same_system_part(const system_config& a, const system_config& b) {
  return a.accounts == b.accounts && a.durations == b.durations && a.system == b.system && a.plan == b.plan;
}

// A text that orders two different contents the same way on every LIM (for ties).
std::string system_part_text(const system_config& c) {
  system_config part;
  part.servers.clear();
  part.accounts = c.accounts;
  part.durations = c.durations;
  part.system = c.system;
  part.plan = c.plan;
  return to_json(part);
}

std::string servers_text(const std::vector<server_config>& servers) {
  system_config part;
  part.servers = servers;
  return to_json(part);
}

}  // namespace

void count_changes(const system_config& before, system_config& after) {
  after.revision = std::max(before.revision, after.revision) + (same_system_part(before, after) ? 0 : 1);
  for (auto lim : lims_with_servers(before, after)) {
    auto rev = std::max(revision_of(before, lim), revision_of(after, lim));
    if (servers_of(before, lim) != servers_of(after, lim))
      ++rev;
    if (rev != 0)
      after.server_revisions[lim] = rev;
  }
}

system_config merge(const system_config& mine, int own_lim, const system_config& theirs, int from,
                    const owner_of& owner) {
  auto out = mine;
  // The system-wide part.
  if (theirs.revision > mine.revision ||
      (theirs.revision == mine.revision && !same_system_part(mine, theirs) &&
       system_part_text(theirs) < system_part_text(mine))) {
    out.accounts = theirs.accounts;
    out.durations = theirs.durations;
    out.system = theirs.system;
    out.plan = theirs.plan;
    out.revision = theirs.revision;
  }
  // Each LIM's servers.
  for (auto lim : lims_with_servers(mine, theirs)) {
    auto rm = revision_of(mine, lim);
    auto rt = revision_of(theirs, lim);
    auto sm = servers_of(mine, lim);
    auto st = servers_of(theirs, lim);
    if (rt > rm || (rt == rm && sm != st && servers_text(st) < servers_text(sm))) {
      out.servers.erase(std::remove_if(out.servers.begin(), out.servers.end(),
                                       [lim](const server_config& s) { return s.lim == lim; }),
                        out.servers.end());
      out.servers.insert(out.servers.end(), st.begin(), st.end());
      if (rt != 0)
        out.server_revisions[lim] = rt;
    }
  }
  // DND and forwarding: the sender's word on its own devices.
  if (from != own_lim) {
    out.features.erase(std::remove_if(out.features.begin(), out.features.end(),
                                      [&](const feature_entry& f) { return owner(f.device) == from; }),
                       out.features.end());
    for (auto& f : theirs.features)
      if (owner(f.device) == from)
        out.features.push_back(f);
  }
  return out;
}

}  // namespace cstad::admin
