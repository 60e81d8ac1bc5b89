#include "probe/status_list.h"

#include "base/text.h"

namespace vigil {
namespace {

// Exactly three digits, 100 to 999.
bool parse_status(std::string_view text, int& status) {
    std::optional<int> parsed = text.size() == 3 ? parse_number_in(text, 100, 999) : std::nullopt;
    status = parsed.value_or(0);
    return parsed.has_value();
}

}  // namespace

StatusList StatusList::kubernetes_default() {
    StatusList list;
    list.add_range(200, 399);
    return list;
}

void StatusList::add_range(int first, int last) {
    for (int status = first; status <= last; ++status)
        bits_[status / 64] |= uint64_t{1} << (status % 64);
}

bool StatusList::parse(std::string_view text, const char*& error) {
    StatusList parsed;
    if (text.empty()) {
        error = "empty; expected e.g. 200-399, 200,204 or 2xx";
        return false;
    }
    for (;;) {
        size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        int first = 0;
        int last = 0;
        size_t dash = item.find('-');
        if (item.size() == 3 && item[0] >= '1' && item[0] <= '9' &&
            (item.substr(1) == "xx" || item.substr(1) == "XX")) {
            first = (item[0] - '0') * 100;
            last = first + 99;
        } else if (dash != std::string_view::npos) {
            if (!parse_status(item.substr(0, dash), first) ||
                !parse_status(item.substr(dash + 1), last)) {
                error = "a range must be two statuses from 100 to 999, e.g. 200-399";
                return false;
            }
            if (first > last) {
                error = "a range must go from low to high";
                return false;
            }
        } else if (parse_status(item, first)) {
            last = first;
        } else {
            error =
                "expected statuses (100 to 999), ranges (200-399) or classes (2xx), "
                "separated by commas";
            return false;
        }
        parsed.add_range(first, last);
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    *this = parsed;
    return true;
}

}  // namespace vigil
