// core/src/message_format.cpp: formats a failing check's or oracle's printf-style message.
//
// Plain conversions (%d %i %u %x %X %c %s %p %%, with the hh/h/l/ll/z/j/t length modifiers, no
// flags, width or precision) are formatted here; any other format goes to vsnprintf. Why not always
// vsnprintf: a failure is usually the first time a process formats anything, and vsnprintf's first
// call faulted three libc pages in, about a tenth of a fresh process's time to its first failure
// (and no strchr here either: a libc function's first call is a lazy symbol lookup).
#include <cstdarg>
#include <cstdint>
#include <cstdio>

#include "schedfuzz/runtime.h"

namespace sf {
namespace {

class Out {
 public:
  Out(char* buf, std::size_t size) : end_(buf + size - 1), p_(buf) {}
  void put(char c) {
    if (p_ < end_) *p_++ = c;
  }
  void put(const char* s) {
    while (*s) put(*s++);
  }
  void unsigned_number(uint64_t v, unsigned base, bool upper) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
      tmp[n++] = digits[v % base];
      v /= base;
    } while (v);
    while (n) put(tmp[--n]);
  }
  void finish() { *p_ = '\0'; }

 private:
  char* end_;
  char* p_;
};

enum class Length { normal, hh, h, l, ll, z, j, t };

// Reads a length modifier at *f; returns false if the conversion after it is not one of ours.
bool plain_conversion(const char*& f, Length& len, char& conv) {
  len = Length::normal;
  if (f[0] == 'h' && f[1] == 'h') len = Length::hh, f += 2;
  else if (f[0] == 'h') len = Length::h, ++f;
  else if (f[0] == 'l' && f[1] == 'l') len = Length::ll, f += 2;
  else if (f[0] == 'l') len = Length::l, ++f;
  else if (f[0] == 'z') len = Length::z, ++f;
  else if (f[0] == 'j') len = Length::j, ++f;
  else if (f[0] == 't') len = Length::t, ++f;
  conv = *f;
  for (const char* c = "diuxXcsp%"; *c; ++c)
    if (*c == conv) return true;
  return false;
}

// Whether every conversion in `fmt` is one formatted here.
bool all_plain(const char* f) {
  for (; *f; ++f) {
    if (*f != '%') continue;
    ++f;
    Length len;
    char conv;
    if (!plain_conversion(f, len, conv)) return false;
  }
  return true;
}

int64_t signed_arg(va_list& ap, Length len) {
  switch (len) {
    case Length::hh: return static_cast<signed char>(va_arg(ap, int));
    case Length::h: return static_cast<short>(va_arg(ap, int));
    case Length::l: return va_arg(ap, long);
    case Length::ll: return va_arg(ap, long long);
    case Length::z: return va_arg(ap, std::ptrdiff_t);  // the signed type of size_t's width
    case Length::j: return va_arg(ap, intmax_t);
    case Length::t: return va_arg(ap, std::ptrdiff_t);
    case Length::normal: break;
  }
  return va_arg(ap, int);
}

uint64_t unsigned_arg(va_list& ap, Length len) {
  switch (len) {
    case Length::hh: return static_cast<unsigned char>(va_arg(ap, unsigned));
    case Length::h: return static_cast<unsigned short>(va_arg(ap, unsigned));
    case Length::l: return va_arg(ap, unsigned long);
    case Length::ll: return va_arg(ap, unsigned long long);
    case Length::z: return va_arg(ap, std::size_t);
    case Length::j: return va_arg(ap, uintmax_t);
    case Length::t: return static_cast<uint64_t>(va_arg(ap, std::ptrdiff_t));
    case Length::normal: break;
  }
  return va_arg(ap, unsigned);
}

void format_plain(Out& out, const char* f, va_list& ap) {
  for (; *f; ++f) {
    if (*f != '%') {
      out.put(*f);
      continue;
    }
    ++f;
    Length len;
    char conv;
    plain_conversion(f, len, conv);  // all_plain() checked it
    switch (conv) {
      case 'd':
      case 'i': {
        int64_t v = signed_arg(ap, len);
        if (v < 0) out.put('-');
        out.unsigned_number(v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v), 10, false);
        break;
      }
      case 'u': out.unsigned_number(unsigned_arg(ap, len), 10, false); break;
      case 'x': out.unsigned_number(unsigned_arg(ap, len), 16, false); break;
      case 'X': out.unsigned_number(unsigned_arg(ap, len), 16, true); break;
      case 'c': out.put(static_cast<char>(va_arg(ap, int))); break;
      case 's': {
        const char* s = va_arg(ap, const char*);
        out.put(s ? s : "(null)");
        break;
      }
      case 'p': {
        auto v = reinterpret_cast<uintptr_t>(va_arg(ap, void*));
        if (!v) {
          out.put("(nil)");
        } else {
          out.put("0x");
          out.unsigned_number(v, 16, false);
        }
        break;
      }
      default: out.put('%'); break;
    }
  }
  out.finish();
}

}  // namespace

namespace rt {
void fail_format(bool is_oracle, const char* oracle_name, const Where& w, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  if (all_plain(fmt)) {
    Out out(buf, sizeof buf);
    format_plain(out, fmt, ap);
  } else {
    std::vsnprintf(buf, sizeof buf, fmt, ap);
  }
  va_end(ap);
  fail(is_oracle, oracle_name, buf, w);
}
}  // namespace rt
}  // namespace sf
