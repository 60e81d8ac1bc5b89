// Fuzzes `vigil probe`'s command line and environment: any argv and any
// VIGIL_PROBE_* variables give a check within its documented bounds, whose
// request either fits or is refused, or one line of usage error that is safe
// to print.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/duration.h"
#include "command_line_input.h"
#include "fuzz_check.h"
#include "probe/health_check.h"
#include "probe/probe_command_line.h"

using vigil_fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    vigil_fuzz::CommandLineInput input("probe", data, size);
    auto parsed = std::make_unique<vigil::ParsedProbeCommandLine>();
    vigil::parse_probe_command_line(input.argc(), input.argv(),
                                    vigil_fuzz::CommandLineInput::lookup, *parsed);
    if (parsed->action == vigil::ProbeAction::usage_error) {
        check(parsed->error[0] != '\0' && vigil_fuzz::is_safe_line(parsed->error));
        return 0;
    }
    if (parsed->action != vigil::ProbeAction::run)
        return 0;
    const vigil::CheckSpec& spec = parsed->config.check;
    check(!spec.url.host.empty() && spec.url.port != 0);
    check(spec.timeout_ms >= 0 && spec.timeout_ms <= vigil::max_duration_ms);
    check(spec.header_count <= vigil::max_extra_headers);
    for (size_t i = 0; i < spec.header_count; ++i)
        for (const char* c = spec.headers[i]; *c; ++c) check(*c != '\r' && *c != '\n');
    // What `vigil probe` does next: build the request, or say why not.
    auto health_check = std::make_unique<vigil::HealthCheck>();
    const char* error = nullptr;
    if (!health_check->prepare(spec, error))
        check(error && vigil_fuzz::is_safe_line(error));
    return 0;
}
