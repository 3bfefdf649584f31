// The forms clients write device identifiers in, and the plan number each names: the codec's
// reduction (schemes, parameters, hosts, visual separators, ext=) and the plan's E.164 rules.

#include <doctest/doctest.h>

#include <stdexcept>

#include "protocol/device_id.hpp"
#include "service/directory.hpp"
#include "sim/number_forms.hpp"
#include "sim/number_plan.hpp"

using namespace cstad;
using protocol::device_number;
using sim::e164_rule;
using sim::plan_number;

TEST_CASE("the dialable number inside every form real clients send") {
  CHECK(device_number("1000") == "1000");
  CHECK(device_number("tel:1000;phone-context=dialstring") == "1000");
  CHECK(device_number("tel:73124;phone-context=dialstring;partition=BE_BRS_INT") == "73124");
  CHECK(device_number("tel:+4687001000") == "+4687001000");
  CHECK(device_number("sip:1000@host;user=phone") == "1000");
  CHECK(device_number("sips:1000@pbx.example.com") == "1000");
  CHECK(device_number("TEL:1000") == "1000");  // schemes are case-insensitive
  CHECK(device_number("N<302118840100>;noa=nk") == "302118840100");
  // ext= wins: the extension behind a global number.
  CHECK(device_number("tel:+4687001000;ext=1000") == "1000");
  CHECK(device_number("tel:+468700;EXT=1000") == "1000");
  CHECK(device_number("sip:+4687001000;ext=1000@pbx;user=phone") == "1000");
  // Visual separators of telephone numbers (tel:, or sip: with user=phone) go.
  CHECK(device_number("tel:+46-8-700 (1000)") == "+4687001000");
  CHECK(device_number("tel:+46.8.700.10.00;phone-context=dialstring") == "+4687001000");
  CHECK(device_number("sip:+46-8-7001000@pbx;user=phone") == "+4687001000");
  CHECK(device_number("tel:+4687001000;ext=10-00") == "1000");
}

TEST_CASE("what names no number stays as it is") {
  for (auto junk : {"", "tel:", "sip:@host", "sip:alice@example.com", "tel:abc", "SUB_C",
                    "4750::111.2.33.444:0", "+", "tel:+", "1000 ", "sip:10-00@pbx"})
    CHECK_MESSAGE(device_number(junk) == junk, junk);
}

TEST_CASE("global numbers map to the plan by the longest matching E.164 prefix") {
  std::vector<e164_rule> rules{{"+46", "0"}, {"+468700", ""}, {"+4687002", "2"}};
  CHECK(sim::from_e164("+4687001000", rules) == "1000");
  CHECK(sim::from_e164("+4687002345", rules) == "2345");   // the longer prefix wins
  CHECK(sim::from_e164("+46701234567", rules) == "0701234567");
  CHECK(sim::from_e164("+3222220220", rules) == "+3222220220");  // no rule: stays global
  CHECK(sim::from_e164("+468700", rules) == "08700");  // nothing after +468700: +46 applies
  CHECK(sim::from_e164("+4687001000", {}) == "+4687001000");

  CHECK(plan_number("tel:+4687001000", rules) == "1000");
  CHECK(plan_number("+4687001000", rules) == "1000");
  CHECK(plan_number("sip:+4687001000@pbx;user=phone", rules) == "1000");
  CHECK(plan_number("tel:+46 8 700 10 00", rules) == "1000");
  CHECK(plan_number("tel:+4687009999;ext=1000", rules) == "1000");  // ext wins over the rules
  CHECK(plan_number("tel:1000;phone-context=dialstring", rules) == "1000");
  CHECK(plan_number("1000", rules) == "1000");
  CHECK(plan_number("tel:+3222220220", rules) == "+3222220220");
  CHECK(plan_number("sip:alice@example.com", rules) == "sip:alice@example.com");
  CHECK(plan_number("tel:", rules) == "tel:");
}

TEST_CASE("the plan's e164 list: parsed, checked, and the demo's rule") {
  auto plan = sim::number_plan::from_json(R"({"ranges":[{"first":"100","last":"199"}],
      "e164":[{"prefix":"+3222","replace":"1"},{"prefix":"+32"}]})");
  CHECK(plan.e164() == std::vector<e164_rule>{{"+3222", "1"}, {"+32", ""}});
  auto dir = service::directory::from_plan(plan, 1);
  CHECK(dir.number_of("tel:+322242") == "142");
  CHECK(dir.number_of("tel:+32123") == "123");
  CHECK(sim::number_plan::from_json(R"({"devices":[{"number":"1"}]})").e164().empty());

  CHECK_THROWS_WITH_AS(sim::number_plan::from_json(R"({"e164":{"prefix":"+46"}})"),
                       R"(e164 is a list of rules, not {"prefix":"+46"})", std::runtime_error);
  CHECK_THROWS_WITH_AS(sim::number_plan::from_json(R"({"e164":[{"prefix":"46"}]})"),
                       R"(an e164 prefix is '+' and digits in {"prefix":"46"})", std::runtime_error);
  CHECK_THROWS_WITH_AS(sim::number_plan::from_json(R"({"e164":[{"prefix":"+"}]})"),
                       R"(an e164 prefix is '+' and digits in {"prefix":"+"})", std::runtime_error);
  CHECK_THROWS_WITH_AS(sim::number_plan::from_json(R"({"e164":[{"prefix":"+46","replace":"0x"}]})"),
                       R"(an e164 replace is digits (or empty) in {"prefix":"+46","replace":"0x"})",
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(sim::number_plan::from_json(R"({"e164":[{"replace":"0"}]})"),
                       R"(an e164 rule needs a "prefix" (and may have a "replace") in {"replace":"0"})",
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(sim::number_plan::from_json(R"({"e164":[{"prefix":"+46"},{"prefix":"+46","replace":"0"}]})"),
                       "duplicate e164 prefix +46", std::runtime_error);

  // The demo: +468700NNNN is extension NNNN.
  auto demo = service::directory::from_plan(sim::number_plan::demo(), 1);
  CHECK(sim::number_plan::demo().e164() == std::vector<e164_rule>{{"+468700", ""}});
  CHECK(demo.number_of("tel:+4687001000") == "1000");
  CHECK(demo.contains(demo.number_of("tel:+4687001099")));
  CHECK_FALSE(demo.contains(demo.number_of("tel:+4687002000")));
}
