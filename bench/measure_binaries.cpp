// Binary size and linkage. The size is the file itself; a dynamic binary
// also needs its shared libraries, which the note lists with their size.
// grpc_health_probe cannot be installed here: its row is the published
// figure, marked as such.
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
    "are not included in the size column. What vigil's bytes pay for (the probe, static PIE, "
    "the stack protector, RELRO, output escaping) and what won bytes back: "
    "[size-and-hardening.md](size-and-hardening.md).";

// grpc_health_probe's release binary, as published. Its release pages list
// the asset sizes only in a part GitHub loads separately, which the stored
// copies searched for this report (v0.4.47 to v0.4.56) lack; the one
// published figure found is "11mb", in a pull request that added the binary
// to an image. A hundredth of it is 105–115 KB for anything that
// rounds to 11 MB, so the target's verdict holds for vigil under 105 KB.
// Replace it with the exact asset size of a named version where GitHub can
// be reached.
constexpr double grpc_health_probe_bytes = 11'000'000;
const char* how_published =
    "grpc_health_probe is in no Debian release and cannot be downloaded here, so its row is "
    "a **published figure, not measured here**: \"size is 11mb\", said of its release binary "
    "(a static Go program) added to a container image in "
    "https://github.com/ScoreTrak/ScoreTrak/pull/284 (2022-02-25; neither the version nor the "
    "architecture is stated), taken as 11,000,000 bytes. grpc_health_probe's own release "
    "pages (https://github.com/grpc-ecosystem/grpc-health-probe/releases) list the asset sizes "
    "in a part that the copies searched for this report lack.";

Figure published_grpc_health_probe() {
    return Figure{.subject = grpc_health_probe_name,
                  .samples = {grpc_health_probe_bytes},
                  .note = "static Go binary; published figure, not measured here"};
}

}  // namespace

Measurement measure_init_binaries(const std::vector<Init>& inits) {
    Measurement measurement{
        .key = "init_size", .title = "Init binary size", .unit = "bytes", .how = how_sizes};
    for (const Init& init : inits)
        measurement.figures.push_back(binary_figure(init.name, init.path));
    return measurement;
}

Measurement measure_probe_binaries(const std::vector<Probe>& probes) {
    Measurement measurement{.key = "probe_size",
                            .title = "Probe binary size",
                            .unit = "bytes",
                            .how = std::string(how_sizes) + " " + how_published};
    for (const Probe& probe : probes) {
        // `vigil probe grpc://` is the same file as `vigil probe`.
        if (probe.protocol == ProbeProtocol::http)
            measurement.figures.push_back(binary_figure(probe.name, probe.path));
    }
    measurement.figures.push_back(published_grpc_health_probe());
    return measurement;
}

}  // namespace bench
