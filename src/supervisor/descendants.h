// The processes vigil answers for besides the main child: what the drain
// ends once the main child has exited, and what --forward-to all reaches.
// In the drain each gets SIGTERM (with SIGCONT: a stopped process must run to
// see it) exactly once, however often the drain looks again for processes
// that were adopted or started since, and SIGKILL at the deadline.
//
// Who they are depends on where vigil runs:
//   - PID 1 with its namespace's /proc: every other process in the namespace;
//   - a subreaper (not PID 1) with /proc: every descendant, found by walking
//     the parent links of /proc/PID/stat, however deep and whether or not it
//     left the main child's process group;
//   - not a subreaper (the kernel refused): the descendants still linked to
//     vigil, and the main child's process group for those that were not;
//   - without a usable /proc: kill(-1) as PID 1 (processes started after it
//     are not reached until SIGKILL), else the main child's process group.
// Nothing outside vigil's own descendants is ever signalled, and kill(-1) is
// used only as PID 1, where every process is one.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>

#include "supervisor/processes.h"

namespace vigil {

class Descendants {
  public:
    // How many processes one look can find and how many SIGTERMs are
    // remembered. Past them, the drain still signals what it finds, but may
    // signal a process twice.
    static constexpr size_t capacity = 4096;

    // Decides how leftovers are found. `subreaper`: the kernel accepted
    // PR_SET_CHILD_SUBREAPER (or vigil is PID 1).
    void prepare(pid_t own_pid, bool is_pid1, bool subreaper);
    // The main child's process group (0 when it shares vigil's, with -c).
    void set_main_group(pid_t group) { main_group_ = group; }
    // What the drain cannot reach, for a warning at start; null when nothing.
    // `error` is the errno of the failed look at /proc; 0 when /proc is
    // readable (it then shows another PID namespace, or the limit is not
    // being the subreaper).
    const char* limitation(int& error) const;

    // The drain: sends SIGTERM (and SIGCONT) to every descendant that has not
    // had it, or SIGKILL to every descendant. Returns the number of processes
    // signalled by PID (group and kill(-1) signals are not counted).
    size_t drain(int signal);

    // --forward-to all: sends `signal` to every descendant once (as PID 1,
    // every other process).
    void forward(int signal);

  private:
    enum class Mode { namespace_walk, descendant_walk, kill_all, group_only };

    void find();
    static void visit(const ProcessEntry& entry, void* context);
    bool already_terminated(const ProcessEntry& entry) const;
    void remember_terminated(const ProcessEntry& entry);

    Mode mode_ = Mode::group_only;
    pid_t own_pid_ = 0;
    bool subreaper_ = false;
    int proc_error_ = 0;
    pid_t main_group_ = 0;
    bool group_terminated_ = false;  // the group had its one SIGTERM
    bool all_terminated_ = false;    // kill(-1, SIGTERM) was sent

    size_t found_count_ = 0;
    bool walk_added_ = false;  // the last pass over /proc found someone new
    bool overflowed_ = false;  // a look found more than `capacity`
    size_t terminated_count_ = 0;
    // The two arrays last, so that constructing the object writes no page of
    // theirs: 192 KiB that stay untouched, not resident, until a drain needs
    // them (with a member after each, two more pages were resident).
    // One look's findings: with kill_all/group_only unused.
    ProcessEntry found_[capacity];
    ProcessEntry terminated_[capacity];
};

}  // namespace vigil
