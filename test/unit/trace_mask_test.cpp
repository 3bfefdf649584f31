// The wire trace never shows a password: ECMA-354 log-on and ECMA-269 agent log-on.

#include <doctest/doctest.h>

#include "transport/trace_mask.hpp"

using cstad::transport::mask_passwords;

TEST_CASE("the trace masks the password of a log-on, with or without a prefix, and nothing else") {
  CHECK(mask_passwords("<StartApplicationSession><requestedProtocolVersions/><sessionLoginInfo>"
                       "<userName>desk</userName><password>s3cret</password></sessionLoginInfo>"
                       "</StartApplicationSession>") ==
        "<StartApplicationSession><requestedProtocolVersions/><sessionLoginInfo>"
        "<userName>desk</userName><password>***</password></sessionLoginInfo>"
        "</StartApplicationSession>");
  CHECK(mask_passwords("<csta:SetAgentState><csta:password xsi:type=\"x\">31323334</csta:password>"
                       "<passwordHint>h</passwordHint></csta:SetAgentState>") ==
        "<csta:SetAgentState><csta:password xsi:type=\"x\">***</csta:password>"
        "<passwordHint>h</passwordHint></csta:SetAgentState>");
  CHECK(mask_passwords("<a><password/><password></password></a>") == "<a><password/><password></password></a>");
  CHECK(mask_passwords("<a><password>one</password><password>two</password></a>") ==
        "<a><password>***</password><password>***</password></a>");
  // A broken message is masked too, to its end.
  CHECK(mask_passwords("<a><password>half") == "<a><password>***");
  CHECK(mask_passwords("<a><password") == "<a><password");
  CHECK(mask_passwords("") == "");
  CHECK(mask_passwords("<MonitorStart><monitorObject><deviceObject>1000</deviceObject></monitorObject></MonitorStart>") ==
        "<MonitorStart><monitorObject><deviceObject>1000</deviceObject></monitorObject></MonitorStart>");
}
