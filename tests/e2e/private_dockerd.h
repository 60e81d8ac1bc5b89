// A second Docker engine of a test's own, beside the machine's: dockerd with
// its own socket, data root, exec root and pidfile under one directory
// (/tmp/vigil-e2e-dockerd-XXXXXX), no bridge, no iptables rules, no IP
// forwarding, and options of the test's choosing (--init-path). It starts its
// own containerd in its exec root, cannot pull, and builds its images from
// FROM-scratch Dockerfiles.
//
// Everything it made goes when the object does, also after a failed test:
// its containers, the daemon (SIGTERM, then SIGKILL after 30 s, and the
// containerd it started), the mounts it left under its directory, and the
// directory. Should the test program itself be killed, the kernel sends the
// daemon SIGTERM (PR_SET_PDEATHSIG) and it stops its containers on its own;
// only the directory is left.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "docker.h"

namespace vigil_e2e {

class PrivateDockerd {
  public:
    // Starts dockerd with OPTIONS besides its own and waits until it answers.
    explicit PrivateDockerd(const std::vector<std::string>& options);
    ~PrivateDockerd();
    PrivateDockerd(const PrivateDockerd&) = delete;
    PrivateDockerd& operator=(const PrivateDockerd&) = delete;

    // Why it did not start ("" when it did).
    const std::string& problem() const { return problem_; }
    // `docker -H unix://SOCKET ARGS...`.
    RunOutput docker(const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout = 120s) const;
    // Builds CONTEXT (with its Dockerfile) as TAG; "" or what went wrong.
    std::string build(const std::string& tag, const std::string& context) const;
    // What the daemon has logged so far.
    std::string log() const;

  private:
    void stop();

    std::string root_;
    std::string host_;
    pid_t pid_ = -1;
    std::string problem_;
};

}  // namespace vigil_e2e
