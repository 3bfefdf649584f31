// The devices an account may act on: numbers and ranges, and what the admin tools refuse.

#include <doctest/doctest.h>

#include "service/device_scope.hpp"

using cstad::service::device_scope;

TEST_CASE("a device scope: numbers and ranges of one length, and no entry allows any device") {
  CHECK_FALSE(device_scope{}.restricted());
  CHECK(device_scope{}.allows("4711"));
  device_scope desk({"1010", "2000-2099"});
  CHECK(desk.restricted());
  CHECK(desk.allows("1010"));
  CHECK_FALSE(desk.allows("1011"));
  CHECK_FALSE(desk.allows("101"));
  CHECK(desk.allows("2000"));
  CHECK(desk.allows("2050"));
  CHECK(desk.allows("2099"));
  CHECK_FALSE(desk.allows("2100"));
  CHECK_FALSE(desk.allows("1999"));
  CHECK_FALSE(desk.allows("20500"));  // another length is another number
  CHECK_FALSE(desk.allows("20a0"));
  CHECK_FALSE(desk.allows(""));
}

TEST_CASE("a device scope entry the admin tools refuse, and that allows nothing if it gets in") {
  CHECK_FALSE(device_scope::problem("1010"));
  CHECK_FALSE(device_scope::problem("1010-1019"));
  CHECK_FALSE(device_scope::problem("*21#"));
  CHECK(device_scope::problem("") == "an empty device number");
  CHECK(device_scope::problem("10a0") == "a device number is digits (and * or #)");
  CHECK(device_scope::problem("1019-1010") == "a range starts with its lower end");
  CHECK(device_scope::problem("100-1019") == "the two ends of a range have as many digits");
  CHECK(device_scope::problem("1010-") == "a range is two numbers of digits, like 1010-1019");
  device_scope odd({"1019-1010"});
  CHECK(odd.restricted());
  CHECK_FALSE(odd.allows("1015"));
}
