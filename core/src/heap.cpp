// core/src/heap.cpp: the model heap: blocks allocated by kalloc, checked for double free, use after
// free and leaks. Memory is returned only when the execution ends, so a use after free in model
// code reads still-valid memory and is reported, instead of corrupting the fuzzer.
#include <cstdio>
#include <new>

#include "engine_impl.h"

namespace sf {

void* Engine::Impl::alloc_block(std::size_t size, std::size_t align, const char* name, void (*destroy)(void*),
                                const std::source_location& w) {
  if (blocks.size() >= kMaxBlocks) fail(FailureKind::too_many, nullptr, "too many kalloc blocks in one execution", nullptr);
  Block b;
  b.mem = ::operator new(size, std::align_val_t{align});
  b.size = static_cast<uint32_t>(size);
  b.align = static_cast<uint32_t>(align);
  b.name = name;
  b.destroy = destroy;
  b.alive = true;
  blocks.push_back(b);
  constructing_block = static_cast<uint32_t>(blocks.size() - 1);
  if (Event* e = record(Op::alloc, constructing_block, w)) {
    e->value = constructing_block;
  }
  return b.mem;
}

void Engine::Impl::block_constructed() {
  blocks[constructing_block].constructed = true;
  constructing_block = kNone;
}

uint32_t Engine::Impl::find_block(const void* p) const {
  auto a = reinterpret_cast<uintptr_t>(p);
  for (uint32_t i = 0; i < blocks.size(); ++i) {
    auto m = reinterpret_cast<uintptr_t>(blocks[i].mem);
    if (a >= m && a < m + (blocks[i].size ? blocks[i].size : 1)) return i;
  }
  return kNone;
}

void Engine::Impl::free_block(void* p, const std::source_location& w) {
  if (!p) return;  // kfree(NULL) is a no-op, as in the kernel
  uint32_t id = find_block(p);
  char buf[256];
  if (id == kNone || blocks[id].mem != p) {
    fail(FailureKind::assertion, nullptr, "kfree of a pointer that kalloc did not return", &w);
  }
  Block& b = blocks[id];
  if (!b.alive) {
    std::snprintf(buf, sizeof buf, "block #%u (%s) freed twice; first freed at step %u", id, b.name ? b.name : "?",
                  b.free_step);
    fail(FailureKind::double_free, nullptr, buf, &w);
  }
  b.alive = false;
  b.free_step = steps;
  b.free_where = w;
  if (Event* e = record(Op::free, id, w)) e->value = id;
}

void Engine::Impl::touch_block(const void* p, const std::source_location& w) {
  uint32_t id = find_block(p);
  if (id == kNone) return;
  check_owner(id, "object", w);
}

void Engine::Impl::check_leaks() {
  for (uint32_t i = 0; i < blocks.size(); ++i) {
    if (!blocks[i].alive) continue;
    char buf[200];
    std::snprintf(buf, sizeof buf, "block #%u (%s) is still allocated at the end of the execution", i,
                  blocks[i].name ? blocks[i].name : "?");
    outcome.kind = FailureKind::leak;
    outcome.message = buf;
    outcome.step = steps;
    return;
  }
}

// Returns the memory; the records stay (names and addresses for the trace) until the next reset.
void Engine::Impl::end_blocks() {
  if (!outcome.failed()) check_leaks();
  release_all_blocks();
}

void Engine::Impl::release_all_blocks() {
  for (Block& b : blocks) {
    if (b.released) continue;
    if (b.constructed && b.destroy) b.destroy(b.mem);
    ::operator delete(b.mem, std::align_val_t{b.align});
    b.released = true;
  }
}

namespace rt {
void* alloc_block(std::size_t size, std::size_t align, const char* name, void (*destroy)(void*), const Where& w) {
  return g_engine->alloc_block(size, align, name, destroy, w);
}
void block_constructed() { g_engine->block_constructed(); }
void free_block(void* p, const Where& w) { g_engine->free_block(p, w); }
bool block_alive(const void* p) {
  uint32_t id = g_engine->find_block(p);
  return id != kNone && g_engine->blocks[id].alive;
}
void touch_block(const void* p, const Where& w) { g_engine->touch_block(p, w); }
}  // namespace rt
}  // namespace sf
