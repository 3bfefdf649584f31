#pragma once
// Messages for one client, in order, in one buffer: what one turn of a session produced (a
// batch of events, say). One allocation for the lot instead of one string per message, and the
// carrier frames each straight from here.
//
// A message may also be text shared with other batches around a piece of its own: an event
// written once for every session that monitors the device, around this session's
// monitorCrossRefID. The shared text is not copied; the batch keeps it alive, and the carrier
// hands its pieces to the socket as they are (copying some 450 bytes per event into each
// session's batch cost about 7% of the server's time under load).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cstad {

class message_batch {
public:
  /// One message: `before` and `after` from shared text (empty for a message wholly the
  /// batch's own), `own` from the batch's text.
  struct pieces {
    std::string_view before;
    std::string_view own;
    std::string_view after;

    std::size_t size() const { return before.size() + own.size() + after.size(); }
    void append_to(std::string& out) const { out.append(before).append(own).append(after); }
    std::string text() const {
      std::string out;
      out.reserve(size());
      append_to(out);
      return out;
    }
  };

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
  /// Appends the message before + own + after: before and after point into what `keep` holds
  /// (kept alive with this batch, not copied), own is copied.
  void add_around(std::shared_ptr<const void> keep, std::string_view before, std::string_view own,
                  std::string_view after) {
    text_ += own;
    shared_.resize(ends_.size());  // (the messages since the last that shared share nothing)
    shared_.push_back({std::move(keep), before, after});
    ends_.push_back(text_.size());
  }
  /// Appends all of another batch's messages.
  void append(message_batch&& other) {
    auto base = text_.size();
    auto count = ends_.size();
    text_ += other.text_;
    for (auto end : other.ends_)
      ends_.push_back(base + end);
    if (!other.shared_.empty()) {
      shared_.resize(count);
      for (auto& s : other.shared_)
        shared_.push_back(std::move(s));
    }
    other.clear();
  }

  /// Room for `messages` more messages of `bytes` of own text in all: a batch of events grown
  /// one append at a time would move its text several times over.
  void reserve(std::size_t messages, std::size_t bytes) {
    text_.reserve(text_.size() + bytes);
    ends_.reserve(ends_.size() + messages);
  }
  /// The same, for messages that share text (add_around).
  void reserve_around(std::size_t messages, std::size_t own_bytes) {
    reserve(messages, own_bytes);
    shared_.reserve(ends_.size() + messages);
  }

  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  /// The batch's own text, in bytes (shared text not counted).
  std::size_t bytes() const { return text_.size(); }
  pieces operator[](std::size_t i) const {
    auto begin = i == 0 ? 0 : ends_[i - 1];
    std::string_view own = std::string_view{text_}.substr(begin, ends_[i] - begin);
    if (i < shared_.size())
      return {shared_[i].before, own, shared_[i].after};
    return {{}, own, {}};
  }
  /// Message i as one string.
  std::string text(std::size_t i) const { return (*this)[i].text(); }
  void clear() {
    text_.clear();
    ends_.clear();
    shared_.clear();
  }

  /// Between processes the messages travel whole (what they shared is copied in).
  template <class Inspector>
  friend auto inspect(Inspector& f, message_batch& x) {
    if constexpr (Inspector::reads_state) {
      if (!x.shared_.empty()) {
        message_batch whole;
        for (std::size_t i = 0; i < x.size(); ++i)
          whole.add_with([&](std::string& out) { x[i].append_to(out); });
        return f(whole.text_, whole.ends_);
      }
      return f(x.text_, x.ends_);
    } else {
      x.shared_.clear();
      return f(x.text_, x.ends_);
    }
  }

private:
  struct shared_text {
    std::shared_ptr<const void> keep;
    std::string_view before;
    std::string_view after;
  };
  std::string text_;
  std::vector<std::uint64_t> ends_;  // where each message ends in text_
  // What the first shared_.size() messages share (empty entries for those wholly their own);
  // the messages after them share nothing.
  std::vector<shared_text> shared_;
};

}  // namespace cstad
