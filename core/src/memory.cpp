// core/src/memory.cpp: the memory model for marked accesses: per-location store histories in
// modification order, per-thread views (which stores a thread may still read), release/acquire
// and fence effects. Under sc every load reads the newest store; under lkmm a load may read any
// store its view allows, and which one is a ChoiceSource decision (option 0: the newest).
//
// Views follow the operational "view" semantics of C11 (as in Relacy and C11Tester, without
// promises): a store carries the view its writer published (the whole view for a release, the
// view at the last smp_wmb for a relaxed store); an acquire joins it; smp_rmb joins what relaxed
// loads saw since; smp_mb additionally joins a global view, which makes full barriers totally
// ordered and cumulative. Happens-before (vector clocks) runs beside it for race detection.
#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>

#include "engine_impl.h"

namespace sf {


void Engine::Impl::reserve_views(uint32_t locations, size_t store_slots) {
  uint32_t old_stride = thread_views.stride();
  size_t old_slots = thread_views.slots();
  store_views.reserve(store_slots, locations);
  if (store_view_len.size() < store_views.slots()) store_view_len.resize(store_views.slots());
  thread_views.reserve(kThreadViewSlots, locations);
  lock_views.reserve(0, locations);
  if (thread_views.stride() != old_stride || thread_views.slots() != old_slots) place_views();
  weak_locs_room = static_cast<uint32_t>(std::min<size_t>({kMaxWeakLocations, store_views.slots() / kHistory,
                                                           store_views.stride()}));
  // Strides only grow: once past a chunk, this Engine's later runs take Lane::lkmm from their start.
  if (run_lane == Lane::lkmm_small && !views_fit_small()) {
    run_lane = Lane::lkmm;
    run_entries = entries_of(run_lane);
  }
}

void Engine::Impl::place_views() {
  for (uint32_t t = 0; t < kMaxThreads; ++t) {
    threads[t].views = thread_views.at(t * kViewsPerThread).at;
    threads[t].view_stride = thread_views.stride();
  }
}

uint32_t Engine::Impl::new_location(const char* name, uint64_t init, rt::LocKind kind) {
  if (nlocs >= kMaxLocations || (weak && nlocs >= kMaxWeakLocations)) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "more than %u atomic locations in one execution",
                  weak ? kMaxWeakLocations : kMaxLocations);
    fail(FailureKind::too_many, nullptr, buf, nullptr);
  }
  uint32_t id = nlocs++;
  if (id >= locs.size()) {
    locs.resize(std::max<size_t>(4, locs.size() * 2));
    locs_room = static_cast<uint32_t>(locs.size());
  }
  if (weak && (size_t{id + 1} * kHistory > store_views.slots() || id + 1 > store_views.stride())) {
    reserve_views(id + 1, size_t{id + 1} * kHistory);
  }
  init_location(locs[id], name, init, kind);
  if (weak) {
    // The initial store publishes an empty view (a zero chunk, for small views: engine_impl.h).
    store_view_len[size_t{id} * kHistory] = 0;
    zero_entries_of(kViewChunk, store_views.at(size_t{id} * kHistory));
    if (id >= kViewChunk && lane == Lane::lkmm_small) set_lane(Lane::lkmm);  // views no longer small
  }
  return id;
}

// Adds a store at modification-order position `ts`. `base` (weak only) is the view it publishes.
// Stores live in a ring of the last kHistory created; the caller never lets an insertion evict
// the store that is last in modification order.
// Small views (engine_impl.h): the views' part of a store at `ts` into ring slot `slot` of `loc`:
// it publishes `published` raised to ts at loc, and raises its writer's current view (`cur`, as the
// caller holds it) and own view there. ts is past every entry for loc it raises.
[[gnu::always_inline]] static inline void publish_small_store(Engine::Impl& e, ThreadSlot::SmallViews tv, uint32_t loc,
                                                              uint32_t slot, uint32_t ts, ViewChunk published,
                                                              ViewChunk cur) {
  ViewChunk mine = entry_chunk(loc, ts);
  size_t vs = size_t{loc} * kHistory + slot;
  store_chunk(e.small_store_view(vs), max_chunk(published, mine));
  e.store_view_len[vs] = kViewChunk;
  store_chunk(tv.cur(), max_chunk(cur, mine));
  store_chunk(tv.own(), max_chunk(load_chunk(tv.own()), mine));
}

[[gnu::always_inline]] inline void Engine::Impl::insert_store(Location& L, uint32_t loc, uint64_t v, const StoreClock& c,
                                                            const uint32_t* base, uint32_t ts, bool small, bool meta) {
  ThreadSlot& th = me();  // once: a store into a view could be `current` as far as the compiler knows
  if (small) {  // the same, a chunk each in registers
    ThreadSlot::SmallViews tv = th.small();
    ViewChunk published = load_chunk(base), cur = load_chunk(tv.cur());
    uint32_t slot = append_record(L, v, c, ts, hb, meta);
    publish_small_store(*this, tv, loc, slot, ts, published, cur);
    return;
  }
  uint32_t slot = append_record(L, v, c, ts, hb, meta);
  if (weak) {
    size_t vs = size_t{loc} * kHistory + slot;
    uint32_t* mv = store_view(vs);
    uint32_t n = std::min(nlocs, kMaxWeakLocations);
    store_view_len[vs] = n;
    copy_entries(mv, base, n);
    mv[loc] = ts;
    th.cur().at[loc] = ts;
    th.own().at[loc] = ts;
  }
}

// lkmm: a plain or release store may go anywhere in modification order after every store this
// thread has seen (its view), not only at the end: that is what lets two threads' stores to two
// locations be ordered differently at each (2+2W, S). Option 0 is the end; option k puts it just
// before the k-th newest store it may precede. Positions need a gap between stamps.
uint32_t Engine::Impl::store_position(const Location& L, uint32_t loc) {
  uint32_t append = L.max_ts + kTsStep;
  uint32_t next_slot = L.count % kHistory;
  if (L.count >= kHistory && next_slot == L.newest) return append;  // would evict the last store
  uint32_t view = me().cur().at[loc];
  if (view >= L.max_ts) return append;  // it has seen the last store: nothing to go before
  uint32_t above[kHistory];
  uint32_t n = 0;
  uint32_t kept = std::min(L.count, kHistory);
  for (uint32_t i = 0; i < kept; ++i) {
    uint32_t ts = L.hist[i].ts;
    if (ts <= view) continue;
    uint32_t k = n++;
    while (k > 0 && above[k - 1] > ts) {
      above[k] = above[k - 1];
      --k;
    }
    above[k] = ts;
  }
  uint32_t cand[kHistory];
  uint32_t m = 0;
  for (uint32_t j = 0; j < n; ++j) {
    uint32_t lo = j == 0 ? view : above[j - 1];
    if (above[j] - lo >= 2) cand[m++] = lo + (above[j] - lo) / 2;
  }
  if (m == 0) return append;
  uint32_t k = decide(ChoiceKind::store, m + 1);
  return k == 0 ? append : cand[m - k];
}

// lkmm: what reading the store in ring slot `chosen` does to the reader's views (`view`: its current
// view of the location before the load). `seen`: the caller knows the view holds that store already.
[[gnu::always_inline]] inline void Engine::Impl::read_views(const Location& L, uint32_t loc, uint32_t chosen,
                                                          uint32_t view, rt::Order o, bool small, bool seen) {
  ThreadSlot& th = me();
  uint32_t ts = L.hist[chosen].ts;
  size_t slot = size_t{loc} * kHistory + chosen;
  // A pointer loaded with READ_ONCE heads an address dependency, which LKMM respects for the
  // accesses through it; without dependency tracking, such a load is modelled as an acquire.
  bool acquires = o == rt::Order::acquire || L.kind == rt::LocKind::pointer;
  // The store's entry goes into the current view, what it published into the current view (an
  // acquire) or else into the acquire view, for a later smp_rmb. Never into both, nor the entry
  // into the acquire view: that view is only ever joined into the current one, which only grows,
  // so what the current view holds already the acquire view need not (ThreadSlot).
  if (small) {  // the same, a chunk each in registers; a store already seen adds no entry, so a
               // relaxed load of one leaves the current view alone
    ThreadSlot::SmallViews tv = th.small();
    ViewChunk published = load_chunk(small_store_view(slot));
    if (acquires) {
      ViewChunk cur = max_chunk(load_chunk(tv.cur()), published);
      if (!seen) cur = max_chunk(cur, entry_chunk(loc, ts));
      store_chunk(tv.cur(), cur);
    } else {
      store_chunk(tv.acq(), max_chunk(load_chunk(tv.acq()), published));
      if (!seen) store_chunk(tv.cur(), max_chunk(load_chunk(tv.cur()), entry_chunk(loc, ts)));
    }
    return;
  }
  const uint32_t* mv = store_view(slot);
  th.cur().at[loc] = std::max(view, ts);
  view_join(acquires ? th.cur() : th.acq(), mv, store_view_len[slot]);
}

// lkmm: a fence's effect on the thread's views (and, for smp_mb, on the global one).
[[gnu::always_inline]] inline void Engine::Impl::fence_views(rt::Fence f, bool small) {
  ThreadSlot& th = me();
  if (small) {  // the same, a chunk each in registers
    ThreadSlot::SmallViews tv = th.small();
    ViewChunk cur = load_chunk(tv.cur());
    if (f != rt::Fence::wmb) cur = max_chunk(cur, load_chunk(tv.acq()));
    if (f == rt::Fence::mb) {
      uint32_t* mb = thread_views.small_at(kGlobalViewSlot);
      cur = max_chunk(cur, load_chunk(mb));
      store_chunk(mb, cur);
    }
    if (f != rt::Fence::wmb) store_chunk(tv.cur(), cur);
    if (f != rt::Fence::rmb) store_chunk(tv.rel(), cur);
    return;
  }
  uint32_t n = std::min(nlocs, kMaxWeakLocations);
  switch (f) {
    case rt::Fence::rmb:
      view_join(th.cur(), th.acq());
      break;
    case rt::Fence::wmb:
      copy_entries(th.rel(), th.cur(), n);
      break;
    case rt::Fence::mb:
      view_join(th.cur(), th.acq());
      view_join(th.cur(), mb_view());
      copy_entries_to(n, th.cur(), mb_view(), th.rel());
      break;
  }
}

// lkmm: the ring slots of the stores a thread whose view of L is `view` may read (those not before
// it), newest first; returns how many.
[[gnu::always_inline]] static inline uint32_t readable_stores(const Location& L, uint32_t view,
                                                             uint32_t (&allowed)[kHistory]) {
  uint32_t n = 0;
  uint32_t kept = std::min(L.count, kHistory);
  for (uint32_t i = 0; i < kept; ++i) {
    if (L.hist[i].ts < view) continue;
    uint32_t k = n++;
    while (k > 0 && L.hist[allowed[k - 1]].ts < L.hist[i].ts) {
      allowed[k] = allowed[k - 1];
      --k;
    }
    allowed[k] = i;
  }
  return n;
}

// The ring slot of readable store number c (0: the newest) in readable_stores' order. Option 1 is
// the one a stale read picks most (with two readable stores, the only stale one): one scan keeps
// the two newest, as the sort would order them (ties: the lower ring slot first), without the sort.
[[gnu::always_inline]] static inline uint32_t readable_store(const Location& L, uint32_t view, uint32_t c) {
  if (c == 1) {
    uint32_t first = 0, second = 0;
    uint64_t first_key = 0, second_key = 0;  // ts + 1 of each; 0: none yet
    for (uint32_t i = 0, kept = std::min(L.count, kHistory); i < kept; ++i) {
      uint32_t ts = L.hist[i].ts;
      if (ts < view) continue;
      uint64_t key = uint64_t{ts} + 1;
      if (key > first_key) {
        second = first;
        second_key = first_key;
        first = i;
        first_key = key;
      } else if (key > second_key) {
        second = i;
        second_key = key;
      }
    }
    return second;
  }
  uint32_t allowed[kHistory];
  readable_stores(L, view, allowed);
  return allowed[c];
}

// How many stores readable_stores would list.
[[gnu::always_inline]] static inline uint32_t count_readable(const Location& L, uint32_t view) {
  uint32_t n = 0;
  uint32_t kept = std::min(L.count, kHistory);
  for (uint32_t i = 0; i < kept; ++i) n += L.hist[i].ts >= view;
  return n;
}

uint64_t Engine::Impl::load(uint32_t loc, rt::Order o, const std::source_location& w) {
  schedule_point();
  begin_op(w);
  Location& L = locs[loc];
  check_owner(L.owner_block, "location", w);
  ThreadSlot& th = me();
  uint32_t chosen = L.newest;  // a ring slot
  if (tso) {
    // x86: a load reads its own newest buffered store, else memory; every load is an acquire.
    uint64_t v;
    uint32_t step;
    bool own = forwarded(loc, &v, &step);
    const StoreRecord& s = L.hist[L.newest];
    if (!own) {
      v = s.value;
      step = s.step;
      if (hb) th.clock.join(s.rel);
      if (opts.feedback) feedback_rf(s.site, false);
    }
    if (Event* e = record(o == rt::Order::acquire ? Op::load_acquire : Op::read_once, loc, w)) {
      e->value = v;
      e->rf_step = step;
      e->is_pointer = L.kind == rt::LocKind::pointer;
    }
    return v;
  }
  if (weak) {
    // A thread whose view already holds the newest store may read only that one (no choice).
    uint32_t view = th.cur().at[loc];
    if (view < L.max_ts) {
      // Option 0, the newest store (L.newest: readable, as the view is below it), needs no list.
      if (uint32_t n = count_readable(L, view); n > 1) {
        if (uint32_t c = decide(ChoiceKind::read, n)) chosen = readable_store(L, view, c);
      }
    }
    read_views(L, loc, chosen, view, o, lane == Lane::lkmm_small);
  }
  const StoreRecord& s = L.hist[chosen];
  if (opts.feedback) feedback_rf(s.site, chosen != L.newest);
  if (hb) (o == rt::Order::acquire ? th.clock : th.acq_pending).join(s.rel);
  if (Event* e = record(o == rt::Order::acquire ? Op::load_acquire : Op::read_once, loc, w)) {
    e->value = s.value;
    e->rf_step = s.step;
    e->stale = chosen != L.newest;
    e->is_pointer = L.kind == rt::LocKind::pointer;
  }
  return s.value;
}

void Engine::Impl::store(uint32_t loc, uint64_t v, rt::Order o, const std::source_location& w) {
  schedule_point();
  begin_op(w);
  Location& L = locs[loc];
  check_owner(L.owner_block, "location", w);
  ThreadSlot& th = me();
  bool release = o == rt::Order::release || o == rt::Order::full;
  if (tso && o != rt::Order::full) {
    // x86: every store is a release, and waits in the store buffer until it drains.
    if (th.sb_count == kStoreBuffer) flush_one(current);
    buffer_store(loc, v);
    if (Event* e = record(release ? Op::store_release : Op::write_once, loc, w)) {
      e->value = v;
      e->is_pointer = L.kind == rt::LocKind::pointer;
    }
    return;
  }
  if (o == rt::Order::full) fence_effects(rt::Fence::mb);
  uint32_t ts = weak && o != rt::Order::full ? store_position(L, loc) : L.max_ts + kTsStep;
  const uint32_t* published = !weak ? nullptr : release ? th.cur().at : th.rel().at;
  insert_store(L, loc, v, StoreClock{release ? th.clock : th.fence_rel, nullptr, release}, published, ts,
               lane == Lane::lkmm_small, true);
  if (o == rt::Order::full) fence_effects(rt::Fence::mb);
  if (Event* e = record(release ? Op::store_release : Op::write_once, loc, w)) {
    e->value = v;
    e->is_pointer = L.kind == rt::LocKind::pointer;
  }
}

static uint64_t apply(rt::RmwOp op, uint64_t old, uint64_t arg) {
  switch (op) {
    case rt::RmwOp::add: return old + arg;
    case rt::RmwOp::sub: return old - arg;
    case rt::RmwOp::bit_or: return old | arg;
    case rt::RmwOp::bit_and: return old & arg;
    case rt::RmwOp::bit_xor: return old ^ arg;
    case rt::RmwOp::xchg: return arg;
  }
  return arg;
}

// The read-modify-write core shared by rmw(), a successful cmpxchg() and the fast lanes: reads the
// newest store (atomicity), continues its release sequence, appends the new value. `lane`: the
// caller knows the run takes that fast lane (sc: no store buffers, no views, clocks; sc_unclocked:
// the same without clocks; lkmm: views, no store buffers; all: no feedback), which lets the compiler
// drop the other paths from its copy.
using Lane = Engine::Impl::Lane;
// A fully ordered RMW's fence on each side, as the lane does it.
[[gnu::always_inline]] static inline void rmw_full_fence(Engine::Impl& e, Lane lane) {
  if (lane == Lane::general) {
    e.fence_effects(rt::Fence::mb);
  } else if (lane == Lane::sc) {
    e.fence_clocks_kept(rt::Fence::mb);
  } else if (lane == Lane::lkmm || lane == Lane::lkmm_small) {  // what fence_effects does without store buffers
    e.fence_clocks(rt::Fence::mb);
    e.fence_views(rt::Fence::mb, lane == Lane::lkmm_small);
  }  // sc_unclocked: no clocks yet, no views
}
[[gnu::always_inline]] static inline uint64_t rmw_core(Engine::Impl& e, uint32_t loc, uint64_t nv_arg, rt::RmwOp op,
                                                       rt::Order o, uint64_t* old_out, uint32_t* read_step,
                                                       Lane lane = Lane::general) {
  bool general = lane == Lane::general;
  bool tso = general && e.tso;
  // The general path takes small views' forms too when the run has them (as their lane would).
  bool small = lane == Lane::lkmm_small || (general && e.lane == Lane::lkmm_small);
  bool weak = lane == Lane::lkmm || small || (general && e.weak);
  bool clocks = lane == Lane::sc || (lane != Lane::sc_unclocked && e.hb);
  Location& L = e.locs[loc];
  ThreadSlot& th = e.me();
  bool full = o == rt::Order::full;
  bool acquire = full || o == rt::Order::acquire;
  bool release = full || o == rt::Order::release;
  if (tso) {
    // x86: every RMW is a locked instruction: it drains the store buffer and is fully ordered.
    full = acquire = release = true;
  }
  if (full) rmw_full_fence(e, lane);
  const StoreRecord& prev = L.hist[L.newest];
  *read_step = prev.step;
  if (general && e.opts.feedback) e.feedback_rf(prev.site, false);
  uint64_t old = prev.value;
  uint64_t nv = apply(op, old, nv_arg);
  if (clocks) (acquire ? th.clock : th.acq_pending).join(prev.rel);
  if (small) {  // what follows, with each view a chunk in a register (loaded once, stored once)
    ThreadSlot::SmallViews tv = th.small();
    ViewChunk pv = load_chunk(e.small_store_view(size_t{loc} * kHistory + L.newest));
    // No entry for prev: the new store's (publish_small_store), past it, goes wherever it would.
    ViewChunk cur = load_chunk(tv.cur());
    // What prev published: into the current view (an acquire) or the acquire view (read_views).
    if (acquire) {
      cur = max_chunk(cur, pv);
    } else {
      store_chunk(tv.acq(), max_chunk(load_chunk(tv.acq()), pv));
    }
    ViewChunk base = max_chunk(release ? cur : load_chunk(tv.rel()), pv);
    uint32_t ts = L.max_ts + kTsStep;
    uint32_t slot =
        e.append_record(L, nv, Engine::Impl::StoreClock{prev.rel, release ? &th.clock : &th.fence_rel, release}, ts, e.hb,
                        general);
    publish_small_store(e, tv, loc, slot, ts, base, cur);
    if (full) rmw_full_fence(e, lane);
    *old_out = old;
    return nv;
  }
  uint32_t* base = weak ? e.scratch().at : nullptr;
  if (weak && !small) {
    size_t slot = size_t{loc} * kHistory + L.newest;
    const uint32_t* pv = e.store_view(slot);
    uint32_t plen = e.store_view_len[slot];
    e.view_join(acquire ? th.cur() : th.acq(), pv, plen);  // as read_views
    th.cur().at[loc] = prev.ts;
    uint32_t n = std::min(e.nlocs, kMaxWeakLocations);
    View mine = release ? th.cur() : th.rel();
    // A chunk at a time (view_table.h): `mine` is zero past n, and pv past plen up to its chunk
    // boundary; pv's later chunks may hold another execution's entries, so they count as zero. The
    // result is zero past n to the chunk boundary, as the store's view must be.
    join_entries_into(base, mine.at, n, pv, plen);
  }
  // What the new store publishes continues prev's release sequence (the new slot is not prev's:
  // an RMW never evicts the store last in modification order).
  Engine::Impl::StoreClock clock{prev.rel, release ? &th.clock : &th.fence_rel, release};
  if (weak) {
    e.insert_store(L, loc, nv, clock, base, L.max_ts + kTsStep, false, true);  // an RMW is always last
  } else {
    e.append_record(L, nv, clock, L.max_ts + kTsStep, clocks, general);  // insert_store without views
  }
  if (full) rmw_full_fence(e, lane);
  *old_out = old;
  return nv;
}

uint64_t Engine::Impl::rmw(uint32_t loc, rt::RmwOp op, uint64_t arg, rt::Order o, const std::source_location& w) {
  schedule_point();
  begin_op(w);
  Location& L = locs[loc];
  check_owner(L.owner_block, "location", w);
  uint64_t old = 0;
  uint32_t read_step = kNoStep;
  uint64_t nv = rmw_core(*this, loc, arg, op, o, &old, &read_step);
  if (Event* e = record(o == rt::Order::full ? Op::rmw_full : Op::rmw_relaxed, loc, w)) {
    e->value = nv;
    e->old_value = old;
    e->rf_step = read_step;
    e->is_pointer = L.kind == rt::LocKind::pointer;
  }
  return old;
}

bool Engine::Impl::cmpxchg(uint32_t loc, uint64_t* expected, uint64_t desired, rt::Order o,
                           const std::source_location& w) {
  schedule_point();
  begin_op(w);
  Location& L = locs[loc];
  check_owner(L.owner_block, "location", w);
  if (tso) drain(current);  // a locked cmpxchg drains the store buffer whether it succeeds or not
  const StoreRecord& cur = L.hist[L.newest];
  if (cur.value == *expected) {
    uint64_t old = 0;
    uint32_t read_step = kNoStep;
    rmw_core(*this, loc, desired, rt::RmwOp::xchg, o, &old, &read_step);
    if (Event* e = record(o == rt::Order::full ? Op::rmw_full : Op::rmw_relaxed, loc, w)) {
      e->value = desired;
      e->old_value = old;
      e->rf_step = read_step;
      e->is_pointer = L.kind == rt::LocKind::pointer;
    }
    return true;
  }
  // A failed cmpxchg is an unordered read of the newest value.
  ThreadSlot& th = me();
  if (hb) th.acq_pending.join(cur.rel);
  if (weak) {
    th.cur().at[loc] = cur.ts;
    size_t slot = size_t{loc} * kHistory + L.newest;
    view_join(th.acq(), store_view(slot), store_view_len[slot]);
  }
  *expected = cur.value;
  if (Event* e = record(Op::cmpxchg_fail, loc, w)) {
    e->value = cur.value;
    e->rf_step = cur.step;
    e->is_pointer = L.kind == rt::LocKind::pointer;
  }
  return false;
}

void Engine::Impl::fence_effects(rt::Fence f) {
  if (tso && f == rt::Fence::mb) drain(current);  // on x86 only smp_mb does anything at run time
  fence_clocks(f);
  if (weak) fence_views(f, lane == Lane::lkmm_small);
}

void Engine::Impl::fence(rt::Fence f, const std::source_location& w) {
  schedule_point();
  fence_effects(f);
  static constexpr Op kOps[] = {Op::fence_rmb, Op::fence_wmb, Op::fence_mb};
  record(kOps[static_cast<int>(f)], kNone, w);
}

[[gnu::flatten, gnu::noinline]] uint32_t Engine::Impl::new_location_general(const char* name, uint64_t init,
                                                                          rt::LocKind kind) {
  return new_location(name, init, kind);
}
[[gnu::flatten, gnu::noinline]] uint64_t Engine::Impl::load_general(uint32_t loc, rt::Order o,
                                                                   const std::source_location& w) {
  return load(loc, o, w);
}
[[gnu::flatten, gnu::noinline]] void Engine::Impl::store_general(uint32_t loc, uint64_t v, rt::Order o,
                                                                const std::source_location& w) {
  store(loc, v, o, w);
}
[[gnu::flatten, gnu::noinline]] uint64_t Engine::Impl::rmw_general(uint32_t loc, rt::RmwOp op, uint64_t arg, rt::Order o,
                                                                  const std::source_location& w) {
  return rmw(loc, op, arg, o, w);
}
[[gnu::flatten, gnu::noinline]] void Engine::Impl::fence_general(rt::Fence f, const std::source_location& w) {
  fence(f, w);
}

// ---- tso store buffers
void Engine::Impl::flush_one(uint32_t tid) {
  ThreadSlot& th = threads[tid];
  PendingStore& p = th.sb[th.sb_head];
  th.sb_head = (th.sb_head + 1) % kStoreBuffer;
  if (--th.sb_count == 0) buffered &= ~(1u << tid);
  Location& L = locs[p.loc];
  uint32_t slot = L.count++ % kHistory;
  StoreRecord& s = L.hist[slot];
  s.value = p.value;
  s.ts = L.max_ts + kTsStep;
  s.step = p.step;
  s.site = p.site;
  if (hb) s.rel = p.rel;
  L.max_ts = s.ts;
  L.newest = slot;
  if (Event* e = record(Op::buffer_flush, p.loc, std::source_location{})) {
    e->tid = static_cast<uint8_t>(tid);
    e->value = p.value;
    e->rf_step = p.step;
    e->is_pointer = L.kind == rt::LocKind::pointer;
  }
}

void Engine::Impl::drain(uint32_t tid) {
  while (threads[tid].sb_count) flush_one(tid);
}

// Before a step: the choice source may let one buffered store reach memory (0: none).
void Engine::Impl::maybe_flush() {
  uint32_t n = static_cast<uint32_t>(std::popcount(buffered)) + 1;
  uint32_t c = decide(ChoiceKind::flush, n);
  if (c == 0) return;
  uint32_t mask = buffered;
  for (uint32_t t = 0; t < kMaxThreads; ++t) {
    if (!(mask & (1u << t))) continue;
    if (--c == 0) {
      flush_one(t);
      return;
    }
  }
}

// lkmm's fast lane (engine_impl.h) for a load, a store and a read-modify-write; the access takes
// the general path when it needs it, the lane having changed nothing. A load takes the lane at any
// quiet point: its read choice, if its view allows more than one store, is answered by the source's
// run of defaults (newest_run) or by the source itself, as the general path would ask it; a store,
// when it has seen the last store to the location, so that it can only go last in modification
// order (store_position makes no choice). kSmall: the lkmm_small lane (small views, engine_impl.h).
//
// A load's effects once it has chosen the store it reads (ring slot `chosen`).
template <bool kSmall, bool kSeen = false>
[[gnu::always_inline]] static inline uint64_t lkmm_read(Engine::Impl& e, const Location& L, uint32_t loc, uint32_t chosen,
                                                        uint32_t view, rt::Order o) {
  e.read_views(L, loc, chosen, view, o, kSmall, kSeen);
  const StoreRecord& s = L.hist[chosen];
  ThreadSlot& th = e.me();
  if (e.hb) (o == rt::Order::acquire ? th.clock : th.acq_pending).join(s.rel);
  return s.value;
}
// The lane's load by a thread whose view of loc is below the last store (`view`): it may read more
// than one store. Out of line, so that the usual load, which may read only the last one, saves
// fewer registers.
template <bool kSmall>
[[gnu::noinline]] static uint64_t lkmm_lane_load_older(Engine::Impl& e, const Location& L, uint32_t loc, uint32_t view,
                                                       rt::Order o) {
  uint32_t n = count_readable(L, view);
  e.take_quiet_point(false);
  uint32_t chosen = L.newest;
  if (n > 1) {
    if (e.source->newest_run) {  // decide() answering from the run: option 0, the newest
      --e.source->newest_run;
      e.note_decision(Decision{ChoiceKind::read, n, 0});
    } else if (uint32_t c = e.decide(ChoiceKind::read, n)) {  // the source is asked, as the general path would
      chosen = readable_store(L, view, c);
    }  // option 0 is the newest store, L.newest (readable: the view is below it)
  }
  return lkmm_read<kSmall>(e, L, loc, chosen, view, o);
}
// lkmm's load: the lane, or the general path when the point is not quiet.
template <bool kSmall>
static uint64_t lkmm_load(uint32_t loc, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  const Location& L = e.locs[loc];
  if (!e.point_is_quiet(false) || !e.owner_alive(L.owner_block)) return e.load_general(loc, o, w);
  uint32_t view = e.me().cur().at[loc];
  if (view < L.max_ts) return lkmm_lane_load_older<kSmall>(e, L, loc, view, o);
  e.take_quiet_point(false);
  return lkmm_read<kSmall, true>(e, L, loc, L.newest, view, o);  // the view holds the last store
}
template <bool kSmall>
[[gnu::always_inline]] static inline bool lkmm_lane_store(Engine::Impl& e, uint32_t loc, uint64_t v, rt::Order o) {
  Location& L = e.locs[loc];
  if (o == rt::Order::full || !e.point_is_quiet(false) || !e.owner_alive(L.owner_block)) return false;
  ThreadSlot& th = e.me();
  if (th.cur().at[loc] < L.max_ts) return false;
  e.take_quiet_point(false);
  bool release = o == rt::Order::release;
  // What it publishes: its current view for a release, else its view at its last smp_wmb (under
  // small views at an offset the compiler knows, which also spares two registers).
  const uint32_t* published = kSmall ? th.small().cur() + (release ? 0 : 2 * kViewChunk)
                                     : (release ? th.cur().at : th.rel().at);
  e.insert_store(L, loc, v, Engine::Impl::StoreClock{release ? th.clock : th.fence_rel, nullptr, release},
                 published, L.max_ts + kTsStep, kSmall, !kSmall);
  return true;
}

// An lkmm run's accesses (its entries, rt::access_entries): the lane, else the general path.
template <bool kSmall>
static void lkmm_store(uint32_t loc, uint64_t v, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  if (lkmm_lane_store<kSmall>(e, loc, v, o)) return;
  e.store_general(loc, v, o, w);
}
// A read-modify-write on a lane: false, having changed nothing, when its schedule point needs the
// general path.
[[gnu::always_inline]] static inline bool lane_rmw(Engine::Impl& e, uint32_t loc, rt::RmwOp op, uint64_t arg,
                                                   rt::Order o, Lane lane, uint64_t* old) {
  bool may_keep = lane != Lane::lkmm && lane != Lane::lkmm_small;  // lkmm's lanes run only when not kept
  if (!e.point_is_quiet(may_keep) || !e.owner_alive(e.locs[loc].owner_block)) return false;
  e.take_quiet_point(may_keep);
  uint32_t read_step = 0;
  rmw_core(e, loc, arg, op, o, old, &read_step, lane);
  return true;
}
// lane_rmw with an add (atomic_inc, atomic_add, their _return forms: most RMWs) in a copy of its
// own, without the jump over the operations (lost update: -1.3% instructions in sc_unclocked,
// -1.6% in lkmm_small, where loop CPU fell 1.5%, 15 pairs).
[[gnu::always_inline]] static inline bool lane_rmw_add_apart(Engine::Impl& e, uint32_t loc, rt::RmwOp op, uint64_t arg,
                                                             rt::Order o, Lane lane, uint64_t* old) {
  if (op == rt::RmwOp::add) {
    // atomic_inc, atomic_add (unordered) under lkmm: a copy without the ordered forms' fences and
    // view joins (sc_unclocked has neither: there it only added instructions elsewhere).
    bool views = lane == Lane::lkmm || lane == Lane::lkmm_small;
    if (views && o == rt::Order::relaxed) return lane_rmw(e, loc, rt::RmwOp::add, arg, rt::Order::relaxed, lane, old);
    return lane_rmw(e, loc, rt::RmwOp::add, arg, o, lane, old);
  }
  return lane_rmw(e, loc, op, arg, o, lane, old);
}
template <bool kSmall>
static uint64_t lkmm_rmw(uint32_t loc, rt::RmwOp op, uint64_t arg, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  uint64_t old = 0;
  if (lane_rmw_add_apart(e, loc, op, arg, o, kSmall ? Lane::lkmm_small : Lane::lkmm, &old)) return old;
  return e.rmw_general(loc, op, arg, o, w);
}
// sc's rmw with clocks.
static uint64_t sc_clocked_rmw(uint32_t loc, rt::RmwOp op, uint64_t arg, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  uint64_t old = 0;
  if (lane_rmw(e, loc, op, arg, o, Lane::sc, &old)) return old;
  return e.rmw_general(loc, op, arg, o, w);
}
template <bool kSmall>
static void lkmm_fence(rt::Fence f, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  if (e.point_is_quiet(false)) {
    e.take_quiet_point(false);
    e.fence_clocks(f);
    e.fence_views(f, kSmall);
    return;
  }
  e.fence_general(f, w);
}

// sc's lane for a load, a store and a fence: false, having changed nothing, when the access needs
// the general path. kClocks: happens-before has started (Lane::sc), else it has not
// (Lane::sc_unclocked).
template <bool kClocks>
[[gnu::always_inline]] static inline bool sc_lane_load(Engine::Impl& e, uint32_t loc, rt::Order o, uint64_t* out) {
  const Location& L = e.locs[loc];
  if (!e.point_is_quiet() || !e.owner_alive(L.owner_block)) return false;
  e.take_quiet_point();
  const StoreRecord& s = L.hist[L.newest];
  if (kClocks) {
    ThreadSlot& th = e.me();
    (o == rt::Order::acquire ? th.clock : th.acq_pending).join(s.rel);
  }
  *out = s.value;
  return true;
}
template <bool kClocks>
[[gnu::always_inline]] static inline bool sc_lane_store(Engine::Impl& e, uint32_t loc, uint64_t v, rt::Order o) {
  Location& L = e.locs[loc];
  if (o == rt::Order::full || !e.point_is_quiet() || !e.owner_alive(L.owner_block)) return false;
  e.take_quiet_point();
  ThreadSlot& th = e.me();
  bool release = o == rt::Order::release;
  e.append_record(L, v, Engine::Impl::StoreClock{release ? th.clock : th.fence_rel, nullptr, release},
                  L.max_ts + kTsStep, kClocks, false);
  return true;
}
template <bool kClocks>
[[gnu::always_inline]] static inline bool sc_lane_fence(Engine::Impl& e, rt::Fence f) {
  if (!e.point_is_quiet()) return false;
  e.take_quiet_point();
  if (kClocks) e.fence_clocks_kept(f);
  return true;
}
// sc's lanes as entries: the lane, else the general path.
template <bool kClocks>
static uint64_t sc_load(uint32_t loc, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  uint64_t v;
  if (sc_lane_load<kClocks>(e, loc, o, &v)) return v;
  return e.load_general(loc, o, w);
}
template <bool kClocks>
static void sc_store(uint32_t loc, uint64_t v, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  if (sc_lane_store<kClocks>(e, loc, v, o)) return;
  e.store_general(loc, v, o, w);
}
template <bool kClocks>
static void sc_fence(rt::Fence f, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  if (sc_lane_fence<kClocks>(e, f)) return;
  e.fence_general(f, w);
}
// sc's rmw without clocks (atomics-only models).
static uint64_t sc_unclocked_rmw(uint32_t loc, rt::RmwOp op, uint64_t arg, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  uint64_t old = 0;
  if (lane_rmw_add_apart(e, loc, op, arg, o, Lane::sc_unclocked, &old)) return old;
  return e.rmw_general(loc, op, arg, o, w);
}
// tso's lane (engine_impl.h): a load reads the thread's own newest buffered store to the location,
// else memory's newest, and every load is an acquire; a plain or release store waits in the
// thread's store buffer (x86: every store is a release). A fully ordered store, a full buffer, or a
// point that is not quiet take the general path, as do RMWs and fences (an RMW and an smp_mb drain
// the buffer), and locks while a store is buffered (sync.cpp).
static uint64_t tso_load(uint32_t loc, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  const Location& L = e.locs[loc];
  if (!e.tso_point_is_quiet() || !e.owner_alive(L.owner_block)) return e.load_general(loc, o, w);
  e.take_tso_quiet_point();
  uint64_t v;
  uint32_t step;
  if (e.forwarded(loc, &v, &step)) return v;
  const StoreRecord& s = L.hist[L.newest];
  if (e.hb) e.me().clock.join(s.rel);
  return s.value;
}
static void tso_store(uint32_t loc, uint64_t v, rt::Order o, const rt::Where& w) {
  Engine::Impl& e = *g_engine;
  ThreadSlot& th = e.me();
  if (o == rt::Order::full || th.sb_count == kStoreBuffer || !e.tso_point_is_quiet() ||
      !e.owner_alive(e.locs[loc].owner_block)) {
    return e.store_general(loc, v, o, w);
  }
  e.take_tso_quiet_point();
  e.buffer_store(loc, v);
}
// The general path, as the entries of Lane::general.
static uint64_t general_load(uint32_t loc, rt::Order o, const rt::Where& w) { return g_engine->load_general(loc, o, w); }
static void general_store(uint32_t loc, uint64_t v, rt::Order o, const rt::Where& w) {
  g_engine->store_general(loc, v, o, w);
}
static uint64_t general_rmw(uint32_t loc, rt::RmwOp op, uint64_t arg, rt::Order o, const rt::Where& w) {
  return g_engine->rmw_general(loc, op, arg, o, w);
}
static void general_fence(rt::Fence f, const rt::Where& w) { g_engine->fence_general(f, w); }
const rt::AccessEntries* Engine::Impl::entries_of(Lane l) {
  static constexpr rt::AccessEntries kGeneral{&general_load, &general_store, &general_rmw, &general_fence};
  static constexpr rt::AccessEntries kScUnclocked{&sc_load<false>, &sc_store<false>, &sc_unclocked_rmw,
                                                  &sc_fence<false>};
  static constexpr rt::AccessEntries kSc{&sc_load<true>, &sc_store<true>, &sc_clocked_rmw, &sc_fence<true>};
  static constexpr rt::AccessEntries kLkmmSmall{&lkmm_load<true>, &lkmm_store<true>, &lkmm_rmw<true>,
                                                &lkmm_fence<true>};
  static constexpr rt::AccessEntries kLkmm{&lkmm_load<false>, &lkmm_store<false>, &lkmm_rmw<false>,
                                           &lkmm_fence<false>};
  static constexpr rt::AccessEntries kTso{&tso_load, &tso_store, &general_rmw, &general_fence};
  switch (l) {
    case Lane::sc_unclocked: return &kScUnclocked;
    case Lane::sc: return &kSc;
    case Lane::lkmm_small: return &kLkmmSmall;
    case Lane::lkmm: return &kLkmm;
    case Lane::tso: return &kTso;
    case Lane::general: break;
  }
  return &kGeneral;
}
namespace rt {
// The entry points besides the accesses (runtime.h reaches those through access_entries).
uint32_t new_location(const char* name, uint64_t init, LocKind kind) {
  Engine::Impl& e = *g_engine;
  // With a free slot (below kMaxLocations, as locs never grows past it) and, under weak memory,
  // room in the view tables, the location is its record (and its initial store's empty view).
  uint32_t id = e.nlocs;
  if (id < e.locs_room) {
    if (!e.weak) {
      e.nlocs = id + 1;
      e.init_location(e.locs[id], name, init, kind);
      return id;
    }
    if (id < e.weak_locs_room) {
      e.nlocs = id + 1;
      e.init_location(e.locs[id], name, init, kind);
      e.store_view_len[size_t{id} * kHistory] = 0;
      zero_entries_of(kViewChunk, e.store_views.at(size_t{id} * kHistory));
      if (id >= kViewChunk && e.lane == Lane::lkmm_small) e.set_lane(Lane::lkmm);  // views no longer small
      return id;
    }
  }
  return e.new_location_general(name, init, kind);
}
[[gnu::flatten]] bool cmpxchg(uint32_t loc, uint64_t* expected, uint64_t desired, Order o, const Where& w) {
  return g_engine->cmpxchg(loc, expected, desired, o, w);
}
// The entries while no execution runs.
[[noreturn]] static void no_execution() {
  std::fprintf(stderr, "schedfuzz: a model primitive was used outside of an execution\n");
  std::abort();
}
static uint64_t no_execution_load(uint32_t, Order, const Where&) { no_execution(); }
static void no_execution_store(uint32_t, uint64_t, Order, const Where&) { no_execution(); }
static uint64_t no_execution_rmw(uint32_t, RmwOp, uint64_t, Order, const Where&) { no_execution(); }
static void no_execution_fence(Fence, const Where&) { no_execution(); }
constinit const AccessEntries kNoExecutionEntries{&no_execution_load, &no_execution_store, &no_execution_rmw,
                                                  &no_execution_fence};
constinit const AccessEntries* access_entries = &kNoExecutionEntries;
// What the calling thread would read, without a schedule point: under tso its own buffered store
// if it has one (as a load would forward it), else the newest store.
uint64_t peek(uint32_t loc) {
  const Engine::Impl& e = *g_engine;
  uint64_t v;
  uint32_t step;
  if (e.tso && e.forwarded(loc, &v, &step)) return v;
  const Location& L = e.locs[loc];
  return L.hist[L.newest].value;
}
}  // namespace rt
}  // namespace sf
