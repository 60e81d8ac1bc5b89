// The few hooks that libstdc++'s header-only parts call when a precondition
// fails (string_view::substr out of range, and the like). The release build
// links no libstdc++ archive, so vigil supplies them: each is a bug in vigil,
// and ends it at once. In builds that do link libstdc++ (tests), its own
// definitions are used and this file provides nothing.
//
// They trap rather than call abort(): abort() brings musl's signal blocking,
// raise() and its lock along (some 600 bytes), and a bug ends vigil either way,
// by SIGILL instead of SIGABRT.
#ifdef VIGIL_CXX_SUPPORT

namespace std {

[[noreturn]] void __throw_out_of_range_fmt(const char*, ...) {
    __builtin_trap();
}
[[noreturn]] void __throw_out_of_range(const char*) {
    __builtin_trap();
}
[[noreturn]] void __throw_length_error(const char*) {
    __builtin_trap();
}
[[noreturn]] void __throw_logic_error(const char*) {
    __builtin_trap();
}
[[noreturn]] void __throw_invalid_argument(const char*) {
    __builtin_trap();
}
[[noreturn]] void __throw_bad_optional_access() {
    __builtin_trap();
}

}  // namespace std

#endif
