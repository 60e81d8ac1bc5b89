// Walks a command line the way getopt_long does, for both of vigil's command
// lines (the supervisor's and `vigil probe`'s): long options (--name,
// --name=value, --name value), clusters of short flags (-cv) whose last member
// may take a value (-rTERM:QUIT, -r TERM:QUIT), and "--". The scanner only
// splits; what an option means is the caller's business.
#pragma once

#include <cstddef>
#include <span>

namespace vigil {

struct OptionSpec {
    int id;           // the caller's own identifier
    char short_name;  // 0: long only
    const char* long_name;
    bool takes_value;
};

class OptionScanner {
  public:
    enum class Step {
        option,       // option() and value() describe it
        operand,      // argv[index()] is not an option; skip_operand() moves past it
        double_dash,  // "--" was consumed: every later argument is an operand
        end,          // no arguments left
        error,        // error() says what is wrong
    };

    OptionScanner(int argc, char** argv, std::span<const OptionSpec> specs)
        : argc_(argc), argv_(argv), specs_(specs) {}

    Step next();
    void skip_operand() { ++index_; }

    int index() const { return index_; }
    const OptionSpec& option() const { return *option_; }
    const char* value() const { return value_; }      // null for options without one
    const char* spelled() const { return spelled_; }  // "--grace" or "-r", for messages
    const char* error() const { return error_; }

  private:
    Step fail(const char* format, const char* what);
    Step take_value();

    int argc_;
    char** argv_;
    std::span<const OptionSpec> specs_;
    int index_ = 1;                  // argv[0] is the program's own name
    const char* cluster_ = nullptr;  // the rest of a short-flag cluster
    bool options_ended_ = false;     // after "--"
    const OptionSpec* option_ = nullptr;
    const char* value_ = nullptr;
    char spelled_[40] = {};
    char error_[160] = {};
};

}  // namespace vigil
