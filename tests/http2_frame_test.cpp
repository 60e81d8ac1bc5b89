// The HTTP/2 frame reader (RFC 9113 §4.1, §6): frames in every split, padding
// and priority fields taken off, header blocks gathered across frames, and
// the errors of bad lengths.
#include "probe/http2_frame.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace vigil;

namespace {

std::string frame(uint8_t type, uint8_t flags, uint32_t stream, const std::string& payload) {
    char header[9];
    http2::put_frame_header(header, static_cast<uint32_t>(payload.size()), type, flags, stream);
    return std::string(header, 9) + payload;
}

// What every server sends first (§3.4), which the reader requires.
const std::string preface = frame(http2::settings, 0, 0, "");

struct Seen {
    FrameHeader header;
    std::string content;
};

// Feeds the preface and `bytes` in pieces of `piece`; collects the frames
// after the preface, or the error.
std::vector<Seen> read_frames(const std::string& bytes, size_t piece,
                              FrameReader::Error* error = nullptr) {
    static FrameReader reader;  // 16 KiB: off the stack
    reader.reset();
    std::vector<Seen> frames;
    std::string all = preface + bytes;
    for (size_t at = 0; at < all.size(); at += piece) {
        std::string_view input = std::string_view(all).substr(at, piece);
        for (;;) {
            FrameReader::Event event = reader.next(input);
            if (event == FrameReader::Event::need_more) {
                EXPECT_TRUE(input.empty());
                break;
            }
            if (event == FrameReader::Event::error) {
                if (error)
                    *error = reader.error();
                if (!frames.empty())
                    frames.erase(frames.begin());
                return frames;
            }
            frames.push_back({reader.header(), std::string(reader.content())});
        }
    }
    EXPECT_FALSE(frames.empty());
    frames.erase(frames.begin());
    return frames;
}

}  // namespace

TEST(Http2Frame, ReadsFramesInEverySplit) {
    std::string bytes = frame(http2::settings, 0, 0, std::string("\0\x03\0\0\0\x64", 6)) +
                        frame(http2::settings, http2::flag_ack, 0, "") +
                        frame(http2::headers, http2::flag_end_headers, 1, "\x88") +
                        frame(http2::data, http2::flag_end_stream, 1, std::string(300, 'd')) +
                        frame(0xfa, 0xff, 0x7fffffff, "unknown types pass through");
    for (size_t piece = 1; piece <= bytes.size(); ++piece) {
        std::vector<Seen> frames = read_frames(bytes, piece);
        ASSERT_EQ(frames.size(), 5u) << piece;
        EXPECT_EQ(frames[0].header.type, http2::settings);
        EXPECT_EQ(frames[0].content, std::string("\0\x03\0\0\0\x64", 6));
        EXPECT_EQ(frames[1].header.flags, http2::flag_ack);
        EXPECT_EQ(frames[1].content, "");
        EXPECT_EQ(frames[2].header.stream_id, 1u);
        EXPECT_EQ(frames[2].content, "\x88");
        EXPECT_EQ(frames[3].header.length, 300u);
        EXPECT_EQ(frames[3].content, std::string(300, 'd'));
        EXPECT_EQ(frames[4].header.type, 0xfa);
        EXPECT_EQ(frames[4].header.stream_id, 0x7fffffffu);
        EXPECT_EQ(frames[4].content, "unknown types pass through");
    }
}

TEST(Http2Frame, ClearsTheReservedBitOfTheStreamId) {
    std::string bytes = frame(http2::data, 0, 1, "x");
    bytes[5] = static_cast<char>(0x80);
    std::vector<Seen> frames = read_frames(bytes, 1);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].header.stream_id, 1u);
}

TEST(Http2Frame, TakesOffPaddingAndPriorityFields) {
    // DATA: pad length 3, "abc", 3 bytes of padding.
    std::string data = frame(http2::data, http2::flag_padded, 1,
                             std::string("\x03"
                                         "abc\0\0\0",
                                         7));
    // HEADERS with both: pad length 2, 5 priority bytes, the block, padding.
    std::string headers = frame(http2::headers, http2::flag_padded | http2::flag_priority, 1,
                                std::string("\x02\x80\0\0\x03\xff\x82\x86\0\0", 10));
    std::string priority_only =
        frame(http2::headers, http2::flag_priority, 1, std::string("\0\0\0\x03\x10\x88", 6));
    // Padding that leaves no content, and PADDED on a type that has none.
    std::string empty = frame(http2::data, http2::flag_padded, 1, std::string("\x02\0\0", 3));
    std::string ping = frame(http2::ping, http2::flag_padded, 0, "12345678");
    std::string bytes = data + headers + priority_only + empty + ping;
    for (size_t piece = 1; piece <= bytes.size(); ++piece) {
        std::vector<Seen> frames = read_frames(bytes, piece);
        ASSERT_EQ(frames.size(), 5u) << piece;
        EXPECT_EQ(frames[0].content, "abc");
        EXPECT_EQ(frames[1].content, "\x82\x86");
        EXPECT_EQ(frames[2].content, "\x88");
        EXPECT_EQ(frames[3].content, "");
        EXPECT_EQ(frames[4].content, "12345678");
    }
}

TEST(Http2Frame, RejectsPaddingAsLongAsThePayload) {
    for (const std::string& bad :
         {frame(http2::data, http2::flag_padded, 1,
                std::string("\x03"
                            "ab",
                            3)),
          frame(http2::data, http2::flag_padded, 1, ""),
          frame(http2::headers, http2::flag_priority, 1, std::string("\0\0\0", 3)),
          frame(http2::headers, http2::flag_padded | http2::flag_priority, 1,
                std::string("\x01\0\0\0\x03\x10", 6))}) {
        for (size_t piece : {1, 4, 100}) {
            FrameReader::Error error = FrameReader::Error::none;
            read_frames(bad, piece, &error);
            EXPECT_EQ(error, FrameReader::Error::bad_padding) << piece;
        }
    }
}

TEST(Http2Frame, RejectsFramesLargerThanAdvertised) {
    std::string header(9, '\0');
    header[0] = 0;
    header[1] = 0x40;
    header[2] = 0x01;  // 16385
    FrameReader::Error error = FrameReader::Error::none;
    read_frames(header, 1, &error);
    EXPECT_EQ(error, FrameReader::Error::frame_too_large);
    // "HTTP/1.1 " read as a frame header: a length of 4740180.
    error = FrameReader::Error::none;
    read_frames("HTTP/1.1 400 Bad Request\r\n", 3, &error);
    EXPECT_EQ(error, FrameReader::Error::frame_too_large);
    // Exactly 16384 is fine.
    std::vector<Seen> frames = read_frames(frame(http2::data, 0, 1, std::string(16384, 'x')), 1000);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].content.size(), 16384u);
}

TEST(Http2Frame, GathersAHeaderBlockAcrossFrames) {
    static FrameReader reader;
    reader.reset();
    std::string bytes = preface +
                        frame(http2::headers, http2::flag_padded, 1,
                              std::string("\x02"
                                          "abc\0\0",
                                          6)) +
                        frame(http2::continuation, 0, 1, "defg") +
                        frame(http2::continuation, http2::flag_end_headers, 1, "h");
    std::string_view input = bytes;
    std::string_view block;
    for (int frames = 0; frames < 4;) {
        FrameReader::Event event = reader.next(input);
        ASSERT_NE(event, FrameReader::Event::need_more);
        ASSERT_NE(event, FrameReader::Event::error);
        if (event == FrameReader::Event::frame && frames++ > 0)
            block = reader.keep_content();
    }
    EXPECT_EQ(block, "abcdefgh");
    reader.drop_kept();
    // What is kept leaves that much less room for the next frame.
    std::string big = frame(http2::headers, 0, 1, std::string(16000, 'x')) +
                      frame(http2::continuation, 0, 1, std::string(385, 'y'));
    input = big;
    FrameReader::Event event;
    while ((event = reader.next(input)) != FrameReader::Event::error) {
        ASSERT_NE(event, FrameReader::Event::need_more);
        if (event == FrameReader::Event::frame)
            reader.keep_content();
    }
    EXPECT_EQ(reader.error(), FrameReader::Error::frame_too_large);
    EXPECT_EQ(reader.header().type, http2::continuation);
}

TEST(Http2Frame, RefusesAFirstFrameThatIsNotSettings) {
    static FrameReader reader;
    for (const std::string& first :
         {frame(http2::data, 0, 1, "x"), frame(http2::settings, http2::flag_ack, 0, ""),
          std::string("HTTP/1.1 400 Bad Request\r\n")}) {
        reader.reset();
        std::string_view input = first;
        EXPECT_EQ(reader.next(input), FrameReader::Event::error);
        EXPECT_EQ(reader.error(), FrameReader::Error::not_settings);
        EXPECT_EQ(input.size(), first.size() - 9) << "refused by its header";
    }
}

TEST(Http2Frame, NamesErrorCodesAndFrameTypes) {
    EXPECT_STREQ(http2::error_code_name(0), "NO_ERROR");
    EXPECT_STREQ(http2::error_code_name(0xb), "ENHANCE_YOUR_CALM");
    EXPECT_STREQ(http2::error_code_name(0xd), "HTTP_1_1_REQUIRED");
    EXPECT_EQ(http2::error_code_name(0xe), nullptr);
    EXPECT_STREQ(http2::frame_type_name(0), "DATA");
    EXPECT_STREQ(http2::frame_type_name(9), "CONTINUATION");
    EXPECT_EQ(http2::frame_type_name(10), nullptr);
}
