// Fuzzes StatusList::parse (-s, --watchdog-status): a list is taken whole or
// not at all, holds only statuses from 100 to 999, and holds every status
// the text names on its own.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "probe/status_list.h"

using vigil_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    vigil::StatusList list = vigil::StatusList::kubernetes_default();
    const char* error = nullptr;
    bool parsed = list.parse(text, error);
    if (!parsed) {
        check(error && *error);
        for (int status = 0; status < 1100; ++status)  // untouched: still 200-399
            check(list.contains(status) == (status >= 200 && status <= 399));
        return 0;
    }
    for (int status : {-1, 0, 99, 1000, 1023, 1024}) check(!list.contains(status));
    while (!text.empty()) {
        std::string_view item = text.substr(0, text.find(','));
        if (item.size() == 3 && item[0] >= '1' && item[0] <= '9' && item[1] >= '0' &&
            item[1] <= '9' && item[2] >= '0' && item[2] <= '9')
            check(list.contains((item[0] - '0') * 100 + (item[1] - '0') * 10 + (item[2] - '0')));
        text.remove_prefix(item.size() < text.size() ? item.size() + 1 : item.size());
    }
    return 0;
}
