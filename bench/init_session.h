// An init under test running as PID 1 of a fresh PID namespace with
// bench-child as its only child, and the page they share. Most measurements
// start one, wait until bench-child reports ready, then act on the init.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bench_config.h"
#include "result.h"
#include "shared_page.h"
#include "spawn.h"
#include "subjects.h"

namespace bench {

struct InitSession {
    Child init;
    std::unique_ptr<SharedPage> page;

    SharedState& state() { return page->state(); }
};

// Starts `init` with `bench-child MODE SHM ARGS...` under it and waits up to
// ready_timeout_ms for the child to report ready.
Result<InitSession> start_init_session(const Init& init, const BenchConfig& config,
                                       const std::string& mode,
                                       const std::vector<std::string>& arguments = {},
                                       int ready_timeout_ms = 5000);

}  // namespace bench
