// The goals vigil is held to (issue 5), judged against the peers of the same
// run: a pass needs no figure from another machine or another day.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "measurement.h"

namespace bench {

struct Target {
    std::string goal;         // "Start-up overhead no worse than the best peer"
    std::string vigil;        // vigil's figure, formatted
    std::string reference;    // what it is compared with, formatted
    std::optional<bool> met;  // nullopt: a figure is missing, cannot judge
    std::string note;
};

std::vector<Target> evaluate_targets(const std::vector<Measurement>& measurements);

// Formats a figure for the report: integers for large values, a few
// significant digits for small ones.
std::string format_number(double value);

}  // namespace bench
