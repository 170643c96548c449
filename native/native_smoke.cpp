// native/native_smoke.cpp: models on real threads (schedfuzz/native.h), for the sanitizers.
//   native_smoke [executions]   the correct forms of the bench tests (SB, MP, a seqlock, a lost
//                               update, the vmalloc cache) and of examples/ticket_lock, each
//                               `executions` times (default 2000): no check may fail, and under
//                               ThreadSanitizer no race may be reported
//   native_smoke race           two threads write a var<int> with nothing ordering them: the data
//                               race ThreadSanitizer must report
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bench/shapes.h"
#include "examples/ticket_lock/ticket_lock.h"
#include "schedfuzz/native.h"
#include "schedfuzz/schedfuzz.h"

namespace {

struct Form {
  const char* name;
  void (*body)(void*);
};

void racy(void*) {
  sf::var<int> v{0, "v"};
  sf::parallel([&] { v.store(1); }, [&] { v.store(2); });
}

const Form kForms[] = {
    {"sb", [](void*) { sf::bench::sb_body(false); }},
    {"mp", [](void*) { sf::bench::mp_body(false); }},
    {"seqlock", [](void*) { sf::bench::seqlock_body(false); }},
    {"lost_update", [](void*) { sf::bench::lost_update_body(false); }},
    {"vmalloc_cache", [](void*) { sf::bench::vmalloc_cache_body(false); }},
    {"ticket_lock", [](void*) { ticket_lock_target().body(0); }},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "race") == 0) {
    sf::native::run(&racy, nullptr, 100);
    std::printf("native race: 100 executions ran\n");
    return 0;
  }
  uint64_t n = 2000;
  if (argc == 2) {
    char* end = nullptr;
    n = std::strtoull(argv[1], &end, 10);
    if (!*argv[1] || *end || n == 0) {
      std::fprintf(stderr, "usage: native_smoke [executions | race]\n");
      return 2;
    }
  } else if (argc > 2) {
    std::fprintf(stderr, "usage: native_smoke [executions | race]\n");
    return 2;
  }
  for (const Form& f : kForms) {
    sf::native::run(f.body, nullptr, n);
    std::printf("native %s: %llu executions on real threads, no failure\n", f.name, static_cast<unsigned long long>(n));
  }
  return 0;
}
