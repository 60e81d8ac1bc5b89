#include "probe/http_response.h"

#include <gtest/gtest.h>

#include <string>

using namespace vigil;
using State = ResponseParser::State;
using Failure = ResponseParser::Failure;

namespace {

// Feeds `bytes` in pieces of `piece` bytes (0: all at once); returns the
// parser and how many bytes it took.
std::pair<ResponseParser, size_t> feed(const std::string& bytes, size_t piece = 0) {
    ResponseParser parser;
    size_t used = 0;
    size_t step = piece == 0 ? bytes.size() : piece;
    for (size_t at = 0; at < bytes.size() && parser.state() == State::more; at += step)
        used += parser.feed(std::string_view(bytes).substr(at, step));
    return {parser, used};
}

// The same bytes must give the same verdict however they are split: whole,
// byte by byte, and cut in two at every position.
void expect_any_split(const std::string& bytes, State state, int status, Failure failure) {
    for (size_t piece : {size_t{0}, size_t{1}, size_t{2}, size_t{7}}) {
        auto [parser, used] = feed(bytes, piece);
        EXPECT_EQ(parser.state(), state) << "piece " << piece << ": " << bytes;
        EXPECT_EQ(parser.failure(), failure) << "piece " << piece;
        if (state == State::done) {
            EXPECT_EQ(parser.status(), status) << "piece " << piece;
        }
    }
    for (size_t cut = 1; cut < bytes.size(); ++cut) {
        ResponseParser parser;
        parser.feed(std::string_view(bytes).substr(0, cut));
        if (parser.state() == State::more)
            parser.feed(std::string_view(bytes).substr(cut));
        EXPECT_EQ(parser.state(), state) << "cut at " << cut;
        if (state == State::done) {
            EXPECT_EQ(parser.status(), status) << "cut at " << cut;
        }
    }
}

}  // namespace

TEST(ResponseParser, ReadsTheStatusOfASimpleResponse) {
    expect_any_split("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", State::done, 200,
                     Failure::none);
    expect_any_split("HTTP/1.0 503 Service Unavailable\r\n\r\n", State::done, 503, Failure::none);
    expect_any_split("HTTP/1.1 204 \r\nServer: x\r\n\r\n", State::done, 204, Failure::none);
}

TEST(ResponseParser, StopsAtTheEndOfTheHeadersAndLeavesTheBody) {
    std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n";
    auto [parser, used] = feed(head + std::string(5000, 'x'));
    EXPECT_EQ(parser.state(), State::done);
    EXPECT_EQ(used, head.size());
    EXPECT_EQ(parser.bytes_seen(), head.size());
}

TEST(ResponseParser, AcceptsBareLineFeedsAndAMissingReasonPhrase) {
    expect_any_split("HTTP/1.1 200 OK\nA: b\n\n", State::done, 200, Failure::none);
    expect_any_split("HTTP/1.1 301\r\nLocation: /x\r\n\r\n", State::done, 301, Failure::none);
}

TEST(ResponseParser, SkipsInterimResponses) {
    expect_any_split(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
        "HTTP/1.1 200 OK\r\n\r\n",
        State::done, 200, Failure::none);
}

TEST(ResponseParser, SwitchingProtocolsIsFinal) {
    expect_any_split("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", State::done, 101,
                     Failure::none);
}

TEST(ResponseParser, AcceptsObsoleteLineFolding) {
    expect_any_split("HTTP/1.1 200 OK\r\nX-Long: a\r\n  continued\r\n\r\n", State::done, 200,
                     Failure::none);
}

TEST(ResponseParser, NeedsMoreUntilTheBlankLine) {
    auto [parser, used] = feed("HTTP/1.1 200 OK\r\nServer: x\r\n");
    EXPECT_EQ(parser.state(), State::more);
    EXPECT_EQ(parser.bytes_seen(), used);
}

TEST(ResponseParser, RecognisesWhatIsNotHttp) {
    expect_any_split("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", State::failed, 0, Failure::not_http);
    expect_any_split("<html><body>HTTP/0.9 style</body></html>", State::failed, 0,
                     Failure::not_http);
    expect_any_split("http/1.1 200 OK\r\n\r\n", State::failed, 0, Failure::not_http);
    expect_any_split("HTTP/2 200\r\n\r\n", State::failed, 0, Failure::not_http);
    expect_any_split("HTTP/1.1200 OK\r\n\r\n", State::failed, 0, Failure::not_http);
    expect_any_split(std::string("\0\x01\x02garbage", 10), State::failed, 0, Failure::not_http);
    auto [parser, used] = feed("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\nmore");
    EXPECT_EQ(parser.excerpt(), "SSH-2.0-OpenSSH_9.2p1 Debian-2");
}

TEST(ResponseParser, RejectsMalformedStatusLines) {
    for (const char* text :
         {"HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n",
          "HTTP/1.1 099 Low\r\n\r\n", "HTTP/1.1 200 O\x01K\r\n\r\n", "HTTP/1.1 200\tOK\r\n\r\n"})
        expect_any_split(text, State::failed, 0, Failure::bad_status_line);
}

TEST(ResponseParser, RejectsMalformedHeaderLines) {
    expect_any_split("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", State::failed, 0,
                     Failure::bad_header_line);
    expect_any_split("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", State::failed, 0,
                     Failure::bad_header_line);
    expect_any_split("HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n", State::failed, 0,
                     Failure::bad_header_line);
    expect_any_split("HTTP/1.1 200 OK\rX\n\r\n", State::failed, 0, Failure::bad_line_ending);
}

TEST(ResponseParser, GivesUpBeyond16KiBOfHeaders) {
    std::string head = "HTTP/1.1 200 OK\r\n";
    while (head.size() < 20000) head += "X-Filler: " + std::string(100, 'a') + "\r\n";
    auto [parser, used] = feed(head + "\r\n");
    EXPECT_EQ(parser.state(), State::failed);
    EXPECT_EQ(parser.failure(), Failure::header_section_too_large);
    EXPECT_EQ(used, max_header_bytes);

    // Interim responses count towards the same limit.
    std::string interim =
        "HTTP/1.1 103 Early Hints\r\nLink: " + std::string(9000, 'l') + "\r\n\r\n";
    auto [twice, used_twice] = feed(interim + interim + "HTTP/1.1 200 OK\r\n\r\n");
    EXPECT_EQ(twice.failure(), Failure::header_section_too_large);

    // Just under the limit is fine.
    std::string fits =
        "HTTP/1.1 200 OK\r\nX: " + std::string(max_header_bytes - 24, 'a') + "\r\n\r\n";
    ASSERT_EQ(fits.size(), max_header_bytes);
    EXPECT_EQ(feed(fits).first.state(), State::done);
}

TEST(ResponseParser, IgnoresBytesOnceFinished) {
    ResponseParser parser;
    parser.feed("HTTP/1.1 404 Not Found\r\n\r\n");
    EXPECT_EQ(parser.feed("HTTP/1.1 200 OK\r\n\r\n"), 0u);
    EXPECT_EQ(parser.status(), 404);
}

// The excerpt keeps what the server sent; whoever writes it escapes it.
TEST(ResponseParser, ExcerptKeepsTheBytesAsTheyCameUpToALineBreakOrNul) {
    auto [parser, used] = feed("\x9b\xc2\x9b\xc2\x9d\x1b]0;title\x07\tx\r\nmore");
    EXPECT_EQ(parser.failure(), Failure::not_http);
    EXPECT_EQ(parser.excerpt(), "\x9b\xc2\x9b\xc2\x9d\x1b]0;title\x07\tx");
    auto [tls, tls_used] = feed(std::string("\x15\x03\x01\x00\x02\x02\x0a", 7));
    EXPECT_EQ(tls.excerpt(), "\x15\x03\x01");
}
