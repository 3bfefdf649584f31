#include "protocol/xml_writer.hpp"

namespace cstad::protocol {

void append_escaped(std::string& out, std::string_view text) {
  // Runs without special characters (nearly all text) are appended whole, not char by char:
  // this is on the path of every event and response.
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view entity;
    switch (text[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&apos;"; break;
      default: continue;
    }
    out.append(text.data() + start, i - start);
    out += entity;
    start = i + 1;
  }
  out.append(text.data() + start, text.size() - start);
}

xml_writer::xml_writer(std::string_view root, std::string_view ns) : root_(root) {
  out_.reserve(512);
  out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?><";
  out_ += root;
  if (!ns.empty()) {
    out_ += " xmlns=\"";
    append_escaped(out_, ns);
    out_ += '"';
  }
  out_ += '>';
}

void xml_writer::open(std::string_view name) {
  has_content_ = true;
  out_ += '<';
  out_ += name;
  out_ += '>';
}

void xml_writer::close(std::string_view name) {
  out_ += "</";
  out_ += name;
  out_ += '>';
}

void xml_writer::leaf(std::string_view name, std::string_view text) {
  open(name);
  this->text(text);
  close(name);
}

void xml_writer::text(std::string_view text) { append_escaped(out_, text); }

void xml_writer::empty(std::string_view name) {
  has_content_ = true;
  out_ += '<';
  out_ += name;
  out_ += "/>";
}

void xml_writer::raw(std::string_view markup) {
  has_content_ = true;
  out_ += markup;
}

std::string xml_writer::finish() {
  // An element with no content is written as <Root/>: the form real servers send for empty
  // positive responses.
  if (!has_content_)
    out_.insert(out_.size() - 1, "/");
  else
    close(root_);
  return std::move(out_);
}

}  // namespace cstad::protocol
