// models/futex_vcache/futex.cpp: the operations of research/algorithms.md 3b. Locks nest in one
// order everywhere: the page-table lock, then vcache_lock, then futex_lock.
#include "models/futex_vcache/futex.h"

namespace sf::models::futex_vcache {

namespace {

bool has_vcache(const Config& c) { return c.form == Form::c4 || c.form == Form::linus; }

// The futex hash chain for a waiter on `page`: by page, or (lokier) by A's (mm, vaddr) key.
int key_of(const FutexState& st, int page) { return st.cfg.form == Form::lokier ? kOld : page; }

// futex_lock held: q goes to the head of the chain for `page`.
void hash(FutexState& st, Q* q, int page) {
  int key = key_of(st, page);
  q->page.store(page);
  q->next.store(st.bucket(key).load());
  st.bucket(key).store(q);
  q->bucket = key;
}

// futex_lock held: q leaves the chain that holds it.
void unhash(FutexState& st, Q* q) {
  var<Q*>* link = &st.bucket(q->bucket);
  for (Q* p = link->load(); p; p = link->load()) {
    if (p == q) {
      link->store(q->next.load());
      q->bucket = -1;
      return;
    }
    link = &p->next;
  }
}

// vcache_lock held. The chain head is written with WRITE_ONCE: the COW fault reads it without the lock.
void attach(FutexState& st, Q* q) {
  WRITE_ONCE(q->vc_next, READ_ONCE(st.vcache_head));
  WRITE_ONCE(st.vcache_head, q);
  q->attached = true;
}

void detach(FutexState& st, Q* q) {
  shared<Q*>* link = &st.vcache_head;
  for (Q* p = READ_ONCE(*link); p; p = READ_ONCE(*link)) {
    if (p == q) {
      WRITE_ONCE(*link, READ_ONCE(q->vc_next));
      q->attached = false;
      return;
    }
    link = &p->vc_next;
  }
}

// The vcache callback: A's page is now `page`; rehash the waiter there.
void callback(FutexState& st, Q* q, int page) {
  spin_lock(st.futex_lock);
  if (q->bucket >= 0 && st.cfg.callback_moves_bucket) {
    unhash(st, q);
    hash(st, q, page);
  } else {
    q->page.store(page);
  }
  spin_unlock(st.futex_lock);
}

// invalidate_vcache: `first` is what its lockless list_empty check read of the chain head.
void invalidate_vcache(FutexState& st, Q* first, int page) {
  if (!first) return;
  spin_lock(st.vcache_lock);
  Q* p = st.cfg.walk_snapshot ? first : READ_ONCE(st.vcache_head);
  while (p) {
    Q* next = READ_ONCE(p->vc_next);
    callback(st, p, page);
    p = next;
  }
  spin_unlock(st.vcache_lock);
}

void unqueue(FutexState& st, Q* q) {
  bool vcache_locked = has_vcache(st.cfg) && st.cfg.unqueue_takes_vcache_lock;
  if (vcache_locked) spin_lock(st.vcache_lock);
  spin_lock(st.futex_lock);
  if (q->bucket >= 0) unhash(st, q);
  if (q->attached) detach(st, q);
  spin_unlock(st.futex_lock);
  if (vcache_locked) spin_unlock(st.vcache_lock);
}

// C4 queues under all three locks. The COW fault holds the ptl when it takes vcache_lock, so the
// ptl comes first here too; the order of research/algorithms.md 3b (vcache_lock, futex_lock, then
// the ptl) deadlocks against it once a second waiter is queued (variant note_lock_order).
void lock_for_queue(FutexState& st) {
  if (st.cfg.ptl_last) {
    spin_lock(st.vcache_lock);
    spin_lock(st.futex_lock);
    spin_lock(st.ptl);
  } else {
    spin_lock(st.ptl);
    spin_lock(st.vcache_lock);
    spin_lock(st.futex_lock);
  }
}

void unlock_for_queue(FutexState& st) {
  if (st.cfg.ptl_last) {
    spin_unlock(st.ptl);
    spin_unlock(st.futex_lock);
    spin_unlock(st.vcache_lock);
  } else {
    spin_unlock(st.futex_lock);
    spin_unlock(st.vcache_lock);
    spin_unlock(st.ptl);
  }
}

// Queues q on A's current page (and on the vcache), as each form does it.
void queue(FutexState& st, Q* q) {
  const Config& c = st.cfg;
  switch (c.form) {
    case Form::c4:
      for (;;) {
        int page = READ_ONCE(st.pte);  // follow_page, no lock
        lock_for_queue(st);
        bool same = READ_ONCE(st.pte) == page;  // revalidated under the ptl
        if (same) {
          hash(st, q, page);
          attach(st, q);
        }
        unlock_for_queue(st);
        if (same) return;
      }
    case Form::linus: {
      // Attach first: from here on every COW fault of A tells us (it needs only mm and vaddr).
      spin_lock(st.vcache_lock);
      attach(st, q);
      spin_unlock(st.vcache_lock);
      if (c.waiter_mb) smp_mb();  // orders the attach before the pte read (the COW side: cow_mb)
      spin_lock(st.futex_lock);
      hash(st, q, READ_ONCE(st.pte));
      spin_unlock(st.futex_lock);
      return;
    }
    case Form::no_vcache:
    case Form::lokier: {
      int page = READ_ONCE(st.pte);
      spin_lock(st.futex_lock);
      hash(st, q, page);
      spin_unlock(st.futex_lock);
      return;
    }
  }
}

}  // namespace

int user_read(FutexState& st) { return READ_ONCE(st.word(READ_ONCE(st.pte))); }

void user_store_cow(FutexState& st, int v) {
  const Config& c = st.cfg;
  spin_lock(st.ptl);
  WRITE_ONCE(st.word_new, READ_ONCE(st.word_old));  // copy the page
  if (!has_vcache(c)) {
    WRITE_ONCE(st.pte, kNew);
  } else if (c.form == Form::c4 || c.invalidate_before_pte) {
    // C4: the callback runs before establish_pte, under the ptl.
    invalidate_vcache(st, READ_ONCE(st.vcache_head), kNew);
    WRITE_ONCE(st.pte, kNew);
  } else {
    // Linus: the pte first, then the vcache (its lockless check needs the barrier: SB with the waiter).
    Q* snapshot = c.walk_snapshot ? READ_ONCE(st.vcache_head) : nullptr;
    WRITE_ONCE(st.pte, kNew);
    if (c.cow_mb) smp_mb();
    invalidate_vcache(st, c.walk_snapshot ? snapshot : READ_ONCE(st.vcache_head), kNew);
  }
  spin_unlock(st.ptl);
  st.cow_done = true;
  WRITE_ONCE(st.word(READ_ONCE(st.pte)), v);
}

WaitResult futex_wait(FutexState& st, uint32_t w, int val, bool timeout) {
  Q* q = kalloc<Q>("futex_q", current_thread());
  st.q[w] = q;
  queue(st, q);
  WaitResult r;
  if (user_read(st) != val) {
    r = WaitResult::again;
  } else if (timeout) {
    r = WaitResult::timed_out;
  } else {
    st.asleep[w] = true;
    while (!READ_ONCE(q->woken) && !st.give_up) park();  // schedule() until wake_up_process()
    st.asleep[w] = false;
    r = q->woken.peek() ? WaitResult::woken : WaitResult::given_up;
  }
  unqueue(st, q);
  st.q[w] = nullptr;
  kfree(q);
  return r;
}

int futex_wake(FutexState& st, int n, bool child) {
  int page = READ_ONCE(child ? st.child_pte : st.pte);
  spin_lock(st.futex_lock);
  int woke = 0;
  // lokier: the child's (mm, vaddr) key is not the parent's: its chain holds none of our waiters.
  bool other_key = child && st.cfg.form == Form::lokier;
  var<Q*>* link = &st.bucket(key_of(st, page));
  for (Q* p = other_key ? nullptr : link->load(); p && woke < n;) {
    Q* next = p->next.load();
    if (st.cfg.form == Form::lokier || p->page.load() == page) {
      oracle(!child || !st.cow_done, "wrong_wakeup",
             "the fork child's FUTEX_WAKE on page %s woke T%u, a waiter of the parent, whose A maps %s "
             "since its COW fault",
             page == kOld ? "P" : "P'", p->tid, st.pte.peek() == kOld ? "P" : "P'");
      link->store(next);
      p->bucket = -1;
      WRITE_ONCE(p->woken, 1);
      unpark(p->tid);
      ++woke;
    } else {
      link = &p->next;
    }
    p = next;
  }
  spin_unlock(st.futex_lock);
  return woke;
}

}  // namespace sf::models::futex_vcache
