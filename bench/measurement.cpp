#include "measurement.h"

#include "statistics.h"

namespace bench {

double Figure::median() const {
    return bench::median(samples);
}

double Figure::p99() const {
    return percentile(samples, 0.99);
}

const Figure* Measurement::find(const std::string& subject) const {
    for (const Figure& figure : figures) {
        if (figure.subject == subject)
            return &figure;
    }
    return nullptr;
}

}  // namespace bench
