-- Wireshark dissector for CSTA XML over TCP, ECMA-323 Annex J.2 ("TCP without SOAP"), as cstad
-- and MX-ONE speak it on port 8882 (8883 is the same inside TLS; give Wireshark the key log).
-- Each frame: 00 00, total length (16 bits, big-endian, the 8 header bytes included), a 4-digit
-- invoke id (9999: events and other messages nobody asked for), then the XML document, which
-- goes to Wireshark's XML dissector. The Info column shows each frame's invoke id and message
-- name. TR/87 (uaCSTA over SIP) needs only the media type: application/csta+xml bodies of SIP
-- INFO messages go to the XML dissector as well.
--
--   wireshark -X lua_script:deploy/wireshark/csta_xml.lua capture.pcapng
--   tshark -X lua_script:deploy/wireshark/csta_xml.lua -d tcp.port==9000,cstaxml -r capture.pcapng
-- or copy the file into ~/.local/lib/wireshark/plugins/.

local csta = Proto("cstaxml", "CSTA XML (ECMA-323 Annex J.2)")

local f_version = ProtoField.uint16("cstaxml.version", "Version", base.HEX)
local f_length = ProtoField.uint16("cstaxml.length", "Length", base.DEC)
local f_invoke = ProtoField.string("cstaxml.invoke_id", "Invoke ID")
local f_message = ProtoField.string("cstaxml.message", "Message")
csta.fields = { f_version, f_length, f_invoke, f_message }

local e_version = ProtoExpert.new("cstaxml.bad_version", "Frame does not start with 00 00",
                                  expert.group.MALFORMED, expert.severity.ERROR)
local e_length = ProtoExpert.new("cstaxml.bad_length", "Length below the 8 header bytes",
                                 expert.group.MALFORMED, expert.severity.ERROR)
csta.experts = { e_version, e_length }

local xml = Dissector.get("xml")
local header = 8
local last_packet = -1  -- the packet whose Info column holds a frame already

-- The name of the document's root element, without a namespace prefix ("" if none is found).
local function message_name(text)
  local pos = 1
  while true do
    local s, e, name = text:find("<([%w_:%.%-?!]+)", pos)
    if not s then return "" end
    local first = name:sub(1, 1)
    if first ~= "?" and first ~= "!" then
      return name:gsub("^.*:", "")
    end
    pos = e + 1
  end
end

local function frame_length(tvb, pinfo, offset)
  return tvb(offset + 2, 2):uint()
end

local function dissect_frame(tvb, pinfo, tree)
  local length = tvb(2, 2):uint()
  local item = tree:add(csta, tvb(), "CSTA XML")
  item:add(f_version, tvb(0, 2))
  if tvb(0, 2):uint() ~= 0 then item:add_proto_expert_info(e_version) end
  item:add(f_length, tvb(2, 2))
  if length < header then
    item:add_proto_expert_info(e_length)
    return tvb:len()
  end
  local invoke = tvb(4, 4):string()
  item:add(f_invoke, tvb(4, 4))
  local body = tvb(header, length - header)
  local name = message_name(body:string())
  item:add(f_message, body, name)
  item:append_text(", Invoke ID: " .. invoke .. ", " .. name)
  pinfo.cols.protocol = "CSTA"
  local info = invoke .. " " .. name
  if pinfo.number == last_packet then
    pinfo.cols.info:append(", " .. info)   -- several frames in one segment
  else
    pinfo.cols.info = info
    last_packet = pinfo.number
  end
  xml:call(body:tvb(), pinfo, tree)
  return length
end

function csta.dissector(tvb, pinfo, tree)
  -- Frames are reassembled across segments, and a segment may carry several.
  dissect_tcp_pdus(tvb, tree, 4, frame_length, dissect_frame, true)
  return tvb:len()
end

DissectorTable.get("tcp.port"):add(8882, csta)
DissectorTable.get("media_type"):add("application/csta+xml", xml)
