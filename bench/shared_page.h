// The driver's side of the shared page (shared_state.h): a file in /dev/shm,
// mapped here and passed by path to bench-child, removed when done.
#pragma once

#include <memory>
#include <string>

#include "result.h"
#include "shared_state.h"

namespace bench {

class SharedPage {
  public:
    static Result<std::unique_ptr<SharedPage>> create();
    ~SharedPage();
    SharedPage(const SharedPage&) = delete;
    SharedPage& operator=(const SharedPage&) = delete;

    const std::string& path() const { return path_; }
    SharedState& state() { return *state_; }

  private:
    SharedPage(std::string path, SharedState* state) : path_(std::move(path)), state_(state) {}

    std::string path_;
    SharedState* state_;
};

}  // namespace bench
