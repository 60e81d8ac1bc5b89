// The HTTP statuses a probe counts as healthy: `200-399` (the default, as
// Kubernetes judges HTTP probes), `200,204`, `2xx`, or any comma-separated
// mix of codes, ranges and classes.
#pragma once

#include <cstdint>
#include <string_view>

namespace vigil {

class StatusList {
  public:
    // 200-399.
    static StatusList kubernetes_default();

    // Parses `text`; on failure returns false and sets `error` to a phrase
    // that completes "invalid status list 'X': ...".
    bool parse(std::string_view text, const char*& error);

    bool contains(int status) const {
        return status >= 100 && status <= 999 && (bits_[status / 64] >> (status % 64)) & 1;
    }

  private:
    void add_range(int first, int last);
    uint64_t bits_[16] = {};  // statuses 0..1023; only 100..999 are ever set
};

}  // namespace vigil
