#pragma once
// Strict, allocation-light XML output: schema order is the caller's job, escaping is ours.
// No pretty-printing; UTF-8 passes through unchanged.

#include <string>
#include <string_view>

namespace cstad::protocol {

class xml_writer {
public:
  /// Starts a document whose root element carries the default namespace ns (omitted if empty).
  xml_writer(std::string_view root, std::string_view ns);

  void open(std::string_view name);
  void close(std::string_view name);
  /// <name>escaped text</name>
  void leaf(std::string_view name, std::string_view text);
  /// Escaped text inside the element last opened.
  void text(std::string_view text);
  /// <name/>
  void empty(std::string_view name);
  /// Appends markup as it is (for a fixed, known-good fragment such as a prefixed element).
  void raw(std::string_view markup);
  /// How much of the document is written so far (where the next content will start).
  std::size_t size() const { return out_.size(); }
  /// Closes the root element and returns the document.
  std::string finish();

private:
  std::string root_;
  std::string out_;
  bool has_content_ = false;
};

/// Appends text with &, <, >, " and ' escaped.
void append_escaped(std::string& out, std::string_view text);

}  // namespace cstad::protocol
