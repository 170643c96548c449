// models/vmap_purge/llist.h: the lock-less list (include/linux/llist.h semantics, our own code):
// llist_add as a cmpxchg loop that links node->next first, llist_del_all as one xchg; and the two
// broken forms the bug variants use (a read-link-store add, a read-then-clear del_all).
#pragma once
#include "schedfuzz/schedfuzz.h"

namespace sf::models::vmap_purge {

// llist_add: node->next is written before the cmpxchg that publishes the node; the successful
// cmpxchg is fully ordered, so a purger that takes the list sees the link.
template <class Node>
void llist_add(Node* node, shared<Node*>& head) {
  Node* first = READ_ONCE(head);
  for (;;) {
    WRITE_ONCE(node->next, first);
    Node* seen = cmpxchg(head, first, node);
    if (seen == first) return;
    first = seen;  // another add or a del_all got in: link to what is there now and retry
  }
}

// Bug: read the head, link, store the head. An add or a del_all between the read and the store
// is overwritten.
template <class Node>
void llist_add_racy(Node* node, shared<Node*>& head) {
  Node* first = READ_ONCE(head);
  WRITE_ONCE(node->next, first);
  WRITE_ONCE(head, node);
}

// llist_del_all: take the whole list in one fully ordered xchg.
template <class Node>
Node* llist_del_all(shared<Node*>& head) {
  return xchg(head, static_cast<Node*>(nullptr));
}

// Bug: read the head, then clear it. An add between the two is lost; two purgers may both take
// the same nodes.
template <class Node>
Node* llist_del_all_racy(shared<Node*>& head) {
  Node* first = READ_ONCE(head);
  WRITE_ONCE(head, static_cast<Node*>(nullptr));
  return first;
}

}  // namespace sf::models::vmap_purge
