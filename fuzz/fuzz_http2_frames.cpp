// Fuzzes what a gRPC server sends: the HTTP/2 frame reader, HPACK and the
// health Check call together (GrpcHealthCall). The first byte picks how
// the rest is split into pieces; the verdict must not depend on the split.
// A high bit in that byte closes the connection at the end.
// The summary must be one line of at most 200 bytes with no control
// character and valid UTF-8, and the answers must stay within bounds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "probe/grpc_health_call.h"

namespace {

void check(bool condition) {
    if (!condition)
        std::abort();
}

// Control characters (C0, DEL, C1) and invalid UTF-8 must never reach a line.
void check_line(const char* line) {
    size_t length = std::strlen(line);
    check(length <= 200);
    for (size_t i = 0; i < length;) {
        auto c = static_cast<unsigned char>(line[i]);
        check(c >= 0x20 && c != 0x7f);
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
        check(c >= 0xc2 && c <= 0xf4 && i + more < length + 1);
        check(!(c == 0xc2 && static_cast<unsigned char>(line[i + 1]) < 0xa0));  // C1
        for (size_t k = 1; k <= more; ++k)
            check((static_cast<unsigned char>(line[i + k]) & 0xc0) == 0x80);
        i += more + 1;
    }
}

struct Run {
    vigil::GrpcHealthCall::Outcome outcome;
    bool healthy;
    size_t output_bytes;
    char summary[201];
};

Run feed(std::string_view bytes, size_t piece, bool close) {
    static vigil::GrpcHealthCall call;  // large: keep it off the stack
    call.start("127.0.0.1:50051");
    Run run{};
    for (size_t at = 0; at < bytes.size() && !call.done(); at += piece) {
        call.receive(bytes.substr(at, piece));
        check(call.output().size() <= vigil::grpc_max_receive_bytes + 256);
        run.output_bytes += call.output().size();
        call.output_sent(call.output().size());
    }
    if (close && !call.done())
        call.connection_closed();
    run.outcome = call.outcome();
    run.healthy = call.healthy();
    if (call.done())
        call.describe(run.summary, sizeof run.summary, "1.0 ms");
    else  // as HealthCheck words a timeout
        std::snprintf(run.summary, sizeof run.summary, "unhealthy: timed out after 3s %s %s",
                      call.waiting(), "127.0.0.1:50051");
    check_line(run.summary);
    return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1)
        return 0;
    size_t piece = 1 + data[0] % 64;
    bool close = data[0] & 0x80;
    std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    Run whole = feed(bytes, vigil::grpc_max_receive_bytes, close);
    Run pieces = feed(bytes, piece, close);
    check(whole.outcome == pieces.outcome);
    check(whole.healthy == pieces.healthy);
    // The excerpt of a reply that is not HTTP/2 holds what had arrived when
    // the verdict fell, which depends on the split; every other summary
    // must not.
    if (whole.outcome != vigil::GrpcHealthCall::Outcome::not_http2)
        check(std::strcmp(whole.summary, pieces.summary) == 0);
    return 0;
}
