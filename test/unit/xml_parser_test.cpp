#include <doctest/doctest.h>

#include <string>

#include "protocol/xml_parser.hpp"

using namespace cstad::protocol;

namespace {

xml_element ok(const xml_parse_result& r) {
  if (auto e = std::get_if<xml_parse_error>(&r))
    FAIL("unexpected parse error: " << e->reason);
  return std::get<xml_element>(r);
}

std::string error_of(const xml_parse_result& r) {
  REQUIRE(std::holds_alternative<xml_parse_error>(r));
  return std::get<xml_parse_error>(r).reason;
}

}  // namespace

TEST_CASE("prefixed documents are read by local name with their namespace") {
  auto r = parse_xml(
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<ns3:SnapshotDevice xmlns:ns2="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns3="http://www.ecma-international.org/standards/ecma-323/csta/ed4">
   <ns3:snapshotObject>2001</ns3:snapshotObject>
</ns3:SnapshotDevice>)");
  auto root = ok(r);
  CHECK(root.name == "SnapshotDevice");
  CHECK(root.ns == "http://www.ecma-international.org/standards/ecma-323/csta/ed4");
  REQUIRE(root.child_text("snapshotObject"));
  CHECK(*root.child_text("snapshotObject") == "2001");
}

TEST_CASE("predefined entities and character references are decoded") {
  auto root = ok(parse_xml("<a><b>N&lt;1&gt; &amp; &#x41;&#66;</b><c attr=\"&quot;x\"/></a>"));
  CHECK(*root.child_text("b") == "N<1> & AB");
  CHECK(root.child("c")->attributes.at(0).second == "\"x");
}

TEST_CASE("a DOCTYPE is refused, so entity expansion bombs never run") {
  auto reason = error_of(parse_xml(R"(<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<MonitorStart><monitorObject><deviceObject>&lol2;</deviceObject></monitorObject></MonitorStart>)"));
  CHECK(reason.find("DOCTYPE") != std::string::npos);
}

TEST_CASE("external entities are refused") {
  error_of(parse_xml(R"(<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>)"));
  error_of(parse_xml("<a>&xxe;</a>"));
}

TEST_CASE("nesting deeper than the bound is refused") {
  std::string deep;
  for (int i = 0; i < max_xml_depth + 1; ++i)
    deep += "<a>";
  for (int i = 0; i < max_xml_depth + 1; ++i)
    deep += "</a>";
  CHECK(error_of(parse_xml(deep)).find("nesting") != std::string::npos);
  std::string fits;
  for (int i = 0; i < max_xml_depth; ++i)
    fits += "<a>";
  for (int i = 0; i < max_xml_depth; ++i)
    fits += "</a>";
  ok(parse_xml(fits));
}

TEST_CASE("malformed, empty, truncated and invalid UTF-8 documents are errors") {
  error_of(parse_xml(""));
  error_of(parse_xml("<a><b></a>"));
  error_of(parse_xml("<a>"));
  error_of(parse_xml("not xml at all"));
  error_of(parse_xml("<a>\xff\xfe</a>"));
  error_of(parse_xml("<a/><b/>"));
}

TEST_CASE("ISO-8859-1 documents come out as UTF-8") {
  auto root = ok(parse_xml("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>"));
  CHECK(root.text == "caf\xc3\xa9");
}

TEST_CASE("text is trimmed and empty elements have empty text") {
  auto root = ok(parse_xml("<a>\n  <b>  1000 </b><c></c><d/></a>"));
  CHECK(*root.child_text("b") == "1000");
  CHECK(root.child("c") != nullptr);
  CHECK(root.child_text("c") == nullptr);
  CHECK(root.child_text("d") == nullptr);
}

TEST_CASE("what the README promises to refuse is refused: a DOCTYPE, bytes after the root, a false encoding") {
  const std::string ok = R"(<MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"/>)";
  CHECK(std::holds_alternative<xml_element>(parse_xml(ok)));
  for (std::string bad : std::vector<std::string>{"<!DOCTYPE MonitorStart>" + ok, "<!DOCTYPE MonitorStart []>" + ok, ok + "junk",
                          ok + "<MonitorStart/>", ok + "\x01",
                          R"(<?xml version="1.0" encoding="UTF-16"?>)" + ok,
                          R"(<?xml version="1.0" encoding="EBCDIC-CP-US"?>)" + ok,
                          R"(<?xml version="1.0" encoding="no-such-encoding"?>)" + ok}) {
    auto r = parse_xml(bad);
    CHECK_MESSAGE(std::holds_alternative<xml_parse_error>(r), bad);
  }
  // What real clients send stays fine: declarations in UTF-8 (any case), ISO-8859-1 text,
  // whitespace and comments after the root.
  for (std::string fine : std::vector<std::string>{R"(<?xml version="1.0" encoding="UTF-8"?>)" + ok, R"(<?xml version='1.0' encoding='utf-8'?>)" + ok,
                           R"(<?xml version="1.0" encoding="ISO-8859-1"?>)" + ok, ok + "\r\n", ok + "<!-- end -->"}) {
    auto r = parse_xml(fine);
    CHECK_MESSAGE(std::holds_alternative<xml_element>(r), fine);
  }
}
