// core/src/view_table.h: View and ViewTable, the storage of weak-memory views. Internal.
//
// A view holds, for each location of the execution, the lowest modification-order stamp a thread
// may still read (or what a store, a lock or a barrier published). A model uses a handful of
// locations, so views are as wide as the execution needs, not as the engine allows: a ViewTable
// keeps its views `stride` entries apart (one chunk, 4, to begin with) and doubles the stride,
// moving them, when a location id reaches it. A small model's views then fit in a page or two: each fresh page
// a process touches is a page fault, and those dominate the time to a first failure.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace sf {

// A handle on one view's entries (they live in a ViewTable and move when it grows: do not keep a
// View across the creation of a location).
struct View {
  uint32_t* at;
};

// A view holds n meaningful entries (n: the locations of the execution). These copy, join or clear
// them a 16-byte chunk at a time, inline: views are small, and a libc call per copy cost more than
// the copy. A model of at most 4 locations (most) has one chunk, done without a loop (-1% to -4%
// instructions per `lkmm` execution of the bench tests). Rounding n up to the chunk is safe because every view is zero from n to the chunk
// boundary: thread and global views are zero past the execution's locations, and store and lock
// views are whole-chunk copies of such views (rmw_core pads its work view to the chunk).
using ViewChunk = uint32_t __attribute__((vector_size(16)));
inline constexpr uint32_t kViewChunk = 4;  // entries per chunk
inline void copy_entries(uint32_t* dst, const uint32_t* src, uint32_t n) {
  if (n - 1 < 4) {  // one chunk: most models
    ViewChunk c;
    std::memcpy(&c, src, sizeof c);
    std::memcpy(dst, &c, sizeof c);
    return;
  }
  for (uint32_t i = 0; i < n; i += 4) {
    ViewChunk c;
    std::memcpy(&c, src + i, sizeof c);
    std::memcpy(dst + i, &c, sizeof c);
  }
}
inline void copy_entries(View dst, View src, uint32_t n) { copy_entries(dst.at, src.at, n); }
// Copies the first n entries of `src` into several views in one pass.
template <class... V>
inline void copy_entries_to(uint32_t n, View src, V... dsts) {
  if (n - 1 < 4) {  // one chunk
    ViewChunk c;
    std::memcpy(&c, src.at, sizeof c);
    (std::memcpy(dsts.at, &c, sizeof c), ...);
    return;
  }
  for (uint32_t i = 0; i < n; i += 4) {
    ViewChunk c;
    std::memcpy(&c, src.at + i, sizeof c);
    (std::memcpy(dsts.at + i, &c, sizeof c), ...);
  }
}
// A whole chunk in a register, and back.
inline ViewChunk load_chunk(const uint32_t* p) {
  ViewChunk c;
  std::memcpy(&c, p, sizeof c);
  return c;
}
inline void store_chunk(uint32_t* p, ViewChunk c) { std::memcpy(p, &c, sizeof c); }
inline ViewChunk max_chunk(ViewChunk a, ViewChunk b) { return a > b ? a : b; }
// The chunk that holds `value` at entry i (< kViewChunk) and zero elsewhere: joined into a view,
// it raises entry i to at least `value` without a scalar store into the chunk (a whole-chunk load
// right after a scalar store into it cannot take its data from the store buffer and waits).
inline ViewChunk entry_chunk(uint32_t i, uint32_t value) {
  const ViewChunk lanes = {0, 1, 2, 3};
  ViewChunk at = {i, i, i, i};
  ViewChunk v = {value, value, value, value};
  return reinterpret_cast<ViewChunk>(lanes == at) & v;
}
// Joins (entry-wise max) the first n entries of `from` into `into`.
inline void join_entries(uint32_t* into, const uint32_t* from, uint32_t n) {
  if (n - 1 < 4) {  // one chunk: most models
    ViewChunk a, b;
    std::memcpy(&a, into, sizeof a);
    std::memcpy(&b, from, sizeof b);
    a = a > b ? a : b;
    std::memcpy(into, &a, sizeof a);
    return;
  }
  for (uint32_t i = 0; i < n; i += 4) {
    ViewChunk a, b;
    std::memcpy(&a, into + i, sizeof a);
    std::memcpy(&b, from + i, sizeof b);
    a = a > b ? a : b;
    std::memcpy(into + i, &a, sizeof a);
  }
}
// into = max(a, b) over the first n entries, where only b's first b_len entries count (b's entries
// from b_len to its chunk boundary must be zero, like a's past n).
inline void join_entries_into(uint32_t* into, const uint32_t* a, uint32_t n, const uint32_t* b, uint32_t b_len) {
  if (n - 1 < 4) {  // one chunk
    ViewChunk x, y = {};
    std::memcpy(&x, a, sizeof x);
    if (b_len) std::memcpy(&y, b, sizeof y);
    x = x > y ? x : y;
    std::memcpy(into, &x, sizeof x);
    return;
  }
  for (uint32_t i = 0; i < n; i += 4) {
    ViewChunk x, y = {};
    std::memcpy(&x, a + i, sizeof x);
    if (i < b_len) std::memcpy(&y, b + i, sizeof y);
    x = x > y ? x : y;
    std::memcpy(into + i, &x, sizeof x);
  }
}
// Clears the first n entries of several views in one pass (one loop, a chunk of each per step).
template <class... V>
inline void zero_entries_of(uint32_t n, V... views) {
  ViewChunk c = {};
  __asm__("" : "+x"(c));  // an opaque zero: keeps the compiler from turning the loop into memset calls
  if (n - 1 < 4) {  // one chunk
    (std::memcpy(views.at, &c, sizeof c), ...);
    return;
  }
  for (uint32_t i = 0; i < n; i += 4) (std::memcpy(views.at + i, &c, sizeof c), ...);
}

// Views `stride` entries apart, slot after slot; entries never written are zero.
class ViewTable {
 public:
  View at(std::size_t slot) { return View{data_.data() + slot * stride_}; }
  // at(slot) when the stride is known to be kViewChunk (small views, engine_impl.h): no load of it.
  uint32_t* small_at(std::size_t slot) { return data_.data() + slot * kViewChunk; }
  uint32_t stride() const { return stride_; }
  std::size_t slots() const { return slots_; }
  // Room for at least `slots` views of at least `locations` entries. Slots grow geometrically; when
  // the stride doubles, every view moves (and any View handle taken before is stale).
  void reserve(std::size_t slots, uint32_t locations) {
    uint32_t stride = stride_;
    while (stride < locations) stride *= 2;
    std::size_t new_slots = slots <= slots_ ? slots_ : std::max(slots, slots_ * 2);
    if (stride == stride_) {
      if (new_slots != slots_) data_.resize(new_slots * stride);
    } else {
      std::vector<uint32_t> moved(new_slots * stride);
      for (std::size_t i = 0; i < slots_; ++i) copy_entries(moved.data() + i * stride, data_.data() + i * stride_, stride_);
      data_.swap(moved);
      stride_ = stride;
    }
    slots_ = new_slots;
  }

 private:
  std::vector<uint32_t> data_;
  uint32_t stride_ = kViewChunk;  // a multiple of the 4-entry chunk
  std::size_t slots_ = 0;
};

}  // namespace sf
