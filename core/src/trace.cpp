// core/src/trace.cpp: turning the events of an execution into readable lines and a stable hash.
#include <cstdio>
#include <cstring>

#include "engine_impl.h"

namespace sf {

std::string_view op_name(Op op) {
  static constexpr std::string_view kNames[] = {
#define X(e, name) name,
#include "schedfuzz/ops.def"
#undef X
  };
  return kNames[static_cast<int>(op)];
}

namespace {

enum class ObjKind { none, location, var, lock, block, thread };

ObjKind obj_kind(Op op) {
  switch (op) {
    case Op::read_once: case Op::write_once: case Op::load_acquire: case Op::store_release:
    case Op::rmw_relaxed: case Op::rmw_full: case Op::cmpxchg_fail: case Op::buffer_flush:
      return ObjKind::location;
    case Op::plain_read: case Op::plain_write:
      return ObjKind::var;
    case Op::spin_lock: case Op::spin_unlock: case Op::spin_trylock_ok: case Op::spin_trylock_fail:
      return ObjKind::lock;
    case Op::alloc: case Op::free:
      return ObjKind::block;
    case Op::spawn: case Op::join:
      return ObjKind::thread;
    default:
      return ObjKind::none;
  }
}

std::string obj_name(const Trace& t, const Event& e) {
  if (e.obj == kNoObject) return "";
  auto pick = [&](const std::vector<std::string>& names, const char* prefix) {
    if (e.obj < names.size() && !names[e.obj].empty()) return names[e.obj];
    return std::string(prefix) + std::to_string(e.obj);
  };
  switch (obj_kind(e.op)) {
    case ObjKind::location: return pick(t.location_names, "loc#");
    case ObjKind::var: return pick(t.var_names, "var#");
    case ObjKind::lock: return pick(t.lock_names, "lock#");
    case ObjKind::block: return pick(t.block_names, "block#");
    case ObjKind::thread: return "T" + std::to_string(e.obj);
    default: return "";
  }
}

// An address is shown, and hashed, as the heap block it points into: addresses differ between
// processes, block ids do not.
std::string pointer_text(const Trace& t, uint64_t v, uint64_t* stable) {
  if (v == 0) {
    *stable = 0;
    return "NULL";
  }
  for (size_t i = 0; i < t.block_addrs.size(); ++i) {
    uint64_t m = t.block_addrs[i];
    if (v >= m && v < m + (t.block_sizes[i] ? t.block_sizes[i] : 1)) {
      *stable = (uint64_t{i + 1} << 32) | (v - m);
      std::string s = "&" + (t.block_names[i].empty() ? "block#" + std::to_string(i) : t.block_names[i]);
      if (v != m) s += "+" + std::to_string(v - m);
      return s;
    }
  }
  *stable = 0xdeadull << 48;
  return "<pointer outside the model heap>";
}

std::string value_text(const Trace& t, const Event& e, uint64_t v) {
  uint64_t unused;
  if (e.is_pointer) return pointer_text(t, v, &unused);
  auto sv = static_cast<int64_t>(v);
  if (sv < 0 && sv > -(int64_t{1} << 31)) return std::to_string(sv);
  return std::to_string(v);
}

}  // namespace

std::string render_operation(const Trace& t, const Event& e) {
  if (e.op == Op::note) return "note  " + (e.note < t.notes.size() ? t.notes[e.note] : std::string());
  std::string line(op_name(e.op));
  std::string name = obj_name(t, e);
  if (!name.empty()) line += " " + name;
  switch (e.op) {
    case Op::read_once: case Op::load_acquire: case Op::cmpxchg_fail:
      line += " = " + value_text(t, e, e.value);
      line += e.rf_step == kNoStep ? "  (rf init" : "  (rf step " + std::to_string(e.rf_step);
      line += e.stale ? ", STALE: overwritten)" : ")";
      break;
    case Op::write_once: case Op::store_release: case Op::plain_write:
      line += " := " + value_text(t, e, e.value);
      break;
    case Op::buffer_flush:
      line += " := " + value_text(t, e, e.value) + "  (store of step " + std::to_string(e.rf_step) + " reaches memory)";
      break;
    case Op::plain_read:
      line += " = " + value_text(t, e, e.value);
      break;
    case Op::rmw_relaxed: case Op::rmw_full:
      line += " " + value_text(t, e, e.old_value) + " -> " + value_text(t, e, e.value);
      break;
    default:
      break;
  }
  return line;
}

std::string render_where(const Event& e) {
  if (!e.where.line()) return "";
  const char* f = e.where.file_name();
  const char* s = std::strrchr(f, '/');
  return std::string(s ? s + 1 : f) + ":" + std::to_string(e.where.line());
}

std::string render_event(const Trace& t, const Event& e) {
  char head[64];
  std::snprintf(head, sizeof head, "%5u  T%u  ", e.step, static_cast<unsigned>(e.tid));
  std::string line = head + render_operation(t, e);
  if (e.op != Op::note) {
    std::string where = render_where(e);
    if (!where.empty()) line += "    " + where;
  }
  return line;
}

std::string render_trace(const Trace& t) {
  std::string out;
  for (const Event& e : t.events) {
    out += render_event(t, e);
    out += '\n';
  }
  return out;
}

uint64_t trace_hash(const Trace& t) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  for (const Event& e : t.events) {
    mix(e.step);
    mix((uint64_t{e.tid} << 8) | static_cast<uint64_t>(e.op));
    mix(e.obj);
    uint64_t v = e.value, ov = e.old_value;
    if (e.is_pointer) {
      pointer_text(t, e.value, &v);
      pointer_text(t, e.old_value, &ov);
    }
    mix(v);
    mix(ov);
    mix(e.rf_step);
  }
  return h;
}

const Trace& Engine::Impl::build_trace() const {
  if (trace_built) return trace_cache;
  Trace& t = trace_cache;
  t.events = events;
  t.notes = notes;
  t.location_names.assign(nlocs, std::string());
  for (uint32_t i = 0; i < nlocs; ++i) if (locs[i].name) t.location_names[i] = locs[i].name;
  t.var_names.assign(nvars, std::string());
  for (uint32_t i = 0; i < nvars; ++i) if (vars[i].name) t.var_names[i] = vars[i].name;
  t.lock_names.assign(nlocks, std::string());
  for (uint32_t i = 0; i < nlocks; ++i) if (locks[i].name) t.lock_names[i] = locks[i].name;
  t.block_names.clear();
  t.block_addrs.clear();
  t.block_sizes.clear();
  for (const Block& b : blocks) {
    t.block_names.emplace_back(b.name ? b.name : "");
    t.block_addrs.push_back(reinterpret_cast<uintptr_t>(b.mem));
    t.block_sizes.push_back(b.size);
  }
  trace_built = true;
  return t;
}

}  // namespace sf
