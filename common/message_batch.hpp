#pragma once
// Messages for one client, in order, in one buffer: what one turn of a session produced (a
// batch of events, say). One allocation for the lot instead of one string per message, and the
// carrier frames each straight from here into its connection's buffer.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cstad {

class message_batch {
public:
  /// Appends one message.
  void add(std::string_view message) {
    text_ += message;
    ends_.push_back(text_.size());
  }
  /// Appends one message that write(std::string&) appends to the buffer itself.
  template <class Write>
  void add_with(Write&& write) {
    write(text_);
    ends_.push_back(text_.size());
  }
  /// Appends all of another batch's messages.
  void append(const message_batch& other) {
    auto base = text_.size();
    text_ += other.text_;
    for (auto end : other.ends_)
      ends_.push_back(base + end);
  }

  /// Room for `messages` more messages of `bytes` in all: a batch of events grown one append
  /// at a time would move its text several times over.
  void reserve(std::size_t messages, std::size_t bytes) {
    text_.reserve(text_.size() + bytes);
    ends_.reserve(ends_.size() + messages);
  }

  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::size_t bytes() const { return text_.size(); }
  std::string_view operator[](std::size_t i) const {
    auto begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view{text_}.substr(begin, ends_[i] - begin);
  }
  void clear() {
    text_.clear();
    ends_.clear();
  }

  template <class Inspector>
  friend auto inspect(Inspector& f, message_batch& x) {
    return f(x.text_, x.ends_);
  }

private:
  std::string text_;
  std::vector<std::uint64_t> ends_;  // where each message ends in text_
};

}  // namespace cstad
