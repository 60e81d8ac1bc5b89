// The input of the command-line fuzz targets: the fuzz data split at NUL
// bytes; pieces that look like VIGIL_NAME=VALUE form the environment, the
// others are the arguments, as a shell would hand them over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "fuzz_check.h"

namespace vigil_fuzz {

class CommandLineInput {
  public:
    CommandLineInput(const char* program, const uint8_t* data, size_t size) {
        arguments_.emplace_back(program);
        for (std::string& piece : split_at_nul(data, size)) {
            size_t equals = piece.find('=');
            if (piece.rfind("VIGIL_", 0) == 0 && equals != std::string::npos)
                environment_[piece.substr(0, equals)] = piece.substr(equals + 1);
            else
                arguments_.push_back(std::move(piece));
        }
        for (std::string& argument : arguments_) argv_.push_back(argument.data());
        argv_.push_back(nullptr);
        current_ = this;
    }
    ~CommandLineInput() { current_ = nullptr; }
    CommandLineInput(const CommandLineInput&) = delete;
    CommandLineInput& operator=(const CommandLineInput&) = delete;

    int argc() const { return static_cast<int>(argv_.size() - 1); }
    char** argv() { return argv_.data(); }
    // An EnvironmentLookup over this input's variables.
    static char* lookup(const char* name) {
        auto found = current_->environment_.find(name);
        return found == current_->environment_.end() ? nullptr : found->second.data();
    }

  private:
    static inline CommandLineInput* current_ = nullptr;
    std::vector<std::string> arguments_;
    std::vector<char*> argv_;
    std::map<std::string, std::string> environment_;
};

}  // namespace vigil_fuzz
