// The few hooks that libstdc++'s header-only parts call when a precondition
// fails (string_view::substr out of range, and the like). The release build
// links no libstdc++ archive, so vigil supplies them: each is a bug in vigil,
// and ends it at once. In builds that do link libstdc++ (tests), its own
// definitions are used and this file provides nothing.
#ifdef VIGIL_CXX_SUPPORT

#include <cstdlib>

namespace std {

[[noreturn]] void __throw_out_of_range_fmt(const char*, ...) {
    abort();
}
[[noreturn]] void __throw_out_of_range(const char*) {
    abort();
}
[[noreturn]] void __throw_length_error(const char*) {
    abort();
}
[[noreturn]] void __throw_logic_error(const char*) {
    abort();
}
[[noreturn]] void __throw_invalid_argument(const char*) {
    abort();
}
[[noreturn]] void __throw_bad_optional_access() {
    abort();
}

}  // namespace std

#endif
