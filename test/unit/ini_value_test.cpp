// Reading one value of a CAF-style INI file (SIGHUP reads log-level again).

#include <doctest/doctest.h>

#include "common/ini_value.hpp"

using cstad::ini_value;

TEST_CASE("an INI value: by section and key, quotes removed, comments skipped, the last one wins") {
  auto text = "; cstad\n[global]\nlog-level = \"debug\"\n  port=8890 \r\n[other]\nlog-level=\"trace\"\n# x\n";
  CHECK(ini_value(text, "global", "log-level") == std::optional<std::string>{"debug"});
  CHECK(ini_value(text, "global", "port") == std::optional<std::string>{"8890"});
  CHECK(ini_value(text, "other", "log-level") == std::optional<std::string>{"trace"});
  CHECK_FALSE(ini_value(text, "global", "host"));
  CHECK_FALSE(ini_value("log-level=\"info\"\n", "global", "log-level"));  // outside any section
  CHECK(ini_value("[global]\nlog-level=info\nlog-level=warn", "global", "log-level") ==
        std::optional<std::string>{"warn"});
}
