// The response body as --expect reads it: Content-Length, chunked and
// close-delimited framing, in every split, capped at 10 KiB.
#include "probe/http_body.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

using namespace vigil;

namespace {

using Framing = BodyReader::Framing;
using State = BodyReader::State;

struct Read {
    State state;
    std::string body;
    size_t consumed_calls;
};

// Feeds `bytes` in pieces of `piece` bytes (0: whole), then, if
// `then_close`, the end of the connection.
Read read(Framing framing, uint64_t length, const std::string& bytes, size_t piece = 0,
          bool then_close = false) {
    auto reader = std::make_unique<BodyReader>();
    reader->start(framing, length);
    size_t calls = 0;
    size_t step = piece ? piece : bytes.size();
    for (size_t at = 0; at < bytes.size() && reader->state() == State::more; at += step, ++calls)
        reader->feed(std::string_view(bytes).substr(at, step));
    if (then_close)
        reader->end_of_input();
    return {reader->state(), std::string(reader->body()), calls};
}

}  // namespace

TEST(HttpBody, ContentLengthReadsExactlyThatMuchInAnySplit) {
    for (size_t piece : {0u, 1u, 2u, 3u, 7u}) {
        Read result = read(Framing::length, 15, "{\"status\":\"UP\"}trailing junk", piece);
        EXPECT_EQ(result.state, State::done) << piece;
        EXPECT_EQ(result.body, "{\"status\":\"UP\"}") << piece;
    }
    EXPECT_EQ(read(Framing::length, 0, "").state, State::done);
    EXPECT_EQ(read(Framing::none, 0, "").state, State::done);
}

TEST(HttpBody, ContentLengthCutShortFails) {
    Read result = read(Framing::length, 100, "only this", 0, true);
    EXPECT_EQ(result.state, State::failed);
    EXPECT_EQ(result.body, "only this");
}

TEST(HttpBody, ChunkedIsDecodedInAnySplit) {
    const std::string chunked =
        "4\r\nWiki\r\n5;name=value\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\n"
        "Trailer: x\r\n\r\n";
    for (size_t piece : {0u, 1u, 2u, 3u, 5u, 11u}) {
        Read result = read(Framing::chunked, 0, chunked, piece);
        EXPECT_EQ(result.state, State::done) << piece;
        EXPECT_EQ(result.body, "Wikipedia in\r\n\r\nchunks.") << piece;
    }
    // Bare LFs, upper-case hex, no trailers.
    Read bare = read(Framing::chunked, 0, "A\nabcdefghij\n0\n\n");
    EXPECT_EQ(bare.state, State::done);
    EXPECT_EQ(bare.body, "abcdefghij");
}

TEST(HttpBody, ALengthGivenWithAnotherFramingIsIgnored) {
    // The caller may pass whatever Content-Length said (-1 for none) along.
    Read result = read(Framing::chunked, static_cast<uint64_t>(-1), "2\r\nUP\r\n0\r\n\r\n");
    EXPECT_EQ(result.state, State::done);
    EXPECT_EQ(result.body, "UP");
}

TEST(HttpBody, MalformedChunksFail) {
    for (const char* bad : {"g\r\n", "\r\n", "3\r\nabcX", "3\rx", "10000000000000\r\n"})
        EXPECT_EQ(read(Framing::chunked, 0, bad).state, State::failed) << bad;
    EXPECT_EQ(read(Framing::chunked, 0, "5\r\nab", 0, true).state, State::failed)
        << "the last chunk never came";
}

TEST(HttpBody, CloseDelimitedEndsWithTheConnection) {
    Read open = read(Framing::close, 0, "DOWN", 1);
    EXPECT_EQ(open.state, State::more);
    Read closed = read(Framing::close, 0, "DOWN", 1, true);
    EXPECT_EQ(closed.state, State::done);
    EXPECT_EQ(closed.body, "DOWN");
}

TEST(HttpBody, StopsAtTenKibibytesWhateverComes) {
    std::string huge(max_body_bytes * 3, 'x');
    for (Framing framing : {Framing::close, Framing::length}) {
        auto reader = std::make_unique<BodyReader>();
        reader->start(framing, huge.size());
        reader->feed(huge);
        EXPECT_EQ(reader->state(), State::done);
        EXPECT_EQ(reader->body().size(), max_body_bytes);
        EXPECT_TRUE(reader->cut_at_limit());
    }
    std::string chunk = "7800\r\n" + std::string(0x7800, 'y');  // 30 KiB announced
    Read chunked = read(Framing::chunked, 0, chunk, 1000);
    EXPECT_EQ(chunked.state, State::done);
    EXPECT_EQ(chunked.body.size(), max_body_bytes);
}
