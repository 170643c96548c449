// schedfuzz/limits.h: every fixed bound of the engine, in one place, each with its reason.
#pragma once
#include <cstddef>
#include <cstdint>

namespace sf {

// Threads per execution, the initial thread included. Vector clocks are this wide, so keep it small.
inline constexpr uint32_t kMaxThreads = 8;
// Schedule points per execution before the run is reported as a livelock ("step limit"). Models are
// small; a run this long almost always means a spin loop without cpu_relax() or a real livelock.
inline constexpr uint32_t kDefaultMaxSteps = 20000;
// Stores remembered per atomic location under weak memory: a load may read one of the last kHistory.
inline constexpr uint32_t kHistory = 8;
// TSO store buffer entries per thread; a store into a full buffer first drains the oldest entry.
inline constexpr uint32_t kStoreBuffer = 8;
// Atomic locations, plain variables, locks and heap blocks per execution (ids are dense indexes).
inline constexpr uint32_t kMaxLocations = 4096;
inline constexpr uint32_t kMaxLocks = 256;
inline constexpr uint32_t kMaxBlocks = 1024;
// Fiber stack: model code is small, but sanitizers need room.
inline constexpr std::size_t kFiberStackBytes = 256 * 1024;
// Inline storage for a spawned thread's callable (no heap allocation per spawn).
inline constexpr std::size_t kTaskBytes = 256;

}  // namespace sf
