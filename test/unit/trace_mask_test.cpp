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

using cstad::transport::mask_sip;

TEST_CASE("the trace masks the credentials of a SIP message, folded or not, and passwords in its body") {
  CHECK(mask_sip("INFO sip:cstad@127.0.0.1:5062 SIP/2.0\r\n"
                 "Authorization: Digest username=\"desk\", realm=\"cstad\", nonce=\"4f1a\", response=\"9a0b7c\"\r\n"
                 "proxy-authorization :Basic ZGVzazpzM2NyZXQ=\r\n"
                 "Proxy-Authorization: Digest username=\"desk\",\r\n"
                 " response=\"77aa\"\r\n"
                 "Authentication-Info: nextnonce=\"1\"\r\n"
                 "Content-Length: 61\r\n\r\n"
                 "<A><password>s3cret</password>Authorization: Digest x</A>") ==
        "INFO sip:cstad@127.0.0.1:5062 SIP/2.0\r\n"
        "Authorization: Digest ***\r\n"
        "proxy-authorization :Basic ***\r\n"
        "Proxy-Authorization: Digest ***\r\n"
        "Authentication-Info: nextnonce=\"1\"\r\n"
        "Content-Length: 61\r\n\r\n"
        "<A><password>***</password>Authorization: Digest x</A>");
  // The request line is no header, and a message without a body is masked to its end.
  CHECK(mask_sip("Authorization: sip:x SIP/2.0\nauthorization: Digest a=b\n") ==
        "Authorization: sip:x SIP/2.0\nauthorization: Digest ***\n");
  CHECK(mask_sip("") == "");
}

TEST_CASE("the trace masks the password of a SIP URI in the start line and headers, not a port or the body") {
  CHECK(mask_sip("INVITE sip:desk:s3cret@127.0.0.1:5062;transport=tcp SIP/2.0\r\n"
                 "From: \"Desk\" <SIPS:desk;day=mon:pa$$,w=rd@example.com>;tag=1\r\n"
                 "To: <sip:cstad@127.0.0.1:5062>\r\n"
                 "Contact: sip:10.0.0.1:5060, <sip:a:b@c>\r\n"
                 "Route: <sip:proxy:5060;lr>\r\n"
                 "X-Note: mysip:user:kept@host\r\n"
                 "Content-Length: 40\r\n\r\n"
                 "<A><uri>sip:user:inbody@host</uri></A>") ==
        "INVITE sip:desk:***@127.0.0.1:5062;transport=tcp SIP/2.0\r\n"
        "From: \"Desk\" <SIPS:desk;day=mon:***@example.com>;tag=1\r\n"
        "To: <sip:cstad@127.0.0.1:5062>\r\n"
        "Contact: sip:10.0.0.1:5060, <sip:a:***@c>\r\n"
        "Route: <sip:proxy:5060;lr>\r\n"
        "X-Note: mysip:user:kept@host\r\n"
        "Content-Length: 40\r\n\r\n"
        "<A><uri>sip:user:inbody@host</uri></A>");
  // A URI cut off at the end of the message, and one with nothing after its scheme.
  CHECK(mask_sip("OPTIONS sip:a:b") == "OPTIONS sip:a:b");
  CHECK(mask_sip("To: <sip:>\r\nFrom: sip:x:y@z") == "To: <sip:>\r\nFrom: sip:x:***@z");
}
