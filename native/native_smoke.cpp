// native/native_smoke.cpp: models on real threads (schedfuzz/native.h), for the sanitizers.
//   native_smoke [executions]   the correct forms of the bench tests (SB, MP, a seqlock, a lost
//                               update, the vmalloc cache), of examples/ticket_lock and an RCU,
//                               heap and park/unpark handshake, each
//                               `executions` times (default 2000): no check may fail, and under
//                               ThreadSanitizer no race may be reported
//   native_smoke race           two threads write a var<int> with nothing ordering them: the data
//                               race ThreadSanitizer must report
//   native_smoke uaf            reads a kfree'd block's field: the use after free AddressSanitizer
//                               must report (the native heap poisons freed blocks)
//   native_smoke sanitizer      prints the sanitizer built in: asan, tsan or none
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

// RCU, the model heap and park/unpark on real threads: the updater replaces the published config,
// waits for a grace period, frees the old one and wakes the reader, which reads the config under
// rcu_read_lock() and then sleeps until woken.
struct Config {
  sf::var<int> value;
  explicit Config(int v) : value(v, "config.value") {}
};
void rcu_park(void*) {
  using namespace sf;
  shared<Config*> current{nullptr, "current"};
  Config* first = kalloc<Config>("config", 1);
  rcu_assign_pointer(current, first);
  Config* second = nullptr;
  parallel(
      [&] {  // updater (thread 0)
        second = kalloc<Config>("config", 2);
        rcu_assign_pointer(current, second);
        synchronize_rcu();
        kfree(first);
        unpark(1);
      },
      [&] {  // reader (thread 1)
        rcu_read_lock();
        Config* c = rcu_dereference(current);
        kcheck_alive(c);
        int v = c->value.load();
        check(v == 1 || v == 2, "read config value %d", v);
        rcu_read_unlock();
        park();
      });
  kfree(second);
}

const Form kForms[] = {
    {"sb", [](void*) { sf::bench::sb_body(false); }},
    {"mp", [](void*) { sf::bench::mp_body(false); }},
    {"seqlock", [](void*) { sf::bench::seqlock_body(false); }},
    {"lost_update", [](void*) { sf::bench::lost_update_body(false); }},
    {"vmalloc_cache", [](void*) { sf::bench::vmalloc_cache_body(false); }},
    {"ticket_lock", [](void*) { ticket_lock_target().body(0); }},
    {"rcu_park", rcu_park},
};

}  // namespace

void use_after_free(void*) {
  Config* c = sf::kalloc<Config>("config", 1);
  sf::kfree(c);
  std::printf("read %d after kfree\n", c->value.peek());
}

const char* sanitizer() {
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
  return "asan";
#elif __has_feature(thread_sanitizer)
  return "tsan";
#endif
#endif
  return "none";
}

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "sanitizer") == 0) {
    std::printf("%s\n", sanitizer());
    return 0;
  }
  if (argc == 2 && std::strcmp(argv[1], "uaf") == 0) {
    sf::native::run(&use_after_free, nullptr, 1);
    return 0;
  }
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
