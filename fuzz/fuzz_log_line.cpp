// Fuzzes the log formatter with values a server or a user could choose: a
// JSON line is strictly valid JSON and valid UTF-8, ends with "}\n" and fits
// the buffer; a text line is one line of printable UTF-8 with no control of
// any kind; both keep every key and number; a line cut to fit says so.
//
// Input: the level, the format, the buffer size (256 to 1024 bytes), a
// number, then the message and up to three string values, split at NUL.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/log.h"
#include "fuzz_check.h"

using vigil_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 5)
        return 0;
    auto level = static_cast<vigil::LogLevel>(data[0] % 4);
    vigil::LogFormat format = data[1] & 1 ? vigil::LogFormat::json : vigil::LogFormat::text;
    size_t buffer_size = 256 + (data[2] | data[3] << 8) % 769;
    auto number = static_cast<long long>(static_cast<int8_t>(data[4])) * 1000003;
    std::vector<std::string> texts = vigil_fuzz::split_at_nul(data + 5, size - 5);
    texts.resize(4);

    std::vector<vigil::LogField> fields{{"summary", texts[1].c_str()},
                                        {"failures", number},
                                        {"reasons", texts[2].c_str()},
                                        {"program", texts[3].c_str()}};
    std::vector<char> buffer(buffer_size);
    timespec when{1795444695, 123456789};
    size_t length = vigil::format_log_line(buffer.data(), buffer.size(), format, level, when,
                                           texts[0].c_str(), fields);
    check(length >= 2 && length <= buffer_size);
    std::string_view line(buffer.data(), length - 1);
    check(buffer[length - 1] == '\n');
    check(vigil_fuzz::is_safe_line(line));  // no newline inside, nothing escaped
    std::string digits = std::to_string(number);
    if (format == vigil::LogFormat::json) {
        check(line.back() == '}');
        check(vigil_test::is_strict_json(line));
        check(line.find(",\"failures\":" + digits + ",") != std::string_view::npos);
        for (const char* key : {"\"summary\":\"", "\"reasons\":\"", "\"program\":\""})
            check(line.find(key) != std::string_view::npos);
    } else {
        check(line.rfind("vigil: ", 0) == 0);
        check(line.find(" failures=" + digits + " ") != std::string_view::npos);
        for (const char* key : {" summary=", " reasons=", " program="})
            check(line.find(key) != std::string_view::npos);
    }
    size_t all = texts[0].size() + texts[1].size() + texts[2].size() + texts[3].size();
    if (all * 6 + 256 > buffer_size)
        return 0;  // might have been cut
    check(line.find("...(truncated)") == std::string_view::npos ||
          (texts[0] + texts[1] + texts[2] + texts[3]).find("...(truncated)") != std::string::npos);
    return 0;
}
