#include "supervisor/descendants.h"

#include <csignal>

namespace vigil {
namespace {

// A walk over /proc finds a child after its parent as long as PIDs grow down
// the tree; when they wrapped around, another pass finds the rest.
constexpr int max_walk_passes = 8;

bool same_process(const ProcessEntry& a, const ProcessEntry& b) {
    return a.pid == b.pid && a.start_time == b.start_time;
}

void terminate(pid_t target) {
    // ESRCH: it is gone already, which is what the drain wants. SIGCONT
    // only after SIGTERM: a stopped process must run to handle it.
    if (kill(target, SIGTERM) == 0)
        kill(target, SIGCONT);
}

}  // namespace

void Descendants::prepare(pid_t own_pid, bool is_pid1, bool subreaper) {
    own_pid_ = own_pid;
    subreaper_ = subreaper || is_pid1;
    bool proc_usable = proc_shows_own_namespace(own_pid, proc_error_);
    if (is_pid1)
        mode_ = proc_usable ? Mode::namespace_walk : Mode::kill_all;
    else
        mode_ = proc_usable ? Mode::descendant_walk : Mode::group_only;
}

const char* Descendants::limitation(int& error) const {
    error = proc_error_;
    switch (mode_) {
        case Mode::namespace_walk:
            return nullptr;
        case Mode::descendant_walk:
            error = 0;  // /proc is fine; the limit is not being the subreaper
            return subreaper_ ? nullptr
                              : "not a subreaper: processes that left the main child's group and "
                                "were adopted by another process will not be drained";
        case Mode::kill_all:
            return "cannot read this namespace's /proc: the drain signals every process once; "
                   "processes started after that get only the final SIGKILL";
        case Mode::group_only:
            return "cannot read this namespace's /proc: the drain reaches only the main child's "
                   "process group";
    }
    return nullptr;
}

void Descendants::visit(const ProcessEntry& entry, void* context) {
    auto* self = static_cast<Descendants*>(context);
    if (entry.pid == self->own_pid_)
        return;
    if (self->found_count_ == capacity) {
        self->overflowed_ = true;
        return;
    }
    bool wanted = self->mode_ == Mode::namespace_walk;
    for (size_t i = 0; i < self->found_count_ && !wanted; ++i)
        wanted = self->found_[i].pid == entry.parent;
    wanted = wanted || entry.parent == self->own_pid_;
    if (!wanted)
        return;
    for (size_t i = 0; i < self->found_count_; ++i)
        if (self->found_[i].pid == entry.pid)
            return;  // found on an earlier pass
    self->found_[self->found_count_++] = entry;
    self->walk_added_ = true;
}

// Every leftover, in found_: as PID 1 every other process in one pass; as a
// subreaper the closure of vigil's children, pass after pass until a pass
// adds nothing.
void Descendants::find() {
    found_count_ = 0;
    for (int pass = 0; pass < max_walk_passes; ++pass) {
        walk_added_ = false;
        if (for_each_process(visit, this) < 0 || !walk_added_ || mode_ == Mode::namespace_walk)
            break;
    }
}

bool Descendants::already_terminated(const ProcessEntry& entry) const {
    for (size_t i = 0; i < terminated_count_; ++i)
        if (same_process(terminated_[i], entry))
            return true;
    return false;
}

void Descendants::remember_terminated(const ProcessEntry& entry) {
    if (terminated_count_ < capacity)
        terminated_[terminated_count_++] = entry;
}

// Every kill(2) here may fail with ESRCH (the process is gone: what the drain
// wants) or EPERM (a process vigil may not signal, which kill(-1) skips and a
// descendant cannot be unless it changed its credentials): neither leaves
// anything to do, so the results are not looked at.
size_t Descendants::drain(int signal) {
    bool term = signal == SIGTERM;
    // Signals to a whole group or to everyone: once for SIGTERM, every time
    // for SIGKILL (which cannot be had twice).
    if (mode_ == Mode::kill_all) {
        if (!term)
            kill(-1, SIGKILL);
        else if (!all_terminated_)
            terminate(-1);
        all_terminated_ = true;
        return 0;
    }
    bool group_signal = main_group_ != 0 && (mode_ == Mode::group_only || !subreaper_);
    if (group_signal) {
        if (!term)
            kill(-main_group_, SIGKILL);
        else if (!group_terminated_)
            terminate(-main_group_);
        group_terminated_ = true;
    }
    if (mode_ == Mode::group_only)
        return 0;

    find();
    // More than one look can hold: those past it are reached by the group
    // signal (or kill(-1) as PID 1), once, and may so get SIGTERM twice.
    if (overflowed_ && term && !all_terminated_ && (mode_ == Mode::namespace_walk || main_group_)) {
        terminate(mode_ == Mode::namespace_walk ? -1 : -main_group_);
        all_terminated_ = true;
    }
    size_t signalled = 0;
    for (size_t i = 0; i < found_count_; ++i) {
        const ProcessEntry& entry = found_[i];
        if (group_signal && entry.group == main_group_)
            continue;  // the group signal reached it
        if (!term) {
            kill(entry.pid, SIGKILL);
            ++signalled;
            continue;
        }
        if (already_terminated(entry))
            continue;
        terminate(entry.pid);
        remember_terminated(entry);
        ++signalled;
    }
    return signalled;
}

// As in drain(), ESRCH and EPERM leave nothing to do.
void Descendants::forward(int signal) {
    if (mode_ == Mode::kill_all || mode_ == Mode::namespace_walk) {
        kill(-1, signal);  // as PID 1: every process but vigil, each once
        return;
    }
    if (main_group_ != 0 && (mode_ == Mode::group_only || !subreaper_))
        kill(-main_group_, signal);
    if (mode_ == Mode::group_only)
        return;
    find();
    for (size_t i = 0; i < found_count_; ++i)
        if (!(main_group_ != 0 && !subreaper_ && found_[i].group == main_group_))
            kill(found_[i].pid, signal);
}

}  // namespace vigil
