// What the command-line tests hand a parser: an argv that owns its strings,
// and an environment they set variable by variable.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace vigil_test {

// argv storage: the words, NULL-terminated, alive as long as this object.
class Argv {
  public:
    Argv(std::string program, std::vector<std::string> words) : words_(std::move(words)) {
        words_.insert(words_.begin(), std::move(program));
        for (std::string& word : words_) pointers_.push_back(word.data());
        pointers_.push_back(nullptr);
    }
    Argv(const Argv&) = delete;
    Argv& operator=(const Argv&) = delete;

    int argc() const { return static_cast<int>(words_.size()); }
    char** argv() { return pointers_.data(); }

  private:
    std::vector<std::string> words_;
    std::vector<char*> pointers_;
};

// The environment a parser sees through `lookup` (an EnvironmentLookup).
struct FakeEnvironment {
    static std::map<std::string, std::string>& variables() {
        static std::map<std::string, std::string> variables;
        return variables;
    }
    static char* lookup(const char* name) {
        auto found = variables().find(name);
        return found == variables().end() ? nullptr : found->second.data();
    }
};

}  // namespace vigil_test
