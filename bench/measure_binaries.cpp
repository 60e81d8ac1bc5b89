// Binary size and linkage. The size is the file itself; a dynamic binary
// also needs its shared libraries, which the note lists with their size.
#include <sys/stat.h>

#include "linkage.h"
#include "measurements.h"

namespace bench {
namespace {

Figure binary_figure(const std::string& name, const std::string& path) {
    Figure figure{.subject = name};
    if (std::string missing = missing_binary(path); !missing.empty()) {
        figure.error = missing;
        return figure;
    }
    struct stat info {};
    if (stat(path.c_str(), &info) < 0) {
        figure.error = errno_message("stat " + path);
        return figure;
    }
    Result<Linkage> linkage = read_linkage(path);
    if (!linkage) {
        figure.error = linkage.error();
        return figure;
    }
    figure.samples.push_back(static_cast<double>(info.st_size));
    figure.note = linkage->describe();
    return figure;
}

const char* how_sizes =
    "The size in bytes of the executable file as installed. Linkage comes from the ELF "
    "program headers: a binary without a PT_INTERP header is static. For a dynamic one, "
    "the shared libraries `ldd` resolves are counted and their size on disk summed; they "
    "are not included in the size column.";

}  // namespace

Measurement measure_init_binaries(const std::vector<Init>& inits) {
    Measurement measurement{
        .key = "init_size", .title = "Init binary size", .unit = "bytes", .how = how_sizes};
    for (const Init& init : inits)
        measurement.figures.push_back(binary_figure(init.name, init.path));
    return measurement;
}

Measurement measure_probe_binaries(const std::vector<Probe>& probes) {
    Measurement measurement{
        .key = "probe_size", .title = "Probe binary size", .unit = "bytes", .how = how_sizes};
    for (const Probe& probe : probes)
        measurement.figures.push_back(binary_figure(probe.name, probe.path));
    return measurement;
}

}  // namespace bench
