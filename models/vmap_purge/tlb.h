// models/vmap_purge/tlb.h: the ghost TLB: a multiset of stale (range, generation) translations that
// a lazy unmap leaves behind and that only a flush of an overlapping range removes.
#pragma once
#include <cstdint>

namespace sf::models::vmap_purge {

struct StaleEntry {
  unsigned long start, end;  // [start, end) in pages
  uint32_t area, gen;
  uint32_t seq;              // creation order: a flush removes only entries older than its start
};

// Ghost only: no schedule points. flush_tlb_kernel_range is split in two by the caller
// (flush_begin, a schedule point while the IPIs are in flight, flush_end), so a thread can be
// preempted half-way; entries created after flush_begin may survive the flush, as on real CPUs
// that reload a translation before the PTE is cleared.
class Tlb {
 public:
  static constexpr uint32_t kMaxEntries = 16;

  // A lazy unmap: the PTEs are cleared, but any CPU may still cache the translation.
  // Returns false when the table is full (the model asserts on it).
  bool lazy_unmap(unsigned long start, unsigned long end, uint32_t area, uint32_t gen) {
    if (n_ == kMaxEntries) return false;
    e_[n_++] = StaleEntry{start, end, area, gen, seq_++};
    return true;
  }

  // The flush has started: it covers every entry that exists now.
  uint32_t flush_begin() const { return seq_; }

  // Every CPU has flushed [start, end): drop the overlapping entries older than `mark`.
  void flush_end(unsigned long start, unsigned long end, uint32_t mark) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < n_; ++i) {
      const StaleEntry& x = e_[i];
      bool gone = x.seq < mark && x.start < end && start < x.end;
      if (!gone) e_[k++] = x;
    }
    n_ = k;
  }

  // A stale entry overlapping [start, end); of generation `gen` unless gen == kAnyGen.
  static constexpr uint32_t kAnyGen = ~0u;
  const StaleEntry* find(unsigned long start, unsigned long end, uint32_t gen = kAnyGen) const {
    for (uint32_t i = 0; i < n_; ++i) {
      const StaleEntry& x = e_[i];
      if (x.start < end && start < x.end && (gen == kAnyGen || x.gen == gen)) return &x;
    }
    return nullptr;
  }

  // The stale entry of one area's lazy free of generation `gen`.
  const StaleEntry* find_area(uint32_t area, uint32_t gen) const {
    for (uint32_t i = 0; i < n_; ++i) {
      if (e_[i].area == area && e_[i].gen == gen) return &e_[i];
    }
    return nullptr;
  }

 private:
  StaleEntry e_[kMaxEntries];
  uint32_t n_ = 0;
  uint32_t seq_ = 0;
};

}  // namespace sf::models::vmap_purge
