#include "init_session.h"

#include "clock.h"

namespace bench {

Result<InitSession> start_init_session(const Init& init, const BenchConfig& config,
                                       const std::string& mode,
                                       const std::vector<std::string>& arguments,
                                       int ready_timeout_ms) {
    Result<std::unique_ptr<SharedPage>> page = SharedPage::create();
    if (!page)
        return fail(page.error());
    std::vector<std::string> program{config.helper, mode, (*page)->path()};
    program.insert(program.end(), arguments.begin(), arguments.end());
    SpawnOptions options{.pid_namespace = true, .output_fd = config.log_fd};
    Result<Child> child = Child::spawn(init.command(program), options);
    if (!child)
        return fail(child.error());
    InitSession session{std::move(*child), std::move(*page)};

    // Wait in short slices so that an init that dies (or never starts its
    // child) is noticed at once rather than at the timeout.
    uint32_t& ready = session.state().ready;
    int64_t deadline = monotonic_ns() + int64_t{ready_timeout_ms} * 1'000'000;
    while (shared(ready).load() == 0) {
        if (session.init.has_exited()) {
            Result<ExitInfo> exit = session.init.wait(0);
            return fail("exited before its child was ready (" +
                        (exit ? exit->describe() : exit.error()) + ")");
        }
        if (monotonic_ns() > deadline)
            return fail("its child was not ready within " + std::to_string(ready_timeout_ms) +
                        " ms");
        futex_wait(ready, 0, 20'000'000);
    }
    if (shared(ready).load() != child_ready)
        return fail("bench-child failed to set up (its message is in " + config.out_dir +
                    "/children.log)");
    return session;
}

}  // namespace bench
