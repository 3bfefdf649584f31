#include "transport/trace_mask.hpp"

namespace cstad::transport {
namespace {

bool ends_name(char c) { return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

std::string mask_passwords(std::string_view xml) {
  std::string out;
  out.reserve(xml.size());
  std::size_t copied = 0;
  for (auto lt = xml.find('<'); lt != std::string_view::npos; lt = xml.find('<', lt + 1)) {
    auto name_begin = lt + 1;
    if (name_begin >= xml.size() || xml[name_begin] == '/' || xml[name_begin] == '?' || xml[name_begin] == '!')
      continue;
    auto name_end = name_begin;
    while (name_end < xml.size() && !ends_name(xml[name_end]))
      ++name_end;
    auto name = xml.substr(name_begin, name_end - name_begin);
    if (auto colon = name.rfind(':'); colon != std::string_view::npos)
      name.remove_prefix(colon + 1);
    if (name != "password")
      continue;
    auto gt = xml.find('>', name_end);
    if (gt == std::string_view::npos || xml[gt - 1] == '/')
      continue;  // unfinished, or <password/>: nothing to hide
    auto close = xml.find("</", gt + 1);
    auto text_end = close == std::string_view::npos ? xml.size() : close;
    if (text_end == gt + 1)
      continue;
    out.append(xml.substr(copied, gt + 1 - copied));
    out.append("***");
    copied = text_end;
    lt = text_end == xml.size() ? text_end - 1 : text_end;
  }
  out.append(xml.substr(copied));
  return out;
}

}  // namespace cstad::transport
